/* Internal seams of the trace module: the btmon text importer and the sniffer pseudo-header parsers
 * plug into ps_trace_open()/ps_trace_next() (src/trace/trace.c) through these. */
#ifndef PS_TRACE_INT_H
#define PS_TRACE_INT_H

#include <pairscope/trace.h>

/* ---- btmon text logs (src/trace/textlog*.c) ---- */
struct ps_textlog;
/* True when the first bytes look like btmon text (possibly mail-quoted or flattened) rather than a
 * binary capture. Called with up to the first 64 KiB of the input. */
bool ps_textlog_sniff(const uint8_t *p, size_t len);
/* Parse a whole text (not NUL-terminated; len bytes, borrowed until ps_textlog_free). name is the file
 * name for messages. Problems (lines that could not be rebuilt) go to on_diag with their line number in
 * d->number. Returns -PS_EBADDATA with a message in err when no packet at all could be read. */
int ps_textlog_open(struct ps_textlog **out, const char *name, const char *text, size_t len,
		    ps_trace_diag_fn on_diag, void *diag_ctx, char *err, size_t errcap);
/* Next rebuilt frame (monitor opcodes, ts_us from the log; f->offset = line number). -PS_EOF at end. */
int ps_textlog_next(struct ps_textlog *t, struct ps_frame *f);
unsigned ps_textlog_damage(const struct ps_textlog *t);
void ps_textlog_free(struct ps_textlog *t);

/* ---- link-layer sniffer pseudo-headers (src/trace/ll_*.c) ---- */
/* True for the DLTs carrying LE link-layer packets: 251, 256, 272, 157, 192 (PPI with BTLE). */
bool ps_ll_dlt_supported(uint32_t dlt);
/* Strip the DLT's pseudo-header from one pcap record and fill f: opcode PS_MON_LL, data = access
 * address (4) + header (2) + payload (+ CRC when f->ll.flags has PS_LL_HAS_CRC), f->ll metadata.
 * f->data points into p. Returns -PS_EBADDATA / -PS_ETRUNC (with a reason in err) for headers that lie. */
int ps_ll_phdr_parse(uint32_t dlt, const uint8_t *p, size_t len, struct ps_frame *f, char *err, size_t errcap);

#endif
