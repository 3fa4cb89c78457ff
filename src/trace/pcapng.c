/* pcapng reader: Section Header, Interface Description, Enhanced/Simple/obsolete Packet blocks, every
 * other block skipped; several interfaces of different link types and snapshot lengths in one section
 * (libpcap 1.10 refuses those, dumpcap writes them). Format: IETF draft-ietf-opsawg-pcapng §4.
 * Streams in 256 KiB blocks like the btsnoop reader; link-type headers are stripped in dlt.c. */
#include "trace/reader_int.h"
#include "base/bytes.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Buffer size, and so the largest packet or header block we read whole (a packet is at most 64 KiB
 * plus options; anything longer is a length that lies). */
#define BLOCK (256u << 10)
#define MAX_IFACES 4096u

enum {
	BT_SHB = 0x0A0D0D0A,
	BT_IDB = 1,
	BT_OPB = 2, /* obsolete Packet Block */
	BT_SPB = 3,
	BT_NRB = 4,
	BT_ISB = 5,
	BT_EPB = 6,
	BOM = 0x1A2B3C4D,
	OPT_END = 0,
	OPT_IF_TSRESOL = 9,
	OPT_IF_TSOFFSET = 14,
};

struct iface {
	uint32_t dlt;
	uint32_t snaplen;
	uint8_t tsresol; /* if_tsresol: bit 7 clear = 10^-n s, set = 2^-n s */
	int64_t tsoffset; /* seconds */
};

struct ps_pcapng_rd {
	struct ps_instream in;
	bool le; /* byte order of the current section */
	struct iface *ifs;
	uint32_t nifs, capifs;
	uint64_t number;
};

static uint64_t get(const struct ps_pcapng_rd *r, const uint8_t *p, unsigned n)
{
	return r->le ? ps_get_le(p, n) : ps_get_be(p, n);
}

static uint64_t ts_to_us(const struct iface *ifc, uint64_t ts)
{
	unsigned n = ifc->tsresol & 0x7f;
	uint64_t us;
	if (ifc->tsresol & 0x80) {
		/* 2^-n seconds: split whole seconds off so the fraction cannot overflow. */
		if (n > 40) {
			ts >>= n - 40;
			n = 40;
		}
		uint64_t sec = ts >> n, frac = ts & ((1ull << n) - 1);
		us = sec * 1000000u + ((frac * 1000000u) >> n);
	} else if (n >= 6) {
		uint64_t div = 1;
		for (unsigned i = 6; i < n && i < 25; i++)
			div *= 10;
		us = n >= 25 ? 0 : ts / div;
	} else {
		uint64_t mul = 1;
		for (unsigned i = n; i < 6; i++)
			mul *= 10;
		us = ts * mul;
	}
	return us + (uint64_t)ifc->tsoffset * 1000000u; /* wraps like the file's own arithmetic */
}

/* Options of an IDB: we need the timestamp resolution and offset; the rest is skipped. */
static void idb_options(const struct ps_pcapng_rd *r, struct iface *ifc, const uint8_t *p, size_t len)
{
	struct ps_rd rd;
	ps_rd_init(&rd, p, len);
	while (ps_rd_left(&rd) >= 4) {
		const uint8_t *h;
		(void)ps_rd_view(&rd, &h, 4);
		unsigned code = (unsigned)get(r, h, 2), olen = (unsigned)get(r, h + 2, 2);
		const uint8_t *v;
		if (code == OPT_END || ps_rd_view(&rd, &v, olen) < 0)
			return;
		if (code == OPT_IF_TSRESOL && olen == 1)
			ifc->tsresol = v[0];
		else if (code == OPT_IF_TSOFFSET && olen == 8)
			ifc->tsoffset = (int64_t)get(r, v, 8);
		(void)ps_rd_skip(&rd, (4 - olen % 4) % 4);
	}
}

static bool read_shb(struct ps_trace *t, const uint8_t *b, size_t len, uint64_t off)
{
	struct ps_pcapng_rd *r = t->ng;
	uint32_t bom = (uint32_t)ps_get_le(b + 8, 4);
	if (len < 28 || (bom != BOM && bom != 0x4D3C2B1A)) {
		ps_trace_diagf(t, r->number + 1, off, -PS_EBADDATA, "section header without a byte-order magic");
		return false;
	}
	r->le = bom == BOM;
	r->nifs = 0; /* interfaces are numbered per section */
	uint16_t major = (uint16_t)get(r, b + 12, 2);
	if (major != 1)
		ps_trace_diagf(t, r->number + 1, off, -PS_EUNSUP, "pcapng version %u (expected 1); reading on", major);
	return true;
}

