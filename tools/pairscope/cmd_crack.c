/* pairscope crack: recover LE legacy pairing keys from a capture and decrypt the link (docs/crack.md).
 * Prints per connection, or --json; exit 0 when every legacy pairing found was cracked, 1 when any was
 * not (or an encrypted link stayed closed), 2 on bad usage or unreadable input. */
#include "cli.h"
#include <pairscope/crack.h>
#include <pairscope/trace.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LTKS 16

static void usage(FILE *f)
{
	fprintf(f, "usage: pairscope crack [options] CAPTURE\n"
		   "Recover LE legacy pairing keys (TK, STK, LTK, IRK, CSRK) from a sniffer capture (pcap/pcapng DLT\n"
		   "251, 256, 272, 157, 192 PPI) or an HCI capture (btsnoop, pcap, btmon text), and decrypt the link.\n\n"
		   "  -j, --jobs N       search the TK space on N threads (default 1)\n"
		   "  -l, --ltk HEX      a known LTK (most significant byte first, as crackle prints it); repeatable\n"
		   "  -o, --output FILE  write the capture with decrypted payloads (pcap, same DLT)\n"
		   "      --json         one JSON document instead of text\n"
		   "  -q, --quiet        no notes about missed or damaged packets\n"
		   "  -h, --help         this text\n\n"
		   "Exit status: 0 every legacy pairing cracked, 1 some pairing or encrypted link not broken, 2 bad input.\n");
}

/* A key (n <= 16 octets, wire order) as lowercase hex, MSO first as the spec prints keys. */
static void hex_msb(const uint8_t *wire, size_t n, char *out)
{
	uint8_t msb[16];
	memcpy(msb, wire, n);
	ps_reverse(msb, n);
	ps_hex_encode(msb, n, out);
}

static const char *method_name(enum ps_crack_method m, bool json)
{
	switch (m) {
	case PS_CRACK_METHOD_NONE: return json ? "none" : "no pairing seen";
	case PS_CRACK_METHOD_UNKNOWN: return json ? "unknown" : "unknown (features missed)";
	case PS_CRACK_METHOD_JUST_WORKS: return json ? "just_works" : "Just Works";
	case PS_CRACK_METHOD_PASSKEY: return json ? "passkey" : "Passkey Entry";
	case PS_CRACK_METHOD_OOB: return json ? "oob" : "Out of Band";
	case PS_CRACK_METHOD_NUMCMP: return json ? "numeric_comparison" : "Numeric Comparison";
	}
	return "?";
}

static const char *verdict_name(enum ps_crack_verdict v, bool json)
{
	switch (v) {
	case PS_CRACK_CRACKED: return json ? "cracked" : "CRACKED";
	case PS_CRACK_DECRYPTED: return json ? "decrypted" : "DECRYPTED with a known LTK";
	case PS_CRACK_VERIFIED: return json ? "verified" : "VERIFIED (keys visible in HCI)";
	case PS_CRACK_SC_DEBUG_KEY: return json ? "sc_debug_key" : "CRACKED (Secure Connections debug key)";
	case PS_CRACK_SC_NOT_CRACKABLE: return json ? "sc_not_crackable" : "NOT CRACKABLE (LE Secure Connections)";
	case PS_CRACK_FAILED: return json ? "failed" : "NOT CRACKED";
	case PS_CRACK_PLAIN: return json ? "unencrypted" : "nothing encrypted";
	}
	return "?";
}

static void json_str(FILE *o, const char *s) { ps_json_quote(s, ps_put_file, o); }

static void json_key(FILE *o, const char *name, bool have, const uint8_t *wire, size_t n, bool last)
{
	char h[65];
	fprintf(o, "\"%s\": ", name);
	if (have) {
		hex_msb(wire, n, h);
		fprintf(o, "\"%s\"", h);
	} else {
		fputs("null", o);
	}
	fputs(last ? "" : ", ", o);
}

static void addr_text(const struct ps_addr *a, char *out)
{
	char b[PS_ADDR_STRLEN];
	sprintf(out, "%s (%s)", ps_addr_str(a->a, b), a->type ? "random" : "public");
}

