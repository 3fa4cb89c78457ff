/* Internals shared by the link-layer pseudo-header parsers (src/trace/ll_*.c): the common tail check
 * on "access address + header + PDU (+CRC)" (Core Vol 6 Part B §2.1) and the per-DLT entry points. */
#ifndef PS_TRACE_LL_INT_H
#define PS_TRACE_LL_INT_H

#include "trace/trace_int.h"

/* Advertising physical channel access address (Vol 6 Part B §2.1.2). */
#define PS_LL_AA_ADV 0x8E89BED6u

/* Sniffer packet kinds a pseudo-header may state; UNKNOWN lets the access address decide. */
enum ll_kind { LL_KIND_UNKNOWN, LL_KIND_ADV, LL_KIND_DATA };

/* Check the PDU at p[0..len) (access address, 2-octet header, payload, then maybe a 3-octet CRC):
 * the header's length must fit what was captured. Sets f->data/len/opcode and PS_LL_HAS_CRC when the
 * CRC follows; crc_present: 1 yes, 0 no, -1 decide from the length. */
int ps_ll_tail(const uint8_t *p, size_t len, int crc_present, struct ps_frame *f, char *err, size_t errcap);

int ps_ll_parse_251(const uint8_t *p, size_t len, struct ps_frame *f, char *err, size_t errcap);
int ps_ll_parse_256(const uint8_t *p, size_t len, struct ps_frame *f, char *err, size_t errcap);
int ps_ll_parse_nordic(uint32_t dlt, const uint8_t *p, size_t len, struct ps_frame *f, char *err,
		       size_t errcap);
int ps_ll_parse_ppi(const uint8_t *p, size_t len, struct ps_frame *f, char *err, size_t errcap);

/* printf into err (may be NULL); returns code. */
int ps_ll_fail(int code, char *err, size_t errcap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
