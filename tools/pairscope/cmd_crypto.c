/* pairscope crypto: run one SMP toolbox function (Core Vol 3 Part H §2.2) or LE link-layer crypto
 * step (Vol 6 Part B §5.1.3.1, Vol 6 Part E) on hex arguments, so implementers can check theirs.
 * Values in and out are MSO first as the spec prints them; --lsb switches to air/HCI order (LSO
 * first). Octet strings (CMAC message, LL payloads, MIC) are never reversed. This is the CLI edge
 * where the spec's text order meets the library's wire order. */
#include "cli.h"
#include <pairscope/crypto.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind {
	K_VAL,  /* fixed-length integer: reversed into wire order unless --lsb */
	K_OCT,  /* octet string of any length, taken as written */
	K_BYTE, /* one octet as a number: 0, 1, 00, 0x01 */
	K_A56,  /* f5/f6 A1/A2: address type (1 octet) || address (6), as one 56-bit value */
	K_NUM,  /* unsigned decimal or 0x hex (the LL packet counter) */
	K_DIR,  /* central|peripheral (also c|p, m|s, 1|0) */
	K_PATH, /* a file name */
};

struct argdef {
	const char *name;
	enum kind kind;
	size_t len;     /* octets for K_VAL/K_A56 */
	bool optional;
	const char *help;
};

#define MAXARGS 8
#define MAXOCT 300

struct argval {
	bool set;
	uint8_t v[MAXOCT]; /* wire order for K_VAL; library layout for K_A56 */
	size_t n;
	uint64_t num;
	const char *str; /* K_PATH */
};

struct out {
	bool json, lsb;
	int count;
};

struct run {
	const struct ps_crypto *c;
	const struct argdef *defs;
	struct argval a[MAXARGS];
	struct out o;
	const char *fn;
};

#define A(i) (r->a[i].v)

static int usage_err(const char *fn, const char *fmt, const char *a, const char *b);

/* ---- output: "name value" lines (a lone value when there is one result) or one JSON object ---- */

static void out_begin(struct run *r)
{
	if (r->o.json)
		printf("{\"function\": \"%s\"", r->fn);
}

static void out_text(struct run *r, const char *name, const char *text, bool lone, bool quote)
{
	if (r->o.json)
		printf(quote ? ", \"%s\": \"%s\"" : ", \"%s\": %s", name, text);
	else if (lone)
		printf("%s\n", text);
	else
		printf("%s %s\n", name, text);
	r->o.count++;
}

/* A value held in wire order, printed MSO first (or as is with --lsb). */
static void out_val(struct run *r, const char *name, const uint8_t *wire, size_t n, bool lone)
{
	uint8_t b[MAXOCT];
	char hex[2 * MAXOCT + 1];
	memcpy(b, wire, n);
	if (!r->o.lsb)
		ps_reverse(b, n);
	out_text(r, name, ps_hex_encode(b, n, hex), lone, true);
}

static void out_oct(struct run *r, const char *name, const uint8_t *p, size_t n, bool lone)
{
	char hex[2 * MAXOCT + 1];
	out_text(r, name, ps_hex_encode(p, n, hex), lone, true);
}

static void out_end(struct run *r)
{
	if (r->o.json)
		printf("}\n");
}

/* A library failure after the arguments parsed: a bad key or MIC, not a usage error. */
static int fail(struct run *r, const char *what, int rc)
{
	fprintf(stderr, "pairscope crypto %s: %s: %s\n", r->fn, what, ps_strerror(rc));
	return 1;
}

/* ---- the functions ---- */

static int do_cmac(struct run *r)
{
	uint8_t k[16], t[16];
	memcpy(k, A(0), 16);
	ps_reverse(k, 16); /* backend order: MSO first */
	int rc = r->c->cmac(r->c->ctx, k, A(1), r->a[1].n, t);
	if (rc)
		return fail(r, "AES-CMAC", rc);
	ps_reverse(t, 16);
	out_val(r, "cmac", t, 16, true);
	return 0;
}

