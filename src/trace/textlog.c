/* btmon text logs as a capture (the seam of src/trace/trace_int.h): sniff, open, iterate.
 *
 * Opening runs the layers once over the whole text: recover the lines (textlog_lines.c), cut them into
 * records at header lines, parse each header (textlog_header.c), rebuild each packet from its fields
 * (textlog_build.c, textlog_layout.c) and keep the frames. ACL fragments are settled here: btmon
 * prints the L2CAP decode once, under the last fragment, so fragments wait per handle until the decode
 * arrives and are then cut from the rebuilt PDU by each header's dlen.
 * Timestamps: offsets count from a fixed epoch (2000-01-01 00:00:00 UTC, BlueZ's btsnoop epoch) since
 * the log holds no absolute time; -t times of day are put on that date; -T dates are taken as UTC. */
#include "trace/textlog_int.h"
#include "base/bytes.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TL_EPOCH_US (946684800ull * 1000000u)
#define TL_MAX_PENDING 64

struct tl_frame {
	uint64_t ts_us;
	uint64_t line;
	uint64_t number;
	uint64_t src_off;
	size_t off; /* in data */
	uint32_t len;
	uint32_t flags;
	uint16_t index;
	uint16_t opcode;
	bool dead;
	bool note; /* a text-only note standing for a record not rebuilt */
};

struct pending {
	uint16_t handle;
	size_t frame;
};

struct ps_textlog {
	const char *name;
	ps_trace_diag_fn on_diag;
	void *diag_ctx;
	unsigned damage;
	struct tl_text text;
	struct tl_frame *frames;
	size_t nframes, fcap;
	uint8_t *data;
	size_t dlen, dcap;
	size_t next;
	struct pending pend[TL_MAX_PENDING];
	size_t npend;
	uint64_t last_ts;
	uint16_t last_handle;   /* for headers btmon cut to "Hand.." */
	char idx_addr[18];      /* a full controller address, for index records btmon cut */
	uint8_t pkt[4 + 65536 + 16];
};

static void diag(struct ps_textlog *t, const struct tl_line *l, int code, const char *fmt, ...)
{
	if (code < 0)
		t->damage++;
	if (!t->on_diag)
		return;
	struct ps_trace_diag d;
	memset(&d, 0, sizeof d);
	d.number = l ? l->src_line : 0;
	d.offset = l ? l->src_off : 0;
	d.code = code;
	char msg[150];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (l)
		snprintf(d.msg, sizeof d.msg, "line %u, column %u: %.150s", l->src_line % 100000000u,
			 l->src_col % 100000000u, msg);
	else
		snprintf(d.msg, sizeof d.msg, "%s", msg);
	t->on_diag(t->diag_ctx, &d);
}

static int add_frame(struct ps_textlog *t, const struct tl_frame *f, const uint8_t *p, size_t n)
{
	if (ps_grow((void **)&t->frames, &t->fcap, t->nframes, sizeof *t->frames, 256) < 0)
		return -PS_ENOMEM;
	if (t->dlen + n > t->dcap) {
		size_t nc = t->dcap ? t->dcap : 65536;
		while (nc < t->dlen + n)
			nc *= 2;
		uint8_t *nd = realloc(t->data, nc);
		if (!nd)
			return -PS_ENOMEM;
		t->data = nd;
		t->dcap = nc;
	}
	struct tl_frame *d = &t->frames[t->nframes++];
	*d = *f;
	d->off = t->dlen;
	d->len = (uint32_t)n;
	if (n)
		memcpy(t->data + t->dlen, p, n);
	t->dlen += n;
	return 0;
}

/* A record that could not be rebuilt: reported, and kept in the stream as a system note ("= Note:")
 * at its place and time, so readers of the frames still see that something happened there. */
static void skip(struct ps_textlog *t, const struct tl_frame *fr, const struct tl_line *l, int code,
		 const char *fmt, ...)
{
	char msg[150];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag(t, l, code, "%s", msg);
	char note[200];
	int n = snprintf(note, sizeof note, "pairscope: line %u: not rebuilt: %s", l ? l->src_line : 0, msg);
	struct tl_frame f = *fr;
	f.opcode = PS_MON_SYSTEM_NOTE;
	f.index = PS_INDEX_NONE;
	f.flags = PS_FRAME_REBUILT;
	f.note = true;
	if (n > 0)
		add_frame(t, &f, (const uint8_t *)note, strnlen(note, sizeof note - 1) + 1);
}

