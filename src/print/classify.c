/* Frame classification for the summary and JSON printers: which table layouts a frame decodes to,
 * outer (HCI command / event / ACL) and inner (return parameters, LE subevent, L2CAP PDU), with the
 * same reassembly and lookups as the text printer. */
#include "print/classify.h"
#include "proto/att.h"
#include "proto/hci.h"
#include "proto/l2cap.h"
#include "proto/smp.h"

static uint16_t manufacturer(const struct ps_printer *p, uint16_t index)
{
	return index < PS_MAX_INDEX ? p->idx[index].manufacturer : p->o.vendor;
}

static void set_level(struct pr_level *lv, const char *proto, const struct ps_layout *l, const uint8_t *d,
		      size_t len)
{
	lv->proto = proto;
	lv->l = l;
	lv->d = d;
	lv->len = len;
	lv->name = l ? l->label : "Unknown";
	lv->code = 0;
}

void pr_l2cap_level(struct pr_item *it, uint16_t cid, const uint8_t *d, size_t len)
{
	struct pr_level *in = &it->inner;
	it->has_inner = true;
	it->cid = cid;
	switch (cid) {
	case PS_L2CAP_CID_ATT:
		if (len >= 1) {
			set_level(in, "ATT", ps_att_layout(d[0]), d + 1, len - 1);
			in->code = d[0];
			it->layers |= PS_ONLY_ATT;
			return;
		}
		break;
	case PS_L2CAP_CID_SMP:
	case PS_L2CAP_CID_SMP_BREDR:
		if (len >= 1) {
			set_level(in, "SMP", ps_smp_layout(d[0]), d + 1, len - 1);
			in->code = d[0];
			it->layers |= PS_ONLY_SMP;
			return;
		}
		break;
	case PS_L2CAP_CID_LE_SIG:
		it->layers |= PS_ONLY_L2CAP;
		if (len >= 4 && (size_t)(d[2] | d[3] << 8) == len - 4) {
			set_level(in, "L2CAP", ps_l2cap_layout(d[0]), d + 4, len - 4);
			in->code = d[0];
			it->ident = d[1];
			return;
		}
		break;
	default:
		it->layers |= PS_ONLY_L2CAP;
		break;
	}
	set_level(in, "L2CAP", NULL, d, len);
	in->name = "Channel data";
}

