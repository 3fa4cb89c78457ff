/* Nordic nRF Sniffer pseudo-header: DLT 272 (LINKTYPE_NORDIC_BLE) and the older DLT 157 (USER10) files
 * of nRF Sniffer 1.x, protocol versions 0 (legacy 0xBEEF marker) to 3, as Wireshark's
 * packet-nordic_ble.c reads them; the air PDU after it is Core Vol 6 Part B §2.1. */
#include "trace/ll_int.h"
#include "base/bytes.h"

/* Flags octet of the BLE header (protocol versions 0-3). */
enum {
	NRF_CRC_OK = 0x01,
	NRF_DIR_CENTRAL = 0x02, /* 1: Central -> Peripheral */
	NRF_ENCRYPTED = 0x04,   /* the link is encrypted: the sniffer checked the MIC */
	NRF_MIC_OK = 0x08,      /* MIC verified: the payload is plaintext */
	NRF_PHY_MASK = 0x70,
};
/* Packet ids of protocol version 3 that carry an air packet. */
enum { NRF_ID_ADV = 0x02, NRF_ID_DATA = 0x06 };

int ps_ll_parse_nordic(uint32_t dlt, const uint8_t *p, size_t len, struct ps_frame *f, char *err, size_t errcap)
{
	struct ps_rd rd;
	uint8_t protover, id = 0, blelen = 10, flags, chan, rssi;
	uint16_t evctr;
	uint32_t t;
	uint64_t v;
	size_t hlen, plen;
	ps_rd_init(&rd, p, len);
	if (len >= 2 && ps_get_be(p, 2) == 0xBEEF) {
		/* Legacy (0.9.x): marker, id, counter(2), 2 unused, payload length, then a BLE header of fixed
		 * size without its own length octet. */
		uint8_t pl;
		protover = 0;
		if (ps_rd_skip(&rd, 2) || ps_rd_u8(&rd, &id) || ps_rd_skip(&rd, 4) || ps_rd_u8(&rd, &pl))
			goto trunc;
		hlen = 8;
		plen = pl;
	} else {
		uint8_t b[3];
		if (ps_rd_skip(&rd, 1) || ps_rd_bytes(&rd, b, 3))
			goto trunc;
		protover = b[2];
		if (protover == 1) {
			/* board, header length, payload length, version, counter(2), id */
			hlen = (size_t)b[0] + 1;
			plen = b[1];
		} else if (protover == 2 || protover == 3) {
			/* board, payload length (2), version, counter(2), id */
			hlen = 7;
			plen = ps_get_le(b, 2);
		} else {
			return ps_ll_fail(-PS_EUNSUP, err, errcap, "DLT %u: unknown nRF Sniffer protocol version %u", dlt,
					  protover);
		}
		if (ps_rd_skip(&rd, 2) || ps_rd_u8(&rd, &id))
			goto trunc;
		if (ps_rd_u8(&rd, &blelen))
			goto trunc;
		if (hlen != 7)
			return ps_ll_fail(-PS_EBADDATA, err, errcap, "DLT %u: header length %zu, expected 6", dlt, hlen - 1);
	}
	if (hlen + plen != len)
		return ps_ll_fail(len < hlen + plen ? -PS_ETRUNC : -PS_EBADDATA, err, errcap,
				  "DLT %u: header says %zu payload bytes, record holds %zu", dlt, plen,
				  len > hlen ? len - hlen : 0);
	if (protover == 3 && id != NRF_ID_ADV && id != NRF_ID_DATA)
		return ps_ll_fail(-PS_EUNSUP, err, errcap, "DLT %u: nRF Sniffer event %u carries no air packet", dlt, id);
	/* BLE header: [length,] flags, channel, RSSI (negated), event counter, delta time or timestamp. */
	if (blelen < 10)
		return ps_ll_fail(-PS_EBADDATA, err, errcap, "DLT %u: BLE header length %u, at least 10 expected", dlt,
				  blelen);
	size_t ble_start = rd.off - (protover ? 1 : 0);
	if (ps_rd_u8(&rd, &flags) || ps_rd_u8(&rd, &chan) || ps_rd_u8(&rd, &rssi) || ps_rd_le(&rd, 2, &v))
		goto trunc;
	evctr = (uint16_t)v;
	(void)evctr;
	if (ps_rd_le32(&rd, &t))
		goto trunc;
	/* Version 0 has no length octet: the header is the 9 octets read; otherwise skip what it states. */
	if (protover && ps_rd_skip(&rd, ble_start + blelen - rd.off))
		goto trunc;
	f->ll = (struct ps_ll_meta){ .channel = chan, .rssi = (int8_t)(rssi > 128 ? -128 : -(int)rssi), .dir = 0xff };
	f->ll.phy = (uint8_t)((flags & NRF_PHY_MASK) >> 4);
	if (f->ll.phy == 2)
		return ps_ll_fail(-PS_EUNSUP, err, errcap, "DLT %u: LE Coded PHY packets (CI octet after the access "
				  "address) are not supported", dlt);
	f->ll.flags = PS_LL_CRC_CHECKED | ((flags & NRF_CRC_OK) ? PS_LL_CRC_OK : 0);
	const uint8_t *air = ps_rd_ptr(&rd);
	size_t airlen = ps_rd_left(&rd);
	bool data = protover == 3 ? id == NRF_ID_DATA : (airlen >= 4 && ps_get_le(air, 4) != PS_LL_AA_ADV);
	if (data) {
		f->ll.dir = (flags & NRF_DIR_CENTRAL) ? 1 : 0;
		f->ll.flags |= PS_LL_DIR_VALID;
		if (flags & NRF_ENCRYPTED) {
			/* Wireshark: "encrypted" means the sniffer checked the MIC; MIC OK means it decrypted the
			 * payload in place (the 4 MIC octets stay, the header length counts them). */
			f->ll.flags |= PS_LL_ENCRYPTED | PS_LL_MIC_CHECKED;
			if (flags & NRF_MIC_OK)
				f->ll.flags |= PS_LL_MIC_OK | PS_LL_DECRYPTED;
		}
	}
	/* The nRF Sniffer passes the CRC octets after the PDU. */
	return ps_ll_tail(air, airlen, -1, f, err, errcap);
trunc:
	return ps_ll_fail(-PS_ETRUNC, err, errcap, "DLT %u record of %zu bytes: shorter than its nRF Sniffer header",
			  dlt, len);
}