static void print_json(FILE *o, const char *file, const struct ps_crack *c)
{
	fputs("{\"file\": ", o);
	json_str(o, file);
	fputs(", \"connections\": [", o);
	for (size_t i = 0; i < ps_crack_count(c); i++) {
		const struct ps_crack_conn *k = ps_crack_get(c, i);
		uint8_t ediv[2] = { (uint8_t)k->ediv, (uint8_t)(k->ediv >> 8) }, rand[8];
		for (int b = 0; b < 8; b++)
			rand[b] = (uint8_t)(k->rand >> (8 * b));
		char a[40];
		fprintf(o, "%s\n  {\"access_address\": ", i ? "," : "");
		if (k->have & PS_CRACK_FROM_HCI)
			fputs("null", o);
		else
			fprintf(o, "\"0x%08x\"", k->access_address);
		if (k->have & PS_CRACK_HAVE_ADDRS) {
			addr_text(&k->central, a);
			fputs(", \"central\": ", o);
			json_str(o, a);
			addr_text(&k->peripheral, a);
			fputs(", \"peripheral\": ", o);
			json_str(o, a);
		}
		fprintf(o, ", \"first_frame\": %llu, \"last_frame\": %llu", (unsigned long long)k->first_frame,
			(unsigned long long)k->last_frame);
		fprintf(o, ", \"method\": \"%s\", \"secure_connections\": %s, ", method_name(k->method, true),
			k->secure_connections ? "true" : "false");
		if (k->have & PS_CRACK_HAVE_TK)
			fprintf(o, "\"tk\": %u, \"passkey\": \"%06u\", ", k->tk, k->tk);
		else
			fputs("\"tk\": null, \"passkey\": null, ", o);
		fprintf(o, "\"tk_by_decryption\": %s, ", (k->have & PS_CRACK_TK_BY_DECRYPTION) ? "true" : "false");
		json_key(o, "stk", k->have & PS_CRACK_HAVE_STK, k->stk, 16, false);
		json_key(o, "ltk", k->have & PS_CRACK_HAVE_LTK, k->ltk, 16, false);
		json_key(o, "ediv", k->have & PS_CRACK_HAVE_EDIV, ediv, 2, false);
		json_key(o, "rand", k->have & PS_CRACK_HAVE_EDIV, rand, 8, false);
		json_key(o, "irk", k->have & PS_CRACK_HAVE_IRK, k->irk, 16, false);
		json_key(o, "csrk", k->have & PS_CRACK_HAVE_CSRK, k->csrk, 16, false);
		fputs("\"distributed\": {", o);
		for (int d = 0; d < 2; d++) {
			const struct ps_crack_dist *x = &k->dist[d];
			uint8_t e2[2] = { (uint8_t)x->ediv, (uint8_t)(x->ediv >> 8) }, r8[8];
			for (int b = 0; b < 8; b++)
				r8[b] = (uint8_t)(x->rand >> (8 * b));
			fprintf(o, "\"%s\": ", d ? "peripheral" : "central");
			if (x->have) {
				fputs("{", o);
				json_key(o, "ltk", true, x->ltk, 16, false);
				json_key(o, "ediv", x->have_ediv, e2, 2, false);
				json_key(o, "rand", x->have_ediv, r8, 8, true);
				fputs("}", o);
			} else {
				fputs("null", o);
			}
			fputs(d ? "}, " : ", ", o);
		}
		fprintf(o, "\"encrypted\": %u, \"decrypted\": %u, \"mic_ok\": %u, \"sniffer_decrypted\": %u, "
			   "\"retransmissions\": %u, \"bad_crc\": %u, \"verdict\": \"%s\", \"note\": ",
			k->encrypted, k->decrypted, k->mic_ok, k->sniffer_plain, k->retransmissions, k->bad_crc,
			verdict_name(k->verdict, true));
		json_str(o, k->note);
		fputs("}", o);
	}
	fputs("\n]}\n", o);
}

