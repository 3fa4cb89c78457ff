/* pairscope pair: run one pairing between two virtual devices (Vol 3 Part H) and show it: the
 * method, each step, the keys each side holds, the security level; --json for scripts, --write for
 * the btsnoop of both controllers, --fault SIDE:NAME to make one side misbehave like real stacks. */
#include "cli.h"
#include "pair_host.h"
#include <pairscope/sim.h>
#include "proto/smp.h"
#include <pairscope/trace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pairscope pair --central SPEC --peripheral SPEC [--passkey NNNNNN] [--oob HEX]\n"
		"                      [--write trace.btsnoop] [--json] [--fault central|peripheral:NAME]\n"
		"SPEC: comma-separated io=display-only|display-yes-no|keyboard-only|no-input-no-output|\n"
		"      keyboard-display, bond, mitm, require-mitm, keypress, ct2, sc=yes|no,\n"
		"      dist=enc+id+sign+link, oob[=HEX], keysize=7..16, min-keysize=7..16, debug-keys,\n"
		"      allow-debug-keys, secreq (peripheral: send a Security Request; central: wait for one),\n"
		"      rpa (use a resolvable"
" private address from the device's IRK)\n"
		"\n"
		"usage: pairscope pair --transport tcp:HOST:PORT|unix:PATH|serial:DEV[:BAUD]|pty:PATH|hci:N\n"
		"                      (--central SPEC --connect ADDR[/random] | --peripheral SPEC) [...]\n"
		"       pairscope pair --bench N   (pairings/s of two SMP cores back to back)\n"
		"\n"
		"--reconnect: after a bonded pairing, reconnect and re-encrypt from the bond store\n"
		"--bond-dir DIR: keep each device's bonds in DIR/central.bonds, DIR/peripheral.bonds (text,\n"
		"      mode 0600, written atomically); a later run with a bond re-encrypts instead of pairing\n"
		"--repair allow|deny|no-downgrade: a bonded peer that pairs again replaces the bond / is\n"
		"      refused with Authentication Requirements / is refused when less secure (default)\n"
		"--confirm yes|no: the numeric comparison answer (over a transport the terminal asks)\n");
	pair_fault_help(f);
}

static int parse_dist(const char *s, uint8_t *out)
{
	*out = 0;
	char buf[64];
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, "+", &save); t; t = strtok_r(NULL, "+", &save)) {
		if (!strcmp(t, "enc"))
			*out |= PS_SMP_DIST_ENC;
		else if (!strcmp(t, "id"))
			*out |= PS_SMP_DIST_ID;
		else if (!strcmp(t, "sign"))
			*out |= PS_SMP_DIST_SIGN;
		else if (!strcmp(t, "link"))
			*out |= PS_SMP_DIST_LINK;
		else if (strcmp(t, "none"))
			return -1;
	}
	return 0;
}

static int parse_side(const char *spec, struct pair_side *side, bool *oob_flag, const char **oob_hex)
{
	struct ps_sm_config *c = &side->cfg;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", spec);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *v = strchr(t, '=');
		if (v)
			*v++ = '\0';
		if (!strcmp(t, "io") && v) {
			if (ps_sm_io_parse(v, &c->io_cap) < 0)
				return -1;
		} else if (!strcmp(t, "bond")) {
			c->bond = true;
		} else if (!strcmp(t, "mitm")) {
			c->mitm = true;
		} else if (!strcmp(t, "require-mitm")) {
			c->mitm = c->require_mitm = true;
		} else if (!strcmp(t, "keypress")) {
			c->keypress = true;
		} else if (!strcmp(t, "ct2")) {
			c->ct2 = true;
		} else if (!strcmp(t, "sc") && v) {
			if (strcmp(v, "yes") && strcmp(v, "no"))
				return -1;
			c->sc = !strcmp(v, "yes");
		} else if (!strcmp(t, "dist") && v) {
			if (parse_dist(v, &c->dist_init) < 0)
				return -1;
			c->dist_resp = c->dist_init;
		} else if (!strcmp(t, "oob")) {
			*oob_flag = true;
			*oob_hex = v ? strdup(v) : NULL;
		} else if (!strcmp(t, "keysize") && v) {
			c->max_key_size = (uint8_t)atoi(v);
		} else if (!strcmp(t, "min-keysize") && v) {
			c->min_key_size = (uint8_t)atoi(v);
		} else if (!strcmp(t, "debug-keys")) {
			c->use_debug_keys = true;
		} else if (!strcmp(t, "allow-debug-keys")) {
			c->allow_debug_keys = true;
		} else if (!strcmp(t, "secreq")) {
			side->secreq = true;
		} else if (!strcmp(t, "rpa")) {
			side->rpa = true;
		} else {
			return -1;
		}
	}
	if (c->max_key_size < 7 || c->max_key_size > 16 || c->min_key_size < 7 || c->min_key_size > 16)
		return -1;
	if (c->min_key_size > c->max_key_size)
		c->min_key_size = c->max_key_size;
	return 0;
}

