/* Virtual controller internals shared by the files of src/vctl: the link (air, clock, scheduled items),
 * the two ends of each connection with their LL encryption state (Vol 6 Part B §5.1.3, Part E), and the
 * controller's HCI state (Vol 4 Part E). Never installed. */
#ifndef PS_VCTL_INT_H
#define PS_VCTL_INT_H

#include <pairscope/vctl.h>
#include <pairscope/h4.h>
#include "proto/hci.h"
#include "proto/ll.h"

#define VCTL_LINK_MAX_CONN 64   /* connections on one link */
#define VCTL_MAX_ACCEPT 16      /* filter accept list entries */
#define VCTL_MAX_SEEN 32        /* scan duplicate filter entries */
#define VCTL_MAX_RESOLV 8       /* resolving list entries (Vol 6 Part B §4.7) */
#define VCTL_LL_MAX 251         /* LL data PDU payload limit (Data Length Extension) */
#define VCTL_LL_MIN 27
#define VCTL_EV_DATA 262        /* bytes an item carries: an H4 event (3 + 255) or an LL PDU + MIC */

/* HCI status codes used here (Vol 1 Part F). */
enum {
	ST_OK = 0x00,
	ST_UNKNOWN_CMD = 0x01,
	ST_UNKNOWN_CONN = 0x02,
	ST_PIN_MISSING = 0x06,
	ST_CONN_TIMEOUT = 0x08,
	ST_CMD_DISALLOWED = 0x0c,
	ST_INVALID_PARAMS = 0x12,
	ST_REMOTE_USER = 0x13,
	ST_LOCAL_HOST = 0x16,
	ST_UNSUPP_REMOTE = 0x1a,
	ST_UNSPECIFIED = 0x1f,
	ST_MIC_FAILURE = 0x3d,
	ST_ADV_TIMEOUT = 0x3c,
};

/* Scheduled items on the link. */
enum ev_kind {
	EV_PDU,          /* an LL data-channel PDU arriving at end `to` of connection `conn` */
	EV_ADV_TICK,     /* advertiser `ctl` sends one advertising event (reports to scanners) */
	EV_CONNECT,      /* initiator `ctl` meets advertiser `peer` */
	EV_SUPERVISION,  /* end `to` of `conn` lost its peer: Disconnection Complete 0x08 */
	EV_UPDATE,       /* connection update instant of `conn` */
	EV_HOST_EVT,     /* a held event for `ctl`'s host (data = H4 packet) */
	EV_NOCP,         /* `ctl` reports Number of Completed Packets */
	EV_RPA_TIMER,    /* `ctl`'s RPA timeout expired (privacy.c): new local and peer RPAs */
};

struct air_ev {
	uint64_t t, seq;
	uint8_t kind;
	uint8_t to;        /* EV_PDU / EV_SUPERVISION: receiving end (0 central, 1 peripheral) */
	uint8_t llid;
	uint8_t hci_last;  /* EV_PDU: last LL PDU of an HCI ACL packet (counts for NOCP) */
	uint8_t enc;       /* EV_PDU: payload encrypted, MIC in the last 4 octets */
	uint16_t conn;     /* connection slot */
	uint32_t gen;      /* generation of the slot / advertising set when scheduled */
	uint16_t ctl, peer;
	uint16_t len;
	uint8_t data[VCTL_EV_DATA];
};

/* A PDU waiting while data is paused (encryption start) or for a reorder partner. */
struct held_pdu {
	uint8_t llid, hci_last;
	uint16_t len;
	uint8_t data[VCTL_LL_MAX];
};

struct air_end {
	uint16_t ctl;          /* controller index */
	uint16_t handle;
	bool alive;            /* this side still in the connection */
	bool tx_enc, rx_enc;   /* Vol 6 Part E: direction encrypted */
	bool paused;           /* data PDUs held (encryption procedure in progress) */
	uint8_t sk[16];
	struct ps_crypto_ll_session *ses; /* CCM state for sk and the connection's IV, or NULL */
	uint64_t tx_ctr, rx_ctr;
	uint16_t pref_tx;      /* octets this side wants to send (LE Set Data Length / default) */
	uint16_t max_tx;       /* effective */
	unsigned inflight;     /* host ACL packets accepted and not yet reported complete */
	unsigned completed;    /* completed, not yet reported */
	struct held_pdu *held; /* FIFO of paused data PDUs */
	size_t nheld, capheld;
	bool have_swap;        /* reorder fault: a PDU waiting for the next one */
	struct held_pdu swap;
};

enum enc_proc {
	ENC_IDLE,
	ENC_W4_PAUSE_RSP,  /* central sent LL_PAUSE_ENC_REQ */
	ENC_W4_ENC_RSP,    /* central sent LL_ENC_REQ */
	ENC_W4_LTK,        /* peripheral asked its host for the LTK */
	ENC_W4_START_REQ,  /* central got LL_ENC_RSP */
	ENC_W4_START_RSP,  /* LL_START_ENC_REQ sent / received, waiting for LL_START_ENC_RSP */
};

