/* LE link-layer tables and helpers (Core Vol 6 Part B §2.1-2.4, CRC §3.1.1), from ll_adv.def and
 * ll_ctrl.def. */
#include "proto/ll.h"
#include "base/bytes.h"

#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/ll_adv.def"
#define PS_GEN_FIELDS
#include <pairscope/proto_gen.h>
#include "proto/ll_ctrl.def"

const struct ps_layout ps_lladv_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/ll_adv.def"
};
const size_t ps_lladv_nlayouts = PS_ARRAY_SIZE(ps_lladv_layouts);

const struct ps_layout ps_llctrl_layouts[] = {
#define PS_GEN_TABLE
#include <pairscope/proto_gen.h>
#include "proto/ll_ctrl.def"
};
const size_t ps_llctrl_nlayouts = PS_ARRAY_SIZE(ps_llctrl_layouts);

/* Both tables are dense from code 0: index first, search as a fallback. */
const struct ps_layout *ps_lladv_layout(uint8_t type)
{
	return ps_layout_find_dense(ps_lladv_layouts, ps_lladv_nlayouts, 0, type);
}

const struct ps_layout *ps_llctrl_layout(uint8_t opcode)
{
	return ps_layout_find_dense(ps_llctrl_layouts, ps_llctrl_nlayouts, 0, opcode);
}

int ps_ll_pdu_split(const uint8_t *p, size_t n, bool has_crc, struct ps_ll_pdu *out)
{
	struct ps_rd rd;
	uint32_t aa;
	uint8_t h0, len;
	ps_rd_init(&rd, p, n);
	*out = (struct ps_ll_pdu){ 0 };
	if (ps_rd_le32(&rd, &aa) || ps_rd_u8(&rd, &h0) || ps_rd_u8(&rd, &len))
		return -PS_ETRUNC;
	out->aa = aa;
	out->adv = aa == PS_LL_ADV_AA;
	out->hdr0 = h0;
	out->len = len;
	if (out->adv) {
		out->adv_type = h0 & 0x0f;
		out->ch_sel = (h0 >> 5) & 1;
		out->tx_add = (h0 >> 6) & 1;
		out->rx_add = (h0 >> 7) & 1;
	} else {
		out->llid = h0 & 3;
		out->nesn = (h0 >> 2) & 1;
		out->sn = (h0 >> 3) & 1;
		out->md = (h0 >> 4) & 1;
		out->cp = (h0 >> 5) & 1;
	}
	if (ps_rd_view(&rd, &out->payload, len))
		return -PS_ETRUNC;
	if (has_crc) {
		uint64_t c;
		if (ps_rd_le(&rd, 3, &c))
			return -PS_ETRUNC;
		out->has_crc = true;
		out->crc = (uint32_t)c;
	}
	return 0;
}

/* §3.1.1: LFSR with polynomial x^24+x^10+x^9+x^6+x^4+x^3+x+1, preset with CRCInit, data shifted in
 * least significant bit first; the register's position 23 is sent first. Computed here in the
 * reflected form, so the value matches the CRC octets as they appear on the air (LSO first). */
static uint32_t rev24(uint32_t v)
{
	uint32_t r = 0;
	for (int i = 0; i < 24; i++)
		r |= ((v >> i) & 1u) << (23 - i);
	return r;
}

uint32_t ps_ll_crc24(uint32_t crc_init, const uint8_t *p, size_t n)
{
	uint32_t s = rev24(crc_init & 0xffffff);
	for (size_t i = 0; i < n; i++) {
		uint8_t b = p[i];
		for (int j = 0; j < 8; j++, b >>= 1) {
			uint32_t fb = (s ^ b) & 1u;
			s >>= 1;
			if (fb)
				s ^= 0xDA6000u; /* reflected polynomial, x^24 term included */
		}
	}
	return s;
}
