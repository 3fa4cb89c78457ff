/* Link-layer sniffer pseudo-headers (src/trace/ll_*.c): DLT 251, 256 flags, 272/157 nRF Sniffer
 * protocol versions 0-3, 192 PPI with PPI-BTLE; headers that lie are refused with a reason. */
#include "testutil.h"
#include "trace/trace_int.h"
#include <pairscope/frame.h>
#include <string.h>

/* An ADV_IND from crackle's file 01: AA, header 00 09, AdvA + flags AD, CRC. */
static const uint8_t air[] = { 0xd6, 0xbe, 0x89, 0x8e, 0x00, 0x09, 0xe8, 0xdd, 0x6e, 0xe5, 0xc5,
			       0x78, 0x02, 0x01, 0x05, 0xc6, 0x3c, 0x96 };
/* A data PDU: AA 0xaf9a9394, LL_START_ENC_RSP encrypted (header 0f 05), MIC, CRC. */
static const uint8_t data_air[] = { 0x94, 0x93, 0x9a, 0xaf, 0x0f, 0x05, 0x71, 0xb5, 0xac, 0xd1, 0xd8, 0x01, 0x02, 0x03 };

static size_t build(uint8_t *out, const uint8_t *hdr, size_t hlen, const uint8_t *body, size_t blen)
{
	memcpy(out, hdr, hlen);
	memcpy(out + hlen, body, blen);
	return hlen + blen;
}

static void test_dlt_supported(void **state)
{
	(void)state;
	assert_true(ps_ll_dlt_supported(251));
	assert_true(ps_ll_dlt_supported(256));
	assert_true(ps_ll_dlt_supported(272));
	assert_true(ps_ll_dlt_supported(157));
	assert_true(ps_ll_dlt_supported(192));
	assert_false(ps_ll_dlt_supported(201));
	assert_false(ps_ll_dlt_supported(147));
}

static void test_251_with_crc(void **state)
{
	(void)state;
	struct ps_frame f = { 0 };
	char err[160];
	assert_int_equal(ps_ll_phdr_parse(251, air, sizeof air, &f, err, sizeof err), 0);
	assert_int_equal(f.opcode, PS_MON_LL);
	assert_ptr_equal(f.data, air);
	assert_int_equal(f.len, sizeof air);
	assert_true(f.ll.flags & PS_LL_HAS_CRC);
	assert_int_equal(f.ll.dir, 0xff);
	/* the header's length runs past the record */
	assert_int_equal(ps_ll_phdr_parse(251, air, 10, &f, err, sizeof err), -PS_ETRUNC);
	assert_non_null(strstr(err, "payload"));
	assert_int_equal(ps_ll_phdr_parse(251, air, 3, &f, err, sizeof err), -PS_ETRUNC);
}

static void test_256_flags(void **state)
{
	(void)state;
	/* channel 12, signal -60 valid, noise, offenses, ref AA valid, CRC checked+valid, MIC checked+valid,
	 * decrypted, PHY 2M */
	uint16_t fl = 0x0001 | 0x0002 | 0x0008 | 0x0010 | 0x0400 | 0x0800 | 0x1000 | 0x2000 | (1u << 14);
	uint8_t hdr[10] = { 12, (uint8_t)-60, (uint8_t)-90, 0, 0x94, 0x93, 0x9a, 0xaf, (uint8_t)fl, (uint8_t)(fl >> 8) };
	uint8_t rec[64];
	size_t n = build(rec, hdr, sizeof hdr, data_air, sizeof data_air);
	struct ps_frame f = { 0 };
	char err[160];
	assert_int_equal(ps_ll_phdr_parse(256, rec, n, &f, err, sizeof err), 0);
	assert_int_equal(f.ll.channel, 12);
	assert_int_equal(f.ll.rssi, -60);
	assert_int_equal(f.ll.ref_aa, 0xaf9a9394);
	assert_int_equal(f.ll.phy, 1);
	assert_int_equal(f.ll.flags & (PS_LL_CRC_CHECKED | PS_LL_CRC_OK | PS_LL_MIC_CHECKED | PS_LL_MIC_OK | PS_LL_DECRYPTED),
			 PS_LL_CRC_CHECKED | PS_LL_CRC_OK | PS_LL_MIC_CHECKED | PS_LL_MIC_OK | PS_LL_DECRYPTED);
	assert_ptr_equal(f.data, rec + 10);
	assert_int_equal(f.len, sizeof data_air);
	/* CRC checked but not valid; no MIC bits */
	rec[8] = 0x01;
	rec[9] = 0x04;
	assert_int_equal(ps_ll_phdr_parse(256, rec, n, &f, err, sizeof err), 0);
	assert_true(f.ll.flags & PS_LL_CRC_CHECKED);
	assert_false(f.ll.flags & (PS_LL_CRC_OK | PS_LL_MIC_CHECKED | PS_LL_DECRYPTED));
	/* shorter than the pseudo-header; CRC missing */
	assert_int_equal(ps_ll_phdr_parse(256, rec, 9, &f, err, sizeof err), -PS_ETRUNC);
	assert_int_equal(ps_ll_phdr_parse(256, rec, n - 2, &f, err, sizeof err), -PS_ETRUNC);
}

