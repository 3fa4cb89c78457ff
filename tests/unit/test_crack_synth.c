/* pairscope crack on synthetic sniffer captures built here with the crypto toolbox: a legacy Passkey
 * Entry pairing (Core Vol 3 Part H §2.3.5), its encryption start (Vol 6 Part B §5.1.3) and encrypted
 * key distribution (§3.6), written as DLT 272 (nRF Sniffer, some PDUs already decrypted by it), 256 and
 * 251 through libpcap and read back through ps_trace. Also: CONNECT_IND with absurd parameters, a
 * flood of advertising packets, and `-o` output read back with valid CRCs and MIC flags. */
#include "crack_fixture.h"
#include "crack/crack_int.h"
#include "base/bytes.h"
#include "proto/ll.h"
#include <pairscope/trace.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AA 0x50655491u
#define CRCINIT 0x123456u
#define PASSKEY 987654u

static struct ps_crypto cr;

struct air {
	uint8_t b[64];
	size_t n;
	int dir;        /* 1 central, 0 peripheral, -1 advertising */
	bool sniffer;   /* nRF Sniffer decrypted it (plaintext + MIC in place) */
	bool encrypted;
};
struct cap {
	struct air p[64];
	size_t n;
	uint8_t sk[16], iv[8];
	uint64_t ctr[2];
	uint8_t sn[2];
};

static void put(struct cap *c, uint32_t aa, uint8_t hdr0, const uint8_t *pl, size_t len, int dir, uint32_t crcinit)
{
	struct air *a = &c->p[c->n++];
	ps_put_le(a->b, aa, 4);
	a->b[4] = hdr0;
	a->b[5] = (uint8_t)len;
	if (len)
		memcpy(a->b + 6, pl, len);
	ps_put_le(a->b + 6 + len, ps_ll_crc24(crcinit, a->b + 4, 2 + len), 3);
	a->n = 9 + len;
	a->dir = dir;
}

/* A data PDU: LLID, SN toggling per side; encrypted when the link is. */
static void data(struct cap *c, bool enc, int dir, uint8_t llid, const uint8_t *pl, size_t len, bool sniffer)
{
	uint8_t hdr0 = (uint8_t)(llid | (c->sn[dir] << 3));
	c->sn[dir] ^= 1;
	uint8_t out[64];
	if (!enc) {
		put(c, AA, hdr0, pl, len, dir, CRCINIT);
		return;
	}
	assert_int_equal(ps_crypto_ll_encrypt(&cr, c->sk, c->iv, c->ctr[dir]++, dir, hdr0, pl, len, out, out + len), 0);
	if (sniffer)
		memcpy(out, pl, len); /* the nRF Sniffer leaves the plaintext and the MIC */
	put(c, AA, hdr0, out, len + 4, dir, CRCINIT);
	c->p[c->n - 1].encrypted = true;
	c->p[c->n - 1].sniffer = sniffer;
}

static void smp(struct cap *c, bool enc, int dir, const uint8_t *pdu, size_t len, bool sniffer)
{
	uint8_t l2[40] = { (uint8_t)len, 0, 6, 0 };
	memcpy(l2 + 4, pdu, len);
	data(c, enc, dir, 2, l2, len + 4, sniffer);
}

static const uint8_t ia[6] = { 0xf4, 0x3e, 0x73, 0x70, 0xf3, 0x5c }, ra[6] = { 0xa7, 0x3f, 0x2c, 0xfb, 0x5b, 0x69 };
static const uint8_t dist_ltk[16] = { 0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe, 1, 2, 3, 4, 5, 6, 7, 8 };

