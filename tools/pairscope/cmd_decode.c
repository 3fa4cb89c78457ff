/* pairscope decode: print a capture as btmon 5.66 does (default), one line per frame (--summary) or
 * JSON Lines (--json). Exit 0 when all went well, 1 when the input was damaged (each problem named on
 * stderr with its frame number and byte offset; decoding goes on), 2 on usage errors or unreadable
 * input. Output is written in big blocks through a ps_out sink; memory stays constant. */
#include "cli.h"
#include "print/print.h"
#include <pairscope/trace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pairscope decode [options] FILE|-\n"
		"  -C, --columns N     width of header lines (default: terminal width, 80 when not a tty)\n"
		"  -t, --time          show local time of day instead of offsets\n"
		"  -T, --date          show date and time\n"
		"  -N, --no-time       show no time\n"
		"      --summary       one line per frame\n"
		"      --json          JSON Lines, one object per frame\n"
		"      --only LIST     hci,acl,l2cap,smp,att,le,ll (comma separated; ll: sniffer frames)\n"
		"      --color / --no-color  colors (default: on a terminal only)\n"
		"      --legacy-names  Master/Slave/White list wording of older btmon\n"
		"      --new-header    btmon 5.86 ACL headers (LE-ACL: Handle 64 ...)\n"
		"  -V, --vendor ID     manufacturer to assume for vendor packets (btmon -V)\n"
		"\n"
		"FILE: btsnoop, pcap/pcapng or btmon text, sniffed from the bytes; - reads standard input.\n"
		"exit: 0 decoded, 1 the input was damaged (each problem named on stderr), 2 usage error or\n"
		"unreadable input\n");
}

struct diag_ctx {
	const char *name;
	unsigned count;
};

static void on_diag(void *ctx, const struct ps_trace_diag *d)
{
	struct diag_ctx *c = ctx;
	c->count++;
	fprintf(stderr, "pairscope decode: %s: frame %llu (offset %llu): %s\n", c->name,
		(unsigned long long)d->number, (unsigned long long)d->offset, d->msg);
}

static int parse_only(const char *s, unsigned *mask)
{
	static const struct {
		const char *n;
		unsigned m;
	} tab[] = { { "hci", PS_ONLY_HCI }, { "acl", PS_ONLY_ACL }, { "l2cap", PS_ONLY_L2CAP },
		    { "smp", PS_ONLY_SMP }, { "att", PS_ONLY_ATT }, { "le", PS_ONLY_LE }, { "ll", PS_ONLY_LL } };
	char buf[128];
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
			if (!strcmp(t, tab[i].n))
				break;
		if (i == sizeof tab / sizeof tab[0])
			return -1;
		*mask |= tab[i].m;
	}
	return 0;
}

int ps_cmd_decode(int argc, char **argv)
{
	struct ps_print_opts o = { .mode = PS_PRINT_TEXT, .time = PS_TIME_OFFSET, .vendor = 0xffff };
	const char *path = NULL;
	int color = -1;
	unsigned width = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((!strcmp(a, "-C") || !strcmp(a, "--columns")) && i + 1 < argc) {
			char *end;
			long w = strtol(argv[++i], &end, 10);
			if (*end || w < 20 || w > 250) {
				fprintf(stderr, "pairscope decode: bad width '%s' (20..250)\n", argv[i]);
				return 2;
			}
			width = (unsigned)w;
		} else if (!strcmp(a, "-t") || !strcmp(a, "--time")) {
			o.time = PS_TIME_LOCAL;
		} else if (!strcmp(a, "-T") || !strcmp(a, "--date")) {
			o.time = PS_TIME_DATE;
		} else if (!strcmp(a, "-N") || !strcmp(a, "--no-time")) {
			o.time = PS_TIME_NONE;
		} else if (!strcmp(a, "--summary")) {
			o.mode = PS_PRINT_SUMMARY;
		} else if (!strcmp(a, "--json")) {
			o.mode = PS_PRINT_JSON;
		} else if (!strcmp(a, "--only") && i + 1 < argc) {
			if (parse_only(argv[++i], &o.only) < 0) {
				fprintf(stderr, "pairscope decode: --only takes hci,acl,l2cap,smp,att,le,ll\n");
				return 2;
			}
		} else if (!strcmp(a, "--color")) {
			color = 1;
		} else if (!strcmp(a, "--no-color")) {
			color = 0;
		} else if (!strcmp(a, "--legacy-names")) {
			o.legacy_names = true;
		} else if (!strcmp(a, "--new-header")) {
			o.new_header = true;
		} else if ((!strcmp(a, "-V") || !strcmp(a, "--vendor")) && i + 1 < argc) {
			char *end;
			unsigned long v = strtoul(argv[++i], &end, 0);
			if (!argv[i][0] || *end || v > 0xffff) {
				fprintf(stderr, "pairscope decode: bad vendor '%s' (a company ID, 0..0xffff)\n", argv[i]);
				return 2;
			}
			o.vendor = (uint16_t)v;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-C") || !strcmp(a, "--columns") || !strcmp(a, "--only") || !strcmp(a, "-V") ||
			   !strcmp(a, "--vendor")) {
			fprintf(stderr, "pairscope decode: %s needs a value\n", a);
			return 2;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "pairscope decode: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		} else if (!path) {
			path = a;
		} else {
			fprintf(stderr, "pairscope decode: one input only\n");
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "pairscope decode: no capture given (FILE, or - for standard input)\n");
		usage(stderr);
		return 2;
	}
	bool tty = isatty(STDOUT_FILENO);
	if (!width && tty) {
		struct winsize ws;
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
			width = ws.ws_col;
	}
	o.width = width ? width : 80;
	o.color = color < 0 ? tty : color == 1;

	struct diag_ctx dc = { path, 0 };
	struct ps_trace_opts to = { .format = PS_TRACE_AUTO, .on_diag = on_diag, .diag_ctx = &dc };
	struct ps_trace *t;
	char err[256] = "";
	int rc = ps_trace_open(&t, path, &to, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "pairscope decode: %s\n", err[0] ? err : ps_strerror(rc));
		return rc == -PS_EEMPTY ? 1 : 2; /* a log with nothing readable is damaged input */
	}
	struct ps_out out;
	if (ps_out_init(&out, STDOUT_FILENO, 1u << 20) < 0) {
		ps_trace_free(t);
		return 2;
	}
	struct ps_printer *p = ps_printer_new(&o, &out);
	if (!p) {
		ps_out_close(&out);
		ps_trace_free(t);
		return 2;
	}
	struct ps_frame f;
	int exit_code = 0;
	while ((rc = ps_trace_next(t, &f)) == 0) {
		if (ps_printer_frame(p, &f) > 0)
			fprintf(stderr, "pairscope decode: %s: frame %llu (offset %llu): %s\n", path,
				(unsigned long long)f.number, (unsigned long long)f.offset, ps_printer_last_problem(p));
		if (out.err)
			break;
	}
	if (rc != -PS_EOF && rc < 0) {
		fprintf(stderr, "pairscope decode: %s: %s\n", path, ps_strerror(rc));
		exit_code = 1;
	}
	if (ps_printer_damage(p) || ps_trace_damage(t) || dc.count)
		exit_code = 1;
	ps_printer_free(p);
	if (ps_out_close(&out) < 0) {
		fprintf(stderr, "pairscope decode: cannot write standard output\n");
		exit_code = 2;
	}
	ps_trace_free(t);
	return exit_code;
}
