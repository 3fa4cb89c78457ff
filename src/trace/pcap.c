/* Classic pcap reader through libpcap (pcap_fopen_offline on a FILE*, so pipes work); the link-type
 * headers are stripped in dlt.c. pcapng goes to pcapng.c: libpcap 1.10 refuses a section whose
 * interfaces differ in link type or snapshot length, which dumpcap writes when capturing several. */
#define _GNU_SOURCE /* fopencookie: replay the sniffed prefix in front of a pipe without seeking */
#include "trace/reader_int.h"
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

/* The prefix trace.c read to sniff the format, then the rest of the input; counts bytes handed out so
 * ftell() gives libpcap's position in the input (the byte offset of each record). */
struct replay {
	uint8_t *pre;
	size_t prelen, prepos;
	FILE *under;
	uint64_t pos;
};

struct ps_pcap_rd {
	pcap_t *p;
	FILE *in; /* the replay stream; pcap_close() closes it */
	uint64_t number;
	char err[PCAP_ERRBUF_SIZE];
};

static ssize_t replay_read(void *c, char *buf, size_t n)
{
	struct replay *r = c;
	size_t got = 0;
	if (r->prepos < r->prelen) {
		got = r->prelen - r->prepos < n ? r->prelen - r->prepos : n;
		memcpy(buf, r->pre + r->prepos, got);
		r->prepos += got;
	}
	if (got < n)
		got += fread(buf + got, 1, n - got, r->under);
	r->pos += got;
	return (ssize_t)got;
}

/* Only "where am I" (ftell) is supported; the input is a stream. */
static int replay_seek(void *c, off64_t *off, int whence)
{
	struct replay *r = c;
	if (whence != SEEK_CUR || *off != 0)
		return -1;
	*off = (off64_t)r->pos;
	return 0;
}

static int replay_close(void *c)
{
	struct replay *r = c;
	free(r->pre);
	free(r);
	return 0;
}

int ps_pcap_open(struct ps_trace *t, uint8_t *pre, size_t prelen, char *err, size_t errcap)
{
	struct ps_pcap_rd *pc = calloc(1, sizeof *pc);
	struct replay *rp = calloc(1, sizeof *rp);
	if (!pc || !rp) {
		free(pc);
		free(rp);
		free(pre);
		return -PS_ENOMEM;
	}
	rp->pre = pre;
	rp->prelen = prelen;
	rp->under = t->fp;
	cookie_io_functions_t io = { .read = replay_read, .seek = replay_seek, .close = replay_close };
	pc->in = fopencookie(rp, "rb", io);
	if (!pc->in) {
		replay_close(rp);
		free(pc);
		return -PS_ENOMEM;
	}
	t->pc = pc;
	t->fmt = PS_TRACE_PCAP;
	pc->p = pcap_fopen_offline(pc->in, pc->err);
	if (!pc->p) {
		/* libpcap did not take the stream. */
		fclose(pc->in);
		pc->in = NULL;
		snprintf(err, errcap, "%s: offset 0: not a readable pcap/pcapng file: %s", t->name, pc->err);
		return -PS_EBADDATA;
	}
	t->dlt = (uint32_t)pcap_datalink(pc->p);
	if (!ps_dlt_supported(t->dlt))
		ps_trace_diagf(t, 0, 0, -PS_EUNSUP,
				       "link type %u (%s) not supported (expected 187 H4, 201 H4 with direction, 254 "
				       "Linux monitor or an LE sniffer type); records passed on undecoded",
				       t->dlt, pcap_datalink_val_to_name((int)t->dlt) ? pcap_datalink_val_to_name((int)t->dlt) : "?");
	return 0;
}

void ps_pcap_close(struct ps_trace *t)
{
	struct ps_pcap_rd *pc = t->pc;
	if (!pc)
		return;
	if (pc->p)
		pcap_close(pc->p); /* also closes pc->in */
	free(pc);
	t->pc = NULL;
}

int ps_pcap_next(struct ps_trace *t, struct ps_frame *f)
{
	struct ps_pcap_rd *pc = t->pc;
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *data;
		long pos = ftell(pc->in);
		uint64_t off = pos < 0 ? 0 : (uint64_t)pos;
		int rc = pcap_next_ex(pc->p, &h, &data);
		if (rc == PCAP_ERROR_BREAK)
			return -PS_EOF;
		if (rc != 1) {
			/* libpcap cannot go on after a damaged record: report it and end the trace there. */
			ps_trace_diagf(t, pc->number + 1, off, -PS_EBADDATA, "%s; stopped reading", pcap_geterr(pc->p));
			return -PS_EOF;
		}
		memset(f, 0, sizeof *f);
		f->number = ++pc->number;
		f->offset = off;
		f->dlt = t->dlt;
		f->ts_us = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
		f->orig_len = h->len;
		if (h->caplen < h->len)
			f->flags |= PS_FRAME_TRUNCATED;
		if (h->caplen > PS_TRACE_MAX_RECORD) {
			ps_trace_diagf(t, f->number, off, -PS_EBADDATA,
				       "record length %u over 64 KiB (expected at most %u); skipped", h->caplen,
				       PS_TRACE_MAX_RECORD);
			continue;
		}
		if (!ps_dlt_classify(t, t->dlt, f, data, h->caplen))
			continue;
		return 0;
	}
}
