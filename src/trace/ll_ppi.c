/* PPI (DLT 192, Per-Packet Information header spec 1.0.10) as Ubertooth / libbtbb write it: PPI header,
 * a PPI-BTLE field (type 30006) and an inner DLT 147 (USER0, Ubertooth BTLE) or 251 packet: access
 * address, header, PDU and CRC (Core Vol 6 Part B §2.1). */
#include "trace/ll_int.h"
#include "base/bytes.h"

enum {
	PPI_FIELD_BTLE = 30006,
	PPI_BTLE_LEN = 12, /* version, channel MHz (2), clkn_high, clk100ns (4), rssi max/min/avg, count */
	PPI_FLAG_ALIGN = 0x01,
	DLT_USER0_ = 147,
	DLT_BTLE_LL_ = 251,
};

int ps_ll_parse_ppi(const uint8_t *p, size_t len, struct ps_frame *f, char *err, size_t errcap)
{
	struct ps_rd rd;
	uint8_t ver, flags;
	uint16_t hlen;
	uint32_t dlt;
	ps_rd_init(&rd, p, len);
	if (ps_rd_u8(&rd, &ver) || ps_rd_u8(&rd, &flags) || ps_rd_le16(&rd, &hlen) || ps_rd_le32(&rd, &dlt))
		return ps_ll_fail(-PS_ETRUNC, err, errcap, "PPI record of %zu bytes: shorter than the 8-byte PPI header",
				  len);
	if (ver != 0)
		return ps_ll_fail(-PS_EUNSUP, err, errcap, "PPI version %u (only 0 is defined)", ver);
	if (hlen < 8 || hlen > len)
		return ps_ll_fail(hlen < 8 ? -PS_EBADDATA : -PS_ETRUNC, err, errcap,
				  "PPI header length %u does not fit the %zu-byte record", hlen, len);
	if (dlt != DLT_USER0_ && dlt != DLT_BTLE_LL_)
		return ps_ll_fail(-PS_EUNSUP, err, errcap, "PPI carries DLT %u, not Bluetooth LE (147 or 251)", dlt);
	f->ll = (struct ps_ll_meta){ .dir = 0xff };
	bool btle = false;
	struct ps_rd fr;
	ps_rd_init(&fr, p + 8, (size_t)hlen - 8);
	while (ps_rd_left(&fr) > 0) {
		uint16_t type, flen;
		const uint8_t *d;
		if (ps_rd_le16(&fr, &type) || ps_rd_le16(&fr, &flen) || ps_rd_view(&fr, &d, flen))
			return ps_ll_fail(-PS_EBADDATA, err, errcap, "PPI field overruns the %u-byte PPI header", hlen);
		if (type == PPI_FIELD_BTLE) {
			if (flen != PPI_BTLE_LEN)
				return ps_ll_fail(-PS_EBADDATA, err, errcap, "PPI-BTLE field of %u bytes, expected %u", flen,
						  PPI_BTLE_LEN);
			unsigned mhz = (unsigned)ps_get_le(d + 1, 2);
			if (mhz >= 2402 && mhz <= 2480 && mhz % 2 == 0)
				f->ll.channel = (uint8_t)((mhz - 2402) / 2);
			f->ll.rssi = (int8_t)d[10];
			btle = true;
		}
		/* Fields are 32-bit aligned when the header asks for it. */
		if ((flags & PPI_FLAG_ALIGN) && (flen & 3) && ps_rd_skip(&fr, 4 - (flen & 3u)))
			return ps_ll_fail(-PS_EBADDATA, err, errcap, "PPI field padding overruns the header");
	}
	(void)btle; /* libbtbb always writes it, but the packet stands without it */
	return ps_ll_tail(p + hlen, len - hlen, 1, f, err, errcap);
}
