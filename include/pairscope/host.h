/* The host's lower half: HCI host layer (Core Vol 4 Part E §4-7), ACL fragmentation and reassembly,
 * L2CAP LE fixed channels and LE signaling (Vol 3 Part A §3.2, §4) and a minimal ATT server (Vol 3
 * Part F §3.4.2: Exchange MTU; Error Response for the rest).
 *
 * Portable: no OS calls and no heap on the data path. The host is created once (ps_host_new allocates its
 * fixed-size state); afterwards bytes go out through ops->send, time comes from ops->now_us, and the
 * caller feeds complete H4 packets in with ps_host_receive_h4(). Everything the upper layers need to know
 * arrives through the callbacks in struct ps_host_cb; each callback may call back into the host.
 *
 * Typical use (SMP core on top):
 *   ps_host_new(&h, &ops, &cb, &cfg);  ps_host_start(h);       -> cb.ready(status)
 *   ps_host_advertise(h, &adv) | ps_host_connect(h, &peer, NULL)  -> cb.connected(handle, info)
 *   cb.smp_rx(handle, pdu)  <->  ps_host_smp_send(h, handle, pdu, len)
 *   ps_host_start_encryption(h, handle, rand, ediv, ltk)         (central)
 *   cb.ltk_request(handle, rand, ediv) -> ps_host_ltk_reply / ps_host_ltk_neg_reply   (peripheral)
 *   cb.enc_change(handle, status, enabled, refresh)
 *   ps_host_tx_pending(h, handle) == 0 once the controller reported every ACL packet of the link as
 *   sent (Number of Completed Packets); cb.tx_done(handle, pending) tells each time it drops.
 *   ps_host_disconnect(h, handle, 0x13)                           -> cb.disconnected(handle, reason)
 */
#ifndef PAIRSCOPE_HOST_H
#define PAIRSCOPE_HOST_H

#include <pairscope/base.h>

/* L2CAP LE fixed channels (Vol 3 Part A §2.1). */
enum {
	PS_HOST_CID_ATT = 0x0004,
	PS_HOST_CID_LE_SIGNALING = 0x0005,
	PS_HOST_CID_SMP = 0x0006,
};

/* Roles as LE Connection Complete reports them. */
enum ps_host_role {
	PS_HOST_CENTRAL = 0,
	PS_HOST_PERIPHERAL = 1,
};

/* Limits of the fixed-size state. */
#define PS_HOST_MAX_CONN 8
#define PS_HOST_MAX_SDU 520 /* largest L2CAP SDU reassembled or sent (ATT MTU 517 + 3) */

/* I/O and time. send gets exactly one H4 packet (type octet first) per call and returns 0 or a
 * negative code; the host never blocks. now_us is any monotonic microsecond clock. trace, when set,
 * sees every packet crossing the HCI boundary (Linux monitor opcode as in frame.h: 2 command,
 * 3 event, 4 ACL TX, 5 ACL RX; data without the H4 type octet), so callers can write a btsnoop. */
struct ps_host_ops {
	void *ctx;
	int (*send)(void *ctx, const uint8_t *h4, size_t len);
	uint64_t (*now_us)(void *ctx);
	void (*trace)(void *ctx, uint16_t mon_opcode, const uint8_t *data, size_t len);
};

/* Connection parameters in HCI units (interval 1.25 ms, timeout 10 ms). */
struct ps_host_conn_params {
	uint16_t interval_min, interval_max;
	uint16_t latency;
	uint16_t timeout;
};

struct ps_host_conn_info {
	uint16_t handle;
	uint8_t role;              /* enum ps_host_role */
	struct ps_addr peer;       /* as LE Connection Complete reports it */
	struct ps_addr local;      /* our address used on this connection (type + address) */
	uint16_t interval, latency, timeout;
};

/* Advertising report seen while scanning (LE Advertising Report, Vol 4 Part E §7.7.65.2). */
struct ps_host_adv_report {
	uint8_t event_type;
	struct ps_addr addr;
	int8_t rssi;
	const uint8_t *data; /* borrowed for the callback */
	uint8_t data_len;
};

