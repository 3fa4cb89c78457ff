/* Every vector in tests/vectors/smp-crypto-vectors.json (Core Vol 3 Part H Appendix D, RFC 4493,
 * Vol 2 Part G P-256 data sets, implementation traces) and tests/vectors/ll-encryption-vectors.json
 * (Vol 6 Part C §1 LE encryption sample data) through the toolbox. The JSON holds values MSO first;
 * the toolbox takes wire order: the tests reverse at this edge, as the CLI does. A vector whose
 * function this file does not know fails the test, so a new vector is never skipped silently. */
#include "crypto_fixture.h"
#include <pairscope/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a tiny JSON reader: enough for the vector files (objects, arrays, strings, numbers) ---- */

enum jt { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };
struct jv {
	enum jt t;
	char *s;           /* J_STR text, J_NUM/J_BOOL literal */
	size_t n;          /* items in J_ARR / J_OBJ */
	struct jv *items;  /* values */
	char **keys;       /* J_OBJ keys */
};

static const char *jp; /* parse position (test-only state; the tests run one at a time) */

static void ws(void)
{
	while (*jp == ' ' || *jp == '\n' || *jp == '\r' || *jp == '\t')
		jp++;
}

static char *jstring(void)
{
	assert_int_equal(*jp, '"');
	jp++;
	char *out = malloc(strlen(jp) + 1), *o = out;
	while (*jp && *jp != '"') {
		if (*jp == '\\') {
			jp++;
			if (*jp == 'u') { /* only in prose fields: keep a placeholder */
				*o++ = '?';
				jp += 5;
				continue;
			}
			*o++ = *jp == 'n' ? '\n' : *jp == 't' ? '\t' : *jp;
			jp++;
			continue;
		}
		*o++ = *jp++;
	}
	assert_int_equal(*jp, '"');
	jp++;
	*o = 0;
	return out;
}

static void jvalue(struct jv *v)
{
	memset(v, 0, sizeof *v);
	ws();
	if (*jp == '{' || *jp == '[') {
		char close = *jp == '{' ? '}' : ']';
		v->t = *jp == '{' ? J_OBJ : J_ARR;
		jp++;
		size_t cap = 8;
		v->items = calloc(cap, sizeof *v->items);
		v->keys = calloc(cap, sizeof *v->keys);
		ws();
		while (*jp != close) {
			if (v->n == cap) {
				cap *= 2;
				v->items = realloc(v->items, cap * sizeof *v->items);
				v->keys = realloc(v->keys, cap * sizeof *v->keys);
			}
			if (v->t == J_OBJ) {
				v->keys[v->n] = jstring();
				ws();
				assert_int_equal(*jp, ':');
				jp++;
			}
			jvalue(&v->items[v->n++]);
			ws();
			if (*jp == ',') {
				jp++;
				ws();
			}
		}
		jp++;
	} else if (*jp == '"') {
		v->t = J_STR;
		v->s = jstring();
	} else {
		const char *st = jp;
		while (*jp && !strchr(",}] \n\r\t", *jp))
			jp++;
		v->s = strndup(st, (size_t)(jp - st));
		v->t = !strcmp(v->s, "null") ? J_NULL : (!strcmp(v->s, "true") || !strcmp(v->s, "false")) ? J_BOOL : J_NUM;
	}
}

