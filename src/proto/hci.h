/* HCI tables, Core 5.4 Vol 4 Part E §5.4 and §7: command parameters, return parameters, events, LE
 * meta subevents, arrayed-parameter elements and per-manufacturer vendor packets, all generated from
 * the .def files beside this header; value names shared by every printer and by the doctor. */
#ifndef PS_PROTO_HCI_H
#define PS_PROTO_HCI_H

#include <pairscope/layout.h>

#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/hci_ctl_cmd.def"
#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/hci_cmd.def"
#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/hci_ctl_rsp.def"
#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/hci_rsp.def"
#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/hci_evt.def"
#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/le_evt.def"
#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/hci_elem.def"
#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/hci_vnd.def"

enum ps_hci_cmd_code {
#define PS_GEN_CODES
#include <pairscope/proto_gen.h>
#include "proto/hci_ctl_cmd.def"
#define PS_GEN_CODES
#include <pairscope/proto_gen.h>
#include "proto/hci_cmd.def"
};
enum ps_hci_evt_code {
#define PS_GEN_CODES
#include <pairscope/proto_gen.h>
#include "proto/hci_evt.def"
};
enum ps_le_evt_code {
#define PS_GEN_CODES
#include <pairscope/proto_gen.h>
#include "proto/le_evt.def"
};

/* HCI packet headers (§5.4): command 3 octets, event 2, ACL 4. */
enum {
	PS_HCI_CMD_HDR = 3,
	PS_HCI_EVT_HDR = 2,
	PS_HCI_ACL_HDR = 4,
};
static inline uint16_t ps_hci_ogf(uint16_t opcode) { return (uint16_t)(opcode >> 10); }
static inline uint16_t ps_hci_ocf(uint16_t opcode) { return (uint16_t)(opcode & 0x03ff); }

PS_API extern const struct ps_layout ps_hci_cmd_layouts[];
PS_API extern const size_t ps_hci_cmd_nlayouts;
PS_API extern const struct ps_layout ps_hci_rsp_layouts[];
PS_API extern const size_t ps_hci_rsp_nlayouts;
PS_API extern const struct ps_layout ps_hci_evt_layouts[];
PS_API extern const size_t ps_hci_evt_nlayouts;
PS_API extern const struct ps_layout ps_le_evt_layouts[];
PS_API extern const size_t ps_le_evt_nlayouts;
PS_API extern const struct ps_layout ps_hci_elem_layouts[];
PS_API extern const size_t ps_hci_elem_nlayouts;
PS_API extern const struct ps_layout ps_hci_vnd_layouts[];
PS_API extern const size_t ps_hci_vnd_nlayouts;

/* Lookups: NULL when the code has no layout. */
PS_API const struct ps_layout *ps_hci_cmd_layout(uint16_t opcode);
PS_API const struct ps_layout *ps_hci_rsp_layout(uint16_t opcode);
PS_API const struct ps_layout *ps_hci_evt_layout(uint8_t code);
PS_API const struct ps_layout *ps_le_evt_layout(uint8_t subevent);
/* Vendor command (OGF 0x3f) or vendor event (first octet) of a manufacturer. */
PS_API const struct ps_layout *ps_hci_vnd_cmd_layout(uint16_t manufacturer, uint16_t opcode);
PS_API const struct ps_layout *ps_hci_vnd_evt_layout(uint16_t manufacturer, uint8_t evt);
PS_API const struct ps_layout *ps_hci_vnd_rsp_layout(uint16_t manufacturer, uint16_t opcode);
/* "Broadcom" for vendor names, NULL when btmon knows no vendor decoder for the company. */
PS_API const char *ps_hci_vendor_prefix(uint16_t manufacturer);

/* LIST descriptors (element layouts in hci_elem.def). */
PS_API extern const struct ps_list_aux ps_list_nocp;
PS_API extern const struct ps_list_aux ps_list_adv_report;
PS_API extern const struct ps_list_aux ps_list_direct_adv_report;
PS_API extern const struct ps_list_aux ps_list_ext_adv_report;
PS_API extern const struct ps_list_aux ps_list_ext_adv_set;
PS_API extern const struct ps_list_aux ps_list_ext_scan_phy;
PS_API extern const struct ps_list_aux ps_list_ext_conn_phy;
PS_API extern const struct ps_list_aux ps_list_pa_response;
PS_API extern const struct ps_list_aux ps_list_iac_lap;

