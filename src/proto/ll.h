/* LE link-layer PDUs (Core Vol 6 Part B §2.1-2.4): advertising and LL Control layouts generated from
 * ll_adv.def / ll_ctrl.def, the 16-bit header bit fields, and the 24-bit CRC (§3.1.1). */
#ifndef PS_PROTO_LL_H
#define PS_PROTO_LL_H

#include <pairscope/frame.h>
#include <pairscope/layout.h>

#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/ll_adv.def"
#define PS_GEN_STRUCTS
#include <pairscope/proto_gen.h>
#include "proto/ll_ctrl.def"

enum ps_lladv_code {
#define PS_GEN_CODES
#include <pairscope/proto_gen.h>
#include "proto/ll_adv.def"
};
enum ps_llctrl_code {
#define PS_GEN_CODES
#include <pairscope/proto_gen.h>
#include "proto/ll_ctrl.def"
};

PS_API extern const struct ps_layout ps_lladv_layouts[];
PS_API extern const size_t ps_lladv_nlayouts;
PS_API extern const struct ps_layout ps_llctrl_layouts[];
PS_API extern const size_t ps_llctrl_nlayouts;
/* Layout for an advertising PDU type / LL Control opcode; NULL when not defined here. */
PS_API const struct ps_layout *ps_lladv_layout(uint8_t type);
PS_API const struct ps_layout *ps_llctrl_layout(uint8_t opcode);

/* §2.1.2: access address of the advertising physical channel. */
#define PS_LL_ADV_AA 0x8E89BED6u
/* §2.3.3.1 bounds on CONNECT_IND / LL_CONNECTION_UPDATE_IND parameters. */
#define PS_LL_INTERVAL_MIN 6u    /* 7.5 ms in 1.25 ms units */
#define PS_LL_INTERVAL_MAX 3200u /* 4 s */
#define PS_LL_LATENCY_MAX 499u
#define PS_LL_TIMEOUT_MIN 10u    /* 100 ms in 10 ms units */
#define PS_LL_TIMEOUT_MAX 3200u

/* §2.4 data channel PDU header: LLID (2 bits), NESN, SN, MD, CP, RFU, then the length octet. */
enum ps_ll_llid {
	PS_LLID_RFU = 0,
	PS_LLID_CONT = 1,  /* L2CAP continuation fragment, or an empty PDU when the length is 0 */
	PS_LLID_START = 2, /* L2CAP start (or complete) */
	PS_LLID_CTRL = 3,  /* LL Control PDU */
};

/* One air packet split into its parts (pointers into the input). */
struct ps_ll_pdu {
	uint32_t aa;
	bool adv;           /* advertising physical channel (aa == PS_LL_ADV_AA) */
	uint8_t hdr0;       /* first header octet as sent (the AAD source when encrypted) */
	uint8_t len;        /* header length octet */
	/* advertising header §2.3 */
	uint8_t adv_type;   /* PDU type (4 bits) */
	uint8_t tx_add, rx_add, ch_sel;
	/* data header §2.4 */
	uint8_t llid, nesn, sn, md, cp;
	const uint8_t *payload; /* len octets */
	bool has_crc;
	uint32_t crc;       /* as transmitted, 24 bits, first octet least significant */
};

/* Split p[0..n) = AA, header, payload[, CRC (when has_crc)] into out. -PS_ETRUNC when the header's
 * length runs past n. */
PS_API int ps_ll_pdu_split(const uint8_t *p, size_t n, bool has_crc, struct ps_ll_pdu *out);
/* §3.1.1: CRC over header + payload with the 24-bit CRC init (as CONNECT_IND carries it; 0x555555 on
 * advertising channels). The result is comparable with ps_ll_pdu.crc. */
PS_API uint32_t ps_ll_crc24(uint32_t crc_init, const uint8_t *p, size_t n);
#define PS_LL_ADV_CRC_INIT 0x555555u

/* Direction of a data channel PDU when the sniffer does not record it (DLT 251, 256, 192; ll_dir.c).
 * §4.5.1: a connection event is held on one data channel; the central transmits first and the two
 * sides alternate T_IFS (§4.1.1, 150 us) apart; the next event hops to another channel (§4.5.8).
 * So a PDU on a new channel is the central's and one on the same channel answers the previous one.
 * Channels come first because some sniffers' timestamps are not monotonic (crackle's file 05 runs
 * backwards); without channels (DLT 251) timing decides: a PDU within PS_LL_REPLY_US of a central
 * one is the peripheral's reply. Timing never overrides channels: host-stamped sniffers (crackle's 05)
 * put hundreds of ms between a PDU and its reply.
 * Used by decode (src/print/ll_walk.c), doctor (src/doctor/ll_ctx.c) and crack (src/crack/crack.c). */
#define PS_LL_REPLY_US 2500u /* longest 1M PDU (~2.1 ms) + T_IFS: beyond, not a reply */
struct ps_ll_dir {
	uint64_t ts_us; /* the previous PDU's timestamp */
	int16_t chan;   /* its data channel index, -1 unknown */
	bool central;   /* its sender (given or guessed) */
	bool seen;      /* there was a previous PDU */
};
/* Data channel index (0..39) of a link-layer frame, -1 when its format records none (DLT 251).
 * DLT 256 and 192 (PPI-BTLE) give the RF channel, the Nordic formats the channel index. */
PS_API int ps_ll_frame_channel(const struct ps_frame *f);
/* Guess: true when the central sent the PDU on data channel chan (-1 unknown) at ts_us. */
PS_API bool ps_ll_dir_guess(const struct ps_ll_dir *prev, int chan, uint64_t ts_us);
/* Direction of data PDU f on the connection whose state is st: the sniffer's when PS_LL_DIR_VALID,
 * else the guess (then *guessed is set when guessed is not NULL). Records f in st; true = central. */
PS_API bool ps_ll_dir_next(struct ps_ll_dir *st, const struct ps_frame *f, bool *guessed);
#define PS_LL_DIR_INIT ((struct ps_ll_dir){ .chan = -1 })

/* Vol 6 Part B 4.5.9: a retransmission repeats LLID, length and payload with the same SN (NESN may
 * change). A hash of those (FNV-1a) lets the decoder and the doctor recognise the repeat a sniffer sees. */
PS_API uint32_t ps_ll_pdu_hash(const struct ps_ll_pdu *u);

#endif