static void print_text(FILE *o, const struct ps_crack *c)
{
	size_t n = ps_crack_count(c);
	fprintf(o, "%zu connection%s\n", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		const struct ps_crack_conn *k = ps_crack_get(c, i);
		char h[33], a[40], b[40];
		fprintf(o, "\nConnection %zu", i + 1);
		if (!(k->have & PS_CRACK_FROM_HCI))
			fprintf(o, ": access address 0x%08x", k->access_address);
		else
			fprintf(o, ": HCI handle 0x%04x", k->handle);
		fprintf(o, " (frames %llu-%llu)\n", (unsigned long long)k->first_frame, (unsigned long long)k->last_frame);
		if (k->have & PS_CRACK_HAVE_ADDRS) {
			addr_text(&k->central, a);
			addr_text(&k->peripheral, b);
			fprintf(o, "  Central %s -> peripheral %s\n", a, b);
		}
		fprintf(o, "  Pairing: %s%s\n", k->pairing ? (k->secure_connections ? "LE Secure Connections, " : "legacy, ") : "",
			method_name(k->method, false));
		if (k->have & PS_CRACK_HAVE_TK)
			fprintf(o, "  TK: %06u%s\n", k->tk, (k->have & PS_CRACK_TK_BY_DECRYPTION) ? " (by decryption search)" : "");
		if (k->have & PS_CRACK_HAVE_STK)
			hex_msb(k->stk, 16, h), fprintf(o, "  STK: %s\n", h);
		if (k->have & PS_CRACK_HAVE_LTK)
			hex_msb(k->ltk, 16, h), fprintf(o, "  LTK: %s\n", h);
		if (k->have & PS_CRACK_HAVE_EDIV)
			fprintf(o, "  EDIV: 0x%04x  Rand: 0x%016llx\n", k->ediv, (unsigned long long)k->rand);
		for (int d = 0; d < 2; d++)
			if (k->dist[d].have && k->dist[1 - d].have) {
				hex_msb(k->dist[d].ltk, 16, h);
				fprintf(o, "    distributed by the %s: %s", d ? "peripheral" : "central", h);
				if (k->dist[d].have_ediv)
					fprintf(o, " EDIV 0x%04x Rand 0x%016llx", k->dist[d].ediv,
						(unsigned long long)k->dist[d].rand);
				fputc('\n', o);
			}
		if (k->have & PS_CRACK_HAVE_IRK)
			hex_msb(k->irk, 16, h), fprintf(o, "  IRK: %s\n", h);
		if (k->have & PS_CRACK_HAVE_CSRK)
			hex_msb(k->csrk, 16, h), fprintf(o, "  CSRK: %s\n", h);
		if (k->encrypted) {
			fprintf(o, "  Encrypted PDUs: %u, decrypted: %u (MIC OK: %u", k->encrypted, k->decrypted, k->mic_ok);
			if (k->sniffer_plain)
				fprintf(o, ", %u already decrypted by the sniffer", k->sniffer_plain);
			fputs(")\n", o);
		}
		if (k->retransmissions)
			fprintf(o, "  Retransmissions skipped: %u\n", k->retransmissions);
		if (k->bad_crc)
			fprintf(o, "  Damaged PDUs dropped (bad CRC): %u\n", k->bad_crc);
		fprintf(o, "  Verdict: %s%s%s\n", verdict_name(k->verdict, false), k->note[0] ? ": " : "", k->note);
	}
}

struct notes {
	const char *file;
	bool quiet;
};

static void on_note(void *ctx, uint64_t frame, const char *msg)
{
	struct notes *n = ctx;
	if (!n->quiet)
		fprintf(stderr, "pairscope crack: %s: frame %llu: %s\n", n->file, (unsigned long long)frame, msg);
}

static void on_diag(void *ctx, const struct ps_trace_diag *d)
{
	struct notes *n = ctx;
	if (!n->quiet)
		fprintf(stderr, "pairscope crack: %s: frame %llu: %s\n", n->file, (unsigned long long)d->number, d->msg);
}

static int selftest(const struct ps_crypto *cr, unsigned jobs, const char *what, const char *arg)
{
	uint32_t pk = arg ? (uint32_t)strtoul(arg, NULL, 10) : 999999, found = 0;
	double s = 0;
	struct timespec c0, c1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	int rc = !strcmp(what, "search") ? ps_crack_selftest_search(cr, jobs, pk, &found, &s)
					  : ps_crack_selftest_decrypt_search(cr, jobs, pk, &found, &s);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
	if (rc < 0 || found != pk) {
		fprintf(stderr, "pairscope crack: selftest %s failed: %s\n", what, ps_strerror(rc));
		return 1;
	}
	printf("%s passkey %06u found in %.1f ms on %u thread%s (CPU %.1f ms, synthesis included)\n", what, found,
	       s * 1000, jobs ? jobs : 1, jobs > 1 ? "s" : "", cpu * 1000);
	return 0;
}

