/* Link-layer frames in the printers (src/print/ll*.c): one test per PDU kind. Frames are built with
 * the LL and SMP layouts' encoder (no hand-written octets where a layout exists), printed, and the
 * lines checked; SMP over LL must print exactly as the same L2CAP frame under HCI ACL data. */
#include "testutil.h"
#include "print/print.h"
#include "proto/ll.h"
#include "proto/smp.h"
#include <stdlib.h>
#include <string.h>

#define AA_CONN 0x50654a27u

struct run {
	struct ps_out out;
	struct ps_printer *p;
	uint64_t n;
	uint32_t crc_init;
	int damaged; /* ps_printer_frame's result for the last frame */
};

static void start(struct run *r, enum ps_print_mode mode)
{
	memset(r, 0, sizeof *r);
	struct ps_print_opts o = { .mode = mode, .time = PS_TIME_OFFSET, .width = 80, .vendor = 0xffff };
	assert_int_equal(ps_out_init(&r->out, -1, 1 << 16), 0);
	r->p = ps_printer_new(&o, &r->out);
	assert_non_null(r->p);
	r->crc_init = 0x2ed45d;
}

static void stop(struct run *r)
{
	ps_printer_free(r->p);
	ps_out_close(&r->out);
}

/* Print one PDU (AA, header octet, payload, CRC computed) and return its text (valid until the next). */
static const char *feed_crc(struct run *r, uint32_t aa, uint8_t hdr0, const uint8_t *pl, size_t len,
			    uint16_t flags, uint8_t dir, uint8_t rf_chan, bool good_crc)
{
	uint8_t b[300];
	b[0] = (uint8_t)aa;
	b[1] = (uint8_t)(aa >> 8);
	b[2] = (uint8_t)(aa >> 16);
	b[3] = (uint8_t)(aa >> 24);
	b[4] = hdr0;
	b[5] = (uint8_t)len;
	memcpy(b + 6, pl, len);
	uint32_t crc = ps_ll_crc24(aa == PS_LL_ADV_AA ? PS_LL_ADV_CRC_INIT : r->crc_init, b + 4, 2 + len);
	if (!good_crc)
		crc ^= 1;
	b[6 + len] = (uint8_t)crc;
	b[7 + len] = (uint8_t)(crc >> 8);
	b[8 + len] = (uint8_t)(crc >> 16);
	struct ps_frame f = { 0 };
	f.opcode = PS_MON_LL;
	f.index = 0;
	f.dlt = 256;
	f.data = b;
	f.len = f.orig_len = (uint32_t)(len + 9);
	f.number = ++r->n;
	f.ts_us = 1700000000000000ull + r->n * 1250;
	f.ll = (struct ps_ll_meta){ .channel = rf_chan, .rssi = -45, .dir = dir,
				    .flags = (uint16_t)(flags | PS_LL_HAS_CRC | (dir != 0xff ? PS_LL_DIR_VALID : 0)) };
	r->out.len = 0;
	r->damaged = ps_printer_frame(r->p, &f);
	ps_out_putc(&r->out, 0);
	return r->out.buf;
}

static const char *feed(struct run *r, uint32_t aa, uint8_t hdr0, const uint8_t *pl, size_t len, uint16_t flags,
			uint8_t dir)
{
	return feed_crc(r, aa, hdr0, pl, len, flags, dir, aa == PS_LL_ADV_AA ? 0 : 13, true);
}

static size_t enc(const struct ps_layout *l, const void *rec, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	assert_non_null(l);
	assert_int_equal(ps_layout_encode(l, rec, buf, cap, &n), 0);
	return n;
}

/* An LL Control PDU: opcode then the layout's octets. */
static size_t ctrl(uint8_t opcode, const void *rec, uint8_t *buf)
{
	buf[0] = opcode;
	const struct ps_layout *l = ps_llctrl_layout(opcode);
	return 1 + (rec ? enc(l, rec, buf + 1, 64) : 0);
}