void pr_classify(struct ps_printer *p, const struct ps_frame *f, struct pr_item *it)
{
	memset(it, 0, sizeof *it);
	struct pr_level *out = &it->outer, *in = &it->inner;
	const uint8_t *d = f->data;
	size_t len = f->len;
	switch (f->opcode) {
	case PS_MON_COMMAND: {
		it->dir = '<';
		it->layers = PS_ONLY_HCI;
		if (len < 3) {
			set_level(out, "HCI", NULL, d, len);
			out->name = "Malformed command";
			it->bad = true;
			return;
		}
		uint16_t op = (uint16_t)(d[0] | d[1] << 8);
		const struct ps_layout *l = ps_hci_cmd_layout(op);
		if (!l && ps_hci_ogf(op) == 0x3f)
			l = ps_hci_vnd_cmd_layout(manufacturer(p, f->index), op);
		set_level(out, "HCI", l, d + 3, len - 3);
		out->code = op;
		if (!l)
			out->name = ps_hci_ogf(op) == 0x3f ? "Vendor" : "Unknown";
		if (ps_hci_ogf(op) == 0x08)
			it->layers |= PS_ONLY_LE;
		return;
	}
	case PS_MON_EVENT: {
		it->dir = '>';
		it->layers = PS_ONLY_HCI;
		if (len < 2) {
			set_level(out, "HCI", NULL, d, len);
			out->name = "Malformed event";
			it->bad = true;
			return;
		}
		const struct ps_layout *l = ps_hci_evt_layout(d[0]);
		set_level(out, "HCI", l, d + 2, len - 2);
		out->code = d[0];
		const uint8_t *pd = d + 2;
		size_t pl = len - 2;
		if (d[0] == ps_hci_evt_cmd_complete_code && pl >= 3) {
			uint16_t op = (uint16_t)(pd[1] | pd[2] << 8);
			const struct ps_layout *rl = ps_hci_rsp_layout(op);
			const struct ps_layout *cl = ps_hci_cmd_layout(op);
			if (!cl && ps_hci_ogf(op) == 0x3f) {
				cl = ps_hci_vnd_cmd_layout(manufacturer(p, f->index), op);
				rl = ps_hci_vnd_rsp_layout(manufacturer(p, f->index), op);
			}
			it->has_inner = true;
			set_level(in, "HCI", rl, pd + 3, pl - 3);
			in->name = cl ? cl->label : "Unknown";
			in->code = op;
			if (ps_hci_ogf(op) == 0x08)
				it->layers |= PS_ONLY_LE;
		} else if (d[0] == ps_hci_evt_cmd_status_code && pl >= 4) {
			uint16_t op = (uint16_t)(pd[2] | pd[3] << 8);
			const struct ps_layout *cl = ps_hci_cmd_layout(op);
			it->has_inner = true;
			set_level(in, "HCI", NULL, pd, 0);
			in->name = cl ? cl->label : "Unknown";
			in->code = op;
			if (ps_hci_ogf(op) == 0x08)
				it->layers |= PS_ONLY_LE;
		} else if (d[0] == ps_hci_evt_le_meta_code && pl >= 1) {
			it->has_inner = true;
			set_level(in, "HCI", ps_le_evt_layout(pd[0]), pd + 1, pl - 1);
			in->code = pd[0];
			it->layers |= PS_ONLY_LE;
		}
		return;
	}
	case PS_MON_ACL_TX:
	case PS_MON_ACL_RX: {
		bool rx = f->opcode == PS_MON_ACL_RX;
		it->dir = rx ? '>' : '<';
		it->layers = PS_ONLY_ACL;
		set_level(out, "ACL", NULL, d, len);
		out->name = rx ? "ACL Data RX" : "ACL Data TX";
		struct ps_acl_hdr h;
		if (ps_acl_parse_hdr(d, len, &h) < 0 || len - 4 != h.dlen) {
			it->bad = true;
			return;
		}
		it->handle = h.handle;
		it->acl_flags = h.flags;
		struct ps_acl_pdu pdu;
		int rc = ps_acl_push(p->acl, f->index, rx, &h, d + 4, len - 4, &pdu);
		if (rc < 0) {
			it->bad = true;
			it->why = pdu.why;
		} else if (rc == 0) {
			it->fragment = true;
		} else {
			pr_l2cap_level(it, pdu.cid, pdu.data, pdu.len);
		}
		return;
	}
	default:
		it->dir = '=';
		set_level(out, "MON", NULL, d, len);
		switch (f->opcode) {
		case PS_MON_NEW_INDEX: out->name = "New Index"; break;
		case PS_MON_DEL_INDEX: out->name = "Delete Index"; break;
		case PS_MON_OPEN_INDEX: out->name = "Open Index"; break;
		case PS_MON_CLOSE_INDEX: out->name = "Close Index"; break;
		case PS_MON_INDEX_INFO:
			out->name = "Index Info";
			if (f->index < PS_MAX_INDEX && len >= 8)
				p->idx[f->index].manufacturer = (uint16_t)(d[6] | d[7] << 8);
			break;
		case PS_MON_SYSTEM_NOTE: out->name = "Note"; break;
		case PS_MON_USER_LOGGING: out->name = "User Logging"; break;
		case PS_MON_VENDOR_DIAG: out->name = "Vendor Diagnostic"; break;
		case PS_MON_SCO_TX: it->dir = '<'; out->proto = "SCO"; out->name = "SCO Data TX"; break;
		case PS_MON_SCO_RX: it->dir = '>'; out->proto = "SCO"; out->name = "SCO Data RX"; break;
		case PS_MON_ISO_TX: it->dir = '<'; out->proto = "ISO"; out->name = "ISO Data TX"; break;
		case PS_MON_ISO_RX: it->dir = '>'; out->proto = "ISO"; out->name = "ISO Data RX"; break;
		default: it->dir = '*'; out->name = "Unknown packet"; break;
		}
		return;
	}
}

/* The level to describe (inner when there is one) and its decoded struct; false when it does not decode. */
bool pr_item_decode(const struct pr_item *it, const struct pr_level **lv, void *rec, size_t cap)
{
	*lv = it->has_inner ? &it->inner : &it->outer;
	const struct ps_layout *l = (*lv)->l;
	if (!l || l->size > cap)
		return false;
	return ps_layout_decode(l, (*lv)->d, (*lv)->len, rec) == 0;
}
