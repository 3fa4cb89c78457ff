/* Bond store logic and its text form (Vol 3 Part H §2.4.1, §2.4.2.1; Vol 3 Part C §10.2.1): bonds per
 * (local identity, peer identity), RPA resolution through stored IRKs, re-encryption keys, the
 * re-pairing policy, and a line-oriented text format a person can read and edit. */
#include "host/bond.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ps_bond_store_init(struct ps_bond_store *s, enum ps_bond_repair policy)
{
	memset(s, 0, sizeof *s);
	s->policy = policy;
}

static bool addr_eq(const struct ps_addr *a, const struct ps_addr *b)
{
	return a->type == b->type && !memcmp(a->a, b->a, 6);
}

int ps_bond_from_result(struct ps_bond *b, const struct ps_addr *local_id, const struct ps_sm_result *r)
{
	/* Only a bonded success is stored, and never one made with the debug key (§2.3.5.6.1). */
	if (r->status != 0 || !r->bonded || r->debug_key)
		return -PS_EINVAL;
	memset(b, 0, sizeof *b);
	b->local_id = *local_id;
	b->peer_id = (r->peer.have & PS_SM_KEY_ADDR) ? r->peer.id_addr : r->peer_addr;
	b->sc = r->sc;
	b->authenticated = r->authenticated;
	b->key_size = r->key_size;
	b->local = r->local;
	b->peer = r->peer;
	return 0;
}

static int strength(const struct ps_bond *b)
{
	return (b->authenticated ? 4 : 0) + (b->sc ? 2 : 0) + (b->key_size == 16 ? 1 : 0);
}

int ps_bond_put(struct ps_bond_store *s, const struct ps_bond *b)
{
	for (size_t i = 0; i < s->n; i++) {
		struct ps_bond *old = &s->b[i];
		if (!addr_eq(&old->local_id, &b->local_id) || !addr_eq(&old->peer_id, &b->peer_id))
			continue;
		switch (s->policy) {
		case PS_BOND_REPAIR_REFUSE:
			return -PS_EBUSY;
		case PS_BOND_REPAIR_NO_DOWNGRADE:
			if (strength(b) < strength(old))
				return -PS_EBUSY;
			break;
		case PS_BOND_REPAIR_REPLACE:
			break;
		}
		*old = *b;
		return 0;
	}
	if (s->n >= PS_BOND_MAX)
		return -PS_ENOSPC;
	s->b[s->n++] = *b;
	return 0;
}

int ps_bond_delete(struct ps_bond_store *s, const struct ps_addr *local_id, const struct ps_addr *peer_id)
{
	for (size_t i = 0; i < s->n; i++)
		if (addr_eq(&s->b[i].local_id, local_id) && addr_eq(&s->b[i].peer_id, peer_id)) {
			s->b[i] = s->b[--s->n];
			return 0;
		}
	return -PS_ENOENT;
}

const struct ps_bond *ps_bond_find(const struct ps_bond_store *s, const struct ps_crypto *c,
				   const struct ps_addr *local_id, const struct ps_addr *addr)
{
	for (size_t i = 0; i < s->n; i++)
		if (addr_eq(&s->b[i].local_id, local_id) && addr_eq(&s->b[i].peer_id, addr))
			return &s->b[i];
	/* A resolvable private address: random, two most significant bits 01 (Vol 6 Part B §1.3.2.2). */
	if (!c || addr->type != 1 || (addr->a[5] & 0xc0) != 0x40)
		return NULL;
	uint8_t irks[PS_BOND_MAX][16];
	size_t idx[PS_BOND_MAX], n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (addr_eq(&s->b[i].local_id, local_id) && (s->b[i].peer.have & PS_SM_KEY_IRK)) {
			memcpy(irks[n], s->b[i].peer.irk, 16);
			idx[n++] = i;
		}
	int k = ps_crypto_rpa_resolve(c, (const uint8_t(*)[16])irks, n, addr->a);
	return k >= 0 && (size_t)k < n ? &s->b[idx[k]] : NULL;
}

