/* Security Manager tables (Core Vol 3 Part H 2.3.5.1 Tables 2.6-2.8; 3.6.1 key distribution), generated
 * once from tests/vectors/smp-tables.json; test_doctor_tables.c checks every cell against the JSON. */
#include "doctor/tables.h"
#include "proto/smp.h"

/* Table 2.8, [responder IO capability][initiator IO capability][legacy, secure connections]:
 * { method, who displays (Passkey Entry), Authenticated up to v6.1, Authenticated in v6.2 }. */
const struct dr_assoc dr_table_2_8[5][5][2] = {
	/* responder DisplayOnly */ {
		/* initiator DisplayOnly */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
		/* initiator DisplayYesNo */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
		/* initiator KeyboardOnly */ { { DR_M_PK, DR_D_RESP, 1, 0 }, { DR_M_PK, DR_D_RESP, 1, 1 } },
		/* initiator NoInputNoOutput */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
		/* initiator KeyboardDisplay */ { { DR_M_PK, DR_D_RESP, 1, 0 }, { DR_M_PK, DR_D_RESP, 1, 1 } },
	},
	/* responder DisplayYesNo */ {
		/* initiator DisplayOnly */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
		/* initiator DisplayYesNo */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_NC, DR_D_NONE, 1, 1 } },
		/* initiator KeyboardOnly */ { { DR_M_PK, DR_D_RESP, 1, 0 }, { DR_M_PK, DR_D_RESP, 1, 1 } },
		/* initiator NoInputNoOutput */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
		/* initiator KeyboardDisplay */ { { DR_M_PK, DR_D_RESP, 1, 0 }, { DR_M_NC, DR_D_NONE, 1, 1 } },
	},
	/* responder KeyboardOnly */ {
		/* initiator DisplayOnly */ { { DR_M_PK, DR_D_INIT, 1, 0 }, { DR_M_PK, DR_D_INIT, 1, 1 } },
		/* initiator DisplayYesNo */ { { DR_M_PK, DR_D_INIT, 1, 0 }, { DR_M_PK, DR_D_INIT, 1, 1 } },
		/* initiator KeyboardOnly */ { { DR_M_PK, DR_D_NONE, 1, 0 }, { DR_M_PK, DR_D_NONE, 1, 1 } },
		/* initiator NoInputNoOutput */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
		/* initiator KeyboardDisplay */ { { DR_M_PK, DR_D_INIT, 1, 0 }, { DR_M_PK, DR_D_INIT, 1, 1 } },
	},
	/* responder NoInputNoOutput */ {
		/* initiator DisplayOnly */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
		/* initiator DisplayYesNo */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
		/* initiator KeyboardOnly */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
		/* initiator NoInputNoOutput */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
		/* initiator KeyboardDisplay */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
	},
	/* responder KeyboardDisplay */ {
		/* initiator DisplayOnly */ { { DR_M_PK, DR_D_INIT, 1, 0 }, { DR_M_PK, DR_D_INIT, 1, 1 } },
		/* initiator DisplayYesNo */ { { DR_M_PK, DR_D_INIT, 1, 0 }, { DR_M_NC, DR_D_NONE, 1, 1 } },
		/* initiator KeyboardOnly */ { { DR_M_PK, DR_D_RESP, 1, 0 }, { DR_M_PK, DR_D_RESP, 1, 1 } },
		/* initiator NoInputNoOutput */ { { DR_M_JW, DR_D_NONE, 0, 0 }, { DR_M_JW, DR_D_NONE, 0, 0 } },
		/* initiator KeyboardDisplay */ { { DR_M_PK, DR_D_INIT, 1, 0 }, { DR_M_NC, DR_D_NONE, 1, 1 } },
	},
};

struct dr_assoc dr_select_method(bool sc, uint8_t init_io, uint8_t init_oob, uint8_t init_auth,
				 uint8_t resp_io, uint8_t resp_oob, uint8_t resp_auth)
{
	struct dr_assoc a = { DR_M_JW, DR_D_NONE, 0, 0 };
	/* §2.3.5.1: "If both devices have the OOB data flag set" (legacy, Table 2.6) / "if at least one
	 * device has the peer device's OOB data" (SC, Table 2.7): use OOB; AuthReq is then ignored. */
	bool io = init_oob == 1, ro = resp_oob == 1;
	if (sc ? (io || ro) : (io && ro)) {
		a.method = DR_M_OOB;
		a.auth_v61 = a.auth_v62 = 1;
		return a;
	}
	/* "If neither device has the MITM flag set, Just Works shall be used." */
	if (!((init_auth | resp_auth) & PS_SMP_AUTH_MITM))
		return a;
	uint8_t i = init_io <= 4 ? init_io : 3, r = resp_io <= 4 ? resp_io : 3;
	return dr_table_2_8[r][i][sc ? 1 : 0];
}

const char *dr_method_name(uint8_t m)
{
	switch (m) {
	case DR_M_JW:
		return "just-works";
	case DR_M_PK:
		return "passkey-entry";
	case DR_M_NC:
		return "numeric-comparison";
	case DR_M_OOB:
		return "oob";
	default:
		return "unknown";
	}
}

int dr_keydist_rank(uint8_t code)
{
	/* §3.6.1: LTK (Encryption Information), EDIV/Rand (Central Identification), IRK (Identity
	 * Information), BD_ADDR (Identity Address Information), CSRK (Signing Information). */
	return code >= 0x06 && code <= 0x0a ? code - 0x06 : -1;
}

uint8_t dr_keydist_bit(uint8_t code)
{
	switch (code) {
	case 0x06:
	case 0x07:
		return PS_SMP_DIST_ENC;
	case 0x08:
	case 0x09:
		return PS_SMP_DIST_ID;
	case 0x0a:
		return PS_SMP_DIST_SIGN;
	default:
		return 0;
	}
}