/* Short excerpt of a record's header line for messages. */
static void excerpt(const char *s, size_t n, char *out, size_t cap)
{
	size_t m = 0;
	while (m < n && m < cap - 1 && m < 60 && s[m] != '\n') {
		out[m] = s[m];
		m++;
	}
	out[m] = 0;
}

static void drop_pending(struct ps_textlog *t, uint16_t handle, const char *why)
{
	size_t w = 0;
	for (size_t i = 0; i < t->npend; i++) {
		if (t->pend[i].handle != handle) {
			t->pend[w++] = t->pend[i];
			continue;
		}
		struct tl_frame *f = &t->frames[t->pend[i].frame];
		f->dead = true;
		struct tl_line l = { 0, 0, (uint32_t)f->line, 1, f->src_off };
		diag(t, &l, -PS_ETRUNC, "ACL fragment (handle %u) skipped: %s", handle, why);
	}
	t->npend = w;
}

/* An ACL record: a fragment waiting for its decode, or the decode that settles the waiting ones. */
static void do_acl(struct ps_textlog *t, const struct tl_hdr *h, struct tl_cur *c, struct tl_frame *fr,
		   const struct tl_line *ln, const char *ex)
{
	uint8_t *p = t->pkt;
	struct tl_hdr cut;
	if (h->handle_cut) {
		/* btmon cut the handle away: the connection last seen is the best guess */
		cut = *h;
		cut.handle = t->last_handle;
		h = &cut;
		fr->flags |= PS_FRAME_REBUILT;
		diag(t, ln, 0, "\"%s\": handle cut by btmon, assumed %u", ex, h->handle);
	} else {
		t->last_handle = h->handle;
	}
	fr->opcode = h->dir == '<' ? PS_MON_ACL_TX : PS_MON_ACL_RX;
	ps_put_le(p, (uint16_t)(h->handle | h->flags << 12), 2);
	ps_put_le(p + 2, h->plen, 2);
	bool start = (h->flags & 3) != 1;
	if (start)
		drop_pending(t, h->handle, "its continuation fragments never carried the decode");
	if (tl_at_end(c)) {
		/* no decode: a fragment whose PDU is printed under a later one */
		if (t->npend == TL_MAX_PENDING) {
			skip(t, fr, ln, -PS_EUNSUP, "\"%s\": too many ACL fragments waiting", ex);
			return;
		}
		memset(p + 4, 0, h->plen);
		if (add_frame(t, fr, p, 4 + h->plen) < 0)
			return;
		t->pend[t->npend].handle = h->handle;
		t->pend[t->npend++].frame = t->nframes - 1;
		return;
	}
	uint8_t pdu[65536 + 16];
	struct tl_out o = { pdu, sizeof pdu, 0 };
	struct tl_assumed as = { "", 0 };
	char err[160] = "";
	int rc = tl_build_l2cap(c, &o, &as, err, sizeof err);
	if (rc == -PS_ENOENT && tl_at_hexdump(c)) {
		rc = tl_parse_hexdump(c, pdu, h->plen);
		o.len = h->plen;
		if (rc < 0)
			snprintf(err, sizeof err, "expected a hexdump of %u octets", h->plen);
	} else if (rc == -PS_ENOENT) {
		snprintf(err, sizeof err, "no L2CAP decode or hexdump under it");
	}
	if (rc < 0) {
		drop_pending(t, h->handle, "the fragment holding the decode was unreadable");
		skip(t, fr, ln, rc, "\"%s\": skipped: %s", ex, err);
		return;
	}
	/* the waiting fragments of this handle take the PDU's first octets, in order */
	size_t have = 0;
	for (size_t i = 0; i < t->npend; i++)
		if (t->pend[i].handle == h->handle)
			have += t->frames[t->pend[i].frame].len - 4;
	if (have + h->plen != o.len) {
		drop_pending(t, h->handle, "fragment lengths do not add up to the PDU");
		skip(t, fr, ln, -PS_EBADDATA, "\"%s\": skipped: dlen %u (+%zu in earlier fragments) but the decode makes %zu octets",
		     ex, h->plen, have, o.len);
		return;
	}
	size_t off = 0, w = 0;
	for (size_t i = 0; i < t->npend; i++) {
		if (t->pend[i].handle != h->handle) {
			t->pend[w++] = t->pend[i];
			continue;
		}
		struct tl_frame *f = &t->frames[t->pend[i].frame];
		memcpy(t->data + f->off + 4, pdu + off, f->len - 4);
		off += f->len - 4;
		if (as.count)
			f->flags |= PS_FRAME_REBUILT;
	}
	t->npend = w;
	memcpy(p + 4, pdu + off, h->plen);
	if (as.count) {
		fr->flags |= PS_FRAME_REBUILT;
		diag(t, ln, 0, "\"%s\": rebuilt assuming %s", ex, as.names);
	}
	add_frame(t, fr, p, 4 + h->plen);
}

