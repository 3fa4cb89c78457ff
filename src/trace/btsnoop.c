/* btsnoop reader: datalinks 1001 (H1), 1002 (H4, also Android's btsnoop_hci.log with truncated records)
 * and 2001 (Linux monitor, as `btmon -w` writes). Format: NOTES.md §D (BlueZ src/shared/btsnoop.h,
 * Wireshark wiretap/btsnoop.c, AOSP snoop_logger.cc: facts only). All fields big-endian.
 * Streams the input in 256 KiB blocks (ps_instream), so memory stays constant whatever the file size. */
#include "trace/reader_int.h"
#include "base/bytes.h"
#include <errno.h>
#include <string.h>

/* Room for several of the largest records; bigger buys no speed (one fread per block). */
#define BLOCK (256u << 10)
/* Resync accepts a timestamp within this distance of the last good one (one day, in µs). */
#define RESYNC_TS_WINDOW (86400ull * 1000000ull)

struct rec_hdr {
	uint32_t orig, incl, flags, drops;
	uint64_t ts;
};

/* The caller made the 24 header bytes available. */
static void parse_hdr(const uint8_t *p, struct rec_hdr *h)
{
	h->orig = (uint32_t)ps_get_be(p, 4);
	h->incl = (uint32_t)ps_get_be(p + 4, 4);
	h->flags = (uint32_t)ps_get_be(p + 8, 4);
	h->drops = (uint32_t)ps_get_be(p + 12, 4);
	h->ts = ps_get_be(p + 16, 8);
}

/* Could a record header start here? Used only to find our way after damage. */
static bool plausible(const struct ps_btsnoop_rd *r, const struct rec_hdr *h, const uint8_t *payload,
		      size_t avail)
{
	if (h->incl > PS_TRACE_MAX_RECORD || h->orig < h->incl || h->orig > PS_TRACE_MAX_RECORD)
		return false;
	if (r->have_ts) {
		uint64_t d = h->ts > r->last_ts ? h->ts - r->last_ts : r->last_ts - h->ts;
		if (d > RESYNC_TS_WINDOW)
			return false;
	} else if (h->ts < PS_BTSNOOP_EPOCH_DELTA) {
		return false;
	}
	switch (r->datalink) {
	case PS_BTSNOOP_MONITOR:
		return (h->flags & 0xffff) <= PS_MON_ISO_RX &&
		       ((h->flags >> 16) < 0x100 || (h->flags >> 16) == PS_INDEX_NONE);
	case PS_BTSNOOP_H4:
		return h->flags <= 3 && (h->incl == 0 || avail == 0 || (payload[0] >= 1 && payload[0] <= 5));
	case PS_BTSNOOP_H1:
		return h->flags <= 3;
	default:
		return true;
	}
}

/* Skip forward from the damaged header at r->start to the next plausible one. false at end of input. */
static bool resync(struct ps_trace *t)
{
	struct ps_btsnoop_rd *r = &t->bs;
	struct ps_instream *in = &r->in;
	uint64_t from = ps_instream_off(in);
	for (ps_instream_consume(in, 1); ps_instream_off(in) - from < PS_TRACE_RESYNC_LIMIT;
	     ps_instream_consume(in, 1)) {
		size_t avail = ps_instream_ensure(in, PS_BTSNOOP_REC_HDR_LEN + 1);
		if (avail < PS_BTSNOOP_REC_HDR_LEN)
			break;
		struct rec_hdr h;
		parse_hdr(ps_instream_ptr(in), &h);
		if (plausible(r, &h, ps_instream_ptr(in) + PS_BTSNOOP_REC_HDR_LEN, avail - PS_BTSNOOP_REC_HDR_LEN))
			return ps_trace_resync_found(t, r->number + 1, in, from, "plausible record");
	}
	return ps_trace_resync_give_up(t, r->number + 1, in, from, "plausible record");
}

int ps_btsnoop_open(struct ps_trace *t, const uint8_t *pre, size_t prelen, char *err, size_t errcap)
{
	struct ps_btsnoop_rd *r = &t->bs;
	if (prelen < PS_BTSNOOP_HDR_LEN) {
		snprintf(err, errcap, "%s: offset %zu: btsnoop header cut short (%zu of 16 bytes)", t->name, prelen,
			 prelen);
		return -PS_ETRUNC;
	}
	int rc = ps_instream_init(&r->in, t->fp, pre, prelen, BLOCK);
	if (rc < 0)
		return rc;
	ps_instream_consume(&r->in, PS_BTSNOOP_HDR_LEN);
	t->fmt = PS_TRACE_BTSNOOP;
	uint32_t version = (uint32_t)ps_get_be(pre + 8, 4);
	r->datalink = (uint32_t)ps_get_be(pre + 12, 4);
	t->dlt = r->datalink;
	if (version != 1)
		ps_trace_diagf(t, 0, 8, -PS_EBADDATA, "btsnoop version %u (expected 1); reading on", version);
	switch (r->datalink) {
	case PS_BTSNOOP_H1:
	case PS_BTSNOOP_H4:
	case PS_BTSNOOP_MONITOR:
		break;
	default:
		ps_trace_diagf(t, 0, 12, -PS_EUNSUP,
			       "btsnoop datalink %u not supported (expected 1001 H1, 1002 H4 or 2001 Linux monitor); "
			       "records passed on undecoded",
			       r->datalink);
	}
	return 0;
}