enum cpr_state {
	CPR_IDLE,
	CPR_W4_RSP,        /* peripheral sent LL_CONNECTION_PARAM_REQ */
	CPR_W4_HOST,       /* central asked its host (LE Remote Connection Parameter Request) */
};

struct air_conn {
	bool used;
	uint32_t gen;
	struct air_end e[2];   /* [0] central, [1] peripheral */
	uint16_t interval, latency, timeout;
	struct ps_llctrl_connection_update_ind upd; /* pending update */
	bool upd_pending;
	uint8_t upd_by_host;   /* bit s: side s's host asked for the update (Update Complete even if unchanged) */
	uint8_t cpr;           /* Connection Parameters Request procedure (§5.1.7), enum cpr_state */
	/* encryption procedure (§5.1.3.1 start, §5.1.3.2 pause/refresh) */
	uint8_t enc_c, enc_p;  /* procedure state seen by the central / the peripheral */
	bool refresh;
	uint8_t ltk_c[16];
	uint64_t rand;
	uint16_t ediv;
	uint8_t skd_c[8], skd_p[8];
	uint8_t iv[8];         /* IVc || IVp, wire order */
};

struct ev_key {
	uint64_t t, seq;
	uint32_t slot;
};

struct ps_vctl_link {
	struct ps_vctl_link_opts o;
	uint64_t now, seq, rng;
	struct ev_key *keys;   /* heap, n entries */
	struct air_ev *pool;   /* cap items; keys point at slots */
	uint32_t *free_slots;
	size_t n, cap, nfree;
	struct ps_vctl **ctl;
	size_t nctl;
	struct air_conn conns[VCTL_LINK_MAX_CONN];
	bool running;
	struct air_ev scratch; /* the item being handled */
	struct air_ev lost;    /* where vctl_sched writes when out of memory (the item is dropped) */
};

struct vctl_addr {
	uint8_t type;
	uint8_t a[6];
};

/* One resolving list entry (Vol 6 Part B §4.7, Vol 4 Part E §7.8.38). */
struct vctl_rl_entry {
	uint8_t type;             /* peer identity address type, 0 public / 1 random (static) */
	uint8_t a[6];
	uint8_t peer_irk[16], local_irk[16];
	bool peer_irk_set, local_irk_set; /* non-zero IRKs */
	uint8_t mode;             /* privacy mode (§7.8.77, Vol 3 Part C §10.7): 0 network, 1 device */
	uint8_t local_rpa[6];     /* generated from local_irk, renewed every RPA timeout */
	uint8_t peer_rpa_gen[6];  /* generated from peer_irk (TargetA of directed advertising) */
	uint8_t peer_rpa[6];      /* the peer's RPA last resolved (LE Read Peer Resolvable Address) */
};

struct ps_vctl {
	struct ps_vctl_link *link;
	uint16_t index;
	struct ps_vctl_opts o;
	struct ps_h4 h4;
	uint8_t *out;          /* H4 packets waiting for the host */
	size_t out_len, out_cap, out_off;
	uint64_t evmask, evmask2, le_evmask;
	uint8_t bd_addr[6], rand_addr[6];
	bool has_rand;
	struct {
		struct ps_hci_cmd_le_set_adv_params p;
		uint8_t data[31], data_len, sr[31], sr_len;
		bool on;
		uint32_t gen;
	} adv;
	struct {
		struct ps_hci_cmd_le_set_scan_params p;
		bool on, filter_dup;
		struct vctl_addr seen[VCTL_MAX_SEEN];
		uint8_t nseen;
	} scan;
	struct {
		struct ps_hci_cmd_le_create_conn p;
		bool on;
		uint32_t gen;
	} init;
	struct vctl_addr accept[VCTL_MAX_ACCEPT];
	uint8_t naccept;
	struct {
		struct vctl_rl_entry e[VCTL_MAX_RESOLV];
		uint8_t n;
		bool enable;       /* LE Set Address Resolution Enable */
		bool timer;        /* an RPA timer is scheduled */
		uint16_t timeout_s;
		uint32_t tgen;     /* generation of the RPA timer */
	} rl;
	uint16_t next_handle;
	uint16_t sugg_tx;
	unsigned acl_used;
	bool nocp_sched;
	bool garbage;          /* inside a run of bad H4 octets */
	bool has_p256;
	uint8_t p256_priv[32], p256_pub[64];
	struct ps_vctl_faults f;
	struct ps_vctl_stats st;
};

/* link.c */
uint64_t vctl_rand64(struct ps_vctl_link *l);
void vctl_rand(struct ps_vctl_link *l, uint8_t *p, size_t n);
struct air_ev *vctl_sched(struct ps_vctl_link *l, uint64_t t, uint8_t kind);
struct ps_vctl *vctl_get(struct ps_vctl_link *l, uint16_t index);
struct air_conn *vctl_conn_by_handle(struct ps_vctl *c, uint16_t handle, int *side);

