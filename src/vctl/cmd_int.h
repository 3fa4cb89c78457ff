/* The virtual controller's command table entries and the handlers split across cmd.c and cmd_conn.c
 * (Core Vol 4 Part E §7). Never installed. */
#ifndef PS_VCTL_CMD_INT_H
#define PS_VCTL_CMD_INT_H

#include "vctl/vctl_int.h"

typedef void (*vctl_cmd_fn)(struct ps_vctl *c, uint16_t opcode, const void *params);

struct vctl_cmd {
	uint16_t opcode;
	uint8_t octet, bit; /* Supported Commands (§6.27); octet 0xff = not listed there */
	bool status;        /* answered with Command Status (errors too) */
	vctl_cmd_fn fn;     /* params: the decoded struct of the command's layout */
};

/* LE features octet 0 (Vol 6 Part B §4.6): LE Encryption (bit 0), Connection Parameters Request
 * procedure (bit 1, cpr.c), Data Packet Length Extension (bit 5), LL Privacy (bit 6, privacy.c). */
#define VCTL_LE_FEATURES 0x63

void vctl_supported_commands(uint8_t bits[64]);
bool vctl_accept_has(const struct ps_vctl *c, uint8_t type, const uint8_t a[6]);

void vctl_h_disconnect(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_read_remote_version(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_read_rssi(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_create_conn(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_create_conn_cancel(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_conn_update(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_read_remote_features(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_start_encryption(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_ltk_reply(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_ltk_neg_reply(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_set_data_length(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_read_default_data_length(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_write_default_data_length(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_read_max_data_length(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_read_local_p256(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_generate_dhkey(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_cpr_reply(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_cpr_neg_reply(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_add_resolv(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_remove_resolv(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_clear_resolv(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_read_resolv_size(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_read_peer_rpa(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_read_local_rpa(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_set_resolv_enable(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_set_resolv_timeout(struct ps_vctl *c, uint16_t op, const void *p);
void vctl_h_set_priv_mode(struct ps_vctl *c, uint16_t op, const void *p);

#endif