int ps_bond_ltk(const struct ps_bond *b, enum ps_sm_role role, uint16_t *ediv, uint8_t rand[8], uint8_t ltk[16])
{
	if (b->sc) {
		/* SC: one LTK both ways, EDIV and Rand zero. */
		if (role == PS_SM_PERIPHERAL && (*ediv != 0 || rand[0] | rand[1] | rand[2] | rand[3] | rand[4] |
							       rand[5] | rand[6] | rand[7]))
			return -PS_ENOENT;
		*ediv = 0;
		memset(rand, 0, 8);
		memcpy(ltk, b->local.ltk, 16);
		return (b->local.have & PS_SM_KEY_LTK) ? 0 : -PS_ENOENT;
	}
	/* Legacy: the central encrypts with the LTK the peripheral distributed; the peripheral finds its
	 * own distributed LTK by EDIV and Rand (SM/PER/KDU/BV-07-C). */
	const struct ps_sm_keys *k = role == PS_SM_CENTRAL ? &b->peer : &b->local;
	if ((k->have & (PS_SM_KEY_LTK | PS_SM_KEY_EDIV)) != (PS_SM_KEY_LTK | PS_SM_KEY_EDIV))
		return -PS_ENOENT;
	if (role == PS_SM_PERIPHERAL && (*ediv != k->ediv || memcmp(rand, k->rand, 8)))
		return -PS_ENOENT;
	*ediv = k->ediv;
	memcpy(rand, k->rand, 8);
	memcpy(ltk, k->ltk, 16);
	return 0;
}

uint8_t ps_bond_level(const struct ps_bond *b)
{
	return !b->authenticated ? 2 : b->sc && b->key_size == 16 ? 4 : 3;
}

enum ps_sm_repair ps_bond_repair_policy(const struct ps_bond_store *s)
{
	switch (s->policy) {
	case PS_BOND_REPAIR_REFUSE:
		return PS_SM_REPAIR_DENY;
	case PS_BOND_REPAIR_REPLACE:
		return PS_SM_REPAIR_ALLOW;
	case PS_BOND_REPAIR_NO_DOWNGRADE:
		break;
	}
	return PS_SM_REPAIR_NO_DOWNGRADE;
}

/* ---- text form ---- */

struct out {
	char *p;
	size_t cap, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->len < o->cap ? o->p + o->len : NULL, o->len < o->cap ? o->cap - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void put_hex(struct out *o, const char *name, const uint8_t *p, size_t n)
{
	char h[33];
	put(o, " %s=%s", name, ps_hex_encode(p, n, h));
}

static void put_addr(struct out *o, const struct ps_addr *a)
{
	char b[PS_ADDR_STRLEN];
	put(o, "%s/%s", ps_addr_str(a->a, b), a->type ? "random" : "public");
}

static void put_keys(struct out *o, const char *who, const struct ps_sm_keys *k)
{
	put(o, "  %s", who);
	if (k->have & PS_SM_KEY_LTK)
		put_hex(o, "ltk", k->ltk, 16);
	if (k->have & PS_SM_KEY_EDIV) {
		put(o, " ediv=%04x", k->ediv);
		put_hex(o, "rand", k->rand, 8);
	}
	if (k->have & PS_SM_KEY_IRK)
		put_hex(o, "irk", k->irk, 16);
	if (k->have & PS_SM_KEY_ADDR) {
		put(o, " addr=");
		put_addr(o, &k->id_addr);
	}
	if (k->have & PS_SM_KEY_CSRK)
		put_hex(o, "csrk", k->csrk, 16);
	if (k->have & PS_SM_KEY_LINK)
		put_hex(o, "link", k->link_key, 16);
	put(o, "\n");
}

int ps_bond_format(const struct ps_bond_store *s, char *buf, size_t cap, size_t *len)
{
	struct out o = { buf, cap, 0 };
	put(&o, "# pairscope bonds v1: keys in wire order (least significant octet first), as on the air\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct ps_bond *b = &s->b[i];
		put(&o, "bond ");
		put_addr(&o, &b->local_id);
		put(&o, " ");
		put_addr(&o, &b->peer_id);
		put(&o, "\n  security %s %s key-size=%u\n", b->sc ? "sc" : "legacy",
		    b->authenticated ? "authenticated" : "unauthenticated", b->key_size);
		put_keys(&o, "local", &b->local);
		put_keys(&o, "peer", &b->peer);
		put(&o, "end\n");
	}
	*len = o.len;
	return o.len < cap ? 0 : -PS_ENOSPC;
}

static int parse_addr(const char *t, struct ps_addr *a)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", t);
	char *slash = strchr(buf, '/');
	if (!slash)
		return -PS_EBADDATA;
	*slash++ = '\0';
	if (!strcmp(slash, "random"))
		a->type = 1;
	else if (!strcmp(slash, "public"))
		a->type = 0;
	else
		return -PS_EBADDATA;
	return ps_addr_parse(buf, a->a) < 0 ? -PS_EBADDATA : 0;
}

