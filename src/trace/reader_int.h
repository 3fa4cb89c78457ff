/* Internals shared by the capture readers (trace.c dispatch, btsnoop.c, pcap.c) and the writers:
 * the trace object, the damage reporter and the format constants of NOTES.md §D. */
#ifndef PS_TRACE_READER_INT_H
#define PS_TRACE_READER_INT_H

#include "trace/trace_int.h"
#include <pairscope/h4.h> /* PS_H4_* packet types */
#include <stdio.h>

/* btsnoop timestamps count µs from 0000-01-01; Unix µs = ts - this (BlueZ src/shared/btsnoop.h writes the
 * same instant as 0x00E03AB44A676000 from 2000-01-01). */
#define PS_BTSNOOP_EPOCH_DELTA 0x00DCDDB30F2F8000ull
#define PS_BTSNOOP_HDR_LEN 16u
#define PS_BTSNOOP_REC_HDR_LEN 24u
enum { PS_BTSNOOP_H1 = 1001, PS_BTSNOOP_H4 = 1002, PS_BTSNOOP_MONITOR = 2001 };
enum { PS_DLT_H4 = 187, PS_DLT_H4_PHDR = 201, PS_DLT_MONITOR = 254 };

/* Largest record we accept: an ACL packet of 65535 data octets with its 4-octet header and the H4
 * type octet. Anything longer is a length that lies ("over 64 KiB"). */
#define PS_TRACE_MAX_RECORD (65535u + 4u + 1u)

/* Sniffing reads this much of the input before choosing a reader (also what the text sniffer sees). */
#define PS_TRACE_SNIFF_LEN 65536u


/* A streamed input read in big blocks: bytes [start, end) of buf are read and not yet consumed. */
struct ps_instream {
	FILE *fp;
	uint8_t *buf;
	size_t cap, start, end;
	uint64_t base; /* input offset of buf[0] */
	bool eof;      /* fp has no more bytes */
	bool error;    /* fp reported a read error */
};
/* Start with the prefix already read from fp (copied). */
int ps_instream_init(struct ps_instream *s, FILE *fp, const uint8_t *pre, size_t prelen, size_t cap);
/* Make at least need (<= cap) bytes available from start; fewer only at end of input. Returns what is there. */
size_t ps_instream_ensure(struct ps_instream *s, size_t need);
static inline const uint8_t *ps_instream_ptr(const struct ps_instream *s) { return s->buf + s->start; }
static inline uint64_t ps_instream_off(const struct ps_instream *s) { return s->base + s->start; }
static inline void ps_instream_consume(struct ps_instream *s, size_t n) { s->start += n; }
void ps_instream_free(struct ps_instream *s);

struct ps_btsnoop_rd {
	struct ps_instream in;
	uint32_t datalink;
	uint64_t number;
	uint64_t last_ts; /* raw btsnoop timestamp of the last good record, for resynchronisation */
	bool have_ts;
};

/* DLT 187 has no direction: what each ACL handle's start fragment suggested. */
struct ps_dir_guess {
	struct { uint16_t handle1; bool rx; } acl[8]; /* handle1 = handle + 1; 0 = free */
	unsigned next;
};

struct ps_pcap_rd;
struct ps_pcapng_rd;

struct ps_trace {
	enum ps_trace_format fmt;
	uint32_t dlt;
	char name[256];     /* for messages: the path, or "standard input" */
	FILE *fp;           /* the input */
	bool own_fp;
	ps_trace_diag_fn on_diag;
	void *diag_ctx;
	unsigned damage;
	struct ps_btsnoop_rd bs;
	struct ps_pcap_rd *pc;
	struct ps_pcapng_rd *ng;
	struct ps_dir_guess guess;
	struct ps_textlog *tl;
	char *text;         /* whole text input, owned (text logs only) */
};

/* Report recoverable damage: counts it and passes it to on_diag. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void ps_trace_diagf(struct ps_trace *t, uint64_t number, uint64_t offset, int code, const char *fmt, ...);

/* The start of each record of a streamed reader (btsnoop.c, pcapng.c): make its hdr_len-byte header
 * available. 0 when it is there (*avail: the bytes available, at least hdr_len); else what the reader
 * returns: -PS_EIO after a read error, -PS_EOF at the end of input, also when the last header is cut
 * short (reported as a truncated "<what> header"). number is the record's frame number. */
int ps_trace_rec_start(struct ps_trace *t, uint64_t number, struct ps_instream *in, size_t hdr_len, const char *what,
		       size_t *avail);

/* Resynchronisation after damage (btsnoop.c, pcapng.c): a reader scans forward from input offset from
 * for the next record it trusts, and gives up after PS_TRACE_RESYNC_LIMIT bytes. Both readers report
 * the outcome the same way; what names the unit they look for ("plausible record", "block"). */
#define PS_TRACE_RESYNC_LIMIT (16u << 20)
/* Found one at the stream's position: report the skipped bytes; returns true. */
bool ps_trace_resync_found(struct ps_trace *t, uint64_t number, const struct ps_instream *in, uint64_t from,
			   const char *what);
/* None within the limit: report it and drop the rest of the input; returns false. */
bool ps_trace_resync_give_up(struct ps_trace *t, uint64_t number, struct ps_instream *in, uint64_t from,
			     const char *what);

/* btsnoop.c: pre holds the first prelen bytes already read from t->fp (at least the 16-byte header). */
int ps_btsnoop_open(struct ps_trace *t, const uint8_t *pre, size_t prelen, char *err, size_t errcap);
int ps_btsnoop_next(struct ps_trace *t, struct ps_frame *f);
void ps_btsnoop_close(struct ps_trace *t);

/* pcap.c: takes ownership of pre (malloc'd, prelen bytes already read from t->fp). */
int ps_pcap_open(struct ps_trace *t, uint8_t *pre, size_t prelen, char *err, size_t errcap);
int ps_pcap_next(struct ps_trace *t, struct ps_frame *f);
void ps_pcap_close(struct ps_trace *t);

/* pcapng.c: our own block reader, since libpcap 1.10 refuses sections whose interfaces differ in link
 * type or snapshot length. Same contract as ps_btsnoop_open. */
int ps_pcapng_open(struct ps_trace *t, const uint8_t *pre, size_t prelen, char *err, size_t errcap);
int ps_pcapng_next(struct ps_trace *t, struct ps_frame *f);
void ps_pcapng_close(struct ps_trace *t);

/* dlt.c: strip a pcap record's link-type header (dlt) and fill f's kind, data and len. f->number,
 * offset and orig_len (of the whole record) are set by the caller. Returns false, after a diag, for a
 * record to skip. */
bool ps_dlt_classify(struct ps_trace *t, uint32_t dlt, struct ps_frame *f, const uint8_t *p, size_t len);
/* Whether pairscope knows how to read records of this link type. */
bool ps_dlt_supported(uint32_t dlt);

/* Monitor opcode of an H4 packet type and its direction (rx: controller to host). */
uint16_t ps_h4_to_mon(uint8_t type, bool rx);
/* H4 type and direction of a monitor opcode; false for records with no H4 form (index, notes, LL). */
bool ps_mon_to_h4(uint16_t opcode, uint8_t *type, bool *rx);

#endif
