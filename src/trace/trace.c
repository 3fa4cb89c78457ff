/* One iterator over capture frames: opens the input ("-" = standard input), sniffs the format from its
 * first bytes (never from the name) and hands over to the btsnoop, pcap/pcapng or btmon-text reader. */
#include "trace/reader_int.h"
#include "base/bytes.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void ps_trace_diagf(struct ps_trace *t, uint64_t number, uint64_t offset, int code, const char *fmt, ...)
{
	struct ps_trace_diag d = { .number = number, .offset = offset, .code = code };
	va_list ap;

	t->damage++;
	if (!t->on_diag)
		return;
	va_start(ap, fmt);
	vsnprintf(d.msg, sizeof d.msg, fmt, ap);
	va_end(ap);
	t->on_diag(t->diag_ctx, &d);
}

uint16_t ps_h4_to_mon(uint8_t type, bool rx)
{
	switch (type) {
	case PS_H4_CMD: return PS_MON_COMMAND;
	case PS_H4_EVT: return PS_MON_EVENT;
	case PS_H4_ACL: return rx ? PS_MON_ACL_RX : PS_MON_ACL_TX;
	case PS_H4_SCO: return rx ? PS_MON_SCO_RX : PS_MON_SCO_TX;
	case PS_H4_ISO: return rx ? PS_MON_ISO_RX : PS_MON_ISO_TX;
	default: return PS_MON_UNKNOWN;
	}
}

bool ps_mon_to_h4(uint16_t opcode, uint8_t *type, bool *rx)
{
	static const struct { uint8_t type; bool rx; bool ok; } map[] = {
		[PS_MON_COMMAND] = { PS_H4_CMD, false, true }, [PS_MON_EVENT] = { PS_H4_EVT, true, true },
		[PS_MON_ACL_TX] = { PS_H4_ACL, false, true },  [PS_MON_ACL_RX] = { PS_H4_ACL, true, true },
		[PS_MON_SCO_TX] = { PS_H4_SCO, false, true },  [PS_MON_SCO_RX] = { PS_H4_SCO, true, true },
		[PS_MON_ISO_TX] = { PS_H4_ISO, false, true },  [PS_MON_ISO_RX] = { PS_H4_ISO, true, true },
	};
	if (opcode >= PS_ARRAY_SIZE(map) || !map[opcode].ok)
		return false;
	*type = map[opcode].type;
	*rx = map[opcode].rx;
	return true;
}

static bool is_btsnoop(const uint8_t *p, size_t n)
{
	return n >= 8 && !memcmp(p, "btsnoop\0", 8);
}

/* pcap magics in either byte order (µs, ns, and the "modified" Kuznetzov variant libpcap still reads)
 * and the pcapng Section Header Block type, which reads the same in both orders. */
static bool is_pcap(const uint8_t *p, size_t n)
{
	static const uint32_t magics[] = { 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1,
					   0xa1b2cd34, 0x34cdb2a1, 0x0a0d0d0a };
	if (n < 4)
		return false;
	uint32_t m = (uint32_t)ps_get_be(p, 4);
	for (size_t i = 0; i < PS_ARRAY_SIZE(magics); i++)
		if (m == magics[i])
			return true;
	return false;
}