int ps_cmd_crack(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_SELFTEST_SEARCH, OPT_SELFTEST_DECRYPT, OPT_SELFTEST_CAPTURE, OPT_PASSKEY, OPT_NO_CONFIRMS };
	static const struct option lopts[] = {
		{ "jobs", required_argument, NULL, 'j' },
		{ "ltk", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "selftest-search", optional_argument, NULL, OPT_SELFTEST_SEARCH },
		{ "selftest-decrypt", optional_argument, NULL, OPT_SELFTEST_DECRYPT },
		{ "selftest-capture", required_argument, NULL, OPT_SELFTEST_CAPTURE },
		{ "passkey", required_argument, NULL, OPT_PASSKEY },
		{ "no-confirms", no_argument, NULL, OPT_NO_CONFIRMS },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t ltks[MAX_LTKS][16];
	size_t nltk = 0;
	unsigned jobs = 1;
	const char *out = NULL, *st = NULL, *starg = NULL, *synth = NULL;
	uint32_t passkey = 999999;
	bool confirms = true;
	bool json = false;
	struct notes notes = { 0 };
	int ch;
	static char prog[] = "pairscope crack"; /* getopt's messages name the command */
	argv[0] = prog;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "j:l:o:qh", lopts, NULL)) != -1) {
		switch (ch) {
		case 'j': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || v < 1 || v > 64) {
				fprintf(stderr, "pairscope crack: -j wants 1..64, not '%s'\n", optarg);
				return 2;
			}
			jobs = (unsigned)v;
			break;
		}
		case 'l':
			if (nltk == MAX_LTKS || ps_hex_decode(optarg, ltks[nltk], 16) != 16) {
				fprintf(stderr, "pairscope crack: --ltk wants 32 hex digits (at most %d keys), not '%s'\n",
					MAX_LTKS, optarg);
				return 2;
			}
			ps_reverse(ltks[nltk++], 16); /* given most significant first, kept in wire order */
			break;
		case 'o': out = optarg; break;
		case 'q': notes.quiet = true; break;
		case OPT_JSON: json = true; break;
		case OPT_SELFTEST_SEARCH: st = "search", starg = optarg; break;
		case OPT_SELFTEST_DECRYPT: st = "decrypt", starg = optarg; break;
		case OPT_SELFTEST_CAPTURE: synth = optarg; break;
		case OPT_PASSKEY: passkey = (uint32_t)strtoul(optarg, NULL, 10) % 1000000; break;
		case OPT_NO_CONFIRMS: confirms = false; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	struct ps_crypto cr;
	if (ps_crypto_openssl_new(&cr) < 0) {
		fprintf(stderr, "pairscope crack: cannot start the crypto backend\n");
		return 2;
	}
	int ret = 2;
	struct ps_crack *c = NULL;
	struct ps_trace *t = NULL;
	if (st) {
		ret = selftest(&cr, jobs, st, starg);
		goto done;
	}
	if (synth) {
		/* Hidden: a synthetic worst-case capture for bench/rows.d/crack.sh. */
		ret = ps_crack_selftest_capture(&cr, passkey, confirms, synth) < 0 ? 2 : 0;
		goto done;
	}
	if (optind != argc - 1) {
		if (optind < argc)
			fprintf(stderr, "pairscope crack: one capture only ('%s')\n", argv[optind + 1]);
		else
			fprintf(stderr, "pairscope crack: no capture given\n");
		usage(stderr);
		goto done;
	}
	const char *file = argv[optind];
	notes.file = file;
	char err[300] = "";
	struct ps_trace_opts to = { .format = PS_TRACE_AUTO, .on_diag = on_diag, .diag_ctx = &notes };
	if (ps_trace_open(&t, file, &to, err, sizeof err) < 0) {
		fprintf(stderr, "pairscope crack: %s\n", err[0] ? err : file);
		goto done;
	}
	struct ps_crack_opts co = { .crypto = &cr, .threads = jobs, .ltks = (const uint8_t(*)[16])ltks,
				    .nltks = nltk, .on_note = on_note, .note_ctx = &notes };
	if (ps_crack_new(&c, &co) < 0)
		goto done;
	struct ps_frame f;
	int rc;
	uint64_t frames = 0;
	while ((rc = ps_trace_next(t, &f)) == 0) {
		frames++;
		if ((rc = ps_crack_feed(c, &f)) < 0)
			break;
	}
	if (rc != -PS_EOF) {
		fprintf(stderr, "pairscope crack: %s: %s\n", file, ps_strerror(rc));
		if (rc == -PS_ENOMEM || frames == 0)
			goto done;
	}
	if ((rc = ps_crack_run(c)) < 0) {
		fprintf(stderr, "pairscope crack: %s\n", ps_strerror(rc));
		goto done;
	}
	if (json)
		print_json(stdout, file, c);
	else
		print_text(stdout, c);
	ret = 0;
	for (size_t i = 0; i < ps_crack_count(c); i++)
		if (ps_crack_get(c, i)->verdict == PS_CRACK_FAILED)
			ret = 1;
	if (out) {
		rc = ps_crack_write_pcap(c, file, out, err, sizeof err);
		if (rc < 0) {
			fprintf(stderr, "pairscope crack: %s\n", err);
			ret = 2;
		} else if (!json) {
			printf("\nWrote %s: %d PDU%s decrypted\n", out, rc, rc == 1 ? "" : "s");
		}
	}
done:
	ps_crack_free(c);
	ps_trace_free(t);
	ps_crypto_free(&cr);
	return ret;
}
