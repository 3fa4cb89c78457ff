/* Test helpers for the trace module: build btsnoop bytes in memory and read any capture bytes (through
 * fmemopen, so the reader sees a stream) into copied frames and diagnostics. Header-only: each
 * test_trace_*.c includes it once. */
#ifndef PS_TEST_TRACE_FIXTURE_H
#define PS_TEST_TRACE_FIXTURE_H

#include "testutil.h"
#include <pairscope/trace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1562846400000000ull /* 2019-07-11 12:00:00 UTC in Unix µs */

struct tbuf {
	uint8_t *p;
	size_t len, cap;
};

static inline void tb_put(struct tbuf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

static inline void tb_be(struct tbuf *b, uint64_t v, unsigned n)
{
	uint8_t t[8];
	for (unsigned i = 0; i < n; i++)
		t[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	tb_put(b, t, n);
}

static inline void tb_le(struct tbuf *b, uint64_t v, unsigned n)
{
	uint8_t t[8];
	for (unsigned i = 0; i < n; i++)
		t[i] = (uint8_t)(v >> (8 * i));
	tb_put(b, t, n);
}

static inline void bs_header(struct tbuf *b, uint32_t datalink)
{
	tb_put(b, "btsnoop\0", 8);
	tb_be(b, 1, 4);
	tb_be(b, datalink, 4);
}

/* A record whose header says orig/incl, followed by n data bytes (n may differ from incl to lie). */
static inline void bs_rec(struct tbuf *b, uint32_t orig, uint32_t incl, uint32_t flags, uint64_t unix_us,
		   const void *data, size_t n)
{
	tb_be(b, orig, 4);
	tb_be(b, incl, 4);
	tb_be(b, flags, 4);
	tb_be(b, 0, 4);
	tb_be(b, unix_us + PS_TEST_BTSNOOP_EPOCH_DELTA, 8);
	tb_put(b, data, n);
}

#define MAXF 4096
struct got {
	int n;
	struct ps_frame f[MAXF];
	uint8_t *data[MAXF];
	int nd;
	struct ps_trace_diag d[64];
	int end_rc;
	unsigned damage;
	uint32_t datalink;
	enum ps_trace_format fmt;
};

static inline void on_diag(void *ctx, const struct ps_trace_diag *d)
{
	struct got *g = ctx;
	if (g->nd < 64)
		g->d[g->nd++] = *d;
}

static inline void got_free(struct got *g)
{
	for (int i = 0; i < g->n; i++)
		free(g->data[i]);
	free(g);
}

/* Read every frame of an open trace into a new struct got. */
static inline struct got *drain(struct ps_trace *t, struct got *g)
{
	struct ps_frame f;
	int rc;
	while ((rc = ps_trace_next(t, &f)) == 0) {
		assert_true(g->n < MAXF);
		g->f[g->n] = f;
		g->data[g->n] = malloc(f.len + 1);
		memcpy(g->data[g->n], f.data, f.len);
		g->f[g->n].data = g->data[g->n];
		g->n++;
	}
	g->end_rc = rc;
	g->damage = ps_trace_damage(t);
	g->datalink = ps_trace_datalink(t);
	g->fmt = ps_trace_get_format(t);
	ps_trace_free(t);
	return g;
}

/* Read bytes as a stream; fails the test when the open fails. */
static inline struct got *read_mem(const void *p, size_t n)
{
	struct got *g = calloc(1, sizeof *g);
	assert_non_null(g);
	FILE *f = fmemopen((void *)p, n, "rb");
	assert_non_null(f);
	struct ps_trace_opts o = { .on_diag = on_diag, .diag_ctx = g };
	struct ps_trace *t;
	char err[300];
	int rc = ps_trace_open_stream(&t, f, "mem", &o, err, sizeof err);
	if (rc < 0)
		fail_msg("open failed: %s (%s)", err, ps_strerror(rc));
	drain(t, g);
	fclose(f);
	return g;
}

/* Read a file under the project root by path. */
static inline struct got *read_path(const char *path)
{
	struct got *g = calloc(1, sizeof *g);
	assert_non_null(g);
	struct ps_trace_opts o = { .on_diag = on_diag, .diag_ctx = g };
	struct ps_trace *t;
	char err[300];
	int rc = ps_trace_open(&t, path, &o, err, sizeof err);
	if (rc < 0)
		fail_msg("open %s failed: %s (%s)", path, err, ps_strerror(rc));
	return drain(t, g);
}

/* Open must fail: returns the code and copies the message. */
static inline int open_fails(const void *p, size_t n, char *err, size_t errcap)
{
	FILE *f = fmemopen((void *)p, n ? n : 1, "rb");
	assert_non_null(f);
	if (!n)
		fgetc(f); /* fmemopen cannot make an empty stream: consume its one byte */
	struct ps_trace *t = NULL;
	int rc = ps_trace_open_stream(&t, f, "mem", NULL, err, errcap);
	assert_true(rc < 0);
	assert_null(t);
	fclose(f);
	return rc;
}

#endif
