/* HCI layout tables (Core 5.4 Vol 4 Part E §7), generated from the .def files, and their lookups. */
#include "proto/hci.h"

#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/hci_elem.def"

const struct ps_layout ps_hci_elem_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/hci_elem.def"
};
const size_t ps_hci_elem_nlayouts = PS_ARRAY_SIZE(ps_hci_elem_layouts);

/* count_field: index of the count in the parent layout; len_field: index of the element's REST length. */
const struct ps_list_aux ps_list_nocp = { &ps_hci_elem_layouts[0], 0, -1 };
const struct ps_list_aux ps_list_adv_report = { &ps_hci_elem_layouts[1], 0, 3 };
const struct ps_list_aux ps_list_direct_adv_report = { &ps_hci_elem_layouts[2], 0, -1 };
const struct ps_list_aux ps_list_ext_adv_report = { &ps_hci_elem_layouts[3], 0, 11 };
const struct ps_list_aux ps_list_ext_adv_set = { &ps_hci_elem_layouts[4], 1, -1 };
const struct ps_list_aux ps_list_pa_response = { &ps_hci_elem_layouts[7], 3, 5 };
const struct ps_list_aux ps_list_iac_lap = { &ps_hci_elem_layouts[8], 0, -1 };
/* REST parameters printed per PHY bit (format ENTRIES): count_field unused */
const struct ps_list_aux ps_list_ext_scan_phy = { &ps_hci_elem_layouts[5], 0, -1 };
const struct ps_list_aux ps_list_ext_conn_phy = { &ps_hci_elem_layouts[6], 0, -1 };

#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/hci_ctl_cmd.def"
#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/hci_cmd.def"
#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/hci_ctl_rsp.def"
#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/hci_rsp.def"
#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/hci_evt.def"
#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/le_evt.def"
#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/hci_vnd.def"

/* OGF 0x01-0x06 first, then LE (0x08): sorted by opcode */
const struct ps_layout ps_hci_cmd_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/hci_ctl_cmd.def"
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/hci_cmd.def"
};
const size_t ps_hci_cmd_nlayouts = PS_ARRAY_SIZE(ps_hci_cmd_layouts);

const struct ps_layout ps_hci_rsp_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/hci_ctl_rsp.def"
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/hci_rsp.def"
};
const size_t ps_hci_rsp_nlayouts = PS_ARRAY_SIZE(ps_hci_rsp_layouts);

const struct ps_layout ps_hci_evt_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/hci_evt.def"
};
const size_t ps_hci_evt_nlayouts = PS_ARRAY_SIZE(ps_hci_evt_layouts);

const struct ps_layout ps_le_evt_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/le_evt.def"
};
const size_t ps_le_evt_nlayouts = PS_ARRAY_SIZE(ps_le_evt_layouts);

const struct ps_layout ps_hci_vnd_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/hci_vnd.def"
};
const size_t ps_hci_vnd_nlayouts = PS_ARRAY_SIZE(ps_hci_vnd_layouts);

/* Binary search where a table is sorted by code (the .def files are written in code order), with a
 * linear fallback so an out-of-order entry is still found. */
static const struct ps_layout *find(const struct ps_layout *tab, size_t n, uint32_t code)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tab[mid].code == code)
			return &tab[mid];
		if (tab[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return ps_layout_find(tab, n, code);
}

/* A miss costs a linear scan; the sorted check keeps hits O(log n). Misses are rare (unknown opcodes)
 * except Command Complete return parameters of commands with no table entry. */
const struct ps_layout *ps_hci_cmd_layout(uint16_t opcode)
{
	return find(ps_hci_cmd_layouts, ps_hci_cmd_nlayouts, opcode);
}

const struct ps_layout *ps_hci_rsp_layout(uint16_t opcode)
{
	return find(ps_hci_rsp_layouts, ps_hci_rsp_nlayouts, opcode);
}

const struct ps_layout *ps_hci_evt_layout(uint8_t code)
{
	return find(ps_hci_evt_layouts, ps_hci_evt_nlayouts, code);
}

const struct ps_layout *ps_le_evt_layout(uint8_t subevent)
{
	return find(ps_le_evt_layouts, ps_le_evt_nlayouts, subevent);
}

const struct ps_layout *ps_hci_vnd_cmd_layout(uint16_t manufacturer, uint16_t opcode)
{
	return ps_layout_find(ps_hci_vnd_layouts, ps_hci_vnd_nlayouts, (uint32_t)manufacturer << 16 | opcode);
}

const struct ps_layout *ps_hci_vnd_evt_layout(uint16_t manufacturer, uint8_t evt)
{
	return ps_layout_find(ps_hci_vnd_layouts, ps_hci_vnd_nlayouts,
			      (uint32_t)manufacturer << 16 | 0xff00u | evt);
}

const struct ps_layout *ps_hci_vnd_rsp_layout(uint16_t manufacturer, uint16_t opcode)
{
	return ps_layout_find(ps_hci_vnd_layouts, ps_hci_vnd_nlayouts,
			      0x80000000u | (uint32_t)manufacturer << 16 | opcode);
}

const char *ps_hci_vendor_prefix(uint16_t manufacturer)
{
	switch (manufacturer) {
	case 2: return "Intel";
	case 15: return "Broadcom";
	case 93: return "Realtek";
	default: return NULL;
	}
}