void ps_btsnoop_close(struct ps_trace *t)
{
	ps_instream_free(&t->bs.in);
}

/* Fill f's kind from the record flags and payload, per datalink. */
static void classify(struct ps_trace *t, const struct rec_hdr *h, struct ps_frame *f)
{
	switch (t->bs.datalink) {
	case PS_BTSNOOP_MONITOR:
		f->index = (uint16_t)(h->flags >> 16);
		f->opcode = (uint16_t)(h->flags & 0xffff);
		if (f->opcode > PS_MON_ISO_RX)
			f->opcode = PS_MON_UNKNOWN;
		return;
	case PS_BTSNOOP_H4:
		f->flags |= PS_FRAME_NO_INDEX;
		if (f->len == 0) {
			f->opcode = PS_MON_UNKNOWN;
			ps_trace_diagf(t, f->number, f->offset, -PS_ETRUNC, "empty H4 record (no packet type octet)");
			return;
		}
		f->opcode = ps_h4_to_mon(f->data[0], h->flags & 1);
		if (f->opcode == PS_MON_UNKNOWN) {
			ps_trace_diagf(t, f->number, f->offset, -PS_EBADDATA, "unknown H4 packet type 0x%02x",
				       f->data[0]);
			return;
		}
		f->data++;
		f->len--;
		if (f->orig_len)
			f->orig_len--;
		return;
	case PS_BTSNOOP_H1:
		/* flags bit 0: 1 = controller to host; bit 1: 1 = command/event, 0 = ACL (SCO is not told apart). */
		f->flags |= PS_FRAME_NO_INDEX;
		if (h->flags & 2)
			f->opcode = (h->flags & 1) ? PS_MON_EVENT : PS_MON_COMMAND;
		else
			f->opcode = (h->flags & 1) ? PS_MON_ACL_RX : PS_MON_ACL_TX;
		return;
	default:
		f->opcode = PS_MON_UNKNOWN;
		return;
	}
}

int ps_btsnoop_next(struct ps_trace *t, struct ps_frame *f)
{
	struct ps_btsnoop_rd *r = &t->bs;
	struct ps_instream *in = &r->in;
	for (;;) {
		size_t avail;
		uint64_t off = ps_instream_off(in);
		int rc = ps_trace_rec_start(t, r->number + 1, in, PS_BTSNOOP_REC_HDR_LEN, "record", &avail);
		if (rc < 0)
			return rc;
		struct rec_hdr h;
		parse_hdr(ps_instream_ptr(in), &h);
		if (h.incl > PS_TRACE_MAX_RECORD) {
			ps_trace_diagf(t, r->number + 1, off, -PS_EBADDATA,
				       "record length %u over 64 KiB (expected at most %u)", h.incl, PS_TRACE_MAX_RECORD);
			if (!resync(t))
				return -PS_EOF;
			continue;
		}
		size_t need = PS_BTSNOOP_REC_HDR_LEN + h.incl;
		avail = ps_instream_ensure(in, need);
		memset(f, 0, sizeof *f);
		f->number = ++r->number;
		f->offset = off;
		f->dlt = r->datalink;
		f->orig_len = h.orig;
		f->data = ps_instream_ptr(in) + PS_BTSNOOP_REC_HDR_LEN;
		f->ts_us = h.ts >= PS_BTSNOOP_EPOCH_DELTA ? h.ts - PS_BTSNOOP_EPOCH_DELTA : 0;
		if (avail < need) {
			/* Android and killed writers leave the last record cut short: keep what is there. */
			f->len = (uint32_t)(avail - PS_BTSNOOP_REC_HDR_LEN);
			f->flags |= PS_FRAME_TRUNCATED;
			ps_trace_diagf(t, f->number, off, -PS_ETRUNC,
				       "truncated record: length %u runs past the end of the file (%u bytes left)", h.incl,
				       f->len);
			ps_instream_consume(in, avail);
		} else {
			f->len = h.incl;
			ps_instream_consume(in, need);
		}
		if (h.orig < h.incl)
			ps_trace_diagf(t, f->number, off, -PS_EBADDATA,
				       "included length %u larger than original length %u", h.incl, h.orig);
		else if (h.incl < h.orig)
			f->flags |= PS_FRAME_TRUNCATED; /* Android's filtered snoop mode keeps only headers */
		r->last_ts = h.ts;
		r->have_ts = true;
		classify(t, &h, f);
		return 0;
	}
}
