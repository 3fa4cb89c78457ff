/* pcap link-type headers to frames: DLT 187 (H4, no direction), 201 (u32 big-endian direction + H4),
 * 254 (Linux monitor: u16 BE adapter index + u16 BE opcode) and the LE sniffer types through the
 * ps_ll_phdr_parse seam (trace_int.h). Layouts: NOTES.md §D, pcap/bluetooth.h, tcpdump.org LINKTYPE_*. */
#include "trace/reader_int.h"
#include "base/bytes.h"

/* DLT 187 carries no direction. Commands go down and events up; for LE ACL the packet boundary flag
 * says it (Core Vol 4 Part E §5.4.2: hosts start PDUs with 0b00, controllers with 0b10) and
 * continuations follow their start fragment. */
static bool guess_rx(struct ps_dir_guess *g, uint8_t type, const uint8_t *p, size_t len)
{
	if (type == PS_H4_CMD)
		return false;
	if (type != PS_H4_ACL || len < 2)
		return true;
	uint16_t hf = (uint16_t)ps_get_le(p, 2);
	uint16_t handle = hf & 0x0fff;
	unsigned pb = (hf >> 12) & 3;
	size_t n = PS_ARRAY_SIZE(g->acl);
	for (size_t i = 0; i < n; i++) {
		if (g->acl[i].handle1 == handle + 1u) {
			if (pb != 1)
				g->acl[i].rx = pb != 0;
			return g->acl[i].rx;
		}
	}
	bool rx = pb != 0;
	g->acl[g->next].handle1 = (uint16_t)(handle + 1u);
	g->acl[g->next].rx = rx;
	g->next = (g->next + 1) % n;
	return rx;
}

bool ps_dlt_supported(uint32_t dlt)
{
	return dlt == PS_DLT_H4 || dlt == PS_DLT_H4_PHDR || dlt == PS_DLT_MONITOR || ps_ll_dlt_supported(dlt);
}

bool ps_dlt_classify(struct ps_trace *t, uint32_t dlt, struct ps_frame *f, const uint8_t *p, size_t len)
{
	struct ps_rd rd;
	uint64_t v;
	ps_rd_init(&rd, p, len);
	f->data = p;
	f->len = (uint32_t)len;
	switch (dlt) {
	case PS_DLT_H4_PHDR:
	case PS_DLT_H4: {
		bool rx = false;
		uint8_t type;
		if (dlt == PS_DLT_H4_PHDR) {
			if (ps_rd_be(&rd, 4, &v) < 0) {
				ps_trace_diagf(t, f->number, f->offset, -PS_ETRUNC,
					       "record of %zu bytes shorter than the 4-byte direction header", len);
				return false;
			}
			rx = v & 1; /* bit 0 set: received (controller to host) */
		}
		if (ps_rd_u8(&rd, &type) < 0) {
			ps_trace_diagf(t, f->number, f->offset, -PS_ETRUNC, "record without an H4 packet type");
			return false;
		}
		f->flags |= PS_FRAME_NO_INDEX;
		if (dlt == PS_DLT_H4) {
			f->flags |= PS_FRAME_DIR_UNKNOWN;
			rx = guess_rx(&t->guess, type, ps_rd_ptr(&rd), ps_rd_left(&rd));
		}
		f->opcode = ps_h4_to_mon(type, rx);
		if (f->opcode == PS_MON_UNKNOWN) {
			ps_trace_diagf(t, f->number, f->offset, -PS_EBADDATA, "unknown H4 packet type 0x%02x", type);
			return true;
		}
		break;
	}
	case PS_DLT_MONITOR: {
		uint64_t idx, op;
		if (ps_rd_be(&rd, 2, &idx) < 0 || ps_rd_be(&rd, 2, &op) < 0) {
			ps_trace_diagf(t, f->number, f->offset, -PS_ETRUNC,
				       "record of %zu bytes shorter than the 4-byte monitor header", len);
			return false;
		}
		f->index = (uint16_t)idx;
		f->opcode = op > PS_MON_ISO_RX ? PS_MON_UNKNOWN : (uint16_t)op;
		break;
	}
	default:
		if (ps_ll_dlt_supported(dlt)) {
			char why[160] = "";
			int rc = ps_ll_phdr_parse(dlt, p, len, f, why, sizeof why);
			if (rc < 0) {
				ps_trace_diagf(t, f->number, f->offset, rc, "%s", why[0] ? why : ps_strerror(rc));
				return false;
			}
			f->opcode = PS_MON_LL;
			return true;
		}
		f->opcode = PS_MON_UNKNOWN;
		return true;
	}
	size_t hdr = rd.off;
	f->data = p + hdr;
	f->len = (uint32_t)(len - hdr);
	f->orig_len = f->orig_len >= hdr ? f->orig_len - (uint32_t)hdr : 0;
	return true;
}

