/* ATT PDUs (Core 5.4 Vol 3 Part F §3.4), generated from att.def; value names shared by every printer. */
#ifndef PS_PROTO_ATT_H
#define PS_PROTO_ATT_H

#include <pairscope/layout.h>

#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/att_elem.def"
#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/att.def"

enum ps_att_code {
#define PS_GEN_CODES
#include <pairscope/proto_gen.h>
#include "proto/att.def"
};

/* List elements (att_elem.def) and the descriptors att.def's ELEMS fields point at. */
PS_API extern const struct ps_layout ps_att_elem_layouts[];
PS_API extern const size_t ps_att_elem_nlayouts;
PS_API extern const struct ps_list_aux ps_list_att_handles, ps_list_att_ranges, ps_list_att_info,
	ps_list_att_type_data, ps_list_att_group_data, ps_list_att_handle_len_values, ps_list_att_len_values;
PS_API extern const struct ps_name ps_names_att_info_format[];

PS_API extern const struct ps_layout ps_att_layouts[];
PS_API extern const size_t ps_att_nlayouts;
/* Layout by opcode; NULL when unknown. */
PS_API const struct ps_layout *ps_att_layout(uint8_t opcode);

PS_API extern const struct ps_name ps_names_att_opcode[];
PS_API extern const struct ps_name ps_names_att_error[];
PS_API extern const struct ps_name ps_names_att_exec_flags[];
/* 16-bit UUID names as btmon prints them (att_uuid.c, att_uuid_member.c); NULL when unassigned. */
PS_API extern const struct ps_name ps_names_uuid16[];
PS_API extern const struct ps_name ps_names_uuid16_member[];
PS_API extern const size_t ps_uuid16_member_count;
PS_API const char *ps_uuid16_name(uint16_t uuid);

#endif