/* Read until cap bytes or end of input (a pipe delivers in pieces). */
static size_t read_full(FILE *f, uint8_t *p, size_t cap)
{
	size_t n = 0;
	while (n < cap) {
		size_t r = fread(p + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	return n;
}

/* Text logs are small: read the rest of the input after the sniffed prefix. */
static int open_text(struct ps_trace *t, uint8_t *pre, size_t n, char *err, size_t errcap)
{
	size_t cap = n + 65536;
	char *buf = realloc(pre, cap);
	if (!buf) {
		free(pre);
		return -PS_ENOMEM;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= ((size_t)1 << 30)) {
				free(buf);
				snprintf(err, errcap, "%s: text log larger than 1 GiB", t->name);
				return -PS_ERANGE;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return -PS_ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n, t->fp);
		if (r == 0)
			break;
		n += r;
	}
	t->text = buf;
	t->fmt = PS_TRACE_BTMON_TEXT;
	return ps_textlog_open(&t->tl, t->name, buf, n, t->on_diag, t->diag_ctx, err, errcap);
}

static int open_any(struct ps_trace *t, const struct ps_trace_opts *opts, char *err, size_t errcap)
{
	uint8_t *pre = malloc(PS_TRACE_SNIFF_LEN);
	if (!pre)
		return -PS_ENOMEM;
	size_t n = read_full(t->fp, pre, PS_TRACE_SNIFF_LEN);
	if (ferror(t->fp)) {
		snprintf(err, errcap, "%s: read error: %s", t->name, strerror(errno));
		free(pre);
		return -PS_EIO;
	}
	enum ps_trace_format want = opts ? opts->format : PS_TRACE_AUTO;
	if ((want == PS_TRACE_AUTO || want == PS_TRACE_BTSNOOP) && is_btsnoop(pre, n)) {
		int rc = ps_btsnoop_open(t, pre, n, err, errcap);
		free(pre);
		return rc;
	}
	if ((want == PS_TRACE_AUTO || want == PS_TRACE_PCAP) && n >= 4 && ps_get_be(pre, 4) == 0x0a0d0d0a) {
		int rc = ps_pcapng_open(t, pre, n, err, errcap);
		free(pre);
		return rc;
	}
	if ((want == PS_TRACE_AUTO || want == PS_TRACE_PCAP) && is_pcap(pre, n))
		return ps_pcap_open(t, pre, n, err, errcap);
	if ((want == PS_TRACE_AUTO && ps_textlog_sniff(pre, n)) || want == PS_TRACE_BTMON_TEXT)
		return open_text(t, pre, n, err, errcap);
	if (n == 0)
		snprintf(err, errcap, "%s: empty input (expected a btsnoop, pcap, pcapng or btmon text capture)",
			 t->name);
	else
		snprintf(err, errcap,
			 "%s: offset 0: unknown format, first bytes %02x %02x %02x %02x (expected \"btsnoop\\0\", "
			 "a pcap/pcapng magic or btmon text)",
			 t->name, pre[0], n > 1 ? pre[1] : 0, n > 2 ? pre[2] : 0, n > 3 ? pre[3] : 0);
	free(pre);
	return -PS_EBADDATA;
}

static int open_common(struct ps_trace **out, FILE *fp, bool own, const char *name,
		       const struct ps_trace_opts *opts, char *err, size_t errcap)
{
	char dummy[1];
	if (!err || !errcap) {
		err = dummy;
		errcap = sizeof dummy;
	}
	err[0] = 0;
	*out = NULL;
	struct ps_trace *t = calloc(1, sizeof *t);
	if (!t) {
		if (own)
			fclose(fp);
		return -PS_ENOMEM;
	}
	snprintf(t->name, sizeof t->name, "%s", name);
	t->fp = fp;
	t->own_fp = own;
	if (opts) {
		t->on_diag = opts->on_diag;
		t->diag_ctx = opts->diag_ctx;
	}
	int rc = open_any(t, opts, err, errcap);
	if (rc < 0) {
		if (!err[0] && errcap > 1)
			snprintf(err, errcap, "%s: %s", t->name, ps_strerror(rc));
		ps_trace_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int ps_trace_open(struct ps_trace **out, const char *path, const struct ps_trace_opts *opts, char *err,
		  size_t errcap)
{
	if (!out || !path)
		return -PS_EINVAL;
	if (!strcmp(path, "-"))
		return open_common(out, stdin, false, "standard input", opts, err, errcap);
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		int e = errno;
		*out = NULL;
		if (err && errcap)
			snprintf(err, errcap, "%s: cannot open: %s", path, strerror(e));
		return e == ENOENT ? -PS_ENOENT : -PS_EIO;
	}
	return open_common(out, fp, true, path, opts, err, errcap);
}

int ps_trace_open_stream(struct ps_trace **out, FILE *fp, const char *name, const struct ps_trace_opts *opts,
			 char *err, size_t errcap)
{
	if (!out || !fp)
		return -PS_EINVAL;
	return open_common(out, fp, false, name ? name : "stream", opts, err, errcap);
}

int ps_trace_next(struct ps_trace *t, struct ps_frame *f)
{
	if (!t || !f)
		return -PS_EINVAL;
	switch (t->fmt) {
	case PS_TRACE_BTSNOOP: return ps_btsnoop_next(t, f);
	case PS_TRACE_PCAP: return t->ng ? ps_pcapng_next(t, f) : ps_pcap_next(t, f);
	case PS_TRACE_BTMON_TEXT: return t->tl ? ps_textlog_next(t->tl, f) : -PS_EOF;
	case PS_TRACE_AUTO: return -PS_ESTATE;
	}
	return -PS_ESTATE;
}

unsigned ps_trace_damage(const struct ps_trace *t)
{
	if (!t)
		return 0;
	return t->damage + (t->tl ? ps_textlog_damage(t->tl) : 0);
}

enum ps_trace_format ps_trace_get_format(const struct ps_trace *t) { return t ? t->fmt : PS_TRACE_AUTO; }

uint32_t ps_trace_datalink(const struct ps_trace *t) { return t ? t->dlt : 0; }

void ps_trace_free(struct ps_trace *t)
{
	if (!t)
		return;
	ps_btsnoop_close(t);
	ps_pcap_close(t);
	ps_pcapng_close(t);
	ps_textlog_free(t->tl);
	free(t->text);
	if (t->own_fp && t->fp)
		fclose(t->fp);
	free(t);
}
