/* Randomness of keys and random values (Core Vol 3 Part H 2.3.5.5 Mrand/Srand "128-bit random
 * numbers", 2.4.1-2.4.2 LTK, EDIV/Rand, IRK, CSRK generated randomly; Vol 2 Part H 2 random number
 * generation): constant patterns, counters, values equal to each other or reused across pairings. */
#include "doctor/doctor_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

bool dr_is_pattern(const uint8_t *v, size_t n, char *why, size_t cap)
{
	if (n < 6)
		return false;
	/* All octets equal (all zero included). */
	size_t i;
	for (i = 1; i < n && v[i] == v[0]; i++)
		;
	if (i == n) {
		snprintf(why, cap, "every octet is 0x%02x", v[0]);
		return true;
	}
	/* A counting sequence: a constant step between neighbouring octets (00 01 02.., ff ee dd..). */
	uint8_t step = (uint8_t)(v[1] - v[0]);
	for (i = 2; i < n && (uint8_t)(v[i] - v[i - 1]) == step; i++)
		;
	if (i == n) {
		snprintf(why, cap, "a counting pattern: each octet 0x%02x %s the one before (in wire order)",
			 step < 0x80 ? step : (uint8_t)-step, step < 0x80 ? "more than" : "less than");
		return true;
	}
	/* A short block repeated. */
	for (size_t per = 2; per <= 4 && per * 2 <= n; per++) {
		for (i = per; i < n && v[i] == v[i - per]; i++)
			;
		if (i == n) {
			snprintf(why, cap, "a %zu-octet block repeated", per);
			return true;
		}
	}
	/* A counter or small number: nearly every octet zero. */
	size_t nz = 0;
	for (i = 0; i < n; i++)
		nz += v[i] != 0;
	if (n >= 8 && nz <= 2) {
		snprintf(why, cap, "only %zu non-zero octet%s: a counter or constant, not a random value", nz,
			 nz == 1 ? "" : "s");
		return true;
	}
	return false;
}

struct val {
	uint8_t v[16];
	uint8_t n;
	uint8_t kind; /* index into kind names */
	uint8_t by_init;
	int32_t pairing;
	uint64_t frame;
};

enum { K_CONFIRM, K_RANDOM, K_LTK, K_RAND, K_IRK, K_CSRK };
static const char *const kind_name[] = { "confirm value", "Pairing Random", "LTK", "Rand (Central Identification)",
					 "IRK", "CSRK" };

static void collect(const struct dr_pairing *p, int32_t pi, struct val *out, size_t *n, size_t cap)
{
	for (uint32_t i = 0; i < p->npdus && *n < cap; i++) {
		const struct dr_pdu *u = &p->pdus[i];
		if (!u->valid)
			continue;
		struct val x;
		memset(&x, 0, sizeof x);
		x.by_init = u->by_init;
		x.pairing = pi;
		x.frame = u->frame;
		switch (u->code) {
		case 0x03:
			x.kind = K_CONFIRM;
			break;
		case 0x04:
			x.kind = K_RANDOM;
			break;
		case 0x06:
			x.kind = K_LTK;
			break;
		case 0x07:
			x.kind = K_RAND;
			break;
		case 0x08:
			x.kind = K_IRK;
			break;
		case 0x0a:
			x.kind = K_CSRK;
			break;
		default:
			continue;
		}
		if (x.kind == K_RAND) {
			memcpy(x.v, u->b + 2, 8);
			x.n = 8;
		} else {
			memcpy(x.v, u->b, 16);
			/* §2.3.4: a shorter key is masked, its most significant octets zero: judge the rest. */
			x.n = (x.kind == K_LTK && p->have_rsp && p->key_size >= 7 && p->key_size < 16) ? p->key_size : 16;
		}
		out[(*n)++] = x;
	}
}

static int cmp_val(const void *a, const void *b)
{
	const struct val *x = a, *y = b;
	if (x->n != y->n)
		return x->n - y->n;
	int c = memcmp(x->v, y->v, x->n);
	if (c)
		return c;
	return x->pairing != y->pairing ? (x->pairing < y->pairing ? -1 : 1) : (x->frame < y->frame ? -1 : x->frame > y->frame);
}

/* The same pairing seen by both hosts (two controller indexes in one capture): same PDUs. */
static bool mirror(const struct ps_doctor *d, int32_t a, int32_t b)
{
	if (a == b)
		return true;
	const struct dr_pairing *p = &d->pairings[a], *q = &d->pairings[b];
	return p->index != q->index && p->have_rsp && q->have_rsp && !memcmp(p->preq, q->preq, 7) &&
	       !memcmp(p->pres, q->pres, 7);
}

void dr_random_finish(struct ps_doctor *d)
{
	size_t cap = 0;
	for (size_t i = 0; i < d->npairings; i++)
		cap += d->pairings[i].npdus;
	struct val *v = cap ? malloc(cap * sizeof *v) : NULL;
	if (!v)
		return;
	size_t n = 0;
	for (size_t i = 0; i < d->npairings; i++)
		collect(&d->pairings[i], (int32_t)i, v, &n, cap);
	char hex[40], why[160];
	for (size_t i = 0; i < n; i++) {
		if (!dr_is_pattern(v[i].v, v[i].n, why, sizeof why))
			continue;
		char shown[40];
		if (v[i].kind == K_RAND) /* btmon shows Rand as a number */
			snprintf(shown, sizeof shown, "0x%016llx", (unsigned long long)le64(v[i].v));
		else
			ps_hex_encode(v[i].v, v[i].n, shown);
		dr_add1(d, DR_RANDOM_PATTERN, v[i].pairing, v[i].frame, "the %s's %s %s is not random: %s",
			dr_who(v[i].by_init), kind_name[v[i].kind], shown, why);
	}
	qsort(v, n, sizeof *v, cmp_val);
	for (size_t i = 0; i + 1 < n; i++) {
		size_t j = i + 1;
		if (v[j].n != v[i].n || memcmp(v[i].v, v[j].v, v[i].n))
			continue;
		const struct val *a = &v[i], *b = &v[j];
		bool same = a->pairing == b->pairing;
		if (!same && mirror(d, a->pairing, b->pairing))
			continue;
		if (same && a->frame == b->frame)
			continue;
		/* Confirm reflection has its own rule; an IRK is one per device and may recur across pairings. */
		if (same && a->kind == K_CONFIRM && b->kind == K_CONFIRM && a->by_init != b->by_init)
			continue;
		if (!same && a->kind == K_IRK && b->kind == K_IRK)
			continue;
		uint64_t fr[2] = { a->frame, b->frame };
		int32_t at = b->pairing;
		if (same)
			dr_add(d, DR_RANDOM_REUSED, at, fr, 2, "the %s's %s (#%llu) equals the %s's %s (#%llu): %s",
			       dr_who(a->by_init), kind_name[a->kind], (unsigned long long)a->frame, dr_who(b->by_init),
			       kind_name[b->kind], (unsigned long long)b->frame, ps_hex_encode(a->v, a->n, hex));
		else
			dr_add(d, DR_RANDOM_REUSED, at, fr, 2,
			       "the %s's %s %s (#%llu) was already used in pairing %d (%s, #%llu)", dr_who(b->by_init),
			       kind_name[b->kind], ps_hex_encode(a->v, a->n, hex), (unsigned long long)b->frame, a->pairing + 1,
			       kind_name[a->kind], (unsigned long long)a->frame);
	}
	free(v);
}