/* The common tail of the functions with one 128-bit result. */
static int one16(struct run *r, const char *name, int rc, const uint8_t out[16])
{
	if (rc)
		return fail(r, name, rc);
	out_val(r, name, out, 16, true);
	return 0;
}

static int do_c1(struct run *r)
{
	uint8_t out[16];
	int rc = ps_crypto_c1(r->c, A(0), A(1), A(2), A(3), A(4)[0], A(6), A(5)[0], A(7), out);
	if (rc)
		return fail(r, "c1 (address types must be 0 or 1)", rc);
	out_val(r, "c1", out, 16, true);
	return 0;
}

static int do_s1(struct run *r)
{
	uint8_t out[16];
	return one16(r, "s1", ps_crypto_s1(r->c, A(0), A(1), A(2), out), out);
}

static int do_f4(struct run *r)
{
	uint8_t out[16];
	return one16(r, "f4", ps_crypto_f4(r->c, A(0), A(1), A(2), A(3)[0], out), out);
}

static int do_f5(struct run *r)
{
	uint8_t mk[16], ltk[16];
	int rc = ps_crypto_f5(r->c, A(0), A(1), A(2), A(3), A(4), mk, ltk);
	if (rc)
		return fail(r, "f5", rc);
	out_val(r, "MacKey", mk, 16, false);
	out_val(r, "LTK", ltk, 16, false);
	return 0;
}

static int do_f6(struct run *r)
{
	uint8_t out[16];
	return one16(r, "f6", ps_crypto_f6(r->c, A(0), A(1), A(2), A(3), A(4), A(5), A(6), out), out);
}

static int do_g2(struct run *r)
{
	uint32_t v;
	uint8_t w[4];
	char num[16];
	int rc = ps_crypto_g2(r->c, A(0), A(1), A(2), A(3), &v);
	if (rc)
		return fail(r, "g2", rc);
	for (int i = 0; i < 4; i++)
		w[i] = (uint8_t)(v >> (8 * i));
	out_val(r, "g2", w, 4, false);
	snprintf(num, sizeof num, "%06" PRIu32, v % 1000000);
	out_text(r, "number", num, false, true);
	return 0;
}

static int do_h6(struct run *r)
{
	uint8_t out[16];
	return one16(r, "h6", ps_crypto_h6(r->c, A(0), A(1), out), out);
}

static int do_h7(struct run *r)
{
	uint8_t out[16];
	return one16(r, "h7", ps_crypto_h7(r->c, A(0), A(1), out), out);
}

static int do_h8(struct run *r)
{
	uint8_t out[16];
	return one16(r, "h8", ps_crypto_h8(r->c, A(0), A(1), A(2), out), out);
}

static int do_ah(struct run *r)
{
	uint8_t h[3], rpa[6];
	int rc = ps_crypto_ah(r->c, A(0), A(1), h);
	if (rc)
		return fail(r, "ah", rc);
	out_val(r, "ah", h, 3, false);
	memcpy(rpa, h, 3);
	memcpy(rpa + 3, A(1), 3);
	out_val(r, "rpa", rpa, 6, false);
	return 0;
}

static int do_p256(struct run *r)
{
	uint8_t pub[64];
	int rc = r->c->p256_public(r->c->ctx, A(0), pub);
	if (rc)
		return fail(r, "P-256 private key (must be 1..n-1)", rc);
	out_val(r, "x", pub, 32, false);
	out_val(r, "y", pub + 32, 32, false);
	if (ps_crypto_is_debug_key(pub))
		out_text(r, "debug_key", "true", false, false);
	return 0;
}

