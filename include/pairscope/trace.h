/* Capture readers and writers: one iterator over frames for btsnoop (1001/1002/2001, Android),
 * pcap/pcapng (libpcap) and btmon text logs; the format is sniffed from the bytes. */
#ifndef PAIRSCOPE_TRACE_H
#define PAIRSCOPE_TRACE_H

#include <pairscope/frame.h>
#include <stdio.h>

enum ps_trace_format {
	PS_TRACE_AUTO = 0,
	PS_TRACE_BTSNOOP,   /* any datalink */
	PS_TRACE_PCAP,      /* pcap or pcapng, any supported DLT */
	PS_TRACE_BTMON_TEXT,
};

struct ps_trace;

/* Problems met while reading, reported and skipped: the reader goes on where it can. */
struct ps_trace_diag {
	uint64_t number; /* frame number, or line number for text */
	uint64_t offset; /* byte offset in the input */
	int code;        /* negative PS_E* */
	char msg[200];
};
typedef void (*ps_trace_diag_fn)(void *ctx, const struct ps_trace_diag *d);

struct ps_trace_opts {
	enum ps_trace_format format; /* PS_TRACE_AUTO to sniff */
	ps_trace_diag_fn on_diag;    /* may be NULL */
	void *diag_ctx;
};

/* Open path ("-" = standard input). Returns 0 or a negative code; on failure *err (if not NULL)
 * holds a message naming the file and what was expected. -PS_EEMPTY: the input was recognised (a
 * btmon text log) but not one packet could be rebuilt from it: damaged rather than unreadable. */
PS_API int ps_trace_open(struct ps_trace **out, const char *path, const struct ps_trace_opts *opts,
			 char *err, size_t errcap);
/* Same over an open stream (a pipe, fmemopen'd bytes): f is borrowed and read sequentially, never
 * seeked; the caller closes it after ps_trace_free. name is used in messages. */
PS_API int ps_trace_open_stream(struct ps_trace **out, FILE *f, const char *name,
				const struct ps_trace_opts *opts, char *err, size_t errcap);
/* Next frame: 0, -PS_EOF at the end, or a negative code when the input is damaged beyond recovery.
 * Recoverable damage is reported through on_diag and reading goes on. f->data is borrowed until the
 * next call. */
PS_API int ps_trace_next(struct ps_trace *t, struct ps_frame *f);
/* How many problems were reported (damaged input => exit code 1 in the CLI). */
PS_API unsigned ps_trace_damage(const struct ps_trace *t);
PS_API enum ps_trace_format ps_trace_get_format(const struct ps_trace *t);
/* Datalink (btsnoop) or DLT (pcap) of the input; 0 for text. */
PS_API uint32_t ps_trace_datalink(const struct ps_trace *t);
PS_API void ps_trace_free(struct ps_trace *t);

/* Writers. */
enum ps_writer_format {
	PS_WRITE_BTSNOOP_MONITOR, /* datalink 2001 */
	PS_WRITE_BTSNOOP_H4,      /* datalink 1002 */
	PS_WRITE_PCAP_H4_PHDR,    /* pcap, DLT 201 */
};
struct ps_writer;
/* Writes to path atomically (temp file + rename on close); "-" writes standard output. */
PS_API int ps_writer_open(struct ps_writer **out, const char *path, enum ps_writer_format fmt);
PS_API int ps_writer_write(struct ps_writer *w, const struct ps_frame *f);
/* Flush, fsync and rename into place; frees w. A failed close leaves no half-written file. */
PS_API int ps_writer_close(struct ps_writer *w);
/* Drop everything written so far; frees w. */
PS_API void ps_writer_abort(struct ps_writer *w);

#endif