static int parse_hex(const char *v, uint8_t *out, size_t n)
{
	return strlen(v) == 2 * n && ps_hex_decode(v, out, n) == (int)n ? 0 : -PS_EBADDATA;
}

static int parse_keys(char *rest, struct ps_sm_keys *k)
{
	memset(k, 0, sizeof *k);
	for (char *save = NULL, *t = strtok_r(rest, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char *v = strchr(t, '=');
		if (!v)
			return -PS_EBADDATA;
		*v++ = '\0';
		int rc;
		if (!strcmp(t, "ltk"))
			rc = parse_hex(v, k->ltk, 16), k->have |= PS_SM_KEY_LTK;
		else if (!strcmp(t, "ediv"))
			rc = strlen(v) == 4 ? 0 : -PS_EBADDATA, k->ediv = (uint16_t)strtoul(v, NULL, 16);
		else if (!strcmp(t, "rand"))
			rc = parse_hex(v, k->rand, 8), k->have |= PS_SM_KEY_EDIV;
		else if (!strcmp(t, "irk"))
			rc = parse_hex(v, k->irk, 16), k->have |= PS_SM_KEY_IRK;
		else if (!strcmp(t, "addr"))
			rc = parse_addr(v, &k->id_addr), k->have |= PS_SM_KEY_ADDR;
		else if (!strcmp(t, "csrk"))
			rc = parse_hex(v, k->csrk, 16), k->have |= PS_SM_KEY_CSRK;
		else if (!strcmp(t, "link"))
			rc = parse_hex(v, k->link_key, 16), k->have |= PS_SM_KEY_LINK;
		else
			rc = -PS_EBADDATA;
		if (rc < 0)
			return rc;
	}
	return 0;
}

int ps_bond_parse(struct ps_bond_store *s, const char *text, size_t len)
{
	static const struct ps_bond empty;
	struct ps_bond_store *t = calloc(1, sizeof *t);
	if (!t)
		return -PS_ENOMEM;
	t->policy = s->policy;
	struct ps_bond b = empty;
	bool in = false;
	int rc = 0;
	size_t pos = 0;
	while (pos < len && rc == 0) {
		size_t e = pos;
		while (e < len && text[e] != '\n')
			e++;
		char line[512];
		size_t n = e - pos < sizeof line - 1 ? e - pos : sizeof line - 1;
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos = e + 1;
		char *l = line;
		while (*l == ' ')
			l++;
		char a[40], c[40];
		unsigned ks;
		if (!*l || *l == '#')
			continue;
		if (!in && sscanf(l, "bond %39s %39s", a, c) == 2) {
			b = empty;
			rc = parse_addr(a, &b.local_id);
			if (!rc)
				rc = parse_addr(c, &b.peer_id);
			in = true;
		} else if (in && sscanf(l, "security %39s %39s key-size=%u", a, c, &ks) == 3) {
			b.sc = !strcmp(a, "sc");
			b.authenticated = !strcmp(c, "authenticated");
			b.key_size = (uint8_t)ks;
			if ((!b.sc && strcmp(a, "legacy")) || ks < 7 || ks > 16)
				rc = -PS_EBADDATA;
		} else if (in && !strncmp(l, "local", 5) && (l[5] == ' ' || !l[5])) {
			rc = parse_keys(l + 5, &b.local);
		} else if (in && !strncmp(l, "peer", 4) && (l[4] == ' ' || !l[4])) {
			rc = parse_keys(l + 4, &b.peer);
		} else if (in && !strcmp(l, "end")) {
			in = false;
			if (t->n >= PS_BOND_MAX)
				rc = -PS_ENOSPC;
			else
				t->b[t->n++] = b;
		} else {
			rc = -PS_EBADDATA;
		}
	}
	if (rc == 0 && in)
		rc = -PS_EBADDATA; /* a bond without its "end": a torn file */
	if (rc == 0)
		*s = *t;
	free(t);
	return rc;
}
