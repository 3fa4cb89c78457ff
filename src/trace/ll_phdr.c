/* Link-layer sniffer captures: DLT dispatch, DLT 251 (LINKTYPE_BLUETOOTH_LE_LL) and DLT 256
 * (LINKTYPE_BLUETOOTH_LE_LL_WITH_PHDR, tcpdump.org link-type page / Wireshark packet-btle_rf.c),
 * and the common check of the air PDU, Core Vol 6 Part B §2.1 (AA, header, PDU, CRC). */
#include "trace/ll_int.h"
#include "base/bytes.h"
#include <stdarg.h>
#include <stdio.h>

/* pcap DLT numbers (pcap/dlt.h). */
enum {
	DLT_USER10_ = 157,
	DLT_PPI_ = 192,
	DLT_BTLE_LL = 251,
	DLT_BTLE_LL_PHDR = 256,
	DLT_NORDIC_BLE_ = 272,
};

/* DLT 256 flags (16 bits little-endian after the reference access address). */
enum {
	RF_DEWHITENED = 0x0001,
	RF_SIGNAL_VALID = 0x0002,
	RF_NOISE_VALID = 0x0004,
	RF_DECRYPTED = 0x0008,
	RF_REF_AA_VALID = 0x0010,
	RF_OFFENSES_VALID = 0x0020,
	RF_CHANNEL_ALIASED = 0x0040,
	RF_PDU_TYPE = 0x0380,
	RF_CRC_CHECKED = 0x0400,
	RF_CRC_VALID = 0x0800,
	RF_MIC_CHECKED = 0x1000,
	RF_MIC_VALID = 0x2000,
	RF_PHY = 0xC000,
};

int ps_ll_fail(int code, char *err, size_t errcap, const char *fmt, ...)
{
	if (err && errcap) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errcap, fmt, ap);
		va_end(ap);
	}
	return code;
}

bool ps_ll_dlt_supported(uint32_t dlt)
{
	return dlt == DLT_BTLE_LL || dlt == DLT_BTLE_LL_PHDR || dlt == DLT_NORDIC_BLE_ || dlt == DLT_USER10_ ||
	       dlt == DLT_PPI_;
}

int ps_ll_tail(const uint8_t *p, size_t len, int crc_present, struct ps_frame *f, char *err, size_t errcap)
{
	/* §2.1: access address (4 octets) then a 16-bit header whose second octet is the payload length
	 * (8 bits since 4.2 for both channel kinds); the 24-bit CRC follows the payload. */
	if (len < 6)
		return ps_ll_fail(-PS_ETRUNC, err, errcap, "link-layer packet of %zu bytes: shorter than an access "
				  "address and a header (6)", len);
	size_t need = 6 + (size_t)p[5];
	if (len < need)
		return ps_ll_fail(-PS_ETRUNC, err, errcap, "link-layer header says %u payload bytes, only %zu captured",
				  p[5], len - 6);
	if (crc_present < 0)
		crc_present = len >= need + 3;
	if (crc_present && len < need + 3)
		return ps_ll_fail(-PS_ETRUNC, err, errcap, "link-layer CRC missing: %zu bytes after the payload", len - need);
	f->opcode = PS_MON_LL;
	f->data = p;
	f->len = (uint32_t)(need + (crc_present ? 3 : 0));
	if (crc_present)
		f->ll.flags |= PS_LL_HAS_CRC;
	return 0;
}

int ps_ll_parse_251(const uint8_t *p, size_t len, struct ps_frame *f, char *err, size_t errcap)
{
	/* DLT 251 always carries the CRC. */
	f->ll = (struct ps_ll_meta){ .dir = 0xff };
	return ps_ll_tail(p, len, 1, f, err, errcap);
}

int ps_ll_parse_256(const uint8_t *p, size_t len, struct ps_frame *f, char *err, size_t errcap)
{
	struct ps_rd rd;
	uint8_t chan, sig, noise, offenses;
	uint32_t ref_aa;
	uint16_t flags;
	ps_rd_init(&rd, p, len);
	if (ps_rd_u8(&rd, &chan) || ps_rd_u8(&rd, &sig) || ps_rd_u8(&rd, &noise) || ps_rd_u8(&rd, &offenses) ||
	    ps_rd_le32(&rd, &ref_aa) || ps_rd_le16(&rd, &flags))
		return ps_ll_fail(-PS_ETRUNC, err, errcap, "DLT 256 record of %zu bytes: shorter than its 10-byte header",
				  len);
	f->ll = (struct ps_ll_meta){ .channel = chan, .dir = 0xff };
	if (flags & RF_SIGNAL_VALID)
		f->ll.rssi = (int8_t)sig;
	if (flags & RF_REF_AA_VALID)
		f->ll.ref_aa = ref_aa;
	/* PHY bits 14-15: 0 1M, 1 2M, 2 Coded, 3 reserved. */
	f->ll.phy = (uint8_t)((flags & RF_PHY) >> 14);
	uint16_t m = 0;
	if (flags & RF_CRC_CHECKED)
		m |= PS_LL_CRC_CHECKED;
	if (flags & RF_CRC_VALID)
		m |= PS_LL_CRC_OK;
	if (flags & RF_MIC_CHECKED)
		m |= PS_LL_MIC_CHECKED | PS_LL_ENCRYPTED;
	if (flags & RF_MIC_VALID)
		m |= PS_LL_MIC_OK;
	if (flags & RF_DECRYPTED)
		m |= PS_LL_DECRYPTED | PS_LL_ENCRYPTED;
	f->ll.flags = m;
	/* The DLT 256 page: the packet is AA, header, PDU and the 3-octet CRC, always present. */
	return ps_ll_tail(ps_rd_ptr(&rd), ps_rd_left(&rd), 1, f, err, errcap);
}

int ps_ll_phdr_parse(uint32_t dlt, const uint8_t *p, size_t len, struct ps_frame *f, char *err, size_t errcap)
{
	if (err && errcap)
		err[0] = 0;
	switch (dlt) {
	case DLT_BTLE_LL:
		return ps_ll_parse_251(p, len, f, err, errcap);
	case DLT_BTLE_LL_PHDR:
		return ps_ll_parse_256(p, len, f, err, errcap);
	case DLT_NORDIC_BLE_:
	case DLT_USER10_:
		return ps_ll_parse_nordic(dlt, p, len, f, err, errcap);
	case DLT_PPI_:
		return ps_ll_parse_ppi(p, len, f, err, errcap);
	default:
		return ps_ll_fail(-PS_EUNSUP, err, errcap, "DLT %u is not a link-layer sniffer format", dlt);
	}
}
