/* The simulated link ("the air", Vol 6 Part B §4): a deterministic clock, a time-ordered queue of items
 * (air PDUs, advertising events, timers, held host events) and the registry of controllers on it. */
#include "vctl/vctl_int.h"
#include <stdlib.h>
#include <string.h>

int ps_vctl_link_new(struct ps_vctl_link **out, const struct ps_vctl_link_opts *o)
{
	if (!out || !o || !o->crypto)
		return -PS_EINVAL;
	struct ps_vctl_link *l = calloc(1, sizeof *l);
	if (!l)
		return -PS_ENOMEM;
	l->o = *o;
	l->now = o->start_us;
	l->rng = o->seed;
	*out = l;
	return 0;
}

void ps_vctl_link_free(struct ps_vctl_link *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < VCTL_LINK_MAX_CONN; i++)
		for (int s = 0; s < 2; s++) {
			free(l->conns[i].e[s].held);
			ps_crypto_ll_session_free(l->conns[i].e[s].ses);
		}
	free(l->pool);
	free(l->keys);
	free(l->free_slots);
	free(l->ctl);
	free(l);
}

uint64_t ps_vctl_link_now(const struct ps_vctl_link *l) { return l->now; }

/* splitmix64 when seeded (deterministic tests), the crypto backend's generator otherwise. */
uint64_t vctl_rand64(struct ps_vctl_link *l)
{
	if (l->o.seed) {
		uint64_t z = (l->rng += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		return z ^ (z >> 31);
	}
	uint8_t b[8] = { 0 };
	if (l->o.crypto->rand)
		l->o.crypto->rand(l->o.crypto->ctx, b, sizeof b);
	uint64_t v = 0;
	memcpy(&v, b, sizeof v);
	return v;
}

void vctl_rand(struct ps_vctl_link *l, uint8_t *p, size_t n)
{
	while (n) {
		uint64_t v = vctl_rand64(l);
		size_t k = n < 8 ? n : 8;
		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

/* The queue: a binary heap of small keys (time, sequence, slot) over a pool of items, so reordering
 * moves 24 octets, not whole PDUs. */
static bool before(const struct ev_key *a, const struct ev_key *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void swap_key(struct ev_key *a, struct ev_key *b)
{
	struct ev_key t = *a;
	*a = *b;
	*b = t;
}

static void sift_up(struct ps_vctl_link *l, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!before(&l->keys[i], &l->keys[p]))
			break;
		swap_key(&l->keys[i], &l->keys[p]);
		i = p;
	}
}

static void sift_down(struct ps_vctl_link *l, size_t i)
{
	for (;;) {
		size_t a = 2 * i + 1, b = a + 1, m = i;
		if (a < l->n && before(&l->keys[a], &l->keys[m]))
			m = a;
		if (b < l->n && before(&l->keys[b], &l->keys[m]))
			m = b;
		if (m == i)
			return;
		swap_key(&l->keys[i], &l->keys[m]);
		i = m;
	}
}

/* A free pool slot (the pool, the key heap and the free list grow together). */
static int slot_get(struct ps_vctl_link *l, uint32_t *out)
{
	if (!l->nfree) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct air_ev *pool = realloc(l->pool, cap * sizeof *pool);
		if (!pool)
			return -PS_ENOMEM;
		l->pool = pool;
		struct ev_key *keys = realloc(l->keys, cap * sizeof *keys);
		if (!keys)
			return -PS_ENOMEM;
		l->keys = keys;
		uint32_t *fr = realloc(l->free_slots, cap * sizeof *fr);
		if (!fr)
			return -PS_ENOMEM;
		l->free_slots = fr;
		for (size_t i = cap; i-- > l->cap;)
			l->free_slots[l->nfree++] = (uint32_t)i;
		l->cap = cap;
	}
	*out = l->free_slots[--l->nfree];
	return 0;
}

/* Schedules an item at t (never before now; same-time items keep their order) and returns it for the
 * caller to fill its other fields; the pointer is valid until the next vctl_sched or link step. */
struct air_ev *vctl_sched(struct ps_vctl_link *l, uint64_t t, uint8_t kind)
{
	uint32_t slot;
	if (slot_get(l, &slot) < 0)
		return &l->lost; /* out of memory: the item is dropped */
	struct air_ev *e = &l->pool[slot];
	memset(e, 0, offsetof(struct air_ev, data));
	e->t = t < l->now ? l->now : t;
	e->seq = ++l->seq;
	e->kind = kind;
	l->keys[l->n] = (struct ev_key){ e->t, e->seq, slot };
	sift_up(l, l->n++);
	return e;
}

struct ps_vctl *vctl_get(struct ps_vctl_link *l, uint16_t index)
{
	return index < l->nctl ? l->ctl[index] : NULL;
}

struct air_conn *vctl_conn_by_handle(struct ps_vctl *c, uint16_t handle, int *side)
{
	struct ps_vctl_link *l = c->link;
	for (size_t i = 0; i < VCTL_LINK_MAX_CONN; i++) {
		struct air_conn *cn = &l->conns[i];
		if (!cn->used)
			continue;
		for (int s = 0; s < 2; s++)
			if (cn->e[s].alive && cn->e[s].ctl == c->index && cn->e[s].handle == handle) {
				*side = s;
				return cn;
			}
	}
	return NULL;
}

/* Send what each controller queued for its host. A host may call back into a controller from its send
 * callback; that only appends to outboxes, which this loop keeps draining. */
static bool flush(struct ps_vctl_link *l)
{
	bool any = false;
	for (size_t i = 0; i < l->nctl; i++) {
		struct ps_vctl *c = l->ctl[i];
		if (!c)
			continue;
		while (c->out_off < c->out_len) {
			size_t n = ps_h4_packet_len(c->out + c->out_off, c->out_len - c->out_off);
			if (!n)
				break;
			/* copy out: the callback may append (and reallocate) */
			uint8_t pkt[VCTL_EV_DATA + 8 + 1024];
			if (n > sizeof pkt)
				n = sizeof pkt;
			memcpy(pkt, c->out + c->out_off, n);
			c->out_off += n;
			any = true;
			if (c->o.send)
				c->o.send(c->o.ctx, pkt, n);
			c = l->ctl[i]; /* a callback may not free controllers, but stay defensive */
			if (!c)
				break;
		}
		if (c && c->out_off >= c->out_len)
			c->out_off = c->out_len = 0;
	}
	return any;
}

int ps_vctl_link_run(struct ps_vctl_link *l, uint64_t until)
{
	if (l->running)
		return -PS_EBUSY;
	l->running = true;
	for (;;) {
		while (flush(l))
			;
		if (!l->n || l->keys[0].t > until)
			break;
		uint32_t slot = l->keys[0].slot;
		const struct air_ev *e = &l->pool[slot];
		memcpy(&l->scratch, e, offsetof(struct air_ev, data) + e->len);
		l->free_slots[l->nfree++] = slot;
		l->keys[0] = l->keys[--l->n];
		sift_down(l, 0);
		if (l->scratch.t > l->now)
			l->now = l->scratch.t;
		vctl_handle_ev(l, &l->scratch);
	}
	if (until > l->now && until != UINT64_MAX)
		l->now = until;
	l->running = false;
	return 0;
}

uint64_t ps_vctl_link_next(const struct ps_vctl_link *l)
{
	for (size_t i = 0; i < l->nctl; i++)
		if (l->ctl[i] && l->ctl[i]->out_len > l->ctl[i]->out_off)
			return l->now;
	uint64_t t = UINT64_MAX;
	if (l->n)
		t = l->keys[0].t;
	return t;
}