static void read_idb(struct ps_trace *t, const uint8_t *b, size_t len, uint64_t off)
{
	struct ps_pcapng_rd *r = t->ng;
	if (len < 20) {
		ps_trace_diagf(t, r->number + 1, off, -PS_ETRUNC, "interface description block too short (%zu bytes)",
			       len);
		return;
	}
	if (r->nifs == MAX_IFACES) {
		ps_trace_diagf(t, r->number + 1, off, -PS_ERANGE, "more than %u interfaces; ignored", MAX_IFACES);
		return;
	}
	if (r->nifs == r->capifs) {
		uint32_t n = r->capifs ? r->capifs * 2 : 4;
		struct iface *ni = realloc(r->ifs, n * sizeof *ni);
		if (!ni)
			return;
		r->ifs = ni;
		r->capifs = n;
	}
	struct iface *ifc = &r->ifs[r->nifs];
	memset(ifc, 0, sizeof *ifc);
	ifc->dlt = (uint32_t)get(r, b + 8, 2);
	ifc->snaplen = (uint32_t)get(r, b + 12, 4);
	ifc->tsresol = 6;
	idb_options(r, ifc, b + 16, len - 20);
	if (r->nifs == 0 && !t->dlt)
		t->dlt = ifc->dlt;
	if (!ps_dlt_supported(ifc->dlt))
		ps_trace_diagf(t, r->number + 1, off, -PS_EUNSUP,
			       "interface %u: link type %u not supported (expected 187, 201, 254 or an LE sniffer "
			       "type); its records are passed on undecoded",
			       r->nifs, ifc->dlt);
	r->nifs++;
}

int ps_pcapng_open(struct ps_trace *t, const uint8_t *pre, size_t prelen, char *err, size_t errcap)
{
	struct ps_pcapng_rd *r = calloc(1, sizeof *r);
	if (!r)
		return -PS_ENOMEM;
	t->ng = r;
	t->fmt = PS_TRACE_PCAP;
	int rc = ps_instream_init(&r->in, t->fp, pre, prelen, BLOCK);
	if (rc < 0)
		return rc;
	if (prelen < 28) {
		snprintf(err, errcap, "%s: offset 0: pcapng section header cut short (%zu of at least 28 bytes)",
			 t->name, prelen);
		return -PS_ETRUNC;
	}
	uint32_t bom = (uint32_t)ps_get_le(pre + 8, 4);
	if (bom != BOM && bom != 0x4D3C2B1A) {
		snprintf(err, errcap, "%s: offset 8: pcapng byte-order magic missing (expected 1a2b3c4d)", t->name);
		return -PS_EBADDATA;
	}
	return 0;
}

void ps_pcapng_close(struct ps_trace *t)
{
	struct ps_pcapng_rd *r = t->ng;
	if (!r)
		return;
	ps_instream_free(&r->in);
	free(r->ifs);
	free(r);
	t->ng = NULL;
}

static bool known_type(uint32_t type)
{
	return type == BT_SHB || (type >= BT_IDB && type <= BT_EPB) || type == 0x0A || type == 0x0BAD ||
	       type == 0x40000BAD;
}

/* Find the next block whose header and trailer agree, 4 bytes at a time. */
static bool resync(struct ps_trace *t)
{
	struct ps_pcapng_rd *r = t->ng;
	struct ps_instream *in = &r->in;
	uint64_t from = ps_instream_off(in);
	for (ps_instream_consume(in, 4); ps_instream_off(in) - from < PS_TRACE_RESYNC_LIMIT;
	     ps_instream_consume(in, 4)) {
		size_t avail = ps_instream_ensure(in, 12);
		if (avail < 12)
			break;
		const uint8_t *b = ps_instream_ptr(in);
		uint32_t type = (uint32_t)get(r, b, 4), len = (uint32_t)get(r, b + 4, 4);
		if (!known_type(type) || len < 12 || len % 4 || len > BLOCK)
			continue;
		avail = ps_instream_ensure(in, len);
		b = ps_instream_ptr(in);
		if (avail >= len && get(r, b + len - 4, 4) == len)
			return ps_trace_resync_found(t, r->number + 1, in, from, "block");
	}
	return ps_trace_resync_give_up(t, r->number + 1, in, from, "block");
}