static int do_dhkey(struct run *r)
{
	uint8_t pub[64], dh[32];
	memcpy(pub, A(1), 32);
	memcpy(pub + 32, A(2), 32);
	int rc = r->c->p256_check(r->c->ctx, pub);
	if (rc)
		return fail(r, "peer public key rejected (not a P-256 point: x, y < p, on the curve)", rc);
	if ((rc = r->c->p256_ecdh(r->c->ctx, A(0), pub, dh)))
		return fail(r, "ECDH (private key must be 1..n-1)", rc);
	if (ps_crypto_is_debug_key(pub))
		fprintf(stderr, "pairscope crypto dhkey: note: the peer key is the SMP debug public key\n");
	out_val(r, "dhkey", dh, 32, true);
	return 0;
}

static int do_session_key(struct run *r)
{
	uint8_t skd_c[8], skd_p[8], sk[16];
	if (r->a[1].set) { /* SKD = SKDp || SKDc: in wire order SKDc is the low half */
		if (r->a[2].set || r->a[3].set)
			return usage_err(r->fn, "give --skd, or --skdm and --skds%s%s", "", "");
		memcpy(skd_c, A(1), 8);
		memcpy(skd_p, A(1) + 8, 8);
	} else if (r->a[2].set && r->a[3].set) {
		memcpy(skd_c, A(2), 8);
		memcpy(skd_p, A(3), 8);
	} else {
		return usage_err(r->fn, "give --skd, or --skdm and --skds%s%s", "", "");
	}
	int rc = ps_crypto_session_key(r->c, A(0), skd_c, skd_p, sk);
	if (rc)
		return fail(r, "session key", rc);
	out_val(r, "sk", sk, 16, true);
	return 0;
}

/* rpa-resolve: the IRK file holds one IRK a line (hex, MSO first unless --lsb; '#' comments). */
static int do_rpa_resolve(struct run *r)
{
	FILE *f = fopen(r->a[1].str, "r");
	uint8_t(*irks)[16] = NULL;
	size_t n = 0, cap = 0, lineno = 0, sz = 0;
	char *line = NULL;
	int rc = 0;
	if (!f) {
		fprintf(stderr, "pairscope crypto rpa-resolve: --irks: cannot open %s\n", r->a[1].str);
		return 2;
	}
	while (getline(&line, &sz, f) > 0) {
		lineno++;
		line[strcspn(line, "#\r\n")] = 0;
		if (line[strspn(line, " \t")] == 0)
			continue;
		if (n == cap) {
			void *p = realloc(irks, (cap = cap ? 2 * cap : 1024) * 16);
			if (!p) {
				rc = fail(r, "IRK list", -PS_ENOMEM);
				goto out;
			}
			irks = p;
		}
		if (ps_hex_decode(line + strspn(line, " \t"), irks[n], 16) != 16) {
			fprintf(stderr, "pairscope crypto rpa-resolve: %s:%zu: an IRK is 16 octets of hex\n",
				r->a[1].str, lineno);
			rc = 2;
			goto out;
		}
		if (!r->o.lsb)
			ps_reverse(irks[n], 16);
		n++;
	}
	if (ferror(f) || !n) { /* a directory reads as an error; an empty list resolves nothing */
		fprintf(stderr, "pairscope crypto rpa-resolve: --irks %s: %s\n", r->a[1].str,
			ferror(f) ? "read error (expected a text file, one IRK a line)" : "no IRK in the file");
		rc = 2;
		goto out;
	}
	int idx = ps_crypto_rpa_resolve(r->c, (const uint8_t(*)[16])irks, n, A(0));
	if (idx < 0) {
		rc = fail(r, idx == -PS_EINVAL ? "not a resolvable private address (top bits must be 01)"
					       : "no IRK in the list resolves the address", idx);
		goto out;
	}
	char num[24];
	snprintf(num, sizeof num, "%d", idx + 1);
	out_text(r, "entry", num, false, false); /* the IRK's position in the list, counting from 1 */
	out_val(r, "irk", irks[idx], 16, false);
out:
	free(line);
	free(irks);
	fclose(f);
	return rc;
}