/* "* Malformed ACL Data RX packet" / "* Unknown packet (code 99 len 2)": the dump is the packet. */
static void do_bad(struct ps_textlog *t, const struct tl_hdr *h, struct tl_cur *c, struct tl_frame *fr,
		   const struct tl_line *ln, const char *ex)
{
	static const struct {
		const char *s;
		uint16_t op;
	} kinds[] = {
		{ "HCI Command", PS_MON_COMMAND }, { "HCI Event", PS_MON_EVENT },
		{ "ACL Data TX", PS_MON_ACL_TX },  { "ACL Data RX", PS_MON_ACL_RX },
		{ "SCO Data TX", PS_MON_SCO_TX },  { "SCO Data RX", PS_MON_SCO_RX },
		{ "ISO Data TX", PS_MON_ISO_TX },  { "ISO Data RX", PS_MON_ISO_RX },
	};
	fr->opcode = PS_MON_UNKNOWN;
	for (size_t i = 0; i < PS_ARRAY_SIZE(kinds); i++)
		if (strstr(h->rest, kinds[i].s))
			fr->opcode = kinds[i].op;
	const char *code = strstr(h->rest, "code ");
	if (code)
		fr->opcode = (uint16_t)atoi(code + 5);
	size_t n = h->has_len ? h->plen : tl_count_hexdump(c);
	if (!n || !tl_at_hexdump(c) || tl_parse_hexdump(c, t->pkt, n) < 0) {
		skip(t, fr, ln, -PS_EBADDATA, "\"%s\": skipped: btmon printed no bytes for it", ex);
		return;
	}
	add_frame(t, fr, t->pkt, n);
}