static void hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

static void addr_text(FILE *f, const struct ps_addr *a)
{
	char b[PS_ADDR_STRLEN];
	fprintf(f, "%s/%s", ps_addr_str(a->a, b), a->type ? "random" : "public");
}

static uint64_t rand_u64(const uint8_t r[8])
{
	uint64_t v = 0;
	for (unsigned i = 8; i-- > 0;)
		v = v << 8 | r[i];
	return v;
}

/* The keys a side holds for its peer: what it received, plus the SC LTK it derived. */
static void json_keys(FILE *f, const struct ps_sm_keys *k)
{
	const char *sep = "";
	fputc('{', f);
	if (k->have & PS_SM_KEY_LTK) {
		fprintf(f, "\"ltk\": \"");
		hex(f, k->ltk, 16);
		fputc('"', f);
		sep = ", ";
	}
	if (k->have & PS_SM_KEY_EDIV) {
		fprintf(f, "%s\"ediv\": \"%04x\", \"rand\": \"%016llx\"", sep, k->ediv,
			(unsigned long long)rand_u64(k->rand));
		sep = ", ";
	}
	if (k->have & PS_SM_KEY_IRK) {
		fprintf(f, "%s\"irk\": \"", sep);
		hex(f, k->irk, 16);
		fputc('"', f);
		sep = ", ";
	}
	if (k->have & PS_SM_KEY_ADDR) {
		fprintf(f, "%s\"identity_address\": \"", sep);
		addr_text(f, &k->id_addr);
		fputc('"', f);
		sep = ", ";
	}
	if (k->have & PS_SM_KEY_CSRK) {
		fprintf(f, "%s\"csrk\": \"", sep);
		hex(f, k->csrk, 16);
		fputc('"', f);
		sep = ", ";
	}
	if (k->have & PS_SM_KEY_LINK) {
		fprintf(f, "%s\"link_key\": \"", sep);
		hex(f, k->link_key, 16);
		fputc('"', f);
	}
	fputc('}', f);
}

static const char *reason_name(uint8_t r)
{
	const char *s = ps_name_of(ps_names_smp_reason, r);
	return s ? s : "Unknown";
}