/* ccm-encrypt / ccm-decrypt: --pdu gives the whole PDU (header octet, length, payload [, MIC]). */
static int ll_pdu(struct run *r, bool dec, uint8_t *hdr, const uint8_t **pl, size_t *n, const uint8_t **mic)
{
	const struct argval *pdu = &r->a[5], *h = &r->a[4], *p = &r->a[6], *m = &r->a[7];
	if (pdu->set) {
		if (h->set || p->set || (dec && m->set))
			return -1;
		size_t want = pdu->n >= 2 ? 2 + (size_t)pdu->v[1] : 0;
		if (pdu->n < 2 || pdu->n != want || (dec && pdu->n < 6)) {
			fprintf(stderr, "pairscope crypto %s: --pdu: length octet %u does not match %zu octets\n",
				r->fn, pdu->n >= 2 ? pdu->v[1] : 0, pdu->n);
			return -2;
		}
		*hdr = pdu->v[0];
		*pl = pdu->v + 2;
		*n = pdu->n - 2 - (dec ? 4 : 0);
		*mic = dec ? pdu->v + pdu->n - 4 : NULL;
		return 0;
	}
	if (!h->set || !p->set || (dec && !m->set))
		return -1;
	*hdr = h->v[0];
	*pl = p->v;
	*n = p->n;
	*mic = dec ? m->v : NULL;
	return 0;
}

static int do_ccm(struct run *r, bool dec)
{
	uint8_t hdr, out[MAXOCT], mic[4], pdu[MAXOCT + 6];
	const uint8_t *pl, *inmic;
	size_t n;
	int rc = ll_pdu(r, dec, &hdr, &pl, &n, &inmic);
	if (rc == -1)
		return usage_err(r->fn, "give --hdr and --payload (and --mic to decrypt), or --pdu%s%s", "", "");
	if (rc)
		return 2;
	if (n > 251) {
		fprintf(stderr, "pairscope crypto %s: payload of %zu octets: an LL data PDU carries at most 251\n",
			r->fn, n);
		return 2;
	}
	if (dec)
		rc = ps_crypto_ll_decrypt(r->c, A(0), A(1), r->a[2].num, (int)r->a[3].num, hdr, pl, n, inmic, out);
	else
		rc = ps_crypto_ll_encrypt(r->c, A(0), A(1), r->a[2].num, (int)r->a[3].num, hdr, pl, n, out, mic);
	if (rc)
		return fail(r, dec ? "MIC check failed (wrong key, IV, counter, direction or header)" : "CCM", rc);
	pdu[0] = hdr;
	pdu[1] = (uint8_t)(dec ? n : n + 4);
	memcpy(pdu + 2, out, n);
	if (!dec)
		memcpy(pdu + 2 + n, mic, 4);
	out_oct(r, dec ? "plaintext" : "ciphertext", out, n, false);
	if (!dec)
		out_oct(r, "mic", mic, 4, false);
	out_oct(r, "pdu", pdu, dec ? n + 2 : n + 6, false);
	return 0;
}

static int do_ccm_encrypt(struct run *r) { return do_ccm(r, false); }
static int do_ccm_decrypt(struct run *r) { return do_ccm(r, true); }

/* ---- the table: argument names as the spec names the parameters, lower case ---- */

#define V(n, l, h) { n, K_VAL, l, false, h }
#define CCM_ARGS                                                                                  \
	V("sk", 16, "session key"), V("iv", 8, "IV = IVp || IVc (IVs || IVm), as the spec prints it"), \
		{ "counter", K_NUM, 0, false, "39-bit packet counter of this direction" },             \
		{ "dir", K_DIR, 0, false, "central|peripheral: who sent the PDU" },                    \
		{ "hdr", K_BYTE, 0, true, "first header octet (LLID, NESN, SN, MD, CP)" },             \
		{ "pdu", K_OCT, 0, true, "or the whole PDU: header, length, payload [, MIC]" }