/* nRF Sniffer v2/v3 record around an air packet. */
static size_t nordic(uint8_t *rec, uint8_t ver, uint8_t id, uint8_t flags, const uint8_t *a, size_t alen)
{
	size_t plen = 10 + alen;
	uint8_t h[17] = { 0x01, (uint8_t)plen, (uint8_t)(plen >> 8), ver, 0x34, 0x12, id, 10, flags, 37, 55, 0x02,
			  0x00, 0x10, 0x20, 0x30, 0x40 };
	return build(rec, h, sizeof h, a, alen);
}

static void test_272_v3_data_flags(void **state)
{
	(void)state;
	uint8_t rec[64];
	struct ps_frame f = { 0 };
	char err[160];
	/* CRC OK, central->peripheral, encrypted, MIC OK: the sniffer decrypted it */
	size_t n = nordic(rec, 3, 0x06, 0x01 | 0x02 | 0x04 | 0x08, data_air, sizeof data_air);
	assert_int_equal(ps_ll_phdr_parse(272, rec, n, &f, err, sizeof err), 0);
	assert_int_equal(f.ll.dir, 1);
	assert_true(f.ll.flags & PS_LL_DIR_VALID);
	assert_true(f.ll.flags & PS_LL_DECRYPTED);
	assert_true(f.ll.flags & PS_LL_MIC_OK);
	assert_true(f.ll.flags & PS_LL_CRC_OK);
	assert_true(f.ll.flags & PS_LL_HAS_CRC);
	assert_int_equal(f.ll.rssi, -55);
	assert_ptr_equal(f.data, rec + 17);
	/* peripheral->central, encrypted, MIC failed */
	n = nordic(rec, 3, 0x06, 0x01 | 0x04, data_air, sizeof data_air);
	assert_int_equal(ps_ll_phdr_parse(272, rec, n, &f, err, sizeof err), 0);
	assert_int_equal(f.ll.dir, 0);
	assert_true(f.ll.flags & PS_LL_MIC_CHECKED);
	assert_false(f.ll.flags & (PS_LL_MIC_OK | PS_LL_DECRYPTED));
	/* same layout in DLT 157 and protocol version 2 (packet id not checked) */
	n = nordic(rec, 2, 0x00, 0x01, air, sizeof air);
	assert_int_equal(ps_ll_phdr_parse(157, rec, n, &f, err, sizeof err), 0);
	assert_int_equal(f.ll.dir, 0xff); /* advertising: no direction */
	/* v3 event without an air packet */
	n = nordic(rec, 3, 0x0e, 0x01, air, sizeof air);
	assert_int_equal(ps_ll_phdr_parse(272, rec, n, &f, err, sizeof err), -PS_EUNSUP);
	/* unknown protocol version, payload length that lies, BLE header length < 10 */
	n = nordic(rec, 9, 0x06, 0x01, data_air, sizeof data_air);
	assert_int_equal(ps_ll_phdr_parse(272, rec, n, &f, err, sizeof err), -PS_EUNSUP);
	n = nordic(rec, 3, 0x06, 0x01, data_air, sizeof data_air);
	rec[1] += 5;
	assert_int_equal(ps_ll_phdr_parse(272, rec, n, &f, err, sizeof err), -PS_ETRUNC);
	assert_non_null(strstr(err, "payload"));
	rec[1] -= 5;
	rec[7] = 4;
	assert_int_equal(ps_ll_phdr_parse(272, rec, n, &f, err, sizeof err), -PS_EBADDATA);
	/* coded PHY has a CI octet we do not model */
	n = nordic(rec, 3, 0x06, 0x01 | 0x20, data_air, sizeof data_air);
	assert_int_equal(ps_ll_phdr_parse(272, rec, n, &f, err, sizeof err), -PS_EUNSUP);
}

static void test_272_v1_and_legacy(void **state)
{
	(void)state;
	uint8_t rec[64];
	struct ps_frame f = { 0 };
	char err[160];
	/* v1: board, header length 6, payload length, version 1, counter, id, then the BLE header */
	uint8_t h1[17] = { 0x00, 6, (uint8_t)(10 + sizeof data_air), 1, 0, 0, 0x06, 10, 0x03, 5, 40, 0, 0, 0, 0, 0, 0 };
	size_t n = build(rec, h1, sizeof h1, data_air, sizeof data_air);
	assert_int_equal(ps_ll_phdr_parse(272, rec, n, &f, err, sizeof err), 0);
	assert_int_equal(f.ll.dir, 1);
	assert_ptr_equal(f.data, rec + 17);
	/* legacy 0.9.7: 0xBEEF marker, id, counter, 2 unused, payload length, 9-octet BLE header */
	uint8_t h0[17] = { 0xbe, 0xef, 0x06, 0, 0, 0, 0, (uint8_t)(9 + sizeof data_air), 0x01, 5, 40, 0, 0, 0, 0, 0, 0 };
	n = build(rec, h0, sizeof h0, data_air, sizeof data_air);
	assert_int_equal(ps_ll_phdr_parse(272, rec, n, &f, err, sizeof err), 0);
	assert_ptr_equal(f.data, rec + 17);
	assert_int_equal(f.ll.dir, 0);
	assert_int_equal(ps_ll_phdr_parse(272, rec, 5, &f, err, sizeof err), -PS_ETRUNC);
}

