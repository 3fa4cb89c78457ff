/* SMP tables (Core Vol 3 Part H §3.5-3.6, Tables 3.4-3.7): layouts from smp.def and value names. */
#include "proto/smp.h"

const struct ps_name ps_names_smp_io_cap[] = {
	{ 0x00, "DisplayOnly" },     { 0x01, "DisplayYesNo" },    { 0x02, "KeyboardOnly" },
	{ 0x03, "NoInputNoOutput" }, { 0x04, "KeyboardDisplay" }, { 0, NULL },
};
const struct ps_name ps_names_smp_oob[] = {
	{ 0x00, "Authentication data not present" },
	{ 0x01, "Authentication data from remote device present" },
	{ 0, NULL },
};
const struct ps_name ps_names_smp_reason[] = {
	{ 0x01, "Passkey entry failed" },
	{ 0x02, "OOB not available" },
	{ 0x03, "Authentication requirements" },
	{ 0x04, "Confirm value failed" },
	{ 0x05, "Pairing not supported" },
	{ 0x06, "Encryption key size" },
	{ 0x07, "Command not supported" },
	{ 0x08, "Unspecified reason" },
	{ 0x09, "Repeated attempts" },
	{ 0x0a, "Invalid parameters" },
	{ 0x0b, "DHKey check failed" },
	{ 0x0c, "Numeric comparison failed" },
	{ 0x0d, "BR/EDR pairing in progress" },
	{ 0x0e, "Cross-transport Key Derivation/Generation not allowed" },
	{ 0x0f, "Key rejected" },
	{ 0, NULL },
};
const struct ps_name ps_names_smp_keypress[] = {
	{ 0x00, "Passkey entry started" },
	{ 0x01, "Passkey digit entered" },
	{ 0x02, "Passkey digit erased" },
	{ 0x03, "Passkey cleared" },
	{ 0x04, "Passkey entry completed" },
	{ 0, NULL },
};
const struct ps_name ps_names_addr_type[] = {
	{ 0x00, "Public" },
	{ 0x01, "Random" },
	{ 0, NULL },
};

#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/smp.def"

const struct ps_layout ps_smp_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/smp.def"
};
const size_t ps_smp_nlayouts = PS_ARRAY_SIZE(ps_smp_layouts);

const struct ps_layout *ps_smp_layout(uint8_t code)
{
	return ps_layout_find_dense(ps_smp_layouts, ps_smp_nlayouts, 1, code); /* SMP codes start at 0x01 */
}