/* side[0] central, side[1] peripheral; NULL for a side that is not ours (over a transport). */
static void print_json(struct pair_side *const side[2], bool ok, int keys_match, int reenc,
		       const char *const stored[2])
{
	const struct ps_sm_result *any = side[0] ? &side[0]->result : &side[1]->result;
	bool bonded = true;
	for (int i = 0; i < 2; i++)
		if (side[i])
			bonded &= side[i]->result.bonded;
	printf("{\"result\": \"%s\", \"method\": \"%s\", \"secure_connections\": %s, \"mitm\": %s, "
	       "\"bonded\": %s, \"key_size\": %u, ",
	       ok ? "success" : "failed", ps_sm_method_name(any->method), any->sc ? "true" : "false",
	       ok && any->authenticated ? "true" : "false", ok && bonded ? "true" : "false", any->key_size);
	/* Who failed the pairing: the side that sent Pairing Failed (or that timed out). */
	const struct pair_side *f = NULL;
	int fi = -1;
	for (int i = 0; i < 2 && !ok; i++)
		if (side[i] && side[i]->done && side[i]->result.status && !side[i]->result.by_peer && !f)
			f = side[i], fi = i;
	for (int i = 0; i < 2 && !ok && !f; i++)
		if (side[i] && side[i]->done && side[i]->result.by_peer)
			f = side[i], fi = 1 - i;
	if (ok || !f) {
		printf(ok ? "\"failure\": null, " : "\"failure\": {\"reason\": 0, \"name\": \"no result\", \"sent_by\": null}, ");
	} else if (f->result.status == -PS_EPROTO) {
		printf("\"failure\": {\"reason\": %u, \"name\": \"%s\", \"sent_by\": \"%s\"}, ", f->result.reason,
		       reason_name(f->result.reason), fi ? "peripheral" : "central");
	} else {
		printf("\"failure\": {\"reason\": 0, \"name\": \"%s\", \"sent_by\": null}, ",
		       f->result.status == -PS_ETIMEOUT ? "SMP timeout" : ps_strerror(f->result.status));
	}
	for (int i = 0; i < 2; i++) {
		const struct pair_side *d = side[i];
		printf("\"%s\": ", i ? "peripheral" : "central");
		if (!d) {
			printf("null, ");
			continue;
		}
		printf("{\"keys\": ");
		json_keys(stdout, &d->result.peer);
		printf(", \"distributed\": ");
		json_keys(stdout, &d->result.local);
		printf(", \"security_level\": %u, \"status\": \"%s\"", d->done && !d->result.status ? d->result.level : 1,
		       !d->done ? "no result" : d->result.status == 0 ? "success" : "failed");
		if (stored[i])
			printf(", \"bond_store\": \"%s\"", stored[i]);
		printf("}, ");
	}
	if (reenc >= 0)
		printf("\"reencrypted\": %s, ", reenc ? "true" : "false");
	printf("\"keys_match\": %s}\n", keys_match < 0 ? "null" : ok && keys_match ? "true" : "false");
}

static void print_keys_text(const char *who, const struct ps_sm_keys *k)
{
	printf("  %s holds:", who);
	if (!(k->have & 0x3f))
		printf(" no keys");
	printf("\n");
	if (k->have & PS_SM_KEY_LTK) {
		printf("    LTK  ");
		hex(stdout, k->ltk, 16);
		printf("\n");
	}
	if (k->have & PS_SM_KEY_EDIV)
		printf("    EDIV 0x%04x  Rand 0x%016llx\n", k->ediv, (unsigned long long)rand_u64(k->rand));
	if (k->have & PS_SM_KEY_IRK) {
		printf("    IRK  ");
		hex(stdout, k->irk, 16);
		printf("\n");
	}
	if (k->have & PS_SM_KEY_ADDR) {
		printf("    identity ");
		addr_text(stdout, &k->id_addr);
		printf("\n");
	}
	if (k->have & PS_SM_KEY_CSRK) {
		printf("    CSRK ");
		hex(stdout, k->csrk, 16);
		printf("\n");
	}
}

static int oob_setup(struct ps_sm_config *c, bool flag, const char *hexs, const char *global, bool *bad)
{
	if (!flag)
		return 0;
	const char *h = hexs ? hexs : global;
	/* Legacy: the TK shared out of band (default: a fixed demo value); SC: the peer's r and C, which
	 * the simulation hands over from the other device. */
	memset(c->oob_tk, 0, 16);
	if (h) {
		uint8_t b[16];
		int n = ps_hex_decode(h, b, sizeof b);
		if (n != 16) {
			*bad = true;
			return -1;
		}
		ps_reverse(b, 16); /* the CLI takes the spec's MSO-first text */
		memcpy(c->oob_tk, b, 16);
	} else {
		for (int i = 0; i < 16; i++)
			c->oob_tk[i] = (uint8_t)(0xa5 ^ i);
	}
	c->oob_tk_present = true;
	c->oob_sc_present = true;
	return 0;
}

/* Over a transport nobody shows us the peer's passkey or its six digits: ask on the terminal without
 * blocking the stack (the peer's public key must still be answered while the user types). */
struct asker {
	char line[32];
	size_t n;
	bool prompted;
};

static int ask_terminal(void *ctx, const char *prompt, char *out, size_t cap)
{
	struct asker *a = ctx;
	if (!a->prompted) {
		fprintf(stderr, "%s", prompt);
		fflush(stderr);
		a->prompted = true;
	}
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	while (poll(&pfd, 1, 0) == 1) {
		char c;
		if (read(0, &c, 1) != 1)
			return -PS_EOF;
		if (c != '\n' && a->n < sizeof a->line - 1) {
			a->line[a->n++] = c;
			continue;
		}
		if (c != '\n')
			continue;
		a->line[a->n] = '\0';
		a->n = 0;
		a->prompted = false;
		snprintf(out, cap, "%s", a->line);
		return 0;
	}
	return -PS_EAGAIN;
}

