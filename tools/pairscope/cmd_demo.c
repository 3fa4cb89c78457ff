/* pairscope demo: the seed's story end to end (Vol 3 Part H §3.6.1 key distribution). 1) the mail's
 * btmon log through the doctor; 2) the same legacy Just Works pairing (the Pi's Pairing Request, the
 * sensor's Pairing Response) live on two virtual devices, with the Pi distributing keys the sensor
 * did not agree to, test-pattern values and all: the sensor's Pairing Failed, and the doctor on the
 * fresh trace; 3) the same pairing done right: success, matching keys. */
#include "cli.h"
#include "demo.h"
#include "doctor/doctor.h"
#include "pair_host.h"
#include "proto/smp.h"
#include <pairscope/sim.h>
#include <pairscope/trace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int doctor_stream(FILE *in, const char *name, const struct ps_crypto *c, const char **cause)
{
	struct ps_trace *t;
	char err[256];
	struct ps_trace_opts to = { .format = PS_TRACE_AUTO };
	int rc = ps_trace_open_stream(&t, in, name, &to, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "pairscope demo: %s\n", err);
		return rc;
	}
	struct ps_doctor *d;
	struct ps_doctor_opts o = { .crypto = c };
	if ((rc = ps_doctor_new(&d, &o)) < 0) {
		ps_trace_free(t);
		return rc;
	}
	struct ps_frame f;
	while ((rc = ps_trace_next(t, &f)) == 0)
		ps_doctor_feed(d, &f);
	ps_trace_free(t);
	ps_doctor_finish(d);
	ps_doctor_write_text(d, stdout, false);
	/* The probable cause, as the JSON report names it, for the story's summary line. */
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (m) {
		ps_doctor_write_json(d, m);
		fclose(m);
		const char *k = buf ? strstr(buf, "\"probable_cause\": \"") : NULL;
		static char name_buf[64];
		if (k && sscanf(k + 19, "%63[^\"]", name_buf) == 1)
			*cause = name_buf;
		free(buf);
	}
	ps_doctor_free(d);
	return rc == -PS_EOF ? 0 : rc;
}

/* The seed's two devices: the Pi (KeyboardOnly, Bonding+MITM, asks EncKey+Sign both ways) and the
 * sensor (NoInputNoOutput, Bonding, answers initiator Sign, responder EncKey). */
static void seed_devices(struct pair_host *p, const struct ps_crypto *c, bool faulty)
{
	memset(p, 0, sizeof *p);
	p->crypto = c;
	p->passkey = 123456;
	for (int i = 0; i < 2; i++) {
		struct pair_side *s = &p->d[i].s;
		ps_sm_config_default(&s->cfg);
		s->cfg.sc = false;
		s->cfg.ct2 = false;
		s->cfg.bond = true;
		s->addr.type = 1;
		uint8_t a[6] = { (uint8_t)(0x0a + i), 0x44, 0x33, 0x22, 0x11, 0xc0 };
		memcpy(s->addr.a, a, 6);
		s->cfg.identity = s->addr;
		c->rand(c->ctx, s->cfg.irk, 16);
	}
	struct ps_sm_config *pi = &p->d[0].s.cfg, *sensor = &p->d[1].s.cfg;
	pi->io_cap = 0x02;
	pi->mitm = true;
	pi->dist_init = pi->dist_resp = PS_SMP_DIST_ENC | PS_SMP_DIST_SIGN;
	sensor->io_cap = 0x03;
	sensor->dist_init = PS_SMP_DIST_SIGN;
	sensor->dist_resp = PS_SMP_DIST_ENC;
	if (faulty) {
		p->d[0].s.fault = PAIR_FAULT_UNNEGOTIATED_KEYS;
		/* and, like the seed's Pi, its adapter half brought up: no buffer-size reads after HCI Reset
		 * (Vol 4 Part E §4.1; the doctor's hci.init-incomplete) */
		p->d[0].s.skip_init = true;
	}
	p->log = stdout;
}

static void print_keys(const char *who, const struct ps_sm_keys *k)
{
	char h[33];
	printf("    %-10s holds", who);
	if (k->have & PS_SM_KEY_LTK)
		printf("  LTK %s", ps_hex_encode(k->ltk, 16, h));
	if (k->have & PS_SM_KEY_EDIV)
		printf("  EDIV 0x%04x", k->ediv);
	if (k->have & PS_SM_KEY_CSRK)
		printf("  CSRK %s", ps_hex_encode(k->csrk, 16, h));
	printf("\n");
}

