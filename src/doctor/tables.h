/* Security Manager tables the doctor decides with (Core Vol 3 Part H 2.3.5.1 Tables 2.6-2.8, 3.6.1),
 * transcribed from tests/vectors/smp-tables.json (test_doctor_tables.c checks every cell against it). */
#ifndef PS_DOCTOR_TABLES_H
#define PS_DOCTOR_TABLES_H

#include <pairscope/base.h>

enum dr_method { DR_M_NONE = 0, DR_M_JW, DR_M_PK, DR_M_NC, DR_M_OOB };
/* Passkey Entry: who displays (the other inputs); NONE = both input. */
enum dr_display { DR_D_NONE = 0, DR_D_INIT, DR_D_RESP };

struct dr_assoc {
	uint8_t method;          /* enum dr_method */
	uint8_t displays;        /* enum dr_display, Passkey Entry only */
	uint8_t auth_v61;        /* 1 = Authenticated key (Core up to v6.1) */
	uint8_t auth_v62;        /* 1 = Authenticated key (Core v6.2: legacy passkey no longer is) */
};
/* Table 2.8 [responder IO][initiator IO][0 legacy, 1 Secure Connections]. */
extern const struct dr_assoc dr_table_2_8[5][5][2];

/* The negotiated association model, Tables 2.6 (legacy) and 2.7 (SC): OOB when both (legacy) / either
 * (SC) set the OOB flag; else Just Works when neither sets MITM; else Table 2.8. Reserved IO capability
 * values are treated as NoInputNoOutput. */
struct dr_assoc dr_select_method(bool sc, uint8_t init_io, uint8_t init_oob, uint8_t init_auth,
				 uint8_t resp_io, uint8_t resp_oob, uint8_t resp_auth);
/* "just-works", "passkey-entry", "numeric-comparison", "oob", "unknown". */
const char *dr_method_name(uint8_t m);

/* Key distribution PDUs in the order §3.6.1 gives per device (0x06..0x0a): rank of a code, -1 otherwise. */
int dr_keydist_rank(uint8_t code);
/* The key distribution bit that allows a key PDU code (0x06/0x07 EncKey, 0x08/0x09 IdKey, 0x0a SignKey). */
uint8_t dr_keydist_bit(uint8_t code);

#endif