static void build(struct cap *c, uint16_t interval, unsigned nadv, bool nordic)
{
	memset(c, 0, sizeof *c);
	uint8_t adv[37] = { 0 };
	for (unsigned i = 0; i < nadv; i++) {
		memcpy(adv, ra, 6);
		if (c->n < 20)
			put(c, PS_LL_ADV_AA, 0x40, adv, 9, -1, PS_LL_ADV_CRC_INIT);
	}
	/* CONNECT_IND: InitA (public), AdvA (random: RxAdd), AA, CRCInit, ... */
	uint8_t ci[34] = { 0 };
	memcpy(ci, ia, 6);
	memcpy(ci + 6, ra, 6);
	ps_put_le(ci + 12, AA, 4);
	ps_put_le(ci + 16, CRCINIT, 3);
	ci[19] = 2;
	ps_put_le(ci + 22, interval, 2);
	ps_put_le(ci + 26, 400, 2);
	memset(ci + 28, 0xff, 5);
	ci[33] = 0x27;
	put(c, PS_LL_ADV_AA, 0x85, ci, 34, -1, PS_LL_ADV_CRC_INIT);

	uint8_t preq[7] = { 0x01, 0x04, 0x00, 0x05, 0x10, 0x07, 0x07 }, pres[7] = { 0x02, 0x02, 0x00, 0x05, 0x10, 0x07, 0x07 };
	uint8_t mr[16], sr[16], mc[17] = { 0x03 }, sc[17] = { 0x03 }, tk[16], stk[16];
	for (int i = 0; i < 16; i++)
		mr[i] = (uint8_t)(i * 7 + 1), sr[i] = (uint8_t)(i * 13 + 5);
	ps_crack_tk_bytes(PASSKEY, tk);
	assert_int_equal(ps_crypto_c1(&cr, tk, mr, preq, pres, 0, ia, 1, ra, mc + 1), 0);
	assert_int_equal(ps_crypto_c1(&cr, tk, sr, preq, pres, 0, ia, 1, ra, sc + 1), 0);
	assert_int_equal(ps_crypto_s1(&cr, tk, sr, mr, stk), 0);
	smp(c, false, 1, preq, 7, false);
	data(c, false, 0, 1, NULL, 0, false); /* empty PDU */
	smp(c, false, 0, pres, 7, false);
	smp(c, false, 1, mc, 17, false);
	smp(c, false, 0, sc, 17, false);
	uint8_t mrp[17] = { 0x04 }, srp[17] = { 0x04 };
	memcpy(mrp + 1, mr, 16);
	memcpy(srp + 1, sr, 16);
	smp(c, false, 1, mrp, 17, false);
	smp(c, false, 0, srp, 17, false);
	/* LL_ENC_REQ / LL_ENC_RSP / LL_START_ENC_REQ */
	uint8_t req[23] = { 0x03 }, rsp[13] = { 0x04 }, start = 0x05, srsp = 0x06;
	for (int i = 1; i < 23; i++)
		req[i] = (uint8_t)(0x30 + i);
	for (int i = 1; i < 13; i++)
		rsp[i] = (uint8_t)(0x90 + i);
	data(c, false, 1, 3, req, 23, false);
	data(c, false, 0, 3, rsp, 13, false);
	data(c, false, 0, 3, &start, 1, false);
	memcpy(c->iv, req + 19, 4);
	memcpy(c->iv + 4, rsp + 9, 4);
	assert_int_equal(ps_crypto_session_key(&cr, stk, req + 11, rsp + 1, c->sk), 0);
	data(c, true, 1, 3, &srsp, 1, false);
	data(c, true, 0, 3, &srsp, 1, false);
	/* a retransmission of the peripheral's LL_START_ENC_RSP: same bytes, same SN */
	c->p[c->n] = c->p[c->n - 1];
	c->n++;
	data(c, false, 1, 1, NULL, 0, false);
	/* the peripheral distributes its LTK and EDIV/Rand (the first already decrypted by the sniffer) */
	uint8_t ei[17] = { 0x06 }, cid[11] = { 0x07, 0x34, 0x12, 1, 2, 3, 4, 5, 6, 7, 8 };
	memcpy(ei + 1, dist_ltk, 16);
	smp(c, true, 0, ei, 17, nordic);
	smp(c, true, 0, cid, 11, false);
	uint8_t ping = 0x12;
	data(c, true, 1, 3, &ping, 1, false);
}

