/* Linux monitor index records (New Index, Open Index, Index Info), generated from monitor.def. */
#ifndef PS_PROTO_MONITOR_H
#define PS_PROTO_MONITOR_H

#include <pairscope/layout.h>

#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/monitor.def"

enum ps_mon_code {
#define PS_GEN_CODES
#include <pairscope/proto_gen.h>
#include "proto/monitor.def"
};

PS_API extern const struct ps_layout ps_mon_layouts[];
PS_API extern const size_t ps_mon_nlayouts;
/* Layout of a monitor record's payload by opcode (enum ps_mon_op); NULL for records without one here. */
PS_API const struct ps_layout *ps_mon_layout(uint16_t opcode);

#endif