static void do_record(struct ps_textlog *t, size_t off, size_t end, uint64_t number)
{
	const char *s = t->text.buf + off;
	size_t n = end - off;
	const struct tl_line *ln = tl_line_at(&t->text, off);
	char ex[64], err[160] = "";
	excerpt(s, n, ex, sizeof ex);
	struct tl_hdr h;
	size_t body;
	int rc = tl_parse_header(s, n, &h, &body, err, sizeof err);
	if (rc < 0) {
		diag(t, ln, rc, "\"%s\": skipped: %s", ex, err);
		return;
	}
	struct tl_frame fr;
	memset(&fr, 0, sizeof fr);
	fr.line = ln->src_line;
	fr.src_off = ln->src_off;
	fr.number = number;
	if (h.has_ts) {
		fr.ts_us = h.ts_kind == 3 ? h.ts_us : TL_EPOCH_US + h.ts_us;
		t->last_ts = fr.ts_us;
	} else {
		fr.ts_us = t->last_ts ? t->last_ts : TL_EPOCH_US;
	}
	if (h.index >= 0)
		fr.index = (uint16_t)h.index;
	else if (h.kind == TL_NOTE || h.kind == TL_USERLOG)
		fr.index = PS_INDEX_NONE;
	else
		fr.flags |= PS_FRAME_NO_INDEX;
	struct tl_cur c = { s, n, body };
	switch (h.kind) {
	case TL_ACL:
		do_acl(t, &h, &c, &fr, ln, ex);
		return;
	case TL_BAD:
		do_bad(t, &h, &c, &fr, ln, ex);
		return;
	case TL_SCO:
	case TL_ISO:
		if (tl_at_hexdump(&c) && tl_parse_hexdump(&c, t->pkt + (h.kind == TL_SCO ? 3 : 4), h.plen) == 0) {
			bool tx = h.dir == '<';
			fr.opcode = h.kind == TL_SCO ? (tx ? PS_MON_SCO_TX : PS_MON_SCO_RX)
						     : (tx ? PS_MON_ISO_TX : PS_MON_ISO_RX);
			ps_put_le(t->pkt, (uint16_t)(h.handle | h.flags << 12), 2);
			size_t hl = h.kind == TL_SCO ? 3 : 4;
			ps_put_le(t->pkt + 2, h.plen, hl - 2);
			add_frame(t, &fr, t->pkt, hl + h.plen);
		} else {
			skip(t, &fr, ln, -PS_EUNSUP, "\"%s\": skipped: btmon did not print its payload", ex);
		}
		return;
	case TL_MGMT:
		diag(t, ln, 0, "\"%s\": management record not rebuilt", ex);
		return;
	case TL_CMD:
	case TL_EVT:
	case TL_INDEX:
	case TL_NOTE:
	case TL_USERLOG:
	case TL_VDIAG:
	case TL_NONE:
		break;
	}
	static const uint16_t ops[] = {
		[TL_CMD] = PS_MON_COMMAND,      [TL_EVT] = PS_MON_EVENT,          [TL_NOTE] = PS_MON_SYSTEM_NOTE,
		[TL_USERLOG] = PS_MON_USER_LOGGING, [TL_VDIAG] = PS_MON_VENDOR_DIAG,
	};
	fr.opcode = h.kind == TL_INDEX ? h.idx_op : ops[h.kind];
	char *cutp = h.kind == TL_INDEX ? strstr(h.rest, "..") : NULL;
	if (cutp && t->idx_addr[0] && cutp - h.rest < 17) {
		/* "B8:27:EB:.. (Primary,UART,hci0)": btmon cut the address; another index record has it */
		char rest[sizeof h.rest];
		snprintf(rest, sizeof rest, "%s%s", t->idx_addr, cutp + 2);
		memcpy(h.rest, rest, sizeof rest);
		fr.flags |= PS_FRAME_REBUILT;
		diag(t, ln, 0, "\"%s\": address cut by btmon, assumed %s", ex, t->idx_addr);
	}
	struct tl_out o = { t->pkt, sizeof t->pkt, 0 };
	struct tl_assumed as = { "", 0 };
	rc = tl_build_hci(&h, &c, &o, &as, err, sizeof err);
	if (rc < 0) {
		skip(t, &fr, ln, rc, "\"%s\": skipped: %s", ex, err);
		return;
	}
	if (as.count) {
		fr.flags |= PS_FRAME_REBUILT;
		diag(t, ln, 0, "\"%s\": rebuilt assuming %s", ex, as.names);
	}
	/* LE (Enhanced) Connection Complete, success: the handle a cut ACL header most likely meant */
	if (fr.opcode == PS_MON_EVENT && o.len >= 6 && o.p[0] == 0x3e && (o.p[2] == 0x01 || o.p[2] == 0x0a) &&
	    o.p[3] == 0)
		t->last_handle = (uint16_t)((o.p[4] | o.p[5] << 8) & 0x0fff);
	add_frame(t, &fr, o.p, o.len);
}

/* A full address from any index record ("= Open Index: B8:27:EB:15:50:70"), for ones btmon cut. */
static void find_index_addr(struct ps_textlog *t)
{
	for (size_t i = 0; i < t->text.nlines; i++) {
		const char *s = t->text.buf + t->text.lines[i].off;
		size_t n = t->text.lines[i].len;
		if (s[0] != '=' || !tl_is_header(s, n))
			continue;
		const char *c = memchr(s, ':', n);
		if (!c || (size_t)(c - s) + 19 > n)
			continue;
		uint8_t a[6];
		char buf[18];
		memcpy(buf, c + 2, 17);
		buf[17] = 0;
		if (ps_addr_parse(buf, a) == 0) {
			memcpy(t->idx_addr, buf, sizeof buf);
			return;
		}
	}
}