/* An L2CAP basic frame on CID 6 carrying the SMP PDU code + rec. */
static size_t smp_frame(uint8_t code, const void *rec, uint8_t *buf)
{
	size_t n = enc(ps_smp_layout(code), rec, buf + 5, 200);
	buf[0] = (uint8_t)(n + 1);
	buf[1] = 0;
	buf[2] = 6;
	buf[3] = 0;
	buf[4] = code;
	return n + 5;
}

#define HAS(text, line) assert_non_null(strstr((text), (line)))
#define LACKS(text, line) assert_null(strstr((text), (line)))

static void test_adv_ind(void **state)
{
	(void)state;
	struct run r;
	start(&r, PS_PRINT_TEXT);
	static const uint8_t ad[] = { 0x02, 0x01, 0x06 };
	struct ps_lladv_adv_ind a = { .adv_addr = { 0x55, 0x44, 0x33, 0x22, 0x11, 0xc0 }, .data = { ad, 3 } };
	uint8_t pl[64];
	size_t n = enc(ps_lladv_layout(ps_lladv_adv_ind_code), &a, pl, sizeof pl);
	const char *t = feed(&r, PS_LL_ADV_AA, 0x40 /* ADV_IND, TxAdd 1 */, pl, n, 0, 0xff);
	HAS(t, "> LE LL: ADV_IND  ch 37 -45 dBm AA 8e89bed6");
	HAS(t, " #1 0.001250\n"); /* right block: frame number and time, as HCI headers */
	assert_int_equal(strchr(t, '\n') - t, 79);
	HAS(t, "\n        Header: type 0x0 TxAdd 1 RxAdd 0 ChSel 0 len 9\n");
	HAS(t, "\n        Advertiser address: C0:11:22:33:44:55 (Static)\n");
	HAS(t, "\n        Flags: 0x06\n");
	LACKS(t, "CRC");
	assert_int_equal(r.damaged, 0);
	stop(&r);
}

static void test_scan_req_and_unknown_type(void **state)
{
	(void)state;
	struct run r;
	start(&r, PS_PRINT_TEXT);
	struct ps_lladv_scan_req s = { .scan_addr = { 1, 2, 3, 4, 5, 0x46 }, .adv_addr = { 6, 5, 4, 3, 2, 0x01 } };
	uint8_t pl[64];
	size_t n = enc(ps_lladv_layout(ps_lladv_scan_req_code), &s, pl, sizeof pl);
	const char *t = feed(&r, PS_LL_ADV_AA, 0x43 /* SCAN_REQ, TxAdd 1 RxAdd 0 */, pl, n, 0, 0xff);
	HAS(t, "> LE LL: SCAN_REQ  ch 37");
	HAS(t, "\n        Scanner address: 46:05:04:03:02:01 (Resolvable)\n");
	HAS(t, "\n        Advertiser address: 01:02:03:04:05:06 (OUI 01-02-03)\n");
	t = feed(&r, PS_LL_ADV_AA, 0x07, pl, 3, 0, 0xff);
	HAS(t, "> LE LL: Unknown advertising PDU");
	HAS(t, "\n        01 02 03 ");
	stop(&r);
}

static size_t connect_ind(uint8_t *pl)
{
	struct ps_lladv_connect_ind ci = { .init_addr = { 0xf4, 0x3e, 0x73, 0x70, 0xf3, 0x5c },
					   .adv_addr = { 0x16, 0x23, 0x42, 0x82, 0x43, 0x7d },
					   .access_addr = AA_CONN, .crc_init = 0x2ed45d, .win_size = 3,
					   .win_offset = 9, .interval = 0x36, .latency = 0, .timeout = 42,
					   .chan_map = 0x1fffffffffull, .hop_sca = 0xa8 };
	return enc(ps_lladv_layout(ps_lladv_connect_ind_code), &ci, pl, 64);
}