/* The first record of crackle's file 01 (PPI, PPI-BTLE field, DLT 147). */
static size_t ppi(uint8_t *rec)
{
	static const uint8_t h[24] = { 0x00, 0x00, 0x18, 0x00, 0x93, 0x00, 0x00, 0x00, 0x36, 0x75, 0x0c, 0x00,
				       0x00, 0x62, 0x09, 0x00, 0x6b, 0x36, 0xe3, 0x00, 0xe8, 0xdc, 0xee, 0x3c };
	return build(rec, h, sizeof h, air, sizeof air);
}

static void test_ppi_btle(void **state)
{
	(void)state;
	uint8_t rec[64];
	struct ps_frame f = { 0 };
	char err[160];
	size_t n = ppi(rec);
	assert_int_equal(ps_ll_phdr_parse(192, rec, n, &f, err, sizeof err), 0);
	assert_int_equal(f.ll.channel, 0); /* 2402 MHz */
	assert_int_equal(f.ll.rssi, -18);
	assert_ptr_equal(f.data, rec + 24);
	assert_true(f.ll.flags & PS_LL_HAS_CRC);
}

static void test_ppi_that_lies(void **state)
{
	(void)state;
	uint8_t rec[64];
	struct ps_frame f = { 0 };
	char err[160];
	size_t n = ppi(rec);
	rec[2] = 200; /* header length beyond the record */
	assert_int_equal(ps_ll_phdr_parse(192, rec, n, &f, err, sizeof err), -PS_ETRUNC);
	assert_non_null(strstr(err, "PPI header length"));
	rec[2] = 4; /* shorter than the PPI header itself */
	assert_int_equal(ps_ll_phdr_parse(192, rec, n, &f, err, sizeof err), -PS_EBADDATA);
	n = ppi(rec);
	rec[10] = 0x40; /* field length overruns the header */
	assert_int_equal(ps_ll_phdr_parse(192, rec, n, &f, err, sizeof err), -PS_EBADDATA);
	n = ppi(rec);
	rec[10] = 8; /* PPI-BTLE of the wrong size: fits the header, but is not the 12-octet field */
	assert_int_equal(ps_ll_phdr_parse(192, rec, n, &f, err, sizeof err), -PS_EBADDATA);
	n = ppi(rec);
	rec[4] = 105; /* 802.11 inside PPI: not ours */
	assert_int_equal(ps_ll_phdr_parse(192, rec, n, &f, err, sizeof err), -PS_EUNSUP);
	n = ppi(rec);
	rec[0] = 1;
	assert_int_equal(ps_ll_phdr_parse(192, rec, n, &f, err, sizeof err), -PS_EUNSUP);
	n = ppi(rec);
	assert_int_equal(ps_ll_phdr_parse(192, rec, 24 + 7, &f, err, sizeof err), -PS_ETRUNC);
	assert_int_equal(ps_ll_phdr_parse(192, rec, 7, &f, err, sizeof err), -PS_ETRUNC);
}

/* Every prefix of every kind of record is refused or accepted without reading past its end (ASan). */
static void test_every_prefix(void **state)
{
	(void)state;
	uint8_t rec[64];
	struct ps_frame f;
	char err[160];
	size_t n = ppi(rec);
	for (size_t k = 0; k <= n; k++) {
		uint8_t *copy = test_malloc(k ? k : 1);
		memcpy(copy, rec, k);
		ps_ll_phdr_parse(192, copy, k, &f, err, sizeof err);
		ps_ll_phdr_parse(251, copy, k, &f, err, sizeof err);
		ps_ll_phdr_parse(256, copy, k, &f, err, sizeof err);
		ps_ll_phdr_parse(272, copy, k, &f, err, sizeof err);
		test_free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dlt_supported),
		cmocka_unit_test(test_251_with_crc),
		cmocka_unit_test(test_256_flags),
		cmocka_unit_test(test_272_v3_data_flags),
		cmocka_unit_test(test_272_v1_and_legacy),
		cmocka_unit_test(test_ppi_btle),
		cmocka_unit_test(test_ppi_that_lies),
		cmocka_unit_test(test_every_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