int ps_cmd_pair(int argc, char **argv)
{
	const char *spec[2] = { NULL, NULL }, *write = NULL, *oob = NULL, *transport = NULL;
	const char *fault = NULL, *connect = NULL, *bond_dir = NULL, *confirm = NULL;
	enum ps_bond_repair repair = PS_BOND_REPAIR_NO_DOWNGRADE;
	bool json = false, reconnect = false;
	long passkey = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--central") && more) {
			spec[0] = argv[++i];
		} else if (!strcmp(a, "--peripheral") && more) {
			spec[1] = argv[++i];
		} else if (!strcmp(a, "--write") && more) {
			write = argv[++i];
		} else if (!strcmp(a, "--passkey") && more) {
			char *end;
			passkey = strtol(argv[++i], &end, 10);
			if (!argv[i][0] || *end || passkey < 0 || passkey > 999999) {
				fprintf(stderr, "pairscope pair: --passkey wants 0..999999, not '%s'\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(a, "--oob") && more) {
			oob = argv[++i];
		} else if (!strcmp(a, "--fault") && more) {
			fault = argv[++i];
		} else if (!strcmp(a, "--transport") && more) {
			transport = argv[++i];
		} else if (!strcmp(a, "--connect") && more) {
			connect = argv[++i];
		} else if (!strcmp(a, "--bench") && more) {
			long n = strtol(argv[++i], NULL, 10);
			struct ps_crypto c;
			if (n <= 0 || ps_crypto_openssl_new(&c) < 0)
				return 2;
			int brc = pair_bench(&c, n);
			ps_crypto_free(&c);
			return brc;
		} else if (!strcmp(a, "--bond-dir") && more) {
			bond_dir = argv[++i];
		} else if (!strcmp(a, "--repair") && more) {
			const char *v = argv[++i];
			if (!strcmp(v, "allow"))
				repair = PS_BOND_REPAIR_REPLACE;
			else if (!strcmp(v, "deny"))
				repair = PS_BOND_REPAIR_REFUSE;
			else if (!strcmp(v, "no-downgrade"))
				repair = PS_BOND_REPAIR_NO_DOWNGRADE;
			else {
				fprintf(stderr, "pairscope pair: --repair wants allow, deny or no-downgrade, not '%s'\n", v);
				return 2;
			}
		} else if (!strcmp(a, "--confirm") && more) {
			confirm = argv[++i];
			if (strcmp(confirm, "yes") && strcmp(confirm, "no")) {
				fprintf(stderr, "pairscope pair: --confirm wants yes or no, not '%s'\n", confirm);
				return 2;
			}
		} else if (!strcmp(a, "--reconnect")) {
			reconnect = true;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else {
			static const char *const valued[] = { "--central", "--peripheral", "--write", "--passkey",
							      "--oob", "--fault", "--transport", "--connect", "--bench",
							      "--bond-dir", "--repair", "--confirm" };
			bool known = false;
			for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
				known = known || !strcmp(a, valued[k]);
			if (known)
				fprintf(stderr, "pairscope pair: %s needs a value\n", a);
			else
				fprintf(stderr, "pairscope pair: unknown argument '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	static struct pair_host ph; /* large; one per process run */
	memset(&ph, 0, sizeof ph);
	struct ps_crypto crypto;
	if (ps_crypto_openssl_new(&crypto) < 0) {
		fprintf(stderr, "pairscope pair: no crypto backend\n");
		return 2;
	}
	ph.crypto = &crypto;
	ph.passkey = passkey >= 0 ? (uint32_t)passkey : 123456;
	ph.have_passkey = passkey >= 0;
	ph.have_confirm = confirm != NULL;
	ph.confirm_yes = confirm && !strcmp(confirm, "yes");
	static struct asker asker;
	ph.ask = ask_terminal;
	ph.ask_ctx = &asker;
	struct ps_writer *trace = NULL;
	int rc = 2;
	/* Over a transport only our side exists: it sits in d[0] whatever its role. */
	int nside = transport ? 1 : 2;
	int our_role = spec[0] ? 0 : 1;
	if ((transport && ((spec[0] != NULL) == (spec[1] != NULL))) || (!transport && (!spec[0] || !spec[1])) ||
	    (transport && spec[0] && !connect) || passkey > 999999) {
		fprintf(stderr, "pairscope pair: %s\n",
			transport ? "with --transport give --central SPEC --connect ADDR, or --peripheral SPEC"
				  : "give both --central SPEC and --peripheral SPEC");
		usage(stderr);
		goto out;
	}
	struct ps_addr peer_addr;
	if (connect) {
		char buf[32];
		snprintf(buf, sizeof buf, "%s", connect);
		char *slash = strchr(buf, '/');
		peer_addr.type = slash && !strcmp(slash + 1, "random");
		if (slash)
			*slash = '\0';
		if (ps_addr_parse(buf, peer_addr.a) < 0) {
			fprintf(stderr, "pairscope pair: bad address '%s'\n", connect);
			goto out;
		}
	}
	static struct ps_bond_store bonds[2];
	for (int k = 0; k < 2; k++) {
		ps_bond_store_init(&bonds[k], repair);
		ph.d[k].bonds = &bonds[k];
	}
	for (int k = 0; k < nside; k++) {
		int role = transport ? our_role : k;
		struct pair_side *d = &ph.d[k].s;
		ps_sm_config_default(&d->cfg);
		d->cfg.bond = d->cfg.ct2 = false;
		bool oflag = false, bad = false;
		const char *ohex = NULL;
		if (parse_side(spec[role], d, &oflag, &ohex) < 0 || oob_setup(&d->cfg, oflag, ohex, oob, &bad) < 0) {
			fprintf(stderr, "pairscope pair: bad %s spec '%s'\n", role ? "peripheral" : "central", spec[role]);
			free((void *)ohex);
			goto out;
		}
		free((void *)ohex);
		/* Static random addresses (two most significant bits 11); ble-host's peer in the interop
		 * check is C0:11:22:33:44:0B, so ours end in 0A / 0C. */
		uint8_t a[6] = { (uint8_t)(role ? 0x0b : 0x0a), 0x44, 0x33, 0x22, 0x11, 0xc0 };
		if (transport)
			a[0] = (uint8_t)(role ? 0x0d : 0x0c);
		d->addr.type = 1;
		memcpy(d->addr.a, a, 6);
		d->cfg.identity = d->addr;
		crypto.rand(crypto.ctx, d->cfg.irk, 16); /* a real IRK per device */
		const char *rname = role ? "peripheral" : "central";
		int brc = bond_dir ? pair_bond_open(&ph.d[k], bond_dir, rname, &crypto)
			  : d->rpa ? ps_crypto_rpa_generate(&crypto, d->cfg.irk, d->addr.a) : 0;
		if (brc < 0) {
			fprintf(stderr, "pairscope pair: %s bonds in %s: %s\n", rname, bond_dir, ps_strerror(brc));
			goto out;
		}
	}
	if (fault) {
		const char *colon = strchr(fault, ':');
		enum pair_fault f;
		int who = colon && !strncmp(fault, "central", (size_t)(colon - fault)) ? 0
			  : colon && !strncmp(fault, "peripheral", (size_t)(colon - fault)) ? 1 : -1;
		if (who < 0 || pair_fault_parse(colon + 1, &f) < 0 || (transport && who != our_role)) {
			fprintf(stderr, "pairscope pair: bad fault '%s'\n", fault);
			goto out;
		}
		ph.d[transport ? 0 : who].s.fault = f;
	}
	if (write && (rc = ps_writer_open(&trace, write, PS_WRITE_BTSNOOP_MONITOR)) < 0) {
		fprintf(stderr, "pairscope pair: %s: %s\n", write, ps_strerror(rc));
		rc = 2;
		goto out;
	}
	if (!json) {
		ph.log = stdout;
		if (transport)
			printf("pairing as %s (%s) over %s\n", our_role ? "peripheral" : "central",
			       ps_sm_io_name(ph.d[0].s.cfg.io_cap), transport);
		else
			printf("pairing %s (central) with %s (peripheral)\n", ps_sm_io_name(ph.d[0].s.cfg.io_cap),
			       ps_sm_io_name(ph.d[1].s.cfg.io_cap));
	}
	const char *why = "";
	rc = transport ? pair_run_transport(&ph, transport, connect ? &peer_addr : NULL, trace, &why)
		       : pair_run_sim(&ph, trace, &why);
	/* --reconnect: bonds stored, link dropped and made again, encryption from the bond store. */
	int reenc = -1;
	if (rc == 0 && reconnect && !transport && ph.d[0].s.result.status == 0 && ph.d[1].s.result.status == 0) {
		const char *rwhy = "";
		reenc = pair_reconnect_sim(&ph, &rwhy) == 0;
		if (!reenc && !json)
			printf("reconnect: %s\n", rwhy);
	}
	const char *stored[2] = { NULL, NULL };
	for (int k = 0; k < nside && rc == 0; k++)
		if (bond_dir && (rc = pair_bond_save(&ph.d[k], &stored[transport ? our_role : k])) < 0)
			why = "cannot save the bond store";
	if (bond_dir && reenc < 0) {
		reenc = 0;
		for (int k = 0; k < nside; k++)
			reenc |= ph.d[k].s.reencrypted;
	}
	if (ph.sim)
		ps_sim_free(ph.sim);
	if (trace) {
		int wrc = ps_writer_close(trace);
		if (rc == 0)
			rc = wrc;
	}
	if (rc < 0) {
		fprintf(stderr, "pairscope pair: %s (%s)\n", why, ps_strerror(rc));
		rc = 2;
		goto out;
	}
	struct pair_side *side[2] = { NULL, NULL };
	if (transport)
		side[our_role] = &ph.d[0].s;
	else
		side[0] = &ph.d[0].s, side[1] = &ph.d[1].s;
	bool ok = true;
	for (int i = 0; i < 2; i++)
		if (side[i])
			ok &= side[i]->done && side[i]->result.status == 0;
	int match = transport ? -1 : pair_results_match(&side[0]->result, &side[1]->result);
	if (json) {
		print_json(side, ok, match, reenc, stored);
	} else {
		const struct ps_sm_result *any = side[0] ? &side[0]->result : &side[1]->result;
		if (any->method == PS_SM_METHOD_NONE && ok)
			printf("no pairing: re-encrypted with the stored %s bond, key size %u\n",
			       any->sc ? "LE Secure Connections" : "legacy", any->key_size);
		else
			printf("method: %s, %s, key size %u\n", ps_sm_method_name(any->method),
			       any->sc ? "LE Secure Connections" : "legacy pairing", any->key_size);
		for (int i = 0; i < 2; i++) {
			const struct pair_side *d = side[i];
			const char *w = i ? "peripheral" : "central";
			if (!d)
				continue;
			if (!d->done)
				printf("%s: no result\n", w);
			else if (d->result.status == 0)
				printf("%s: %s, security level %u%s%s\n", w, d->reencrypted ? "encrypted" : "paired", d->result.level,
				       d->result.bonded ? ", bonded" : "", d->result.debug_key ? " (debug key: not stored)" : "");
			else if (d->result.status == -PS_ETIMEOUT)
				printf("%s: SMP timeout\n", w);
			else
				printf("%s: failed, %s %s (0x%02x)\n", w, d->result.by_peer ? "peer sent" : "sent",
				       reason_name(d->result.reason), d->result.reason);
		}
		for (int i = 0; i < 2; i++)
			if (side[i])
				print_keys_text(i ? "peripheral" : "central", &side[i]->result.peer);
		if (ok && match >= 0)
			printf("keys match: %s\n", match ? "yes" : "NO");
		if (reenc >= 0 && !bond_dir)
			printf("reconnected and re-encrypted from the bond store: %s\n", reenc ? "yes" : "NO");
		if (bond_dir)
			printf("re-encrypted from the bond store: %s\n", reenc ? "yes (no pairing)" : "no");
		for (int i = 0; i < 2; i++)
			if (stored[i])
				printf("%s bond store (%s/%s.bonds): %s\n", i ? "peripheral" : "central", bond_dir,
				       i ? "peripheral" : "central", stored[i]);
	}
	rc = ok && (reenc != 0 || bond_dir) ? 0 : 1;
out:
	ps_crypto_free(&crypto);
	return rc;
}
