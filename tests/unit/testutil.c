/* Helpers shared by the unit tests. */
#include "testutil.h"
#include <pairscope/base.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#ifndef PS_SRC_DIR
#define PS_SRC_DIR "."
#endif

const char *ps_test_path(const char *rel)
{
	static char buf[8][4096];
	static int slot;
	char *b = buf[slot++ & 7];
	snprintf(b, 4096, "%s/%s", PS_SRC_DIR, rel);
	return b;
}

uint8_t *ps_test_read(const char *rel, size_t *len)
{
	const char *path = rel[0] == '/' ? rel : ps_test_path(rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = 0;
	fclose(f);
	if (len)
		*len = (size_t)n;
	return p;
}

size_t ps_test_hex(const char *hex, uint8_t *out, size_t cap)
{
	int n = ps_hex_decode(hex, out, cap);
	if (n < 0)
		fail_msg("bad hex '%s'", hex);
	return (size_t)n;
}

char *ps_test_run(const char *cmd, int *rc)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		fail_msg("cannot run %s", cmd);
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	size_t n;
	while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			out = realloc(out, cap);
		}
	}
	out[len] = 0;
	int st = pclose(p);
	if (rc)
		*rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return out;
}