/* Upper-layer callbacks; any may be NULL. All run from inside ps_host_receive_h4 (or a ps_host_* call). */
struct ps_host_cb {
	void *ctx;
	/* Init sequence finished (status 0) or failed (HCI status of the failing command, or 0xff). */
	void (*ready)(void *ctx, uint8_t status);
	void (*adv_report)(void *ctx, const struct ps_host_adv_report *r);
	/* Connection set up. Also called with status != 0 when LE Create Connection failed or was cancelled
	 * (info then only has peer filled). */
	void (*connected)(void *ctx, uint8_t status, const struct ps_host_conn_info *info);
	void (*disconnected)(void *ctx, uint16_t handle, uint8_t reason);
	/* LE Connection Update Complete. */
	void (*conn_updated)(void *ctx, uint16_t handle, uint8_t status, uint16_t interval, uint16_t latency,
			     uint16_t timeout);
	/* The peripheral answered our L2CAP Connection Parameter Update Request (result 0 accepted, 1 rejected). */
	void (*conn_param_rsp)(void *ctx, uint16_t handle, uint16_t result);
	/* An SMP PDU (CID 6), code octet first. */
	void (*smp_rx)(void *ctx, uint16_t handle, const uint8_t *pdu, size_t len);
	/* Any other fixed-channel SDU the host does not handle itself (ATT is answered internally unless
	 * this is set, then ATT goes here too). */
	void (*l2cap_rx)(void *ctx, uint16_t handle, uint16_t cid, const uint8_t *sdu, size_t len);
	/* Peripheral: the controller asks for the LTK (LE Long Term Key Request). Answer with
	 * ps_host_ltk_reply or ps_host_ltk_neg_reply (now or later). When NULL the host sends a negative reply. */
	void (*ltk_request)(void *ctx, uint16_t handle, uint64_t rand, uint16_t ediv);
	/* Encryption Change (refresh = false) or Encryption Key Refresh Complete (refresh = true). */
	void (*enc_change)(void *ctx, uint16_t handle, uint8_t status, uint8_t enabled, bool refresh);
	/* Number of Completed Packets for handle: pending is what is still queued in the host or the
	 * controller for that link (0 = every ACL packet has left the controller). */
	void (*tx_done)(void *ctx, uint16_t handle, unsigned pending);
	/* ATT MTU exchanged (client or server side): the new effective MTU. */
	void (*att_mtu)(void *ctx, uint16_t handle, uint16_t mtu);
	/* Command Complete / Status for commands sent with ps_host_command (ret = return parameters after
	 * the status octet for Command Complete; NULL for Command Status). */
	void (*cmd_done)(void *ctx, uint16_t opcode, uint8_t status, const uint8_t *ret, size_t len);
	/* HCI Hardware Error or a protocol problem the host noticed (text for logs). */
	void (*log)(void *ctx, const char *msg);
};

struct ps_host_config {
	/* When has_random is set the host sends LE Set Random Address during init and uses it (own address
	 * type random) for advertising and connecting. */
	bool has_random;
	uint8_t random_addr[6];
	uint16_t att_mtu;            /* our ATT receive MTU (23..517; 0 = 23) */
	/* Peripheral: accept any L2CAP Connection Parameter Update Request within the spec's ranges
	 * (central side) - true by default semantics; set reject_param_update to refuse. */
	bool reject_param_update;
	/* Fault reproduction only, NOT a recommended mode (default false): run a half init, as a host whose
	 * adapter was not fully brought up after HCI Reset - skip LE Set Event Mask, LE Read Buffer Size /
	 * Read Buffer Size and LE Read Local Supported Features (Reset, Read Local Version, Read Local
	 * Supported Commands, Read BD_ADDR, Set Event Mask and LE Set Random Address still go out). HCI flow
	 * control (Vol 4 Part E §4.1) then works blind: the host falls back to the smallest buffers the spec
	 * allows (§7.8.2: LE ACL data packet length 27, one packet outstanding) and the controller keeps its
	 * default LE event mask (§7.8.1, 0x1f). `pairscope doctor` reports such a trace as hci.init-incomplete. */
	bool skip_init_reads;
};

struct ps_host;

/* Allocates the host (fixed size, the only allocation). ops/cb are copied. */
PS_API int ps_host_new(struct ps_host **out, const struct ps_host_ops *ops, const struct ps_host_cb *cb,
		       const struct ps_host_config *cfg);
