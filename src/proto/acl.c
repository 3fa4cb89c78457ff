/* ACL reassembly, Core 5.4 Vol 4 Part E §5.4.2 (Packet_Boundary_Flag) and Vol 3 Part A §3.1 (basic
 * L2CAP header): start fragments carry the L2CAP length, continuations append until it is reached.
 * State is per (controller index, connection handle, direction): btmon keeps one per index and
 * direction, which garbles interleaved links; the results match whenever links do not interleave. */
#include "proto/acl.h"
#include "proto/l2cap.h"
#include "base/bytes.h"
#include <stdlib.h>
#include <string.h>

struct slot {
	bool used;
	bool rx;
	uint16_t index;
	uint16_t handle;
	uint16_t cid;
	uint16_t need;   /* L2CAP payload length stated by the start fragment */
	uint16_t have;   /* payload octets collected */
	uint64_t stamp;  /* for evicting the oldest partial frame when all slots are busy */
	uint8_t *buf;    /* need octets */
};

struct ps_acl {
	unsigned n;
	uint64_t clock;
	struct slot slots[];
};

int ps_acl_parse_hdr(const uint8_t *p, size_t len, struct ps_acl_hdr *h)
{
	struct ps_rd rd;
	uint16_t hf, dl;
	ps_rd_init(&rd, p, len);
	if (ps_rd_le16(&rd, &hf) < 0 || ps_rd_le16(&rd, &dl) < 0)
		return -PS_ETRUNC;
	h->handle = hf & 0x0fff;
	h->flags = (uint8_t)(hf >> 12);
	h->dlen = dl;
	return 0;
}

struct ps_acl *ps_acl_new(unsigned max_links)
{
	if (max_links == 0)
		max_links = 1;
	struct ps_acl *a = calloc(1, sizeof *a + max_links * sizeof(struct slot));
	if (!a)
		return NULL;
	a->n = max_links;
	return a;
}

void ps_acl_free(struct ps_acl *a)
{
	if (!a)
		return;
	for (unsigned i = 0; i < a->n; i++)
		free(a->slots[i].buf);
	free(a);
}

static struct slot *find(struct ps_acl *a, uint16_t index, uint16_t handle, bool rx)
{
	for (unsigned i = 0; i < a->n; i++) {
		struct slot *s = &a->slots[i];
		if (s->used && s->index == index && s->handle == handle && s->rx == rx)
			return s;
	}
	return NULL;
}

static void clear(struct slot *s)
{
	free(s->buf);
	memset(s, 0, sizeof *s);
}

/* A free slot, or the one idle longest (its partial frame is lost: constant memory wins). */
static struct slot *take(struct ps_acl *a)
{
	struct slot *old = &a->slots[0];
	for (unsigned i = 0; i < a->n; i++) {
		if (!a->slots[i].used) {
			clear(&a->slots[i]); /* may still own the last completed frame's buffer */
			return &a->slots[i];
		}
		if (a->slots[i].stamp < old->stamp)
			old = &a->slots[i];
	}
	clear(old);
	return old;
}

void ps_acl_drop(struct ps_acl *a, uint16_t index, uint16_t handle)
{
	for (unsigned i = 0; i < a->n; i++) {
		struct slot *s = &a->slots[i];
		if (s->used && s->index == index && s->handle == handle)
			clear(s);
	}
}

static int fail(struct ps_acl_pdu *out, int rc, const char *why)
{
	out->why = why;
	return rc;
}

int ps_acl_push(struct ps_acl *a, uint16_t index, bool rx, const struct ps_acl_hdr *h, const uint8_t *p,
		size_t len, struct ps_acl_pdu *out)
{
	struct slot *s = find(a, index, h->handle, rx);
	uint8_t pb = h->flags & 0x3;
	memset(out, 0, sizeof *out);
	out->handle = h->handle;
	a->clock++;

	if (pb == PS_ACL_PB_CONT) {
		if (!s)
			return fail(out, -PS_EPROTO, "unexpected continuation");
		if (len > (size_t)(s->need - s->have)) {
			clear(s);
			return fail(out, -PS_EBADDATA, "fragment too long");
		}
		memcpy(s->buf + s->have, p, len);
		s->have = (uint16_t)(s->have + len);
		s->stamp = a->clock;
		if (s->have < s->need)
			return 0;
		/* Complete: hand the buffer out; it lives until the next push (freed then). */
		out->cid = s->cid;
		out->len = s->need;
		out->data = s->buf;
		s->used = false; /* the buffer is released lazily by the next take()/clear() */
		return 1;
	}

	/* Start (0x0, 0x2) or complete (0x3) fragment. A finished slot still owns its buffer. */
	if (s) {
		clear(s);
		return fail(out, -PS_EPROTO, "unexpected start frame");
	}
	struct ps_rd rd;
	uint16_t l2len, cid;
	ps_rd_init(&rd, p, len);
	if (ps_rd_le16(&rd, &l2len) < 0 || ps_rd_le16(&rd, &cid) < 0)
		return fail(out, -PS_EBADDATA, "frame too short");
	size_t have = ps_rd_left(&rd);
	if (have == l2len) {
		out->cid = cid;
		out->len = l2len;
		out->data = ps_rd_ptr(&rd);
		return 1;
	}
	if (have > l2len)
		return fail(out, -PS_EBADDATA, "frame too long");
	s = take(a);
	s->buf = malloc(l2len);
	if (!s->buf)
		return fail(out, -PS_ENOMEM, "failed buffer allocation");
	memcpy(s->buf, ps_rd_ptr(&rd), have);
	s->used = true;
	s->rx = rx;
	s->index = index;
	s->handle = h->handle;
	s->cid = cid;
	s->need = l2len;
	s->have = (uint16_t)have;
	s->stamp = a->clock;
	return 0;
}
