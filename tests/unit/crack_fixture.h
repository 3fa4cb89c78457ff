/* The cracker over one capture file, shared by the crack tests on real (test_crack_crackle.c) and
 * synthesised (test_crack_synth.c) captures: each test picks its options, the run is the same. */
#ifndef TEST_CRACK_FIXTURE_H
#define TEST_CRACK_FIXTURE_H

#include "testutil.h"
#include <pairscope/crack.h>
#include <pairscope/trace.h>

/* Open path, feed every frame, run the searches; the caller frees with ps_crack_free. */
static inline struct ps_crack *crack_file(const char *path, const struct ps_crack_opts *o)
{
	struct ps_trace *t;
	char err[200];
	struct ps_trace_opts to = { 0 };
	assert_int_equal(ps_trace_open(&t, path, &to, err, sizeof err), 0);
	struct ps_crack *c;
	assert_int_equal(ps_crack_new(&c, o), 0);
	struct ps_frame f;
	while (ps_trace_next(t, &f) == 0)
		assert_int_equal(ps_crack_feed(c, &f), 0);
	ps_trace_free(t);
	assert_int_equal(ps_crack_run(c), 0);
	return c;
}

#endif
