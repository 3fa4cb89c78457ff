/* The virtual LE controller (Core Vol 4 Part E HCI, Vol 6 Part B link layer, Vol 6 Part E encryption)
 * and the simulated link ("the air") joining any number of them.
 *
 * A controller speaks H4 and knows nothing of the transport: ps_vctl_receive_h4() takes host bytes (any
 * chunking), and complete H4 packets for the host leave through opts.send. Nothing is sent from inside
 * ps_vctl_receive_h4: events and air traffic are queued and delivered by ps_vctl_link_run(), so an
 * in-process host may call back into the controller from its send callback without recursion.
 *
 * Time is the link's deterministic clock (microseconds): ps_vctl_link_run(l, t) delivers everything due
 * up to t in order and leaves the clock at t. A test can jump 30 s in no wall time; a server passes the
 * monotonic clock and sleeps until ps_vctl_link_next().
 */
#ifndef PAIRSCOPE_VCTL_H
#define PAIRSCOPE_VCTL_H

#include <pairscope/base.h>
#include <pairscope/crypto.h>

struct ps_vctl_link;
struct ps_vctl;

struct ps_vctl_link_opts {
	const struct ps_crypto *crypto; /* AES, CCM and randomness; borrowed for the link's life */
	uint64_t start_us;              /* initial clock value */
	uint64_t seed;                  /* nonzero: SKD/IV/LE Rand from a deterministic generator */
	uint32_t air_delay_us;          /* delay of every air PDU (0 = same instant, after the sender's turn) */
};

PS_API int ps_vctl_link_new(struct ps_vctl_link **out, const struct ps_vctl_link_opts *o);
/* Frees the link; every controller must have been freed first. */
PS_API void ps_vctl_link_free(struct ps_vctl_link *l);
PS_API uint64_t ps_vctl_link_now(const struct ps_vctl_link *l);
/* Deliver everything due up to `until` (air PDUs, timers, queued events to hosts) until nothing at or
 * before `until` is left, then set the clock to `until` (never backwards). Returns 0 or a negative code. */
PS_API int ps_vctl_link_run(struct ps_vctl_link *l, uint64_t until);
/* Time of the next scheduled item, UINT64_MAX when none (outboxes waiting count as now). */
PS_API uint64_t ps_vctl_link_next(const struct ps_vctl_link *l);

/* Controller options. */
struct ps_vctl_opts {
	uint8_t bd_addr[6];   /* public address, wire order; all zero = derived from the index */
	uint16_t acl_len;     /* LE ACL data packet length reported (0 = 251) */
	uint8_t acl_num;      /* total LE ACL data packets (0 = 8) */
	/* Complete H4 packets for the host (type octet first). */
	void (*send)(void *ctx, const uint8_t *h4, size_t len);
	void *ctx;
	/* Every packet crossing the HCI boundary, with the controller's index and the Linux monitor
	 * opcode (frame.h: 0 New Index, 2 command, 3 event, 4 ACL TX, 5 ACL RX); data without H4 type. */
	void (*trace)(void *ctx, uint16_t index, uint16_t mon_opcode, uint64_t ts_us, const uint8_t *data,
		      size_t len);
	void *trace_ctx;
};

/* Creates a controller on the link; *index gets its index on the link (0, 1, ...). */
PS_API int ps_vctl_new(struct ps_vctl **out, struct ps_vctl_link *l, const struct ps_vctl_opts *o);
/* Removes the controller from the link: its peers see a supervision timeout (0x08) once it expires. */
PS_API void ps_vctl_free(struct ps_vctl *c);
PS_API uint16_t ps_vctl_index(const struct ps_vctl *c);

/* Host -> controller bytes (a stream of H4 packets in any chunking). Malformed framing is answered with
 * HCI Hardware Error (0x10) and resynchronised on the next valid type octet. Returns 0. */
PS_API int ps_vctl_receive_h4(struct ps_vctl *c, const uint8_t *p, size_t len);

/* Faults for tests. Counters count LL PDUs this controller transmits over the air (data and control);
 * delays are in microseconds of the link's clock. Set with ps_vctl_set_faults; counters decrement. */
struct ps_vctl_faults {
	uint32_t drop;             /* drop the next N data PDUs (never reach the peer) */
	uint32_t duplicate;        /* send the next N data PDUs twice */
	uint32_t reorder;          /* swap the next N pairs of data PDUs */
	uint32_t delay_us;         /* add to every PDU's flight time */
	uint32_t mic_fail;         /* corrupt the MIC of the next N encrypted PDUs */
	uint32_t nocp_delay_us;    /* hold Number of Completed Packets this long */
	/* Hold this controller's Encryption Change / Key Refresh event this long after encryption starts,
	 * so ACL arriving meanwhile reaches the host first (the ordering race of issue #1). */
	uint32_t enc_change_delay_us;
};
PS_API void ps_vctl_set_faults(struct ps_vctl *c, const struct ps_vctl_faults *f);

/* Counters for tests and logs. */
struct ps_vctl_stats {
	uint64_t cmds, events, acl_in, acl_out;
	uint64_t framing_errors;     /* bad H4 type / oversize packets */
	uint64_t bad_params;         /* commands answered with 0x12 */
	uint64_t unknown_cmds;       /* commands answered with 0x01 */
	uint64_t acl_unknown_handle; /* ACL for no connection, dropped */
	uint64_t acl_overflow;       /* ACL beyond the credits, dropped with Data Buffer Overflow */
	uint64_t mic_failures;
	uint64_t pdus_tx, pdus_rx;
};
PS_API void ps_vctl_get_stats(const struct ps_vctl *c, struct ps_vctl_stats *s);

#endif