/* A packet block: fill f from its interface and data. Returns false for a block to skip. */
static bool packet(struct ps_trace *t, uint32_t type, const uint8_t *b, size_t len, struct ps_frame *f)
{
	struct ps_pcapng_rd *r = t->ng;
	uint32_t ifid, caplen, origlen;
	uint64_t ts = 0;
	size_t hdr = type == BT_SPB ? 12 : 28;
	if (len < hdr + 4) {
		ps_trace_diagf(t, f->number, f->offset, -PS_ETRUNC, "packet block too short (%zu bytes)", len);
		return false;
	}
	if (type == BT_SPB) {
		ifid = 0;
		origlen = (uint32_t)get(r, b + 8, 4);
		caplen = origlen;
		if (r->nifs && r->ifs[0].snaplen && caplen > r->ifs[0].snaplen)
			caplen = r->ifs[0].snaplen;
	} else {
		ifid = type == BT_OPB ? (uint32_t)get(r, b + 8, 2) : (uint32_t)get(r, b + 8, 4);
		ts = get(r, b + 12, 4) << 32 | get(r, b + 16, 4);
		caplen = (uint32_t)get(r, b + 20, 4);
		origlen = (uint32_t)get(r, b + 24, 4);
	}
	if (ifid >= r->nifs) {
		ps_trace_diagf(t, f->number, f->offset, -PS_EBADDATA,
			       "packet for interface %u, but the section describes %u", ifid, r->nifs);
		return false;
	}
	if (caplen > len - hdr - 4) {
		ps_trace_diagf(t, f->number, f->offset, -PS_EBADDATA,
			       "captured length %u runs past its block (%zu bytes of data)", caplen, len - hdr - 4);
		return false;
	}
	if (caplen > PS_TRACE_MAX_RECORD) {
		ps_trace_diagf(t, f->number, f->offset, -PS_EBADDATA, "record length %u over 64 KiB; skipped", caplen);
		return false;
	}
	const struct iface *ifc = &r->ifs[ifid];
	f->dlt = ifc->dlt;
	f->index = (uint16_t)ifid;
	f->ts_us = type == BT_SPB ? 0 : ts_to_us(ifc, ts);
	f->orig_len = origlen;
	if (caplen < origlen)
		f->flags |= PS_FRAME_TRUNCATED;
	return ps_dlt_classify(t, ifc->dlt, f, b + hdr, caplen);
}

int ps_pcapng_next(struct ps_trace *t, struct ps_frame *f)
{
	struct ps_pcapng_rd *r = t->ng;
	struct ps_instream *in = &r->in;
	for (;;) {
		size_t avail;
		uint64_t off = ps_instream_off(in);
		int rc = ps_trace_rec_start(t, r->number + 1, in, 12, "block", &avail);
		if (rc < 0)
			return rc;
		const uint8_t *b = ps_instream_ptr(in);
		uint32_t type = (uint32_t)get(r, b, 4);
		if (type == BT_SHB) /* the byte order may change at a new section */
			r->le = ps_get_le(b + 8, 4) == BOM;
		uint32_t len = (uint32_t)get(r, b + 4, 4);
		if (len < 12 || len % 4) {
			ps_trace_diagf(t, r->number + 1, off, -PS_EBADDATA, "block length %u invalid (expected a multiple "
				       "of 4, at least 12)", len);
			if (!resync(t))
				return -PS_EOF;
			continue;
		}
		bool is_packet = type == BT_EPB || type == BT_SPB || type == BT_OPB;
		if (len > BLOCK) {
			if (is_packet || type == BT_SHB || type == BT_IDB) {
				ps_trace_diagf(t, r->number + 1, off, -PS_EBADDATA,
					       "block of %u bytes over the 256 KiB we accept for packets and headers", len);
				if (!resync(t))
					return -PS_EOF;
				continue;
			}
			/* A big block we do not read (statistics, custom): skip it a buffer at a time. */
			for (uint64_t left = len; left && ps_instream_ensure(in, 1);) {
				size_t n = in->end - in->start < left ? in->end - in->start : (size_t)left;
				ps_instream_consume(in, n);
				left -= n;
			}
			continue;
		}
		avail = ps_instream_ensure(in, len);
		b = ps_instream_ptr(in);
		memset(f, 0, sizeof *f);
		f->offset = off;
		if (avail < len) {
			ps_trace_diagf(t, r->number + 1, off, -PS_ETRUNC,
				       "truncated block: length %u runs past the end of the file (%zu bytes left)", len, avail);
			ps_instream_consume(in, avail);
			return -PS_EOF;
		}
		ps_instream_consume(in, len);
		if (get(r, b + len - 4, 4) != len)
			ps_trace_diagf(t, r->number + 1, off, -PS_EBADDATA,
				       "block length %u at its end differs from %u at its start", (unsigned)get(r, b + len - 4, 4),
				       len);
		if (type == BT_SHB) {
			if (!read_shb(t, b, len, off) && !resync(t))
				return -PS_EOF;
			continue;
		}
		if (type == BT_IDB) {
			read_idb(t, b, len, off);
			continue;
		}
		if (!is_packet)
			continue;
		f->number = ++r->number;
		if (packet(t, type, b, len, f))
			return 0;
	}
}
