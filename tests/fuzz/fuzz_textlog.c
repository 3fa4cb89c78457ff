/* libFuzzer target: the btmon text importer (line recovery, headers, fields, rebuild) on any bytes.
 * Every frame is read to the end so the sanitizers see each octet the importer wrote. */
#include "trace/trace_int.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(void *ctx, const struct ps_trace_diag *d)
{
	(void)ctx;
	(void)d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)ps_textlog_sniff(data, size);
	struct ps_textlog *t;
	char err[256];
	if (ps_textlog_open(&t, "fuzz", (const char *)data, size, ignore, NULL, err, sizeof err) < 0)
		return 0;
	struct ps_frame f;
	unsigned sum = 0;
	while (ps_textlog_next(t, &f) == 0)
		for (uint32_t i = 0; i < f.len; i++)
			sum += f.data[i];
	(void)sum;
	(void)ps_textlog_damage(t);
	ps_textlog_free(t);
	return 0;
}
