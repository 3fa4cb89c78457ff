/* ACL reassembly (Core 5.4 Vol 4 Part E §5.4.2, Vol 3 Part A §7.2): HCI ACL fragments per connection
 * handle and direction -> complete L2CAP basic frames. */
#ifndef PS_PROTO_ACL_H
#define PS_PROTO_ACL_H

#include <pairscope/base.h>

/* Packet_Boundary_Flag values (bits 12-13 of the handle field). */
enum {
	PS_ACL_PB_START_NOFLUSH = 0x0,
	PS_ACL_PB_CONT = 0x1,
	PS_ACL_PB_START = 0x2,
	PS_ACL_PB_COMPLETE = 0x3,
};

/* A decoded ACL header. */
struct ps_acl_hdr {
	uint16_t handle; /* 12 bits */
	uint8_t flags;   /* PB | BC << 2, the nibble btmon prints */
	uint16_t dlen;
};
/* Parse the 4-octet header; -PS_ETRUNC when shorter. */
PS_API int ps_acl_parse_hdr(const uint8_t *p, size_t len, struct ps_acl_hdr *h);

/* A complete L2CAP frame: borrowed until the next ps_acl_push on the same reassembler. */
struct ps_acl_pdu {
	uint16_t handle;
	uint16_t cid;
	uint16_t len;       /* octets of payload after the basic header */
	const uint8_t *data;
	const char *why;    /* set on errors: btmon's wording ("unexpected continuation", ...) */
};

struct ps_acl;
/* max_links: how many (index, handle, direction) streams may be partial at once (memory bound:
 * each holds at most 64 KiB + 4). Returns NULL when out of memory. */
PS_API struct ps_acl *ps_acl_new(unsigned max_links);
PS_API void ps_acl_free(struct ps_acl *a);

/* Feed one ACL packet's data (after the 4-octet HCI header) with its header fields.
 * Returns 1 with *out filled when an L2CAP frame is complete, 0 when more fragments are needed, or:
 *  -PS_EPROTO   a continuation without a start ("unexpected continuation"), a start while a frame is
 *               still partial ("unexpected start frame": the partial frame is dropped, and so is this
 *               fragment, as btmon does);
 *  -PS_EBADDATA the L2CAP length lies: first fragment shorter than the basic header ("frame too
 *               short"), more data than the length says ("frame too long" / "fragment too long");
 *  -PS_ENOMEM   no buffer.
 * out->why names the problem for the printer. */
PS_API int ps_acl_push(struct ps_acl *a, uint16_t index, bool rx, const struct ps_acl_hdr *h,
		       const uint8_t *p, size_t len, struct ps_acl_pdu *out);
/* Forget partial frames of a handle (Disconnection Complete). */
PS_API void ps_acl_drop(struct ps_acl *a, uint16_t index, uint16_t handle);

#endif
