/* ATT tables (Core 5.4 Vol 3 Part F §3.4, Table 3.3 error codes) from att.def, and names. */
#include "proto/att.h"

const struct ps_name ps_names_att_error[] = {
	{ 0x01, "Invalid Handle" },
	{ 0x02, "Read Not Permitted" },
	{ 0x03, "Write Not Permitted" },
	{ 0x04, "Invalid PDU" },
	{ 0x05, "Insufficient Authentication" },
	{ 0x06, "Request Not Supported" },
	{ 0x07, "Invalid Offset" },
	{ 0x08, "Insufficient Authorization" },
	{ 0x09, "Prepare Queue Full" },
	{ 0x0a, "Attribute Not Found" },
	{ 0x0b, "Attribute Not Long" },
	{ 0x0c, "Insufficient Encryption Key Size" },
	{ 0x0d, "Invalid Attribute Value Length" },
	{ 0x0e, "Unlikely Error" },
	{ 0x0f, "Insufficient Encryption" },
	{ 0x10, "Unsupported Group Type" },
	{ 0x11, "Insufficient Resources" },
	{ 0x12, "Database Out of Sync" },
	{ 0x13, "Value Not Allowed" },
	{ 0xfc, "Write Request Rejected" },
	{ 0xfd, "CCC Descriptor Improperly Configured" },
	{ 0xfe, "Procedure Already in Progress" },
	{ 0xff, "Out of Range" },
	{ 0, NULL },
};
const struct ps_name ps_names_att_exec_flags[] = {
	{ 0x00, "Cancel all prepared writes" },
	{ 0x01, "Immediately write all pending values" },
	{ 0, NULL },
};

const struct ps_name ps_names_att_info_format[] = {
	{ 0x01, "UUID-16" },
	{ 0x02, "UUID-128" },
	{ 0, NULL },
};

#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/att_elem.def"

const struct ps_layout ps_att_elem_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/att_elem.def"
};
const size_t ps_att_elem_nlayouts = PS_ARRAY_SIZE(ps_att_elem_layouts);

/* ELEMS descriptors: count_field unused; len_field: the element's own length field */
const struct ps_list_aux ps_list_att_handles = { &ps_att_elem_layouts[0], 0, -1 };
const struct ps_list_aux ps_list_att_ranges = { &ps_att_elem_layouts[1], 0, -1 };
const struct ps_list_aux ps_list_att_info = { &ps_att_elem_layouts[2], 0, -1 };
const struct ps_list_aux ps_list_att_type_data = { &ps_att_elem_layouts[3], 0, -1 };
const struct ps_list_aux ps_list_att_group_data = { &ps_att_elem_layouts[4], 0, -1 };
const struct ps_list_aux ps_list_att_handle_len_values = { &ps_att_elem_layouts[5], 0, 1 };
const struct ps_list_aux ps_list_att_len_values = { &ps_att_elem_layouts[6], 0, 0 };

#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/att.def"

const struct ps_layout ps_att_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/att.def"
};
const size_t ps_att_nlayouts = PS_ARRAY_SIZE(ps_att_layouts);

/* Opcode names for Error Response's "request" field: the labels of the table itself. */
#undef PS_LAYOUT
#undef PS_F
#undef PS_END
#undef PS_EMPTY
#define PS_LAYOUT(p, id, code, label) { code, label },
#define PS_F(p, id, w, n, label, fmt, aux)
#define PS_END(p, id)
#define PS_EMPTY(p, id, code, label) { code, label },
const struct ps_name ps_names_att_opcode[] = {
#include "proto/att.def"
	{ 0, NULL },
};
#undef PS_LAYOUT
#undef PS_F
#undef PS_END
#undef PS_EMPTY

const struct ps_layout *ps_att_layout(uint8_t opcode)
{
	/* Codes are sorted in att.def; a short binary search. */
	size_t lo = 0, hi = ps_att_nlayouts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ps_att_layouts[mid].code == opcode)
			return &ps_att_layouts[mid];
		if (ps_att_layouts[mid].code < opcode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