PS_API void ps_host_free(struct ps_host *h);

/* Start the init sequence (Reset ... LE Set Random Address); cb.ready at the end. */
PS_API int ps_host_start(struct ps_host *h);
/* One complete H4 packet from the controller (type octet first). Malformed packets are reported through
 * cb.log and return -PS_EBADDATA; the host stays usable. */
PS_API int ps_host_receive_h4(struct ps_host *h, const uint8_t *pkt, size_t len);

/* Our public address (Read BD_ADDR) once ready; the random one if configured. */
PS_API void ps_host_local_addr(const struct ps_host *h, struct ps_addr *out);

struct ps_host_adv {
	uint16_t interval_min, interval_max; /* 0.625 ms units; 0 = 0x0800 */
	uint8_t type;                        /* 0 ADV_IND (connectable) */
	const uint8_t *data;                 /* advertising data, <= 31 octets */
	uint8_t data_len;
	const uint8_t *scan_rsp;
	uint8_t scan_rsp_len;
};
/* Set parameters and data and enable advertising (adv NULL: disable). */
PS_API int ps_host_advertise(struct ps_host *h, const struct ps_host_adv *adv);
/* Start (active, no duplicate filter) or stop scanning. */
PS_API int ps_host_scan(struct ps_host *h, bool on);
/* LE Create Connection to peer; params NULL = interval 30-50 ms, latency 0, timeout 4 s. */
PS_API int ps_host_connect(struct ps_host *h, const struct ps_addr *peer, const struct ps_host_conn_params *p);
PS_API int ps_host_connect_cancel(struct ps_host *h);
/* Disconnect (reason e.g. 0x13 Remote User Terminated Connection). */
PS_API int ps_host_disconnect(struct ps_host *h, uint16_t handle, uint8_t reason);
/* Central: LE Connection Update. Peripheral: L2CAP Connection Parameter Update Request (Vol 3 Part A
 * §4.20); the central's answer arrives in cb.conn_param_rsp and the change in cb.conn_updated. */
PS_API int ps_host_update_params(struct ps_host *h, uint16_t handle, const struct ps_host_conn_params *p);

/* Send an SDU on an LE fixed channel (fragmented to the controller's LE buffer size, queued while the
 * controller has no buffer free). -PS_ENOSPC when the host's queue is full, -PS_ENOENT for no such link. */
PS_API int ps_host_l2cap_send(struct ps_host *h, uint16_t handle, uint16_t cid, const uint8_t *sdu, size_t len);
static inline int ps_host_smp_send(struct ps_host *h, uint16_t handle, const uint8_t *pdu, size_t len)
{
	return ps_host_l2cap_send(h, handle, PS_HOST_CID_SMP, pdu, len);
}
/* ACL packets of handle not yet reported complete by the controller (queued in the host included). */
PS_API unsigned ps_host_tx_pending(const struct ps_host *h, uint16_t handle);

/* Central: LE Enable Encryption with (rand, ediv, ltk); ltk in wire order. */
PS_API int ps_host_start_encryption(struct ps_host *h, uint16_t handle, uint64_t rand, uint16_t ediv,
				    const uint8_t ltk[16]);
/* Peripheral: answer LE Long Term Key Request. */
PS_API int ps_host_ltk_reply(struct ps_host *h, uint16_t handle, const uint8_t ltk[16]);
PS_API int ps_host_ltk_neg_reply(struct ps_host *h, uint16_t handle);

/* ATT client: send Exchange MTU Request with our MTU; cb.att_mtu gets the result. */
PS_API int ps_host_att_exchange_mtu(struct ps_host *h, uint16_t handle);

/* Any other HCI command (queued behind the command credits); cb.cmd_done gets its completion. */
PS_API int ps_host_command(struct ps_host *h, uint16_t opcode, const uint8_t *params, uint8_t len);

/* Connection lookup: 0 and *info filled, or -PS_ENOENT. */
PS_API int ps_host_conn_info(const struct ps_host *h, uint16_t handle, struct ps_host_conn_info *info);
/* True while the link is encrypted. */
PS_API bool ps_host_encrypted(const struct ps_host *h, uint16_t handle);

#endif