/* ctrl.c: events to the host */
void vctl_out(struct ps_vctl *c, uint8_t type, const uint8_t *p, size_t len);
bool vctl_evt_enabled(const struct ps_vctl *c, uint8_t code);
bool vctl_le_enabled(const struct ps_vctl *c, uint8_t sub);
/* Encode `st` with the event's layout and send it when the mask allows (returns false when masked). */
bool vctl_evt(struct ps_vctl *c, uint8_t code, const void *st);
bool vctl_le_evt(struct ps_vctl *c, uint8_t sub, const void *st);
void vctl_cmd_status(struct ps_vctl *c, uint16_t opcode, uint8_t status);
void vctl_cmd_complete(struct ps_vctl *c, uint16_t opcode, const void *rsp);
void vctl_cmd_complete_status(struct ps_vctl *c, uint16_t opcode, uint8_t status);
void vctl_trace(struct ps_vctl *c, uint16_t op, const uint8_t *p, size_t len);

/* cmd*.c */
void vctl_command(struct ps_vctl *c, const uint8_t *p, size_t len);
void vctl_reset_state(struct ps_vctl *c);

/* air.c: advertising, connections */
void vctl_adv_changed(struct ps_vctl *c);
void vctl_scan_started(struct ps_vctl *c);
void vctl_init_started(struct ps_vctl *c);
void vctl_handle_ev(struct ps_vctl_link *l, struct air_ev *ev);
void vctl_conn_lost(struct ps_vctl_link *l, struct air_conn *cn, int side, uint8_t reason, bool peer_times_out);
void vctl_disconnect(struct ps_vctl *c, struct air_conn *cn, int side, uint8_t reason);
void vctl_drop_ctl(struct ps_vctl *c);
bool vctl_update_valid(uint16_t imin, uint16_t imax, uint16_t lat, uint16_t to);
void vctl_send_ctrl(struct ps_vctl_link *l, struct air_conn *cn, int side, uint8_t op, const void *st);
void vctl_data_len_changed(struct ps_vctl_link *l, struct air_conn *cn);
void vctl_terminated(struct ps_vctl_link *l, struct air_conn *cn, int rx_side, uint8_t reason);
void vctl_update_received(struct ps_vctl_link *l, struct air_conn *cn,
			  const struct ps_llctrl_connection_update_ind *u);

/* privacy.c: resolving list, RPAs (Vol 6 Part B §6) */
void vctl_priv_reset(struct ps_vctl *c);
void vctl_priv_timer(struct ps_vctl *c, uint32_t gen);
void vctl_priv_own(const struct ps_vctl *c, uint8_t own_type, const struct vctl_addr *peer, struct vctl_addr *out,
		   uint8_t rpa[6]);
bool vctl_priv_has_local(const struct ps_vctl *c, const struct vctl_addr *peer);
bool vctl_priv_rx(struct ps_vctl *c, const struct vctl_addr *air, struct vctl_addr *id, uint8_t rpa[6]);
void vctl_priv_target(const struct ps_vctl *a, struct vctl_addr *out);
bool vctl_priv_target_is_me(const struct ps_vctl *c, const struct vctl_addr *target, const struct vctl_addr *me);

/* acl.c */
void vctl_acl_from_host(struct ps_vctl *c, const uint8_t *p, size_t len);
void vctl_tx_pdu(struct ps_vctl_link *l, struct air_conn *cn, int side, uint8_t llid, const uint8_t *p,
		 size_t len, bool hci_last, bool data);
void vctl_rx_pdu(struct ps_vctl_link *l, struct air_ev *ev);
void vctl_resume(struct ps_vctl_link *l, struct air_conn *cn, int side);
void vctl_nocp(struct ps_vctl *c);
void vctl_end_release(struct ps_vctl_link *l, struct air_end *e);

/* llenc.c */
void vctl_enc_start(struct ps_vctl *c, struct air_conn *cn, uint64_t rand, uint16_t ediv, const uint8_t ltk[16]);
void vctl_enc_ltk_reply(struct ps_vctl *c, struct air_conn *cn, const uint8_t *ltk);
void vctl_ll_ctrl(struct ps_vctl_link *l, struct air_conn *cn, int side, const uint8_t *p, size_t len);

/* cpr.c: Connection Parameters Request procedure (Vol 6 Part B §5.1.7) */
void vctl_cpr_start(struct ps_vctl *c, struct air_conn *cn, const struct ps_hci_cmd_le_conn_update *a);
void vctl_cpr_rx_req(struct ps_vctl_link *l, struct air_conn *cn, const struct ps_llctrl_connection_param_req *r);
void vctl_cpr_rx_reject(struct ps_vctl_link *l, struct air_conn *cn, uint8_t error);
void vctl_cpr_end(struct ps_vctl_link *l, struct air_conn *cn, uint8_t status);

#endif