/* Write the capture as DLT 272 (v3), 256 or 251 into a temp file. */
static void write_pcap(const struct cap *c, int dlt, char *path)
{
	strcpy(path, "/tmp/ps_crack_synthXXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	pcap_t *dead = pcap_open_dead(dlt, 65535);
	pcap_dumper_t *d = pcap_dump_open(dead, path);
	assert_non_null(d);
	for (size_t i = 0; i < c->n; i++) {
		const struct air *a = &c->p[i];
		uint8_t rec[128];
		size_t n = 0;
		if (dlt == 272) {
			size_t plen = 10 + a->n;
			uint8_t fl = 0x01;
			if (a->dir == 1)
				fl |= 0x02;
			if (a->encrypted)
				fl |= 0x04 | (a->sniffer ? 0x08 : 0);
			uint8_t h[17] = { 0, (uint8_t)plen, 0, 3, (uint8_t)i, 0, (uint8_t)(a->dir < 0 ? 0x02 : 0x06), 10, fl, 5, 50 };
			memcpy(rec, h, 17);
			n = 17;
		} else if (dlt == 256) {
			uint16_t fl = 0x0001 | 0x0400 | 0x0800;
			uint8_t h[10] = { 5, 0, 0, 0, 0, 0, 0, 0, (uint8_t)fl, (uint8_t)(fl >> 8) };
			memcpy(rec, h, 10);
			n = 10;
		}
		memcpy(rec + n, a->b, a->n);
		n += a->n;
		struct pcap_pkthdr h = { .ts = { .tv_sec = 1700000000, .tv_usec = (suseconds_t)(i * 1250) },
					 .caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n };
		pcap_dump((u_char *)d, &h, rec);
	}
	pcap_dump_close(d);
	pcap_close(dead);
}

static struct ps_crack *run(const char *path, unsigned *notes)
{
	struct ps_crack_opts o = { .crypto = &cr, .threads = 2 };
	(void)notes;
	return crack_file(path, &o);
}

static void check_cracked(const struct ps_crack *c, unsigned sniffer)
{
	assert_int_equal(ps_crack_count(c), 1);
	const struct ps_crack_conn *k = ps_crack_get(c, 0);
	assert_int_equal(k->access_address, AA);
	assert_int_equal(k->verdict, PS_CRACK_CRACKED);
	assert_int_equal(k->method, PS_CRACK_METHOD_PASSKEY);
	assert_true(k->have & PS_CRACK_HAVE_TK);
	assert_int_equal(k->tk, PASSKEY);
	assert_true(k->have & PS_CRACK_HAVE_LTK);
	assert_memory_equal(k->ltk, dist_ltk, 16);
	assert_int_equal(k->ediv, 0x1234);
	assert_true(k->rand == 0x0807060504030201ull);
	assert_int_equal(k->encrypted, 5);
	assert_int_equal(k->decrypted, 5);
	assert_int_equal(k->mic_ok, 5);
	assert_int_equal(k->sniffer_plain, sniffer);
	assert_int_equal(k->retransmissions, 1);
	assert_memory_equal(k->central.a, ia, 6);
	assert_int_equal(k->peripheral.type, 1);
}

static void test_nordic_272_with_sniffer_plaintext(void **state)
{
	(void)state;
	struct cap c;
	char path[64];
	build(&c, 24, 3, true);
	write_pcap(&c, 272, path);
	struct ps_crack *k = run(path, NULL);
	check_cracked(k, 1);
	ps_crack_free(k);
	unlink(path);
}

/* -o on DLT 256: decrypted PDUs come back with the MIC removed, a valid CRC and MIC flags. */
static void test_256_and_output(void **state)
{
	(void)state;
	struct cap c;
	char path[64], out[80];
	build(&c, 24, 3, false);
	write_pcap(&c, 256, path);
	struct ps_crack *k = run(path, NULL);
	check_cracked(k, 0);
	snprintf(out, sizeof out, "%s.out", path);
	char err[200];
	assert_int_equal(ps_crack_write_pcap(k, path, out, err, sizeof err), 5);
	ps_crack_free(k);
	struct ps_trace *t;
	struct ps_trace_opts to = { 0 };
	assert_int_equal(ps_trace_open(&t, out, &to, err, sizeof err), 0);
	struct ps_frame f;
	unsigned plain = 0;
	while (ps_trace_next(t, &f) == 0) {
		struct ps_ll_pdu p;
		assert_int_equal(ps_ll_pdu_split(f.data, f.len, true, &p), 0);
		if (!p.adv)
			assert_int_equal(p.crc, ps_ll_crc24(CRCINIT, f.data + 4, 2u + p.len));
		if (f.ll.flags & PS_LL_DECRYPTED) {
			assert_true(f.ll.flags & PS_LL_MIC_OK);
			if (p.payload[0] == 0x07 && p.len == 15)
				assert_int_equal(p.payload[4], 0x06); /* L2CAP SMP Encryption Information */
			plain++;
		}
	}
	assert_int_equal(plain, 5);
	ps_trace_free(t);
	unlink(out);
	unlink(path);
}

static void test_251(void **state)
{
	(void)state;
	struct cap c;
	char path[64];
	build(&c, 24, 0, false);
	write_pcap(&c, 251, path);
	struct ps_crack *k = run(path, NULL);
	check_cracked(k, 0);
	ps_crack_free(k);
	unlink(path);
}

/* LL_START_ENC_REQ missed: the first encrypted PDU is found by its MIC at counter 0. */
static void test_missing_start_enc_req(void **state)
{
	(void)state;
	struct cap c;
	char path[64];
	build(&c, 24, 0, false);
	size_t w = 0;
	for (size_t i = 0; i < c.n; i++)
		if (!(c.p[i].b[5] == 1 && (c.p[i].b[4] & 3) == 3 && c.p[i].b[6] == 0x05))
			c.p[w++] = c.p[i];
	assert_int_equal(w, c.n - 1);
	c.n = w;
	write_pcap(&c, 251, path);
	struct ps_crack *k = run(path, NULL);
	check_cracked(k, 0);
	assert_true(ps_crack_get(k, 0)->have & PS_CRACK_START_GUESSED);
	ps_crack_free(k);
	unlink(path);
}

/* Confirms missed too: the TK comes from the decryption search (two MICs). */
static void test_missing_confirms(void **state)
{
	(void)state;
	struct cap c;
	char path[64];
	build(&c, 24, 0, false);
	size_t w = 0;
	for (size_t i = 0; i < c.n; i++)
		if (!(c.p[i].b[5] == 21 && c.p[i].b[8] == 6 && c.p[i].b[10] == 0x03))
			c.p[w++] = c.p[i];
	assert_int_equal(w, c.n - 2);
	c.n = w;
	write_pcap(&c, 272, path);
	struct ps_crack *k = run(path, NULL);
	check_cracked(k, 0);
	assert_true(ps_crack_get(k, 0)->have & PS_CRACK_TK_BY_DECRYPTION);
	ps_crack_free(k);
	unlink(path);
}

/* A CONNECT_IND whose interval is 0 is reported, and the connection is still followed by its AA. */
static void test_absurd_interval(void **state)
{
	(void)state;
	struct cap c;
	char path[64];
	build(&c, 0, 0, false);
	write_pcap(&c, 251, path);
	struct ps_crack *k = run(path, NULL);
	check_cracked(k, 0);
	ps_crack_free(k);
	unlink(path);
}

/* LE Secure Connections with the debug key pair on the central's side (Vol 3 Part H §2.3.5.6.1): the
 * cracker derives DHKey with the debug private key, the LTK with f5, and decrypts. Without the debug
 * key the same pairing is reported as not crackable. */
static void build_sc(struct cap *c, bool debug, uint8_t ltk_out[16])
{
	memset(c, 0, sizeof *c);
	uint8_t ci[34] = { 0 };
	memcpy(ci, ia, 6);
	memcpy(ci + 6, ra, 6);
	ps_put_le(ci + 12, AA, 4);
	ps_put_le(ci + 16, CRCINIT, 3);
	ps_put_le(ci + 22, 24, 2);
	ps_put_le(ci + 26, 400, 2);
	memset(ci + 28, 0xff, 5);
	ci[33] = 0x27;
	put(c, PS_LL_ADV_AA, 0x85, ci, 34, -1, PS_LL_ADV_CRC_INIT);
	uint8_t preq[7] = { 0x01, 0x03, 0x00, 0x09, 0x10, 0x07, 0x07 }, pres[7] = { 0x02, 0x03, 0x00, 0x09, 0x10, 0x07, 0x07 };
	uint8_t cpriv[32], cpub[64], ppriv[32], ppub[64], dh[32], mackey[16];
	if (debug) {
		memcpy(cpriv, ps_crypto_debug_private, 32);
		memcpy(cpub, ps_crypto_debug_public, 64);
	} else {
		assert_int_equal(cr.p256_keygen(cr.ctx, cpriv, cpub), 0);
	}
	assert_int_equal(cr.p256_keygen(cr.ctx, ppriv, ppub), 0);
	assert_int_equal(cr.p256_ecdh(cr.ctx, ppriv, cpub, dh), 0);
	uint8_t na[17] = { 0x04 }, nb[17] = { 0x04 }, a1[7] = { 0 }, a2[7] = { 1 };
	for (int i = 1; i < 17; i++)
		na[i] = (uint8_t)(i * 3), nb[i] = (uint8_t)(i * 5 + 1);
	memcpy(a1 + 1, ia, 6);
	memcpy(a2 + 1, ra, 6);
	assert_int_equal(ps_crypto_f5(&cr, dh, na + 1, nb + 1, a1, a2, mackey, ltk_out), 0);
	uint8_t pk[65] = { 0x0c };
	smp(c, false, 1, preq, 7, false);
	smp(c, false, 0, pres, 7, false);
	/* public keys: 65 octets, over two LL PDUs (L2CAP start + continuation) */
	for (int side = 1; side >= 0; side--) {
		memcpy(pk + 1, side ? cpub : ppub, 64);
		uint8_t l2[69] = { 65, 0, 6, 0 };
		memcpy(l2 + 4, pk, 65);
		data(c, false, side, 2, l2, 27, false);
		data(c, false, side, 1, l2 + 27, 69 - 27, false);
	}
	uint8_t cf[17] = { 0x03 };
	smp(c, false, 0, cf, 17, false);
	smp(c, false, 1, na, 17, false);
	smp(c, false, 0, nb, 17, false);
	uint8_t req[23] = { 0x03 }, rsp[13] = { 0x04 }, start = 0x05, srsp = 0x06;
	for (int i = 11; i < 23; i++)
		req[i] = (uint8_t)(0x40 + i);
	for (int i = 1; i < 13; i++)
		rsp[i] = (uint8_t)(0x70 + i);
	data(c, false, 1, 3, req, 23, false);
	data(c, false, 0, 3, rsp, 13, false);
	data(c, false, 0, 3, &start, 1, false);
	memcpy(c->iv, req + 19, 4);
	memcpy(c->iv + 4, rsp + 9, 4);
	assert_int_equal(ps_crypto_session_key(&cr, ltk_out, req + 11, rsp + 1, c->sk), 0);
	data(c, true, 1, 3, &srsp, 1, false);
	data(c, true, 0, 3, &srsp, 1, false);
}

static void test_sc_debug_key(void **state)
{
	(void)state;
	struct cap c;
	char path[64];
	uint8_t ltk[16];
	build_sc(&c, true, ltk);
	write_pcap(&c, 272, path);
	struct ps_crack *k = run(path, NULL);
	assert_int_equal(ps_crack_count(k), 1);
	const struct ps_crack_conn *r = ps_crack_get(k, 0);
	assert_true(r->secure_connections);
	assert_int_equal(r->verdict, PS_CRACK_SC_DEBUG_KEY);
	assert_memory_equal(r->ltk, ltk, 16);
	assert_int_equal(r->decrypted, 2);
	ps_crack_free(k);
	unlink(path);
	build_sc(&c, false, ltk);
	write_pcap(&c, 272, path);
	k = run(path, NULL);
	assert_int_equal(ps_crack_get(k, 0)->verdict, PS_CRACK_SC_NOT_CRACKABLE);
	assert_int_equal(ps_crack_get(k, 0)->decrypted, 0);
	ps_crack_free(k);
	unlink(path);
}

/* A million advertising packets: constant memory (no connection is made for them), and quick. */
static void test_advertising_flood(void **state)
{
	(void)state;
	struct ps_crack *c;
	struct ps_crack_opts o = { .crypto = &cr };
	assert_int_equal(ps_crack_new(&c, &o), 0);
	uint8_t d[4 + 2 + 37 + 3];
	ps_put_le(d, PS_LL_ADV_AA, 4);
	d[4] = 0x40;
	d[5] = 37;
	memset(d + 6, 0x5a, 37);
	struct ps_frame f = { .opcode = PS_MON_LL, .len = sizeof d, .data = d };
	f.ll.flags = PS_LL_HAS_CRC;
	for (uint32_t i = 0; i < 1000000; i++) {
		f.number = i + 1;
		d[6] = (uint8_t)i;
		d[5] = (uint8_t)(i % 38); /* also lengths that do not fit the record */
		assert_int_equal(ps_crack_feed(c, &f), 0);
	}
	assert_int_equal(ps_crack_run(c), 0);
	assert_int_equal(ps_crack_count(c), 0);
	ps_crack_free(c);
}

int main(void)
{
	if (ps_crypto_openssl_new(&cr) < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nordic_272_with_sniffer_plaintext),
		cmocka_unit_test(test_256_and_output),
		cmocka_unit_test(test_251),
		cmocka_unit_test(test_missing_start_enc_req),
		cmocka_unit_test(test_missing_confirms),
		cmocka_unit_test(test_absurd_interval),
		cmocka_unit_test(test_sc_debug_key),
		cmocka_unit_test(test_advertising_flood),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	ps_crypto_free(&cr);
	return rc;
}
