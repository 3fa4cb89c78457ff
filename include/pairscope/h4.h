/* H4 framing (Core Vol 4 Part A §2): a packet type octet, then the HCI packet whose own header gives
 * its length. A streaming deframer, caller-allocated, no heap: feed any chunks of a byte stream and get
 * one call per complete packet (type octet first). */
#ifndef PAIRSCOPE_H4_H
#define PAIRSCOPE_H4_H

#include <pairscope/base.h>

enum ps_h4_type {
	PS_H4_CMD = 0x01,
	PS_H4_ACL = 0x02,
	PS_H4_SCO = 0x03,
	PS_H4_EVT = 0x04,
	PS_H4_ISO = 0x05,
};

/* Largest packet the deframer keeps whole: type + ACL header + 1021 octets (enough for any LE buffer
 * size a controller reports in practice and the 255-octet command/event parameter limit). Longer
 * packets are skipped and reported with -PS_ERANGE. */
#define PS_H4_MAX 1026

struct ps_h4 {
	uint8_t buf[PS_H4_MAX];
	size_t have;     /* octets in buf */
	size_t need;     /* total octets of the packet being collected (0 = header not complete) */
	size_t skip;     /* octets still to discard of an oversize packet */
};

/* Called for each complete packet (pkt[0] is the type). */
typedef void (*ps_h4_packet_fn)(void *ctx, const uint8_t *pkt, size_t len);
/* Called for framing errors: code -PS_EBADDATA (unknown type octet, skipped to resynchronise),
 * -PS_ERANGE (packet longer than PS_H4_MAX, skipped). */
typedef void (*ps_h4_error_fn)(void *ctx, int code, uint8_t type);

PS_API void ps_h4_init(struct ps_h4 *d);
/* Feed n octets. Calls on_pkt / on_err (on_err may be NULL) as packets complete. */
PS_API void ps_h4_feed(struct ps_h4 *d, const uint8_t *p, size_t n, ps_h4_packet_fn on_pkt, ps_h4_error_fn on_err,
		       void *ctx);
/* Header length after the type octet, or 0 for an unknown type. */
PS_API unsigned ps_h4_header_len(uint8_t type);
/* Total packet length (type included) from the first octets, or 0 when more are needed / type unknown. */
PS_API size_t ps_h4_packet_len(const uint8_t *p, size_t n);

#endif
