/* Shared body of the link-layer pseudo-header fuzz targets (fuzz_ll_*.c): parse one record as the
 * given DLT, then split the air PDU and decode its advertising or LL Control layout, as the cracker
 * and the printers do. */
#ifndef PS_FUZZ_LL_PHDR_H
#define PS_FUZZ_LL_PHDR_H

#include "proto/ll.h"
#include "trace/trace_int.h"
#include <stdlib.h>
#include <string.h>

static inline void ps_fuzz_ll_record(uint32_t dlt, const uint8_t *data, size_t size)
{
	/* a private copy, so ASan sees reads past the record */
	uint8_t *p = malloc(size ? size : 1);
	if (!p)
		return;
	memcpy(p, data, size);
	struct ps_frame f = { 0 };
	char err[160];
	if (ps_ll_phdr_parse(dlt, p, size, &f, err, sizeof err) == 0) {
		struct ps_ll_pdu pdu;
		if (f.data < p || f.data + f.len > p + size)
			abort(); /* the frame must lie inside the record */
		if (ps_ll_pdu_split(f.data, f.len, (f.ll.flags & PS_LL_HAS_CRC) != 0, &pdu) == 0) {
			uint8_t rec[512];
			const struct ps_layout *l = NULL;
			const uint8_t *b = pdu.payload;
			size_t n = pdu.len;
			if (pdu.adv) {
				l = ps_lladv_layout(pdu.adv_type);
			} else if (pdu.llid == PS_LLID_CTRL && n > 0) {
				l = ps_llctrl_layout(b[0]);
				b++;
				n--;
			}
			if (l && l->size <= sizeof rec)
				(void)ps_layout_decode(l, b, n, rec);
			volatile uint32_t crc = ps_ll_crc24(0x555555, f.data + 4, 2u + pdu.len);
			(void)crc;
		}
	}
	free(p);
}

#endif
