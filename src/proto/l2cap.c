/* L2CAP LE signaling tables (Core 5.4 Vol 3 Part A §4, Tables 4.2-4.3) from l2cap.def, and names. */
#include "proto/l2cap.h"

const struct ps_name ps_names_l2cap_reject[] = {
	{ 0x0000, "Command not understood" },
	{ 0x0001, "Signaling MTU exceeded" },
	{ 0x0002, "Invalid CID in request" },
	{ 0, NULL },
};
const struct ps_name ps_names_l2cap_conn_param_result[] = {
	{ 0x0000, "Connection Parameters accepted" },
	{ 0x0001, "Connection Parameters rejected" },
	{ 0, NULL },
};
/* §4.23 Table 4.16 (LE Credit Based Connection Response results). */
const struct ps_name ps_names_l2cap_le_conn_result[] = {
	{ 0x0000, "Connection successful" },
	{ 0x0002, "Connection refused - PSM not supported" },
	{ 0x0004, "Connection refused - no resources available" },
	{ 0x0005, "Connection refused - insufficient authentication" },
	{ 0x0006, "Connection refused - insufficient authorization" },
	{ 0x0007, "Connection refused - insufficient encryption key size" },
	{ 0x0008, "Connection refused - insufficient encryption" },
	{ 0x0009, "Connection refused - Invalid Source CID" },
	{ 0x000a, "Connection refused - Source CID already allocated" },
	{ 0x000b, "Connection refused - unacceptable parameters" },
	{ 0, NULL },
};
const struct ps_name ps_names_l2cap_reconf_result[] = {
	{ 0x0000, "Reconfiguration successful" },
	{ 0x0001, "Reconfiguration failed - reduction in size of MTU not allowed" },
	{ 0x0002, "Reconfiguration failed - reduction in size of MPS not allowed for more than one channel at a time" },
	{ 0x0003, "Reconfiguration failed - one or more Destination CIDs invalid" },
	{ 0x0004, "Reconfiguration failed - other unacceptable parameters" },
	{ 0, NULL },
};

#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/l2cap_elem.def"

const struct ps_layout ps_l2cap_elem_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/l2cap_elem.def"
};
const size_t ps_l2cap_elem_nlayouts = PS_ARRAY_SIZE(ps_l2cap_elem_layouts);
const struct ps_list_aux ps_list_l2cap_scids = { &ps_l2cap_elem_layouts[0], 0, -1 };
const struct ps_list_aux ps_list_l2cap_dcids = { &ps_l2cap_elem_layouts[1], 0, -1 };

#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/l2cap.def"

const struct ps_layout ps_l2cap_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/l2cap.def"
};
const size_t ps_l2cap_nlayouts = PS_ARRAY_SIZE(ps_l2cap_layouts);

const struct ps_layout *ps_l2cap_layout(uint8_t code)
{
	return ps_layout_find(ps_l2cap_layouts, ps_l2cap_nlayouts, code);
}
