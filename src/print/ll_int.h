/* Link-layer frames (PS_MON_LL) for the printers: ll_walk.c follows the connections and turns a frame
 * into a pr_ll_item; ll.c prints it as text, ll_out.c as a summary line or JSON. One walk per frame, so
 * the three modes see the same state (encryption, reassembly, direction guesses). */
#ifndef PS_PRINT_LL_INT_H
#define PS_PRINT_LL_INT_H

#include "print/classify.h"
#include "proto/ll.h"

enum pr_ll_kind {
	PR_LL_MALFORMED, /* header length runs past the capture */
	PR_LL_ADV,       /* advertising physical channel */
	PR_LL_EMPTY,     /* data PDU of length 0 */
	PR_LL_CTRL,      /* LL Control, plaintext */
	PR_LL_DATA,      /* LLID 1/2: L2CAP start or continuation, plaintext */
	PR_LL_ENC,       /* encrypted payload (ciphertext + MIC) */
	PR_LL_RFU,       /* LLID 0 */
};

enum { PR_LL_CRC_NONE, PR_LL_CRC_UNCHECKED, PR_LL_CRC_OK, PR_LL_CRC_BAD };

struct pr_ll_item {
	struct ps_ll_pdu u;
	enum pr_ll_kind kind;
	const char *name;          /* PDU name for the header ("ADV_IND", "LL_ENC_REQ", "L2CAP start") */
	const struct ps_layout *l; /* advertising or control layout; NULL when not in the tables */
	const uint8_t *d;          /* octets laid out by l (after the control opcode, MIC removed) */
	size_t len;
	uint8_t code;              /* PDU type / control opcode */
	int dir;                   /* 1 central->peripheral, 0 peripheral->central, -1 none (advertising) */
	bool dir_guessed;          /* from timing: the sniffer did not say */
	bool decrypted;            /* the sniffer decrypted it */
	bool plain_guess;          /* after encryption start, no flag, but an L2CAP header that fits */
	bool retransmit;           /* same SN and octets as the previous PDU in this direction */
	const uint8_t *mic;        /* 4 octets, or NULL */
	int mic_state;             /* PR_LL_CRC_* reused: unchecked / ok / bad, NONE when no MIC */
	int crc_state;             /* PR_LL_CRC_* */
	uint32_t crc_expect;       /* computed CRC when crc_state is BAD and we computed it */
	/* L2CAP from LLID 1/2 data: 1 complete (cid, l2, l2len), 0 fragment, < 0 error (why) */
	int l2cap_rc;
	const char *why;
	uint16_t cid;
	const uint8_t *l2;
	size_t l2len;
};

/* Advance the link-layer state with f and describe it. */
void pr_ll_walk(struct ps_printer *p, const struct ps_frame *f, struct pr_ll_item *it);
/* The channel index (Vol 6 Part B §1.4.1: 37-39 advertising) of a frame. The readers fill
 * ps_ll_meta.channel as their header states it: DLT 256 and PPI-BTLE give the RF channel (0 = 2402 MHz),
 * the Nordic headers the channel index; -1 when the container has none (DLT 251). */
int pr_ll_channel(const struct ps_frame *f);
/* "C->P", "P->C" (with "?" when guessed), or "" for advertising. */
const char *pr_ll_dir_str(const struct pr_ll_item *it);

#endif