static const struct fn {
	const char *name;
	int (*run)(struct run *r);
	const char *help;
	struct argdef args[MAXARGS];
} fns[] = {
	{ "cmac", do_cmac, "AES-CMAC (RFC 4493)", { V("k", 16, "key"), { "m", K_OCT, 0, false, "message octets" } } },
	{ "c1", do_c1, "legacy confirm value (Vol 3 Part H 2.2.3)",
	  { V("k", 16, "TK"), V("r", 16, "Mrand or Srand"), V("preq", 7, "Pairing Request PDU"),
	    V("pres", 7, "Pairing Response PDU"), { "iat", K_BYTE, 0, false, "initiator address type (0/1)" },
	    { "rat", K_BYTE, 0, false, "responder address type (0/1)" }, V("ia", 6, "initiator address"),
	    V("ra", 6, "responder address") } },
	{ "s1", do_s1, "legacy STK (2.2.4): s1(TK, Srand, Mrand)",
	  { V("k", 16, "TK"), V("r1", 16, "Srand"), V("r2", 16, "Mrand") } },
	{ "f4", do_f4, "SC confirm value (2.2.6)",
	  { V("u", 32, "PKax"), V("v", 32, "PKbx"), V("x", 16, "nonce"), { "z", K_BYTE, 0, false, "Z" } } },
	{ "f5", do_f5, "SC MacKey and LTK (2.2.7)",
	  { V("w", 32, "DHKey"), V("n1", 16, "N1"), V("n2", 16, "N2"), { "a1", K_A56, 7, false, "type || address" },
	    { "a2", K_A56, 7, false, "type || address" } } },
	{ "f6", do_f6, "SC check value (2.2.8)",
	  { V("w", 16, "MacKey"), V("n1", 16, "N1"), V("n2", 16, "N2"), V("r", 16, "R"),
	    V("iocap", 3, "AuthReq || OOB flag || IO capability"), { "a1", K_A56, 7, false, "type || address" },
	    { "a2", K_A56, 7, false, "type || address" } } },
	{ "g2", do_g2, "SC numeric comparison value (2.2.9)",
	  { V("u", 32, "PKax"), V("v", 32, "PKbx"), V("x", 16, "Na"), V("y", 16, "Nb") } },
	{ "h6", do_h6, "key conversion (2.2.10)", { V("w", 16, "key"), V("keyid", 4, "key ID") } },
	{ "h7", do_h7, "key conversion with SALT (2.2.11)", { V("salt", 16, "SALT"), V("w", 16, "key") } },
	{ "h8", do_h8, "key derivation (2.2.12)", { V("k", 16, "K"), V("s", 16, "S"), V("keyid", 4, "key ID") } },
	{ "ah", do_ah, "random address hash (2.2.2); prints the hash and the RPA",
	  { V("irk", 16, "IRK"), V("prand", 3, "prand") } },
	{ "rpa-resolve", do_rpa_resolve, "which IRK of a list resolves an RPA (Vol 6 Part B 1.3.2.3)",
	  { V("addr", 6, "the address, e.g. 70:81:94:0D:FB:AA"),
	    { "irks", K_PATH, 0, false, "file: one IRK (16 octets hex) a line" } } },
	{ "p256", do_p256, "P-256 public key of a private key (Vol 2 Part G 7.1)", { V("private", 32, "private key") } },
	{ "dhkey", do_dhkey, "P-256 ECDH shared secret, peer key validated",
	  { V("private", 32, "own private key"), V("public-x", 32, "peer X"), V("public-y", 32, "peer Y") } },
	{ "session-key", do_session_key, "LL session key SK = e(LTK, SKDp || SKDc) (Vol 6 Part B 5.1.3.1)",
	  { V("ltk", 16, "LTK"), { "skd", K_VAL, 16, true, "SKD = SKDp || SKDc (or the two halves:)" },
	    { "skdm", K_VAL, 8, true, "SKDm (SKD_C) from LL_ENC_REQ" },
	    { "skds", K_VAL, 8, true, "SKDs (SKD_P) from LL_ENC_RSP" } } },
	{ "ccm-encrypt", do_ccm_encrypt, "encrypt one LL data PDU (Vol 6 Part E)",
	  { CCM_ARGS, { "payload", K_OCT, 0, true, "plaintext payload" } } },
	{ "ccm-decrypt", do_ccm_decrypt, "decrypt and check one LL data PDU (Vol 6 Part E)",
	  { CCM_ARGS, { "payload", K_OCT, 0, true, "ciphertext payload" }, { "mic", K_OCT, 0, true, "MIC" } } },
};

