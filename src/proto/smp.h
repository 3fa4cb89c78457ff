/* SMP PDU structs and tables (Core Vol 3 Part H §3), generated from smp.def. */
#ifndef PS_PROTO_SMP_H
#define PS_PROTO_SMP_H

#include <pairscope/layout.h>

#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/smp.def"

enum ps_smp_code {
#define PS_GEN_CODES
#include <pairscope/proto_gen.h>
#include "proto/smp.def"
};

/* Layouts of the PDU parameters (after the code octet), indexed by nothing: search by code. */
PS_API extern const struct ps_layout ps_smp_layouts[];
PS_API extern const size_t ps_smp_nlayouts;
/* Layout for an SMP code, NULL when the code is not defined. */
PS_API const struct ps_layout *ps_smp_layout(uint8_t code);

/* Value names shared by every printer and by the doctor (btmon's wording). */
PS_API extern const struct ps_name ps_names_smp_io_cap[];
PS_API extern const struct ps_name ps_names_smp_oob[];
PS_API extern const struct ps_name ps_names_smp_reason[];
PS_API extern const struct ps_name ps_names_smp_keypress[];
PS_API extern const struct ps_name ps_names_addr_type[];

/* Authentication requirement bits (§3.5.1). */
enum {
	PS_SMP_AUTH_BOND = 0x01,
	PS_SMP_AUTH_MITM = 0x04,
	PS_SMP_AUTH_SC = 0x08,
	PS_SMP_AUTH_KEYPRESS = 0x10,
	PS_SMP_AUTH_CT2 = 0x20,
};
/* Key distribution bits (§3.6.1). */
enum {
	PS_SMP_DIST_ENC = 0x01,
	PS_SMP_DIST_ID = 0x02,
	PS_SMP_DIST_SIGN = 0x04,
	PS_SMP_DIST_LINK = 0x08,
};
/* Pairing Failed reasons (§3.5.5, Table 3.7). */
enum ps_smp_reason {
	PS_SMP_OK = 0x00,
	PS_SMP_PASSKEY_ENTRY_FAILED = 0x01,
	PS_SMP_OOB_NOT_AVAILABLE = 0x02,
	PS_SMP_AUTH_REQUIREMENTS = 0x03,
	PS_SMP_CONFIRM_VALUE_FAILED = 0x04,
	PS_SMP_PAIRING_NOT_SUPPORTED = 0x05,
	PS_SMP_ENC_KEY_SIZE = 0x06,
	PS_SMP_CMD_NOT_SUPPORTED = 0x07,
	PS_SMP_UNSPECIFIED = 0x08,
	PS_SMP_REPEATED_ATTEMPTS = 0x09,
	PS_SMP_INVALID_PARAMS = 0x0a,
	PS_SMP_DHKEY_CHECK_FAILED = 0x0b,
	PS_SMP_NUMCMP_FAILED = 0x0c,
	PS_SMP_BREDR_IN_PROGRESS = 0x0d,
	PS_SMP_CTKD_NOT_ALLOWED = 0x0e,
	PS_SMP_KEY_REJECTED = 0x0f,
};

#endif