static void test_connect_ind(void **state)
{
	(void)state;
	struct run r;
	start(&r, PS_PRINT_TEXT);
	uint8_t pl[64];
	size_t n = connect_ind(pl);
	const char *t = feed(&r, PS_LL_ADV_AA, 0x85 /* CONNECT_IND, RxAdd 1 */, pl, n, 0, 0xff);
	HAS(t, "> LE LL: CONNECT_IND  ch 37");
	HAS(t, "\n        Initiator address: 5C:F3:70:73:3E:F4 (OUI 5C-F3-70)\n");
	HAS(t, "\n        Advertiser address: 7D:43:82:42:23:16 (Resolvable)\n");
	HAS(t, "\n        Access address: 0x50654a27\n        CRC init: 0x2ed45d\n");
	HAS(t, "\n        Window size: 3.75 msec (0x0003)\n        Window offset: 11.25 msec (0x0009)\n");
	HAS(t, "\n        Interval: 67.50 msec (0x0036)\n");
	HAS(t, "\n        Supervision timeout: 420 msec (0x002a)\n");
	HAS(t, "\n        Channel map: 0x1fffffffff\n");
	HAS(t, "\n        Hop increment: 8\n        Sleep clock accuracy: 31 ppm to 50 ppm (5)\n");
	/* the connection's CRC init is known now: a data PDU with a bad CRC is caught */
	uint8_t ping = ps_llctrl_ping_req_code;
	t = feed_crc(&r, AA_CONN, 0x03, &ping, 1, 0, 1, 13, false);
	HAS(t, "> LE LL: Damaged PDU  C->P ch 11 -45 dBm AA 50654a27");
	HAS(t, "\n        CRC: 0x");
	HAS(t, "(invalid, expected 0x");
	t = feed(&r, AA_CONN, 0x03, &ping, 1, 0, 1);
	HAS(t, "> LE LL: LL_PING_REQ  C->P ch 11");
	LACKS(t, "CRC");
	stop(&r);
}

static void test_enc_req_rsp_start(void **state)
{
	(void)state;
	struct run r;
	start(&r, PS_PRINT_TEXT);
	uint8_t pl[64];
	struct ps_llctrl_enc_req q = { .rand = 0x1122334455667788ull, .ediv = 0xbeef,
				       .skd_c = { 0x87, 0x5f, 0xb2, 0x7e, 0x3d, 0x01, 0x6b, 0x9f }, .iv_c = 0xccc76eea };
	const char *t = feed(&r, AA_CONN, 0x03, pl, ctrl(ps_llctrl_enc_req_code, &q, pl), 0, 1);
	HAS(t, "> LE LL: LL_ENC_REQ  C->P ch 11 -45 dBm AA 50654a27");
	HAS(t, "\n        Header: LLID 3 NESN 0 SN 0 MD 0 len 23\n");
	HAS(t, "\n        Rand: 0x1122334455667788\n        EDIV: 0xbeef\n");
	HAS(t, "\n        SKDc: 0x9f6b013d7eb25f87\n        IVc: 0xccc76eea\n");
	struct ps_llctrl_enc_rsp s = { .skd_p = { 0x86, 0x51, 0x18, 0xca, 0xd3, 0xad, 0xf5, 0x68 }, .iv_p = 0x66de9961 };
	t = feed(&r, AA_CONN, 0x07, pl, ctrl(ps_llctrl_enc_rsp_code, &s, pl), 0, 0);
	HAS(t, "> LE LL: LL_ENC_RSP  P->C ch 11");
	HAS(t, "\n        Header: LLID 3 NESN 1 SN 0 MD 0 len 13\n");
	HAS(t, "\n        SKDp: 0x68f5add3ca185186\n        IVp: 0x66de9961\n");
	t = feed(&r, AA_CONN, 0x0f, pl, ctrl(ps_llctrl_start_enc_req_code, NULL, pl), 0, 0);
	HAS(t, "> LE LL: LL_START_ENC_REQ  P->C");
	/* from here on every non-empty PDU is encrypted: ciphertext and MIC */
	static const uint8_t ct[] = { 0x71, 0xd8, 0xd1, 0xac, 0xb5 };
	t = feed(&r, AA_CONN, 0x03, ct, sizeof ct, 0, 1);
	HAS(t, "> LE LL: Encrypted LL Control  C->P");
	HAS(t, "\n        Encrypted: 1 octets\n        71  ");
	HAS(t, "\n        MIC: d8d1acb5\n");
	t = feed(&r, AA_CONN, 0x01, ct, 0, 0, 0);
	HAS(t, "> LE LL: Empty PDU  P->C");
	/* a sniffer that decrypted it says so; its MIC checked OK */
	uint8_t sm[64];
	struct ps_smp_encrypt_info ei = { .ltk = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 } };
	size_t n = smp_frame(ps_smp_encrypt_info_code, &ei, sm);
	memcpy(sm + n, "\x01\x02\x03\x04", 4);
	t = feed(&r, AA_CONN, 0x0a, sm, n + 4, PS_LL_DECRYPTED | PS_LL_MIC_CHECKED | PS_LL_MIC_OK, 0);
	HAS(t, "> LE LL: L2CAP start  P->C");
	HAS(t, "\n        Decrypted by the sniffer\n      SMP: Encryption Information (0x06) len 16\n");
	HAS(t, "\n        Long term key: 0102030405060708090a0b0c0d0e0f10\n");
	HAS(t, "\n        MIC: 01020304 (valid)\n");
	assert_int_equal(r.damaged, 0);
	stop(&r);
}

