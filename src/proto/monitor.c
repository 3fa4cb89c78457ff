/* Linux monitor index record tables from monitor.def (names shared with the printers: hci_names.c). */
#include "proto/monitor.h"
#include "proto/hci.h"

#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/monitor.def"

const struct ps_layout ps_mon_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/monitor.def"
};
const size_t ps_mon_nlayouts = PS_ARRAY_SIZE(ps_mon_layouts);

const struct ps_layout *ps_mon_layout(uint16_t opcode)
{
	return ps_layout_find(ps_mon_layouts, ps_mon_nlayouts, opcode);
}
