/* pairscope convert: read any capture pairscope reads and write it as btsnoop (2001 or 1002) or pcap
 * (DLT 201). Exit 0 written, 1 written but the input was damaged, 2 usage or unreadable (nothing written). */
#include "cli.h"
#include <pairscope/trace.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

struct diag_ctx {
	const char *name;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: pairscope convert IN -o OUT [--format btsnoop|btsnoop-h4|pcap]\n"
		   "\n"
		   "  IN            btsnoop (1001/1002/2001, Android), pcap/pcapng or btmon text; - = standard input\n"
		   "  -o OUT        output file (written atomically); - = standard output\n"
		   "  --format F    btsnoop     btsnoop datalink 2001, Linux monitor (as btmon -w)\n"
		   "                btsnoop-h4  btsnoop datalink 1002, H4 (as Android)\n"
		   "                pcap        pcap, DLT 201 (H4 with direction)\n"
		   "                default: from OUT's extension (.btsnoop/.log -> btsnoop, .pcap -> pcap)\n"
		   "\n"
		   "exit: 0 written, 1 written but the input was damaged, 2 usage error or unreadable input\n");
}

static void on_diag(void *ctx, const struct ps_trace_diag *d)
{
	const struct diag_ctx *c = ctx;
	if (d->number)
		fprintf(stderr, "pairscope convert: %s: frame %llu, offset %llu: %s\n", c->name,
			(unsigned long long)d->number, (unsigned long long)d->offset, d->msg);
	else
		fprintf(stderr, "pairscope convert: %s: offset %llu: %s\n", c->name, (unsigned long long)d->offset,
			d->msg);
}

static int format_by_name(const char *s, enum ps_writer_format *fmt)
{
	if (!strcmp(s, "btsnoop") || !strcmp(s, "btsnoop-monitor"))
		*fmt = PS_WRITE_BTSNOOP_MONITOR;
	else if (!strcmp(s, "btsnoop-h4"))
		*fmt = PS_WRITE_BTSNOOP_H4;
	else if (!strcmp(s, "pcap"))
		*fmt = PS_WRITE_PCAP_H4_PHDR;
	else
		return -1;
	return 0;
}

static int format_by_ext(const char *out, enum ps_writer_format *fmt)
{
	if (!strcmp(out, "-")) {
		*fmt = PS_WRITE_BTSNOOP_MONITOR;
		return 0;
	}
	const char *dot = strrchr(out, '.');
	const char *slash = strrchr(out, '/');
	if (!dot || (slash && dot < slash))
		return -1;
	if (!strcmp(dot, ".btsnoop") || !strcmp(dot, ".log") || !strcmp(dot, ".cfa"))
		*fmt = PS_WRITE_BTSNOOP_MONITOR;
	else if (!strcmp(dot, ".pcap") || !strcmp(dot, ".cap"))
		*fmt = PS_WRITE_PCAP_H4_PHDR;
	else
		return -1;
	return 0;
}

static const char *format_text(enum ps_writer_format f)
{
	switch (f) {
	case PS_WRITE_BTSNOOP_MONITOR: return "btsnoop (Linux monitor)";
	case PS_WRITE_BTSNOOP_H4: return "btsnoop H4";
	case PS_WRITE_PCAP_H4_PHDR: return "pcap DLT 201";
	}
	return "?";
}

int ps_cmd_convert(int argc, char **argv)
{
	const char *in = NULL, *out = NULL, *fmtname = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (++i >= argc) {
				fprintf(stderr, "pairscope convert: %s needs a file name\n", a);
				goto bad;
			}
			out = argv[i];
		} else if (!strncmp(a, "--output=", 9)) {
			out = a + 9;
		} else if (!strcmp(a, "--format") || !strcmp(a, "-f")) {
			if (++i >= argc) {
				fprintf(stderr, "pairscope convert: %s needs a value (btsnoop, btsnoop-h4 or pcap)\n", a);
				goto bad;
			}
			fmtname = argv[i];
		} else if (!strncmp(a, "--format=", 9)) {
			fmtname = a + 9;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "pairscope convert: unknown option '%s'\n", a);
			goto bad;
		} else if (!in) {
			in = a;
		} else {
			fprintf(stderr, "pairscope convert: one input only ('%s')\n", a);
			goto bad;
		}
	}
	if (!in || !out) {
		fprintf(stderr, "pairscope convert: %s\n", !in ? "no input file given" : "no output given (-o OUT)");
		goto bad;
	}
	struct stat st;
	if (strcmp(out, "-") && stat(out, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "pairscope convert: %s: is a directory (expected an output file name)\n", out);
		return 2;
	}
	enum ps_writer_format fmt;
	if (fmtname && format_by_name(fmtname, &fmt) < 0) {
		fprintf(stderr, "pairscope convert: unknown format '%s' (btsnoop, btsnoop-h4 or pcap)\n", fmtname);
		return 2;
	}
	if (!fmtname && format_by_ext(out, &fmt) < 0) {
		fprintf(stderr,
			"pairscope convert: cannot tell the output format from '%s' (.btsnoop, .log or .pcap); "
			"use --format\n",
			out);
		return 2;
	}

	struct diag_ctx dc = { .name = strcmp(in, "-") ? in : "standard input" };
	struct ps_trace_opts opts = { .on_diag = on_diag, .diag_ctx = &dc };
	struct ps_trace *t;
	char err[512];
	int rc = ps_trace_open(&t, in, &opts, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "pairscope convert: %s\n", err);
		return rc == -PS_EEMPTY ? 1 : 2; /* a log with nothing readable is damaged input */
	}
	struct ps_writer *w;
	if ((rc = ps_writer_open(&w, out, fmt)) < 0) {
		fprintf(stderr, "pairscope convert: %s: cannot write: %s\n", out,
			rc == -PS_ENOENT ? "no such directory" : ps_strerror(rc));
		ps_trace_free(t);
		return 2;
	}
	unsigned long long written = 0, left_out = 0;
	struct ps_frame f;
	while ((rc = ps_trace_next(t, &f)) == 0) {
		int wr = ps_writer_write(w, &f);
		if (wr == -PS_EUNSUP) {
			left_out++;
		} else if (wr < 0) {
			rc = wr;
			fprintf(stderr, "pairscope convert: %s: write error: %s\n", out, ps_strerror(wr));
			break;
		} else {
			written++;
		}
	}
	if (rc != -PS_EOF) {
		fprintf(stderr, "pairscope convert: %s: %s; nothing written\n", dc.name, ps_strerror(rc));
		ps_writer_abort(w);
		ps_trace_free(t);
		return 2;
	}
	unsigned damage = ps_trace_damage(t);
	ps_trace_free(t);
	if ((rc = ps_writer_close(w)) < 0) {
		fprintf(stderr, "pairscope convert: %s: cannot write: %s; nothing written\n", out, ps_strerror(rc));
		return 2;
	}
	if (left_out)
		fprintf(stderr,
			"pairscope convert: %llu records have no %s form (index records, notes, sniffer link-layer "
			"packets) and were left out\n",
			left_out, format_text(fmt));
	if (damage) {
		fprintf(stderr, "pairscope convert: %s: input damaged (%u problems); wrote %llu frames to %s\n",
			dc.name, damage, written, out);
		return 1;
	}
	return 0;
bad:
	usage(stderr);
	return 2;
}
