/* Host internals shared by src/host files: the fixed-size state of one host (command queue, connection
 * table, ACL transmit queue, reassembly buffers). No heap after ps_host_new. Never installed. */
#ifndef PS_HOST_INT_H
#define PS_HOST_INT_H

#include <pairscope/host.h>
#include "proto/hci.h"
#include "proto/l2cap.h"
#include "proto/att.h"

#define HOST_CMDQ 16      /* commands waiting for a Num_HCI_Command_Packets credit */
#define HOST_SENT 8       /* commands sent and not yet completed */
#define HOST_FRAG 251     /* largest ACL fragment we send (further capped by the controller's size) */
#define HOST_TXQ 48       /* ACL fragments waiting for a controller buffer */

enum cmd_tag {
	TAG_INIT,     /* a step of the init sequence */
	TAG_INTERNAL, /* sent by a host API; completion handled here */
	TAG_USER,     /* ps_host_command: completion to cb.cmd_done */
};

struct host_cmd {
	uint16_t op;
	uint8_t tag;
	uint16_t arg;  /* handle for connection commands */
	uint8_t len;
	uint8_t p[255];
};

struct host_frag {
	uint16_t handle;
	uint8_t pb;
	uint16_t len;
	uint8_t data[HOST_FRAG];
};

struct host_conn {
	bool used;
	struct ps_host_conn_info info;
	bool encrypted;
	unsigned tx_inflight; /* ACL packets given to the controller, not yet completed */
	unsigned tx_queued;   /* fragments in our queue */
	uint16_t rx_len;      /* octets collected of the L2CAP PDU being reassembled */
	uint16_t rx_need;     /* its total size once the basic header is in (0 = unknown yet), <= sizeof rx */
	bool rx_active;
	uint8_t rx[PS_HOST_MAX_SDU + 4];
	uint8_t sig_id;       /* last signaling identifier we used */
	uint16_t att_mtu;
};

struct ps_host {
	struct ps_host_ops ops;
	struct ps_host_cb cb;
	struct ps_host_config cfg;
	/* commands */
	struct host_cmd q[HOST_CMDQ];
	unsigned qhead, qlen;
	struct host_cmd sent[HOST_SENT];
	unsigned nsent;
	uint8_t ncmd;          /* Num_HCI_Command_Packets credit */
	int init_step;         /* -1 idle, index into the init sequence, or done */
	bool ready;
	/* controller facts */
	uint8_t bd_addr[6];
	uint8_t commands[64];
	uint16_t le_mtu;
	uint16_t le_total, le_credits;
	/* links */
	struct host_conn conn[PS_HOST_MAX_CONN];
	/* ACL transmit queue (ring) */
	struct host_frag txq[HOST_TXQ];
	unsigned txhead, txlen;
	/* scratch for building packets */
	uint8_t pkt[4 + PS_HOST_MAX_SDU + 8];
};

/* hci.c */
int host_cmd(struct ps_host *h, uint16_t op, const void *st, uint8_t tag, uint16_t arg);
void host_log(struct ps_host *h, const char *msg);
struct host_conn *host_conn_find(struct ps_host *h, uint16_t handle);
void host_completed(struct ps_host *h, uint16_t op, uint8_t ncmd, bool is_status, uint8_t status,
		    const uint8_t *ret, size_t len);
void host_send_raw(struct ps_host *h, uint8_t type, const uint8_t *p, size_t len);

/* l2cap.c */
void host_acl_rx(struct ps_host *h, const uint8_t *p, size_t len);
void host_tx_pump(struct ps_host *h);
void host_nocp(struct ps_host *h, uint16_t handle, uint16_t count);
void host_conn_drop_tx(struct ps_host *h, struct host_conn *c);
void host_sig_rx(struct ps_host *h, struct host_conn *c, const uint8_t *p, size_t len);
int host_sig_send(struct ps_host *h, struct host_conn *c, uint8_t code, uint8_t id, const void *st);

/* att.c */
void host_att_rx(struct ps_host *h, struct host_conn *c, const uint8_t *p, size_t len);

#endif
