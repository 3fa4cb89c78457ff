/* Bounds-checked byte cursors: every parser reads and every builder writes through these, never by
 * casting structs onto wire bytes. Little-endian accessors match HCI/L2CAP/SMP/LL; _be for btsnoop. */
#ifndef PS_BASE_BYTES_H
#define PS_BASE_BYTES_H

#include <pairscope/base.h>
#include <string.h>

struct ps_rd {
	const uint8_t *p;
	size_t len; /* total bytes */
	size_t off; /* next byte to read */
};

static inline void ps_rd_init(struct ps_rd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
}
static inline size_t ps_rd_left(const struct ps_rd *r) { return r->len - r->off; }
static inline const uint8_t *ps_rd_ptr(const struct ps_rd *r) { return r->p + r->off; }

static inline int ps_rd_skip(struct ps_rd *r, size_t n)
{
	if (ps_rd_left(r) < n)
		return -PS_ETRUNC;
	r->off += n;
	return 0;
}
static inline int ps_rd_u8(struct ps_rd *r, uint8_t *v)
{
	if (ps_rd_left(r) < 1)
		return -PS_ETRUNC;
	*v = r->p[r->off++];
	return 0;
}
static inline uint64_t ps_get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}
static inline uint64_t ps_get_be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}
static inline void ps_put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}
static inline void ps_put_be(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = n; i-- > 0; v >>= 8)
		p[i] = (uint8_t)v;
}
/* dst = src reversed, n octets (wire order <-> the spec's MSO-first order); dst and src must not overlap.
 * Inline because the key searches call it per candidate. */
static inline void ps_rev_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[n - 1 - i];
}
/* Read an n-octet (1..8) little-endian unsigned integer. */
static inline int ps_rd_le(struct ps_rd *r, unsigned n, uint64_t *v)
{
	if (ps_rd_left(r) < n)
		return -PS_ETRUNC;
	*v = ps_get_le(r->p + r->off, n);
	r->off += n;
	return 0;
}
static inline int ps_rd_be(struct ps_rd *r, unsigned n, uint64_t *v)
{
	if (ps_rd_left(r) < n)
		return -PS_ETRUNC;
	*v = ps_get_be(r->p + r->off, n);
	r->off += n;
	return 0;
}
static inline int ps_rd_le16(struct ps_rd *r, uint16_t *v)
{
	uint64_t t;
	int rc = ps_rd_le(r, 2, &t);
	if (rc == 0)
		*v = (uint16_t)t;
	return rc;
}
static inline int ps_rd_le32(struct ps_rd *r, uint32_t *v)
{
	uint64_t t;
	int rc = ps_rd_le(r, 4, &t);
	if (rc == 0)
		*v = (uint32_t)t;
	return rc;
}
static inline int ps_rd_bytes(struct ps_rd *r, void *dst, size_t n)
{
	if (ps_rd_left(r) < n)
		return -PS_ETRUNC;
	memcpy(dst, r->p + r->off, n);
	r->off += n;
	return 0;
}
/* Borrow n bytes without copying; *p points into the cursor's buffer. */
static inline int ps_rd_view(struct ps_rd *r, const uint8_t **p, size_t n)
{
	if (ps_rd_left(r) < n)
		return -PS_ETRUNC;
	*p = r->p + r->off;
	r->off += n;
	return 0;
}

struct ps_wr {
	uint8_t *p;
	size_t cap;
	size_t len;
};

static inline void ps_wr_init(struct ps_wr *w, uint8_t *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->len = 0;
}
static inline int ps_wr_le(struct ps_wr *w, uint64_t v, unsigned n)
{
	if (w->cap - w->len < n)
		return -PS_ENOSPC;
	ps_put_le(w->p + w->len, v, n);
	w->len += n;
	return 0;
}
static inline int ps_wr_be(struct ps_wr *w, uint64_t v, unsigned n)
{
	if (w->cap - w->len < n)
		return -PS_ENOSPC;
	ps_put_be(w->p + w->len, v, n);
	w->len += n;
	return 0;
}
static inline int ps_wr_u8(struct ps_wr *w, uint8_t v) { return ps_wr_le(w, v, 1); }
static inline int ps_wr_le16(struct ps_wr *w, uint16_t v) { return ps_wr_le(w, v, 2); }
static inline int ps_wr_le32(struct ps_wr *w, uint32_t v) { return ps_wr_le(w, v, 4); }
static inline int ps_wr_bytes(struct ps_wr *w, const void *src, size_t n)
{
	if (w->cap - w->len < n)
		return -PS_ENOSPC;
	if (n)
		memcpy(w->p + w->len, src, n);
	w->len += n;
	return 0;
}

#endif