/* The same L2CAP frame under HCI ACL data, body lines only (after the header line). */
static char *acl_body(const uint8_t *l2, size_t n)
{
	struct run r;
	start(&r, PS_PRINT_TEXT);
	uint8_t b[300] = { 0x40, 0x20, (uint8_t)n, 0 };
	memcpy(b + 4, l2, n);
	struct ps_frame f = { .opcode = PS_MON_ACL_RX, .index = 0, .data = b, .len = (uint32_t)n + 4, .number = 1 };
	f.orig_len = f.len;
	ps_printer_frame(r.p, &f);
	ps_out_putc(&r.out, 0);
	char *s = strdup(strchr(r.out.buf, '\n') + 1);
	stop(&r);
	return s;
}

static void test_smp_like_hci(void **state)
{
	(void)state;
	struct run r;
	start(&r, PS_PRINT_TEXT);
	uint8_t l2[64];
	struct ps_smp_pairing_req q = { .io_cap = 3, .oob = 0, .auth_req = 0x05, .max_key_size = 16,
					.init_key_dist = 0, .resp_key_dist = 1 };
	size_t n = smp_frame(ps_smp_pairing_req_code, &q, l2);
	const char *t = feed(&r, AA_CONN, 0x0e, l2, n, 0, 1);
	HAS(t, "> LE LL: L2CAP start  C->P ch 11 -45 dBm AA 50654a27");
	HAS(t, "\n        Header: LLID 2 NESN 1 SN 1 MD 0 len 11\n");
	char *hci = acl_body(l2, n);
	HAS(hci, "      SMP: Pairing Request (0x01) len 6\n        IO capability: NoInputNoOutput (0x03)\n");
	const char *body = strstr(t, "      SMP:");
	assert_non_null(body);
	assert_string_equal(body, hci);
	free(hci);
	struct ps_smp_pairing_confirm c = { .value = { 0xfe, 0xbb, 0x98, 0x3e } };
	n = smp_frame(ps_smp_pairing_confirm_code, &c, l2);
	t = feed(&r, AA_CONN, 0x02, l2, n, 0, 0);
	HAS(t, "\n      SMP: Pairing Confirm (0x03) len 16\n        Confim value: febb983e000000000000000000000000\n");
	stop(&r);
}

