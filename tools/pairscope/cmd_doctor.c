/* pairscope doctor: rebuild every pairing in a capture and check it against the spec (issue 5).
 * Exit 0 when no error finding, 1 when any, 2 on usage errors or unreadable input (like a linter). */
#include "cli.h"
#include <pairscope/doctor.h>
#include <pairscope/crypto.h>
#include <pairscope/trace.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: pairscope doctor [--json] [--color auto|always|never | --no-color] [--no-passkey-search]\n"
		   "                        CAPTURE|-\n"
		   "       pairscope doctor --rules [--json]\n\n"
		   "Rebuilds every LE pairing in CAPTURE (btsnoop, pcap/pcapng, btmon text) and checks it against\n"
		   "Core Vol 3 Part H, Vol 3 Part A and Vol 4 Part E. Exit 0: no error finding; 1: errors; 2: unreadable\n"
		   "input or usage error.\n");
}

static void on_diag(void *ctx, const struct ps_trace_diag *dg)
{
	const char *name = ctx;
	if (dg->number)
		fprintf(stderr, "pairscope doctor: %s: frame %llu, offset %llu: %s\n", name,
			(unsigned long long)dg->number, (unsigned long long)dg->offset, dg->msg);
	else
		fprintf(stderr, "pairscope doctor: %s: offset %llu: %s\n", name, (unsigned long long)dg->offset,
			dg->msg);
}

static int color_by_name(const char *v)
{
	return !strcmp(v, "always") ? 1 : !strcmp(v, "never") ? 0 : !strcmp(v, "auto") ? -1 : -2;
}

int ps_cmd_doctor(int argc, char **argv)
{
	bool json = false, rules = false, nosearch = false;
	int color = -1; /* auto */
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--json"))
			json = true;
		else if (!strcmp(a, "--rules"))
			rules = true;
		else if (!strcmp(a, "--no-passkey-search"))
			nosearch = true;
		else if (!strcmp(a, "--no-color"))
			color = 0;
		else if (!strcmp(a, "--color") || !strncmp(a, "--color=", 8)) {
			const char *v = a[7] == '=' ? a + 8 : i + 1 < argc ? argv[++i] : "";
			if ((color = color_by_name(v)) == -2) {
				fprintf(stderr, "pairscope doctor: --color wants auto, always or never, not '%s'\n", v);
				return 2;
			}
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "pairscope doctor: unknown option %s\n", a);
			usage(stderr);
			return 2;
		} else if (!path)
			path = a;
		else {
			fprintf(stderr, "pairscope doctor: one capture only ('%s')\n", a);
			return 2;
		}
	}
	if (rules)
		return ps_doctor_write_rules(stdout, json) < 0 ? 2 : 0;
	if (!path) {
		fprintf(stderr, "pairscope doctor: no capture given\n");
		usage(stderr);
		return 2;
	}
	struct ps_trace *t;
	char err[300] = "";
	struct ps_trace_opts to = { PS_TRACE_AUTO, on_diag, (void *)(strcmp(path, "-") ? path : "standard input") };
	int rc = ps_trace_open(&t, path, &to, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "pairscope doctor: %s\n", err[0] ? err : ps_strerror(rc));
		return 2;
	}
	struct ps_crypto cr;
	bool have_crypto = ps_crypto_openssl_new(&cr) == 0;
	struct ps_doctor_opts o = { have_crypto ? &cr : NULL, nosearch };
	struct ps_doctor *d;
	if ((rc = ps_doctor_new(&d, &o)) < 0) {
		ps_trace_free(t);
		if (have_crypto)
			ps_crypto_free(&cr);
		fprintf(stderr, "pairscope doctor: %s\n", ps_strerror(rc));
		return 2;
	}
	struct ps_frame f;
	memset(&f, 0, sizeof f);
	while ((rc = ps_trace_next(t, &f)) == 0)
		ps_doctor_feed(d, &f);
	int status = 0;
	if (rc != -PS_EOF) {
		fprintf(stderr, "pairscope doctor: %s: %s (diagnosing what was read)\n", path, ps_strerror(rc));
		if (!ps_doctor_npairings(d) && f.number == 0)
			status = 2;
	}
	ps_doctor_finish(d);
	if (json)
		ps_doctor_write_json(d, stdout);
	else
		ps_doctor_write_text(d, stdout, color < 0 ? isatty(STDOUT_FILENO) : color);
	fflush(stdout);
	if (!status)
		status = ps_doctor_max_severity(d) >= PS_DOCTOR_ERROR ? 1 : 0;
	/* A binary capture the reader found damaged (truncated or lying records, each reported above) is
	 * bad input even when what survived looks clean: the report may lack the very frames that
	 * matter. Text logs pasted from mail are partial by nature; their gaps are findings, not this. */
	if (!status && ps_trace_damage(t) > 0 && ps_trace_get_format(t) != PS_TRACE_BTMON_TEXT) {
		fprintf(stderr, "pairscope doctor: %s: the capture is damaged (%u problem%s above): the diagnosis covers "
			"only what could be read\n", path, ps_trace_damage(t), ps_trace_damage(t) == 1 ? "" : "s");
		status = 1;
	}
	if (ferror(stdout)) {
		fprintf(stderr, "pairscope doctor: cannot write the report to standard output\n");
		status = 2;
	}
	ps_doctor_free(d);
	ps_trace_free(t);
	if (have_crypto)
		ps_crypto_free(&cr);
	return status;
}