bool ps_textlog_sniff(const uint8_t *p, size_t len)
{
	/* btmon's record labels anywhere in the sample, or text at all (so prose gets a clear "no btmon
	 * record" message rather than "unknown format") */
	static const char *const marks[] = { "HCI Command:", "HCI Event:", "ACL Data", "Bluetooth monitor ver",
					     "LE-ACL:", "New Index:" };
	size_t ctl = 0;
	for (size_t i = 0; i < len; i++)
		if (p[i] == 0 || (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t'))
			ctl++;
	for (size_t m = 0; m < PS_ARRAY_SIZE(marks); m++) {
		size_t k = strlen(marks[m]);
		for (size_t i = 0; i + k <= len; i++)
			if (p[i] == (uint8_t)marks[m][0] && memcmp(p + i, marks[m], k) == 0)
				return true;
	}
	return len > 0 && ctl * 100 <= len;
}

int ps_textlog_open(struct ps_textlog **out, const char *name, const char *text, size_t len,
		    ps_trace_diag_fn on_diag, void *diag_ctx, char *err, size_t errcap)
{
	*out = NULL;
	struct ps_textlog *t = calloc(1, sizeof *t);
	if (!t)
		return -PS_ENOMEM;
	t->name = name;
	t->on_diag = on_diag;
	t->diag_ctx = diag_ctx;
	int rc = tl_recover_lines(&t->text, text, len);
	if (rc < 0) {
		free(t);
		snprintf(err, errcap, "%s: %s", name, ps_strerror(rc));
		return rc;
	}
	find_index_addr(t);
	size_t start = SIZE_MAX;
	uint64_t number = 0;
	for (size_t i = 0; i <= t->text.nlines; i++) {
		bool hdr = i < t->text.nlines &&
			   tl_is_header(t->text.buf + t->text.lines[i].off, t->text.lines[i].len);
		if (!hdr && i < t->text.nlines)
			continue;
		size_t off = i < t->text.nlines ? t->text.lines[i].off : t->text.len;
		if (start != SIZE_MAX)
			do_record(t, start, off, ++number);
		start = off;
	}
	for (size_t i = 0; i < t->npend;)
		drop_pending(t, t->pend[i].handle, "the log ends before the fragment holding its decode");
	size_t live = 0;
	for (size_t i = 0; i < t->nframes; i++)
		live += !t->frames[i].dead && !t->frames[i].note;
	if (!live) {
		snprintf(err, errcap,
			 "%s: no btmon packet could be read (%zu line%s, %llu record header%s found; expected lines "
			 "such as \"< HCI Command: Reset (0x03|0x0003) plen 0\")",
			 name, t->text.nlines, t->text.nlines == 1 ? "" : "s", (unsigned long long)number,
			 number == 1 ? "" : "s");
		ps_textlog_free(t);
		return -PS_EEMPTY;
	}
	*out = t;
	return 0;
}

int ps_textlog_next(struct ps_textlog *t, struct ps_frame *f)
{
	while (t->next < t->nframes && t->frames[t->next].dead)
		t->next++;
	if (t->next >= t->nframes)
		return -PS_EOF;
	const struct tl_frame *s = &t->frames[t->next++];
	memset(f, 0, sizeof *f);
	f->ts_us = s->ts_us;
	f->index = s->index;
	f->opcode = s->opcode;
	f->flags = s->flags;
	f->orig_len = s->len;
	f->len = s->len;
	f->data = t->data + s->off;
	f->offset = s->line;
	f->number = s->number;
	return 0;
}

unsigned ps_textlog_damage(const struct ps_textlog *t) { return t ? t->damage : 0; }

void ps_textlog_free(struct ps_textlog *t)
{
	if (!t)
		return;
	tl_text_free(&t->text);
	free(t->frames);
	free(t->data);
	free(t);
}
