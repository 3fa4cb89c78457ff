/* L2CAP LE: basic header (Core 5.4 Vol 3 Part A §3.1), fixed channels, LE signaling commands (§4),
 * generated from l2cap.def; value names shared by every printer. */
#ifndef PS_PROTO_L2CAP_H
#define PS_PROTO_L2CAP_H

#include <pairscope/layout.h>

#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/l2cap_elem.def"
#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/l2cap.def"

enum ps_l2cap_code {
#define PS_GEN_CODES
#include <pairscope/proto_gen.h>
#include "proto/l2cap.def"
};

/* Fixed channels on an LE-U logical link (§2.1). */
enum {
	PS_L2CAP_CID_ATT = 0x0004,
	PS_L2CAP_CID_LE_SIG = 0x0005,
	PS_L2CAP_CID_SMP = 0x0006,
	PS_L2CAP_CID_SMP_BREDR = 0x0007,
	PS_L2CAP_HDR = 4,     /* length(2) + channel ID(2) */
	PS_L2CAP_SIG_HDR = 4, /* code(1) + identifier(1) + length(2) */
};

/* CID list elements (l2cap_elem.def) and the descriptors l2cap.def's ELEMS fields point at. */
PS_API extern const struct ps_layout ps_l2cap_elem_layouts[];
PS_API extern const size_t ps_l2cap_elem_nlayouts;
PS_API extern const struct ps_list_aux ps_list_l2cap_scids, ps_list_l2cap_dcids;

PS_API extern const struct ps_layout ps_l2cap_layouts[];
PS_API extern const size_t ps_l2cap_nlayouts;
PS_API const struct ps_layout *ps_l2cap_layout(uint8_t code);

PS_API extern const struct ps_name ps_names_l2cap_reject[];
PS_API extern const struct ps_name ps_names_l2cap_conn_param_result[];
PS_API extern const struct ps_name ps_names_l2cap_le_conn_result[];
PS_API extern const struct ps_name ps_names_l2cap_reconf_result[];

#endif