static void help(FILE *f)
{
	fprintf(f, "usage: pairscope crypto FUNCTION --ARG HEX ... [--lsb] [--json]\n\n"
		   "Values are hex, most significant octet first as the spec prints them (--lsb: air/HCI\n"
		   "order); octet strings (m, payload, pdu, mic) are taken as written. Separators ': -' allowed.\n"
		   "One result a line ('name value' when several); --json prints one object.\n\nfunctions:\n");
	for (size_t i = 0; i < PS_ARRAY_SIZE(fns); i++) {
		fprintf(f, "  %-12s %s\n", fns[i].name, fns[i].help);
		for (const struct argdef *d = fns[i].args; d < fns[i].args + MAXARGS && d->name; d++) {
			char len[24] = "";
			if (d->kind == K_VAL || d->kind == K_A56)
				snprintf(len, sizeof len, " (%zu octets)", d->len);
			fprintf(f, "      --%-9s %s%s%s\n", d->name, d->help, len, d->optional ? " [optional]" : "");
		}
	}
	fprintf(f, "\nExit: 0 done, 1 rejected input (invalid key, MIC failure), 2 usage error.\n");
}

static int usage_err(const char *fn, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "pairscope crypto%s%s: ", fn ? " " : "", fn ? fn : "");
	fprintf(stderr, fmt, a, b);
	fprintf(stderr, "\n(pairscope crypto --help lists the functions and their arguments)\n");
	return 2;
}

/* Parse one argument value into r->a[i] per its kind. 0, or prints the error and returns 2. */
static int parse_arg(struct run *r, int i, const char *s)
{
	const struct argdef *d = &r->defs[i];
	struct argval *v = &r->a[i];
	char *end;
	v->set = true;
	switch (d->kind) {
	case K_NUM:
	case K_BYTE:
		errno = 0;
		v->num = strtoull(s, &end, 0);
		if (*s == '-' || !*s || *end || errno || (d->kind == K_BYTE && v->num > 255)) {
			/* "00" / "0f": a lone octet in hex as the spec writes it */
			uint8_t b;
			if (d->kind == K_BYTE && ps_hex_decode(s, &b, 1) == 1) {
				v->num = b;
			} else {
				fprintf(stderr, "pairscope crypto %s: --%s: '%s' is not %s\n", r->fn, d->name, s,
					d->kind == K_BYTE ? "one octet (0..255, 0x.. or 2 hex digits)" : "a number");
				return 2;
			}
		}
		v->v[0] = (uint8_t)v->num;
		v->n = 1;
		return 0;
	case K_PATH:
		v->str = s;
		return 0;
	case K_DIR:
		if (!strcmp(s, "central") || !strcmp(s, "c") || !strcmp(s, "m") || !strcmp(s, "master") || !strcmp(s, "1"))
			v->num = 1;
		else if (!strcmp(s, "peripheral") || !strcmp(s, "p") || !strcmp(s, "s") || !strcmp(s, "slave") ||
			 !strcmp(s, "0"))
			v->num = 0;
		else {
			fprintf(stderr, "pairscope crypto %s: --dir: '%s': use central or peripheral\n", r->fn, s);
			return 2;
		}
		return 0;
	case K_OCT:
	case K_VAL:
	case K_A56:
		break;
	}
	int n = ps_hex_decode(s, v->v, sizeof v->v);
	if (n < 0) {
		fprintf(stderr, "pairscope crypto %s: --%s: %s\n", r->fn, d->name,
			n == -PS_ENOSPC ? "too long" : "not hex (odd number of digits or a non-hex character)");
		return 2;
	}
	v->n = (size_t)n;
	if (d->kind == K_OCT)
		return 0;
	if (v->n != d->len) {
		fprintf(stderr, "pairscope crypto %s: --%s must be %zu octets (%zu hex digits), got %zu\n", r->fn,
			d->name, d->len, 2 * d->len, v->n);
		return 2;
	}
	if (!r->o.lsb)
		ps_reverse(v->v, v->n); /* spec text (MSO first) -> wire order */
	if (d->kind == K_A56) {       /* wire 56-bit value: address[0..5], type -> type, address */
		uint8_t t = v->v[6];
		memmove(v->v + 1, v->v, 6);
		v->v[0] = t;
	}
	return 0;
}