/* Run one live pairing; with a trace path the doctor reads it afterwards. */
static int live(struct pair_host *p, const char *trace_path, const struct ps_crypto *c, const char **cause)
{
	struct ps_writer *w = NULL;
	int rc;
	if (trace_path && (rc = ps_writer_open(&w, trace_path, PS_WRITE_BTSNOOP_MONITOR)) < 0)
		return rc;
	const char *why = "";
	rc = pair_run_sim(p, w, &why);
	if (p->sim)
		ps_sim_free(p->sim);
	p->sim = NULL;
	if (w && ps_writer_close(w) < 0 && rc == 0)
		rc = -PS_EIO;
	if (rc < 0) {
		fprintf(stderr, "pairscope demo: %s\n", why);
		return rc;
	}
	if (trace_path) {
		FILE *f = fopen(trace_path, "rb");
		if (!f)
			return -PS_EIO;
		printf("\n  the doctor on the fresh trace (it holds both controllers: hci0 is the Pi's side, hci1 the\n"
		       "  sensor's, so the one pairing shows twice, once from each end):\n\n");
		rc = doctor_stream(f, trace_path, c, cause);
		fclose(f);
	}
	return rc;
}

int ps_cmd_demo(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: pairscope demo\nThe seed's story: its log through the doctor, the failing pairing "
		       "live, then the pairing done right.\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "pairscope demo: takes no arguments ('%s')\n", argv[1]);
		return 2;
	}
	struct ps_crypto c;
	if (ps_crypto_openssl_new(&c) < 0)
		return 2;
	int rc = 2;
	const char *cause = NULL;
	static struct pair_host p;
	char path[] = "/tmp/pairscope-demo-XXXXXX";
	int fd = mkstemp(path);
	if (fd >= 0)
		close(fd);
	else
		fprintf(stderr, "pairscope demo: cannot create a temporary trace in /tmp; part 2 will not run\n");

	printf("== 1. The seed: a Raspberry Pi pairs with a BLE sensor and gets \"Pairing Failed: Unspecified\n"
	       "      reason\". Its btmon log, from the mail, through pairscope's doctor:\n\n");
	FILE *mail = fmemopen((void *)ps_demo_seed_mail, ps_demo_seed_mail_len, "r");
	if (!mail || doctor_stream(mail, "seed-mail.txt", &c, &cause) < 0)
		goto out;
	fclose(mail);
	printf("\n   probable cause: %s\n", cause ? cause : "?");

	printf("\n== 2. The same pairing, live on two virtual devices (our host on a virtual controller each):\n"
	       "      legacy Just Works, the Pi's Pairing Request, the sensor's Pairing Response, and the Pi\n"
	       "      distributing keys as its stack did (EncKey not negotiated, test-pattern values), its\n"
	       "      adapter half brought up (no buffer sizes read after HCI Reset):\n\n");
	seed_devices(&p, &c, true);
	cause = NULL;
	if (fd < 0 || live(&p, path, &c, &cause) < 0)
		goto out;
	const struct ps_sm_result *sensor = &p.d[1].s.result;
	bool failed = p.d[1].s.done && sensor->status == -PS_EPROTO && !sensor->by_peer;
	printf("\n   the sensor %s; probable cause: %s\n",
	       failed ? "sent Pairing Failed (Unspecified reason), as in the seed" : "did NOT fail (unexpected)",
	       cause ? cause : "?");

	printf("\n== 3. The same pairing done right (only the negotiated keys, from the CSPRNG):\n\n");
	seed_devices(&p, &c, false);
	if (live(&p, NULL, &c, &cause) < 0)
		goto out;
	const struct ps_sm_result *pi = &p.d[0].s.result, *sr = &p.d[1].s.result;
	bool ok = pi->status == 0 && sr->status == 0 && pair_results_match(pi, sr);
	printf("\n   %s: %s, security level %u\n", ok ? "paired" : "FAILED", ps_sm_method_name(pi->method), pi->level);
	print_keys("the Pi", &pi->peer);
	print_keys("the sensor", &sr->peer);
	printf("   keys match: %s\n", ok ? "yes" : "NO");
	rc = failed && ok ? 0 : 1;
out:
	unlink(path);
	ps_crypto_free(&c);
	return rc;
}
