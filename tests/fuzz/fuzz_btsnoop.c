/* libFuzzer target for the btsnoop reader (datalinks 1001/1002/2001 and unknown ones): the input follows
 * the "btsnoop\0" magic, so every run exercises the version, datalink, record and resync paths. */
#include <pairscope/trace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_diag(void *ctx, const struct ps_trace_diag *d)
{
	(void)d;
	++*(unsigned *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Corpus files start with the magic already; others get it prepended. */
	size_t skip = size >= 8 && !memcmp(data, "btsnoop\0", 8) ? 8 : 0;
	size_t n = 8 + size - skip;
	uint8_t *buf = malloc(n);
	if (!buf)
		return 0;
	memcpy(buf, "btsnoop\0", 8);
	memcpy(buf + 8, data + skip, size - skip);
	FILE *f = fmemopen(buf, n, "rb");
	if (f) {
		unsigned diags = 0;
		struct ps_trace_opts o = { .format = PS_TRACE_BTSNOOP, .on_diag = on_diag, .diag_ctx = &diags };
		struct ps_trace *t;
		char err[256];
		if (ps_trace_open_stream(&t, f, "fuzz", &o, err, sizeof err) == 0) {
			struct ps_frame fr;
			volatile uint8_t sink = 0;
			while (ps_trace_next(t, &fr) == 0) {
				if (fr.len > 65540)
					abort(); /* no frame longer than the 64 KiB record limit */
				if (fr.len)
					sink ^= fr.data[0] ^ fr.data[fr.len - 1];
			}
			(void)sink;
			if (ps_trace_damage(t) < diags)
				abort(); /* every reported problem is counted */
			ps_trace_free(t);
		}
		fclose(f);
	}
	free(buf);
	return 0;
}