/* Value names (btmon 5.66 wording), each defined once in hci_names.c. */
#define PS_HCI_NAMES(X)                                                                    \
	X(hci_error) X(hci_evmask) X(hci_evmask2) X(le_evmask) X(event_filter_type) X(adv_type) \
	X(own_addr_type) X(adv_channels) X(adv_filter_policy) X(enable) X(scan_type)           \
	X(scan_filter_policy) X(conn_filter_policy) X(peer_addr_type) X(all_phys) X(phys)      \
	X(phy_opts) X(ext_adv_props) X(le_phy) X(ext_adv_operation) X(ext_adv_frag)            \
	X(priv_mode) X(bt_version) X(company) X(link_type) X(encr_mode) X(role)                \
	X(adv_report_type) X(ext_adv_report_props) X(chan_algo) X(ad_flags) X(ad_type)         \
	X(bus_type) X(dev_type) X(oui) X(pa_data_status) X(hci_commands) X(lmp_features)       \
	X(le_features) X(le_states) X(ext_scan_rsp_operation) X(legacy_adv_pdu)                 \
	X(legacy_report_pdu) X(ext_primary_phy) X(ext_secondary_phy) X(sid) X(cte_type) X(bcm_baud)  \
	X(sca) X(framing) X(path_loss_zone) X(tx_power_reason) X(tx_power_phy) X(tx_power_flags)   \
	/* BR/EDR and baseband (hci_ctl_names.c) */                                              \
	X(scan_enable) X(page_scan_type) X(inquiry_mode) X(host_flow_control) X(link_policy)     \
	X(pscan_rep_mode) X(pscan_period_mode) X(pscan_mode) X(io_capability) X(oob_data) X(bredr_auth_req)           \
	X(link_mode) X(link_key_type) X(iac_lap) X(eir_fec) X(pkt_type) X(role_switch) X(codec_id)
#define PS_HCI_NAME_DECL(n) PS_API extern const struct ps_name ps_names_##n[];
PS_HCI_NAMES(PS_HCI_NAME_DECL)
#undef PS_HCI_NAME_DECL
/* Shared with SMP (smp.c): "Public" / "Random". */
PS_API extern const struct ps_name ps_names_addr_type[];

/* Class of Device (Vol 4 Part E §7.3.26, Assigned Numbers Baseband): the lines btmon 5.66 prints under
 * "Class: 0x5a010c" (major, minor, service classes), at most 13; the printer and the text importer share
 * them. Returns the number of lines in t->line. */
struct ps_sub_lines {
	const char *line[13];
	char buf[2][72];
};
PS_API unsigned ps_dev_class_lines(uint32_t cls, struct ps_sub_lines *t);
/* The same for a Voice_Setting (§6.12) under "Setting: 0x0060". */
PS_API unsigned ps_voice_setting_lines(uint16_t v, struct ps_sub_lines *t);

/* Names of the LMP feature bits of extended feature page 0, 1 or 2 (Vol 2 Part C §3.3); NULL for
 * other pages (btmon names none). */
PS_API const struct ps_name *ps_lmp_feature_names(unsigned page);

/* Company name as btmon prints it: "not assigned" for unknown IDs (never NULL). */
PS_API const char *ps_company_name(uint16_t id);
/* GAP Appearance name as btmon prints it (AD type 0x19); never NULL. */
PS_API const char *ps_appearance_name(uint16_t v);

/* Roles (§7.7.65.1) and legacy names, for --legacy-names. */
enum { PS_HCI_ROLE_CENTRAL = 0x00, PS_HCI_ROLE_PERIPHERAL = 0x01 };
/* Old wording for a value name (Master/Slave/White list), or NULL when unchanged. */
PS_API const char *ps_legacy_name(const char *s);

#endif