static void test_fragments_and_retransmission(void **state)
{
	(void)state;
	struct run r;
	start(&r, PS_PRINT_TEXT);
	uint8_t l2[128];
	struct ps_smp_public_key pk;
	for (int i = 0; i < 32; i++) {
		pk.x[i] = (uint8_t)i;
		pk.y[i] = (uint8_t)(0x80 + i);
	}
	size_t n = smp_frame(ps_smp_public_key_code, &pk, l2);
	assert_int_equal(n, 69);
	const char *t = feed(&r, AA_CONN, 0x02, l2, 27, 0, 1);
	HAS(t, "> LE LL: L2CAP start  C->P");
	LACKS(t, "SMP");
	/* the same PDU again (same SN, same octets): a retransmission, not a new start */
	t = feed(&r, AA_CONN, 0x06, l2, 27, 0, 1);
	HAS(t, "\n        Retransmission (same SN and octets as the previous PDU this way)\n");
	LACKS(t, "unexpected");
	/* the peripheral's traffic does not disturb the central's reassembly */
	t = feed(&r, AA_CONN, 0x01, l2, 0, 0, 0);
	HAS(t, "Empty PDU");
	t = feed(&r, AA_CONN, 0x09, l2 + 27, 27, 0, 1);
	HAS(t, "> LE LL: L2CAP continuation  C->P");
	LACKS(t, "SMP");
	t = feed(&r, AA_CONN, 0x01, l2 + 54, 15, 0, 1);
	HAS(t, "\n      SMP: Pairing Public Key (0x0c) len 64\n        X: 000102030405060708090a0b0c0d0e0f");
	/* a continuation with nothing to continue is a missed packet, not damage */
	t = feed(&r, AA_CONN, 0x09, l2 + 54, 15, 0, 1);
	HAS(t, "\n        L2CAP: unexpected continuation\n");
	assert_int_equal(r.damaged, 0);
	/* a start while a frame is partial: the new start is kept */
	feed(&r, AA_CONN, 0x02, l2, 27, 0, 1);
	struct ps_smp_pairing_random rnd = { .value = { 0xab } };
	n = smp_frame(ps_smp_pairing_random_code, &rnd, l2);
	t = feed(&r, AA_CONN, 0x0a, l2, n, 0, 1);
	HAS(t, "\n        L2CAP: previous frame incomplete (fragments missed)\n      SMP: Pairing Random (0x04)");
	stop(&r);
}

static void test_guessed_direction(void **state)
{
	(void)state;
	struct run r;
	start(&r, PS_PRINT_TEXT);
	uint8_t e = 0;
	/* no direction from the sniffer: a new channel opens an event (central), the same one answers */
	const char *t = feed_crc(&r, AA_CONN, 0x01, &e, 0, 0, 0xff, 20, true);
	HAS(t, "Empty PDU  C->P? ch 18");
	t = feed_crc(&r, AA_CONN, 0x05, &e, 0, 0, 0xff, 20, true);
	HAS(t, "Empty PDU  P->C? ch 18");
	t = feed_crc(&r, AA_CONN, 0x01, &e, 0, 0, 0xff, 25, true);
	HAS(t, "Empty PDU  C->P? ch 23");
	stop(&r);
}

static void test_malformed(void **state)
{
	(void)state;
	struct run r;
	start(&r, PS_PRINT_TEXT);
	uint8_t b[] = { 0x27, 0x4a, 0x65, 0x50, 0x02, 0x20, 0x01 };
	struct ps_frame f = { .opcode = PS_MON_LL, .data = b, .len = sizeof b, .number = 1, .dlt = 251 };
	f.ll.dir = 0xff;
	assert_int_equal(ps_printer_frame(r.p, &f), 1);
	ps_out_putc(&r.out, 0);
	HAS(r.out.buf, "> LE LL: Malformed packet  AA 50654a27");
	HAS(r.out.buf, "\n        invalid packet size (header length past the captured octets)\n");
	stop(&r);
}