static struct jv *jget(const struct jv *o, const char *key)
{
	if (!o || o->t != J_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->items[i];
	return NULL;
}

/* A string or number member; fails the test when absent. */
static const char *js(const struct jv *o, const char *key)
{
	struct jv *v = jget(o, key);
	if (!v || !v->s)
		fail_msg("missing JSON member '%s'", key);
	return v->s;
}

static struct jv *load(const char *rel)
{
	char *text = (char *)ps_test_read(rel, NULL);
	struct jv *root = calloc(1, sizeof *root);
	jp = text;
	jvalue(root);
	free(text);
	return root;
}

static void jfree_in(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		jfree_in(&v->items[i]);
		if (v->t == J_OBJ)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
}

static void jfree(struct jv *root)
{
	jfree_in(root);
	free(root);
}

/* ---- helpers: MSO-first hex from the JSON -> wire order ---- */

/* Decode exactly n octets of MSO-first hex and reverse them into wire order. */
static void wire(const char *hex, uint8_t *out, size_t n)
{
	assert_int_equal(ps_test_hex(hex, out, n), n);
	ps_reverse(out, n);
}

/* Compare a wire-order result with an MSO-first expected hex string. */
static void expect(const char *id, const char *what, const uint8_t *got_wire, size_t n, const char *want_hex)
{
	uint8_t want[64], got[64];
	char g[130], w[130];
	assert_int_equal(ps_test_hex(want_hex, want, sizeof want), n);
	memcpy(got, got_wire, n);
	ps_reverse(got, n);
	if (memcmp(got, want, n))
		fail_msg("%s %s: got %s want %s", id, what, ps_hex_encode(got, n, g), ps_hex_encode(want, n, w));
}

/* f5/f6 A1/A2 "0056123737bfce" (type || address, MSO first) -> API layout a[0] type, a[1..6] wire. */
static void a56(const char *hex, uint8_t a[7])
{
	uint8_t m[7];
	assert_int_equal(ps_test_hex(hex, m, 7), 7);
	a[0] = m[0];
	for (int i = 0; i < 6; i++)
		a[1 + i] = m[6 - i];
}

/* CMAC through the backend (RFC order in and out). */
static void cmac_mso(const uint8_t k_mso[16], const uint8_t *m, size_t n, uint8_t out_mso[16])
{
	assert_int_equal(C.cmac(C.ctx, k_mso, m, n, out_mso), 0);
}

/* RFC 4493 §2.3 subkey doubling, to check K1/K2 of the subkey vector (test-side arithmetic only). */
static void dbl(const uint8_t in[16], uint8_t out[16])
{
	for (int i = 0; i < 16; i++)
		out[i] = (uint8_t)(in[i] << 1 | (i < 15 ? in[i + 1] >> 7 : 0));
	if (in[0] & 0x80)
		out[15] ^= 0x87;
}

/* Cross-transport key derivation (Vol 3 Part H §2.4.2.4/§2.4.2.5) from h6/h7, for the CTKD vectors. */
static void ctkd(const char *key_hex, int ct2, const char *salt_id, const char *key_id, uint8_t out[16])
{
	uint8_t k[16], ilk[16], id[4], salt[16] = { 0 };
	wire(key_hex, k, 16);
	memcpy(salt, (const uint8_t[]){ (uint8_t)salt_id[3], (uint8_t)salt_id[2], (uint8_t)salt_id[1],
					(uint8_t)salt_id[0] }, 4);
	memcpy(id, salt, 4); /* "tmp1" as a 32-bit keyID in wire order equals the SALT's low octets */
	if (ct2)
		assert_int_equal(ps_crypto_h7(&C, salt, k, ilk), 0);
	else
		assert_int_equal(ps_crypto_h6(&C, k, id, ilk), 0);
	for (int i = 0; i < 4; i++)
		id[i] = (uint8_t)key_id[3 - i];
	assert_int_equal(ps_crypto_h6(&C, ilk, id, out), 0);
}

static int one_vector(const struct jv *v)
{
	const char *id = js(v, "id"), *fn = js(v, "function");
	const struct jv *in = jget(v, "inputs"), *ex = jget(v, "expected");
	uint8_t a[64], b[64], x[16], y[16], out[64], out2[16], m[128];
	if (!strcmp(fn, "AES-CMAC subkey generation")) {
		uint8_t zero[16] = { 0 }, l[16], k1[16], k2[16];
		assert_int_equal(ps_test_hex(js(in, "K"), x, 16), 16);
		assert_int_equal(C.aes128(C.ctx, x, zero, l), 0);
		dbl(l, k1);
		dbl(k1, k2);
		ps_reverse(l, 16), ps_reverse(k1, 16), ps_reverse(k2, 16);
		expect(id, "L", l, 16, js(ex, "L"));
		expect(id, "K1", k1, 16, js(ex, "K1"));
		expect(id, "K2", k2, 16, js(ex, "K2"));
	} else if (!strcmp(fn, "AES-CMAC")) {
		int n = (int)ps_test_hex(js(in, "M"), m, sizeof m);
		assert_int_equal(ps_test_hex(js(in, "K"), x, 16), 16);
		cmac_mso(x, m, (size_t)n, out);
		ps_reverse(out, 16);
		expect(id, "MAC", out, 16, js(ex, "MAC"));
	} else if (!strcmp(fn, "f4")) {
		wire(js(in, "U"), a, 32), wire(js(in, "V"), b, 32), wire(js(in, "X"), x, 16);
		assert_int_equal(ps_crypto_f4(&C, a, b, x, (uint8_t)strtoul(js(in, "Z"), NULL, 16), out), 0);
		expect(id, "f4", out, 16, js(ex, "f4"));
	} else if (!strcmp(fn, "f5")) {
		uint8_t a1[7], a2[7], n1[16], n2[16], salt[16], t[16];
		wire(js(in, "W"), a, 32), wire(js(in, "N1"), n1, 16), wire(js(in, "N2"), n2, 16);
		a56(js(in, "A1"), a1), a56(js(in, "A2"), a2);
		assert_int_equal(ps_crypto_f5(&C, a, n1, n2, a1, a2, out, out2), 0);
		expect(id, "MacKey", out, 16, js(ex, "MacKey"));
		expect(id, "LTK", out2, 16, js(ex, "LTK"));
		/* T = AES-CMAC_SALT(W), with the constants the vector lists */
		assert_int_equal(ps_test_hex(js(jget(v, "constants"), "SALT"), salt, 16), 16);
		assert_int_equal(ps_test_hex(js(in, "W"), m, 32), 32);
		cmac_mso(salt, m, 32, t);
		ps_reverse(t, 16);
		expect(id, "T", t, 16, js(ex, "T"));
	} else if (!strcmp(fn, "f6")) {
		uint8_t a1[7], a2[7], n1[16], n2[16], r[16], io[3];
		wire(js(in, "W"), x, 16), wire(js(in, "N1"), n1, 16), wire(js(in, "N2"), n2, 16);
		wire(js(in, "R"), r, 16), wire(js(in, "IOcap"), io, 3);
		a56(js(in, "A1"), a1), a56(js(in, "A2"), a2);
		assert_int_equal(ps_crypto_f6(&C, x, n1, n2, r, io, a1, a2, out), 0);
		expect(id, "f6", out, 16, js(ex, "f6"));
	} else if (!strcmp(fn, "g2")) {
		uint32_t g;
		uint8_t gw[4];
		wire(js(in, "U"), a, 32), wire(js(in, "V"), b, 32), wire(js(in, "X"), x, 16), wire(js(in, "Y"), y, 16);
		assert_int_equal(ps_crypto_g2(&C, a, b, x, y, &g), 0);
		for (int i = 0; i < 4; i++)
			gw[i] = (uint8_t)(g >> 8 * i);
		expect(id, "g2", gw, 4, js(ex, "g2"));
		assert_int_equal(g, strtoul(js(ex, "g2_decimal"), NULL, 10));
		assert_int_equal(g % 1000000, strtoul(js(ex, "numeric_comparison_value"), NULL, 10));
		/* the full CMAC: U || V || Y under X */
		assert_int_equal(ps_test_hex(js(in, "U"), m, 32), 32);
		assert_int_equal(ps_test_hex(js(in, "V"), m + 32, 32), 32);
		assert_int_equal(ps_test_hex(js(in, "Y"), m + 64, 16), 16);
		assert_int_equal(ps_test_hex(js(in, "X"), x, 16), 16);
		cmac_mso(x, m, 80, out);
		ps_reverse(out, 16);
		expect(id, "AES_CMAC", out, 16, js(ex, "AES_CMAC"));
	} else if (!strcmp(fn, "h6")) {
		wire(js(in, "W"), x, 16), wire(js(in, "keyID"), a, 4);
		assert_int_equal(ps_crypto_h6(&C, x, a, out), 0);
		expect(id, "h6", out, 16, js(ex, "h6"));
	} else if (!strcmp(fn, "h7")) {
		wire(js(in, "SALT"), x, 16), wire(js(in, "W"), y, 16);
		assert_int_equal(ps_crypto_h7(&C, x, y, out), 0);
		expect(id, "h7", out, 16, js(ex, "h7"));
	} else if (!strcmp(fn, "h8")) {
		wire(js(in, "K"), x, 16), wire(js(in, "S"), y, 16), wire(js(in, "keyID"), a, 4);
		assert_int_equal(ps_crypto_h8(&C, x, y, a, out), 0);
		expect(id, "h8", out, 16, js(ex, "h8"));
	} else if (!strcmp(fn, "ah")) {
		uint8_t rp[16] = { 0 }, rpa[6];
		wire(js(in, "IRK"), x, 16), wire(js(in, "prand"), a, 3);
		assert_int_equal(ps_crypto_ah(&C, x, a, out), 0);
		expect(id, "ah", out, 3, js(ex, "ah"));
		memcpy(rp, a, 3);
		assert_int_equal(ps_crypto_e(&C, x, rp, out), 0);
		expect(id, "AES_128", out, 16, js(ex, "AES_128"));
		memcpy(rpa, out, 3);
		memcpy(rpa + 3, a, 3);
		expect(id, "RPA", rpa, 6, js(ex, "RPA"));
		const uint8_t irk[1][16] = { { 0 } };
		assert_int_equal(ps_crypto_rpa_resolve(&C, (const uint8_t(*)[16])x, 1, rpa), 0);
		assert_int_equal(ps_crypto_rpa_resolve(&C, irk, 1, rpa), -PS_ENOENT);
	} else if (!strncmp(fn, "CTKD ", 5)) {
		int ct2 = atoi(js(in, "CT2"));
		if (jget(in, "LTK"))
			ctkd(js(in, "LTK"), ct2, "tmp1", "lebr", out);
		else
			ctkd(js(in, "LinkKey"), ct2, "tmp2", "brle", out);
		expect(id, "output", out, 16, js(ex, "output"));
	} else if (!strcmp(fn, "c1")) {
		uint8_t k[16], r[16], preq[7], pres[7], ia[6], ra[6], p1[16], p2[16], t[16];
		wire(js(in, "k"), k, 16), wire(js(in, "r"), r, 16), wire(js(in, "preq"), preq, 7);
		wire(js(in, "pres"), pres, 7), wire(js(in, "ia"), ia, 6), wire(js(in, "ra"), ra, 6);
		uint8_t iat = (uint8_t)atoi(js(in, "iat")), rat = (uint8_t)atoi(js(in, "rat"));
		assert_int_equal(ps_crypto_c1(&C, k, r, preq, pres, iat, ia, rat, ra, out), 0);
		expect(id, "c1", out, 16, js(ex, "c1"));
		/* the intermediates of §2.2.3 as the vector prints them, recomputed with e() */
		p1[0] = iat, p1[1] = rat;
		memcpy(p1 + 2, preq, 7), memcpy(p1 + 9, pres, 7);
		memset(p2, 0, 16), memcpy(p2, ra, 6), memcpy(p2 + 6, ia, 6);
		expect(id, "p1", p1, 16, js(ex, "p1"));
		expect(id, "p2", p2, 16, js(ex, "p2"));
		for (int i = 0; i < 16; i++)
			t[i] = r[i] ^ p1[i];
		assert_int_equal(ps_crypto_e(&C, k, t, t), 0);
		for (int i = 0; i < 16; i++)
			t[i] ^= p2[i];
		assert_int_equal(ps_crypto_e(&C, k, t, t), 0);
		expect(id, "c1 via e", t, 16, js(ex, "c1"));
	} else if (!strcmp(fn, "s1")) {
		uint8_t k[16], r1[16], r2[16], rp[16];
		wire(js(in, "k"), k, 16), wire(js(in, "r1"), r1, 16), wire(js(in, "r2"), r2, 16);
		assert_int_equal(ps_crypto_s1(&C, k, r1, r2, out), 0);
		expect(id, "s1", out, 16, js(ex, "s1"));
		memcpy(rp, r2, 8), memcpy(rp + 8, r1, 8);
		expect(id, "r_prime", rp, 16, js(ex, "r_prime"));
	} else if (!strcmp(fn, "P-256 key pair (SMP debug key)")) {
		wire(js(in, "private_key"), a, 32);
		assert_memory_equal(a, ps_crypto_debug_private, 32);
		assert_int_equal(C.p256_public(C.ctx, a, out), 0);
		expect(id, "public_key_x", out, 32, js(ex, "public_key_x"));
		expect(id, "public_key_y", out + 32, 32, js(ex, "public_key_y"));
		assert_true(ps_crypto_is_debug_key(out));
		assert_memory_equal(out, ps_crypto_debug_public, 64);
	} else if (!strcmp(fn, "ECDH P-256")) {
		uint8_t pub[64], dh2[32];
		wire(js(in, "private_A"), a, 32);
		const struct jv *src = jget(in, "public_B_x") ? in : ex;
		wire(js(src, "public_B_x"), pub, 32), wire(js(src, "public_B_y"), pub + 32, 32);
		assert_int_equal(C.p256_check(C.ctx, pub), 0);
		assert_int_equal(C.p256_ecdh(C.ctx, a, pub, out), 0);
		expect(id, "DHKey", out, 32, js(ex, "DHKey"));
		if (jget(in, "private_B")) { /* both public keys from their private keys, and DH both ways */
			assert_int_equal(C.p256_public(C.ctx, a, b), 0);
			expect(id, "public_A_x", b, 32, js(ex, "public_A_x"));
			expect(id, "public_A_y", b + 32, 32, js(ex, "public_A_y"));
			uint8_t pb[64];
			wire(js(in, "private_B"), a, 32);
			assert_int_equal(C.p256_public(C.ctx, a, pb), 0);
			assert_memory_equal(pb, pub, 64);
			assert_int_equal(C.p256_ecdh(C.ctx, a, b, dh2), 0);
			expect(id, "DHKey (B side)", dh2, 32, js(ex, "DHKey"));
		}
	} else if (!strncmp(fn, "ATT signing", 11)) {
		/* Vol 3 Part H §2.4.5: MAC = MSO 64 bits of AES-CMAC_CSRK(m), m = pdu || SignCounter
		 * taken as one integer; signature on the wire = SignCounter (LE32) || MAC (LE). */
		size_t n = ps_test_hex(js(in, "pdu"), m, sizeof m - 4);
		uint32_t ctr = (uint32_t)strtoul(js(in, "SignCounter"), NULL, 10);
		uint8_t sig[12], want[12];
		for (int i = 0; i < 4; i++)
			m[n + i] = (uint8_t)(ctr >> 8 * i);
		ps_reverse(m, n + 4);
		assert_int_equal(ps_test_hex(js(in, "CSRK"), x, 16), 16);
		cmac_mso(x, m, n + 4, out);
		for (int i = 0; i < 4; i++)
			sig[i] = (uint8_t)(ctr >> 8 * i);
		for (int i = 0; i < 8; i++)
			sig[4 + i] = out[7 - i];
		assert_int_equal(ps_test_hex(js(ex, "signature"), want, 12), 12); /* wire order here */
		if (memcmp(sig, want, 12))
			fail_msg("%s: signature differs", id);
	} else if (!strncmp(fn, "legacy pairing trace", 20)) {
		uint8_t tk[16], mr[16], sr[16], preq[7], pres[7], ia[6], ra[6], pw[7];
		wire(js(in, "TK"), tk, 16), wire(js(in, "Mrand"), mr, 16), wire(js(in, "Srand"), sr, 16);
		wire(js(in, "preq"), preq, 7), wire(js(in, "pres"), pres, 7);
		wire(js(in, "ia"), ia, 6), wire(js(in, "ra"), ra, 6);
		assert_int_equal(ps_test_hex(js(in, "preq_wire"), pw, 7), 7);
		assert_memory_equal(pw, preq, 7);
		assert_int_equal(ps_test_hex(js(in, "pres_wire"), pw, 7), 7);
		assert_memory_equal(pw, pres, 7);
		uint8_t iat = (uint8_t)atoi(js(in, "iat")), rat = (uint8_t)atoi(js(in, "rat"));
		assert_int_equal(ps_crypto_c1(&C, tk, mr, preq, pres, iat, ia, rat, ra, out), 0);
		expect(id, "Mconfirm", out, 16, js(ex, "Mconfirm"));
		assert_int_equal(ps_crypto_c1(&C, tk, sr, preq, pres, iat, ia, rat, ra, out), 0);
		expect(id, "Sconfirm", out, 16, js(ex, "Sconfirm"));
		assert_int_equal(ps_crypto_s1(&C, tk, sr, mr, out), 0);
		expect(id, "STK", out, 16, js(ex, "STK"));
	} else {
		fail_msg("vector %s: unknown function '%s'", id, fn);
	}
	return 1;
}

static void test_smp_crypto_vectors_all(void **state)
{
	(void)state;
	struct jv *root = load("tests/vectors/smp-crypto-vectors.json");
	struct jv *vec = jget(root, "vectors");
	assert_non_null(vec);
	int done = 0;
	for (size_t i = 0; i < vec->n; i++)
		done += one_vector(&vec->items[i]);
	assert_int_equal(done, (int)vec->n);
	assert_true(done >= 30);
	jfree(root);
}

/* ---- Vol 6 Part C §1: session key and the four encrypted PDUs, both ways ---- */

static void test_ll_encryption_sample_data(void **state)
{
	(void)state;
	struct jv *root = load("tests/vectors/ll-encryption-vectors.json");
	const struct jv *fi = jget(root, "fixed_inputs"), *der = jget(root, "derived"), *pk = jget(root, "packets");
	uint8_t ltk[16], skdm[8], skds[8], ivm[4], ivs[4], sk[16], iv[8], req[32], rsp[32], p[300], o[300], mic[4];
	wire(js(jget(fi, "LTK"), "msb_first"), ltk, 16);
	wire(js(jget(fi, "SKDm"), "msb_first"), skdm, 8);
	wire(js(jget(fi, "SKDs"), "msb_first"), skds, 8);
	wire(js(jget(fi, "IVm"), "msb_first"), ivm, 4);
	wire(js(jget(fi, "IVs"), "msb_first"), ivs, 4);
	/* the same values as they sit in LL_ENC_REQ (SKDm at 13, IVm at 21) and LL_ENC_RSP (SKDs 3, IVs 11) */
	const struct jv *ctl = jget(root, "ll_control_pdus_unencrypted");
	assert_int_equal(ps_test_hex(js(jget(ctl, "LL_ENC_REQ"), "pdu"), req, sizeof req), 25);
	assert_int_equal(ps_test_hex(js(jget(ctl, "LL_ENC_RSP"), "pdu"), rsp, sizeof rsp), 15);
	assert_memory_equal(req + 13, skdm, 8);
	assert_memory_equal(req + 21, ivm, 4);
	assert_memory_equal(rsp + 3, skds, 8);
	assert_memory_equal(rsp + 11, ivs, 4);

	assert_int_equal(ps_crypto_session_key(&C, ltk, skdm, skds, sk), 0);
	expect("LL", "SK", sk, 16, js(jget(der, "SK"), "msb_first"));
	/* HCI_LE_Encrypt: parameters LTK (wire) || plaintext (wire) -> Encrypted_Data (wire) = SK */
	uint8_t cmd[32], evt[20], e[16];
	const struct jv *hci = jget(jget(root, "hci"), "HCI_LE_Encrypt");
	assert_int_equal(ps_test_hex(js(hci, "command_params_lsb_first"), cmd, 32), 32);
	assert_int_equal(ps_test_hex(js(hci, "command_complete_params"), evt, 20), 20);
	assert_int_equal(ps_crypto_e(&C, cmd, cmd + 16, e), 0);
	assert_memory_equal(e, evt + 4, 16);
	assert_memory_equal(e, sk, 16);

	memcpy(iv, ivm, 4); /* IV in the nonce: IVc (IVm) then IVp (IVs), each wire order */
	memcpy(iv + 4, ivs, 4);
	uint8_t ivn[8];
	assert_int_equal(ps_test_hex(js(jget(der, "IV"), "lsb_first_nonce_order"), ivn, 8), 8);
	assert_memory_equal(iv, ivn, 8);

	for (size_t i = 0; i < pk->n; i++) {
		const struct jv *k = &pk->items[i];
		const char *name = js(k, "name");
		uint8_t hdr, air[300];
		uint64_t ctr = strtoull(js(k, "packet_counter"), NULL, 10);
		int dir = atoi(js(k, "direction_bit"));
		assert_int_equal(ps_test_hex(js(k, "header0"), &hdr, 1), 1);
		size_t n = ps_test_hex(js(k, "plain_payload"), p, sizeof p);
		size_t an = ps_test_hex(js(k, "air_pdu"), air, sizeof air);
		assert_int_equal(an, n + 6);
		assert_int_equal(air[0], hdr);
		assert_int_equal(air[1], n + 4);
		assert_int_equal(ps_crypto_ll_encrypt(&C, sk, iv, ctr, dir, hdr, p, n, o, mic), 0);
		if (memcmp(o, air + 2, n) || memcmp(mic, air + 2 + n, 4))
			fail_msg("%s: encryption differs from the sample", name);
		assert_int_equal(ps_crypto_ll_decrypt(&C, sk, iv, ctr, dir, hdr, air + 2, n, air + 2 + n, o), 0);
		assert_memory_equal(o, p, n);
		/* NESN, SN, MD (bits 2..4) are outside the AAD; CP (bit 5) and LLID are inside it */
		assert_int_equal(ps_crypto_ll_decrypt(&C, sk, iv, ctr, dir, hdr ^ 0x1c, air + 2, n, air + 2 + n, o), 0);
		assert_int_equal(ps_crypto_ll_decrypt(&C, sk, iv, ctr, dir, hdr ^ 0x20, air + 2, n, air + 2 + n, o),
				 -PS_ECRYPTO);
		assert_int_equal(ps_crypto_ll_decrypt(&C, sk, iv, ctr, !dir, hdr, air + 2, n, air + 2 + n, o),
				 -PS_ECRYPTO);
		assert_int_equal(ps_crypto_ll_decrypt(&C, sk, iv, ctr + 1, dir, hdr, air + 2, n, air + 2 + n, o),
				 -PS_ECRYPTO);
		air[2] ^= 1;
		assert_int_equal(ps_crypto_ll_decrypt(&C, sk, iv, ctr, dir, hdr, air + 2, n, air + 2 + n, o),
				 -PS_ECRYPTO);
	}
	/* the packet counter is 39 bits */
	assert_int_equal(ps_crypto_ll_encrypt(&C, sk, iv, (uint64_t)1 << 39, 1, 0x0e, p, 1, o, mic), -PS_ERANGE);
	assert_int_equal(ps_crypto_ll_encrypt(&C, sk, iv, ((uint64_t)1 << 39) - 1, 1, 0x0e, p, 1, o, mic), 0);
	jfree(root);
}

/* The same four sample PDUs through one LL session (key schedule made once): each direction both
 * ways, in the sample's order on ONE object, so sealing and opening alternate on it, and MIC failures
 * in between must not disturb the PDUs after them. */
static void test_ll_session_sample_data(void **state)
{
	(void)state;
	struct jv *root = load("tests/vectors/ll-encryption-vectors.json");
	const struct jv *fi = jget(root, "fixed_inputs"), *der = jget(root, "derived"), *pk = jget(root, "packets");
	uint8_t sk[16], iv[8], p[300], o[300], mic[4];
	wire(js(jget(der, "SK"), "msb_first"), sk, 16);
	wire(js(jget(fi, "IVm"), "msb_first"), iv, 4);
	wire(js(jget(fi, "IVs"), "msb_first"), iv + 4, 4);
	struct ps_crypto_ll_session *s = NULL;
	assert_int_equal(ps_crypto_ll_session_new(&C, sk, iv, &s), 0);
	for (int round = 0; round < 2; round++) { /* the second round re-runs every PDU on the used object */
		for (size_t i = 0; i < pk->n; i++) {
			const struct jv *k = &pk->items[i];
			const char *name = js(k, "name");
			uint8_t hdr, air[300];
			uint64_t ctr = strtoull(js(k, "packet_counter"), NULL, 10);
			int dir = atoi(js(k, "direction_bit"));
			assert_int_equal(ps_test_hex(js(k, "header0"), &hdr, 1), 1);
			size_t n = ps_test_hex(js(k, "plain_payload"), p, sizeof p);
			assert_int_equal(ps_test_hex(js(k, "air_pdu"), air, sizeof air), n + 6);
			assert_int_equal(ps_crypto_ll_session_encrypt(s, ctr, dir, hdr, p, n, o, mic), 0);
			if (memcmp(o, air + 2, n) || memcmp(mic, air + 2 + n, 4))
				fail_msg("%s: session encryption differs from the sample", name);
			memset(o, 0xee, sizeof o);
			assert_int_equal(ps_crypto_ll_session_decrypt(s, ctr, dir, hdr, air + 2, n, air + 2 + n, o), 0);
			assert_memory_equal(o, p, n);
			assert_int_equal(ps_crypto_ll_session_decrypt(s, ctr, dir, hdr ^ 0x1c, air + 2, n, air + 2 + n, o),
					 0);
			/* MIC failures: CP in the AAD, the direction bit, the counter, a payload bit, the MIC */
			assert_int_equal(ps_crypto_ll_session_decrypt(s, ctr, dir, hdr ^ 0x20, air + 2, n, air + 2 + n, o),
					 -PS_ECRYPTO);
			assert_int_equal(ps_crypto_ll_session_decrypt(s, ctr, !dir, hdr, air + 2, n, air + 2 + n, o),
					 -PS_ECRYPTO);
			assert_int_equal(ps_crypto_ll_session_decrypt(s, ctr + 1, dir, hdr, air + 2, n, air + 2 + n, o),
					 -PS_ECRYPTO);
			air[2 + n + 3] ^= 0x40;
			assert_int_equal(ps_crypto_ll_session_decrypt(s, ctr, dir, hdr, air + 2, n, air + 2 + n, o),
					 -PS_ECRYPTO);
			air[2 + n + 3] ^= 0x40;
			air[2] ^= 1;
			memset(o, 0xee, sizeof o);
			assert_int_equal(ps_crypto_ll_session_decrypt(s, ctr, dir, hdr, air + 2, n, air + 2 + n, o),
					 -PS_ECRYPTO);
			for (size_t j = 0; j < n; j++) /* no unauthenticated plaintext handed out */
				assert_int_equal(o[j], 0);
			air[2] ^= 1;
			assert_int_equal(ps_crypto_ll_session_decrypt(s, ctr, dir, hdr, air + 2, n, air + 2 + n, o), 0);
			assert_memory_equal(o, p, n);
		}
	}
	assert_int_equal(ps_crypto_ll_session_encrypt(s, (uint64_t)1 << 39, 1, 0x0e, p, 1, o, mic), -PS_ERANGE);
	assert_int_equal(ps_crypto_ll_session_decrypt(s, (uint64_t)1 << 39, 1, 0x0e, p, 1, mic, o), -PS_ERANGE);
	ps_crypto_ll_session_free(s);
	jfree(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smp_crypto_vectors_all),
		cmocka_unit_test(test_ll_encryption_sample_data),
		cmocka_unit_test(test_ll_session_sample_data),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
