/* JSON string quoting (RFC 8259 §7), the one escaper behind every JSON writer: the printer's --json
 * lines, the doctor's report and the crack summary. The writers differ only in where bytes go, so the
 * caller passes a put callback and its context. */
#include <pairscope/base.h>
#include <stdio.h>
#include <string.h>

void ps_json_quote(const char *s, ps_put_fn put, void *ctx)
{
	put(ctx, "\"", 1);
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c != '"' && c != '\\' && c >= 0x20)
			continue; /* bytes >= 0x80 pass through: the input is UTF-8 or opaque */
		put(ctx, run, (size_t)(s - run));
		char esc[8];
		int n = c < 0x20 ? snprintf(esc, sizeof esc, "\\u%04x", c) : snprintf(esc, sizeof esc, "\\%c", c);
		put(ctx, esc, (size_t)n);
		run = s + 1;
	}
	put(ctx, run, (size_t)(s - run));
	put(ctx, "\"", 1);
}

void ps_put_file(void *file, const char *p, size_t n)
{
	fwrite(p, 1, n, file);
}