static void test_summary_and_json(void **state)
{
	(void)state;
	struct run r;
	start(&r, PS_PRINT_SUMMARY);
	uint8_t pl[64];
	struct ps_llctrl_enc_req q = { .rand = 0x1122334455667788ull, .ediv = 0xbeef,
				       .skd_c = { 0x87, 0x5f, 0xb2, 0x7e, 0x3d, 0x01, 0x6b, 0x9f }, .iv_c = 0xccc76eea };
	const char *t = feed(&r, AA_CONN, 0x03, pl, ctrl(ps_llctrl_enc_req_code, &q, pl), 0, 1);
	assert_string_equal(t, "1 0.001250 > LL ch 11 AA 50654a27 C->P LL_ENC_REQ rand=0x1122334455667788 "
			       "ediv=0xbeef skd_c=0x9f6b013d7eb25f87 iv_c=0xccc76eea\n");
	uint8_t l2[64];
	struct ps_smp_pairing_random rnd = { .value = { 0xab, 0xb6 } };
	size_t n = smp_frame(ps_smp_pairing_random_code, &rnd, l2);
	t = feed(&r, AA_CONN, 0x06, l2, n, 0, 1);
	assert_string_equal(t, "2 0.002500 > LL ch 11 AA 50654a27 C->P SMP Pairing Random "
			       "value=abb60000000000000000000000000000\n");
	stop(&r);

	start(&r, PS_PRINT_JSON);
	t = feed(&r, AA_CONN, 0x03, pl, ctrl(ps_llctrl_enc_req_code, &q, pl), 0, 1);
	HAS(t, "\"ll\":{\"aa\":\"50654a27\",\"channel\":11,\"phy\":0,\"rssi\":-45,\"direction\":\"C->P\","
	       "\"direction_guessed\":false,\"header\":{\"llid\":3,\"nesn\":0,\"sn\":0,\"md\":0,\"cp\":0,\"len\":23}");
	HAS(t, "\"packet\":{\"proto\":\"LL\",\"name\":\"LL_ENC_REQ\",\"id\":\"enc_req\",\"code\":3,\"fields\":"
	       "{\"rand\":1234605616436508552,\"ediv\":48879,\"skd_c\":\"9f6b013d7eb25f87\",\"iv_c\":3435622122}}");
	t = feed(&r, AA_CONN, 0x06, l2, n, 0, 1);
	HAS(t, "\"cid\":6,\"l2cap\":{\"proto\":\"SMP\",\"name\":\"Pairing Random\",\"id\":\"pairing_random\"");
	stop(&r);
}

static void test_only_ll(void **state)
{
	(void)state;
	struct run r;
	memset(&r, 0, sizeof r);
	struct ps_print_opts o = { .mode = PS_PRINT_TEXT, .width = 80, .vendor = 0xffff, .only = PS_ONLY_SMP };
	assert_int_equal(ps_out_init(&r.out, -1, 1 << 16), 0);
	r.p = ps_printer_new(&o, &r.out);
	r.crc_init = 0x2ed45d;
	uint8_t e = 0, l2[64];
	const char *t = feed(&r, AA_CONN, 0x01, &e, 0, 0, 1);
	assert_string_equal(t, "");
	struct ps_smp_pairing_random rnd = { .value = { 0xab } };
	t = feed(&r, AA_CONN, 0x06, l2, smp_frame(ps_smp_pairing_random_code, &rnd, l2), 0, 0);
	HAS(t, "SMP: Pairing Random");
	stop(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adv_ind),
		cmocka_unit_test(test_scan_req_and_unknown_type),
		cmocka_unit_test(test_connect_ind),
		cmocka_unit_test(test_enc_req_rsp_start),
		cmocka_unit_test(test_smp_like_hci),
		cmocka_unit_test(test_fragments_and_retransmission),
		cmocka_unit_test(test_guessed_direction),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_summary_and_json),
		cmocka_unit_test(test_only_ll),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