/* Hidden `pairscope crypto --bench [c1|ecdh|rpa|all] [SECONDS]`, in cmd_crypto_bench.c. */
int ps_cmd_crypto_bench(const struct ps_crypto *c, int argc, char **argv);

int ps_cmd_crypto(int argc, char **argv)
{
	struct run r = { 0 };
	const struct fn *f = NULL;
	int rc;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			help(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--lsb"))
			r.o.lsb = true;
		else if (!strcmp(argv[i], "--json"))
			r.o.json = true;
	}
	if (argc < 2) {
		help(stderr);
		return 2;
	}
	struct ps_crypto c;
	if (!strcmp(argv[1], "--bench")) {
		if ((rc = ps_crypto_openssl_new(&c)) < 0)
			return usage_err(NULL, "no crypto backend: %s%s", ps_strerror(rc), "");
		rc = ps_cmd_crypto_bench(&c, argc - 2, argv + 2);
		ps_crypto_free(&c);
		return rc;
	}
	for (size_t i = 0; i < PS_ARRAY_SIZE(fns); i++)
		if (!strcmp(argv[1], fns[i].name))
			f = &fns[i];
	if (!f)
		return usage_err(NULL, "unknown function '%s'%s", argv[1], "");
	r.fn = f->name;
	r.defs = f->args;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		if (!strcmp(a, "--lsb") || !strcmp(a, "--json"))
			continue;
		if (strncmp(a, "--", 2))
			return usage_err(r.fn, "unexpected '%s'%s", a, "");
		a += 2;
		const char *eq = strchr(a, '=');
		size_t alen = eq ? (size_t)(eq - a) : strlen(a);
		int k = -1;
		for (int j = 0; j < MAXARGS && f->args[j].name; j++)
			if (strlen(f->args[j].name) == alen && !strncmp(f->args[j].name, a, alen))
				k = j;
		if (k < 0)
			return usage_err(r.fn, "unknown argument '%s'%s", argv[i], "");
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return usage_err(r.fn, "--%s needs a value%s", f->args[k].name, "");
		if (r.a[k].set)
			return usage_err(r.fn, "--%s given twice%s", f->args[k].name, "");
		if ((rc = parse_arg(&r, k, val)))
			return rc;
	}
	for (int j = 0; j < MAXARGS && f->args[j].name; j++)
		if (!f->args[j].optional && !r.a[j].set)
			return usage_err(r.fn, "missing --%s (%s)", f->args[j].name, f->args[j].help);
	if ((rc = ps_crypto_openssl_new(&c)) < 0) {
		fprintf(stderr, "pairscope crypto: no crypto backend: %s\n", ps_strerror(rc));
		return 1;
	}
	r.c = &c;
	out_begin(&r);
	rc = f->run(&r);
	if (rc == 0)
		out_end(&r);
	else if (r.o.json && r.o.count == 0)
		printf("}\n");
	ps_crypto_free(&c);
	return rc;
}
