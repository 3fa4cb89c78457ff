/* Doctor session rebuild: frames in capture order -> controllers (per index), connections (per index and
 * handle), ACL reassembly and L2CAP fixed channels (Vol 3 Part A 2.1: CID 0x0005 LE signaling, 0x0006
 * SMP), and the findings list. The families of checks hang off the hooks declared in doctor_int.h. */
#include "doctor/doctor_int.h"
#include "proto/acl.h"
#include "proto/hci.h"
#include "proto/l2cap.h"
#include "proto/monitor.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ps_doctor_new(struct ps_doctor **out, const struct ps_doctor_opts *opts)
{
	if (!out)
		return -PS_EINVAL;
	struct ps_doctor *d = calloc(1, sizeof *d);
	if (!d)
		return -PS_ENOMEM;
	if (opts)
		d->o = *opts;
	if (!(d->acl = ps_acl_new(64))) {
		free(d);
		return -PS_ENOMEM;
	}
	*out = d;
	return 0;
}

void ps_doctor_free(struct ps_doctor *d)
{
	if (!d)
		return;
	ps_acl_free(d->acl);
	for (size_t i = 0; i < d->npairings; i++)
		free(d->pairings[i].pdus);
	free(d->ctrls);
	free(d->conns);
	free(d->pairings);
	free(d->findings);
	free(d);
}

struct dr_ctrl *dr_ctrl_get(struct ps_doctor *d, uint16_t index)
{
	for (size_t i = 0; i < d->nctrls; i++)
		if (d->ctrls[i].index == index)
			return &d->ctrls[i];
	if (ps_grow((void **)&d->ctrls, &d->cap_ctrls, d->nctrls, sizeof *d->ctrls, 8) < 0)
		return NULL;
	struct dr_ctrl *c = &d->ctrls[d->nctrls++];
	memset(c, 0, sizeof *c);
	c->index = index;
	return c;
}

struct dr_conn *dr_conn_find(struct ps_doctor *d, uint16_t index, uint16_t handle)
{
	/* Newest first: handles are reused after a disconnect. */
	for (size_t i = d->nconns; i-- > 0;)
		if (d->conns[i].open && d->conns[i].index == index && d->conns[i].handle == handle)
			return &d->conns[i];
	return NULL;
}

struct dr_conn *dr_conn_open(struct ps_doctor *d, uint16_t index, uint16_t handle)
{
	struct dr_conn *old = dr_conn_find(d, index, handle);
	if (old)
		old->open = false;
	if (ps_grow((void **)&d->conns, &d->cap_conns, d->nconns, sizeof *d->conns, 8) < 0)
		return NULL;
	struct dr_conn *c = &d->conns[d->nconns++];
	memset(c, 0, sizeof *c);
	c->index = index;
	c->handle = handle;
	c->open = true;
	c->role = 0xff;
	c->pairing = -1;
	c->open_frame = d->cur_frame;
	return c;
}

struct dr_pairing *dr_pairing_new(struct ps_doctor *d, struct dr_conn *c)
{
	if (ps_grow((void **)&d->pairings, &d->cap_pairings, d->npairings, sizeof *d->pairings, 8) < 0)
		return NULL;
	struct dr_pairing *p = &d->pairings[d->npairings++];
	memset(p, 0, sizeof *p);
	p->index = c->index;
	p->handle = c->handle;
	p->conn = (int32_t)(c - d->conns);
	p->first_frame = d->cur_frame;
	p->first_ts = p->last_ts = d->cur_ts;
	p->enc_status = -1;
	p->disc_reason = -1;
	p->passkey = -1;
	p->probable_cause = DR_NONE_RULE;
	p->phase = DR_PH1;
	/* Roles: the initiator is the central (§2.4: "the initiating device ... Central"). */
	bool local_central = c->role == 0;
	if (c->role != 0xff) {
		p->init = local_central ? c->local : c->peer;
		p->resp = local_central ? c->peer : c->local;
	}
	c->pairing = (int32_t)(p - d->pairings);
	return p;
}

static void vadd(struct ps_doctor *d, enum dr_rule rule, int32_t pairing, const uint64_t *frames, unsigned n,
		 const char *fmt, va_list ap)
{
	if (d->nfindings >= DR_MAX_FINDINGS ||
	    ps_grow((void **)&d->findings, &d->cap_findings, d->nfindings, sizeof *d->findings, 8) < 0) {
		d->dropped_findings++;
		return;
	}
	struct dr_finding *f = &d->findings[d->nfindings++];
	memset(f, 0, sizeof *f);
	f->rule = (uint16_t)rule;
	f->pairing = pairing;
	f->ts = d->cur_ts;
	for (unsigned i = 0; i < n && f->nframes < DR_MAX_FRAMES; i++)
		if (frames[i])
			f->frames[f->nframes++] = frames[i];
	vsnprintf(f->summary, sizeof f->summary, fmt, ap);
}

void dr_add(struct ps_doctor *d, enum dr_rule rule, int32_t pairing, const uint64_t *frames, unsigned nframes,
	    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(d, rule, pairing, frames, nframes, fmt, ap);
	va_end(ap);
}

void dr_add1(struct ps_doctor *d, enum dr_rule rule, int32_t pairing, uint64_t frame, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(d, rule, pairing, &frame, 1, fmt, ap);
	va_end(ap);
}

/* HCI ACL data (Vol 4 Part E 5.4.2) through the shared reassembler (proto/acl.h). */
static void acl(struct ps_doctor *d, struct dr_ctrl *ctl, bool tx, const uint8_t *p, size_t len)
{
	struct ps_acl_hdr h;
	if (ps_acl_parse_hdr(p, len, &h) < 0)
		return;
	size_t n = len - PS_HCI_ACL_HDR;
	if (n > h.dlen)
		n = h.dlen;
	struct dr_conn *c = dr_conn_find(d, ctl->index, h.handle);
	if (!c && !(c = dr_conn_open(d, ctl->index, h.handle)))
		return;
	if (tx)
		dr_hci_acl_sent(d, ctl, c, d->cur_frame);
	dr_l2cap_frame(d, c, tx, h.handle, h.flags, p + PS_HCI_ACL_HDR, n);
}

/* One ACL fragment (or LL data PDU) into the shared reassembler; complete L2CAP frames to the fixed
 * channels. pb: Packet_Boundary_Flag (bits 0-1). */
void dr_l2cap_frame(struct ps_doctor *d, struct dr_conn *c, bool tx, uint16_t handle, uint8_t pb, const uint8_t *p,
		    size_t n)
{
	struct ps_acl_hdr h = { handle, pb, (uint16_t)n };
	struct ps_acl_pdu pdu;
	int rc = ps_acl_push(d->acl, c->index, !tx, &h, p, n, &pdu);
	if (rc == -PS_EPROTO && (pb & 3) != PS_ACL_PB_CONT) /* a start after a lost fragment: keep it */
		rc = ps_acl_push(d->acl, c->index, !tx, &h, p, n, &pdu);
	if (rc != 1)
		return;
	if (pdu.cid == PS_L2CAP_CID_SMP)
		dr_smp_pdu(d, c, tx, pdu.data, pdu.len);
	else if (pdu.cid == PS_L2CAP_CID_LE_SIG)
		dr_l2cap_signal(d, c, tx, pdu.data, pdu.len);
}

/* The monitor's index records name the controller's own address (layouts in proto/monitor.def). Longer
 * records are accepted (a later monitor may append fields); a short one says nothing reliable. */
static void index_record(struct dr_ctrl *ctl, const struct ps_frame *f)
{
	size_t used;
	if (f->opcode == PS_MON_NEW_INDEX) {
		struct ps_mon_new_index r;
		if (ps_layout_decode_prefix(ps_mon_layout(f->opcode), f->data, f->len, &r, &used) == 0) {
			memcpy(ctl->addr, r.bdaddr, 6);
			ctl->addr_known = true;
		}
	} else {
		struct ps_mon_index_info r;
		if (ps_layout_decode_prefix(ps_mon_layout(f->opcode), f->data, f->len, &r, &used) == 0) {
			memcpy(ctl->addr, r.bdaddr, 6);
			ctl->addr_known = true;
		}
	}
}

int ps_doctor_feed(struct ps_doctor *d, const struct ps_frame *f)
{
	if (!d || !f || d->finished)
		return -PS_EINVAL;
	if (!d->have_ts) {
		d->first_ts = f->ts_us;
		d->have_ts = true;
	}
	d->last_ts = f->ts_us;
	d->cur_ts = f->ts_us;
	d->frames++;
	struct dr_ctrl *ctl = dr_ctrl_get(d, f->index);
	if (!ctl)
		return -PS_ENOMEM;
	switch (f->opcode) {
	case PS_MON_NEW_INDEX:
	case PS_MON_INDEX_INFO:
		index_record(ctl, f);
		break;
	case PS_MON_COMMAND:
		d->cur_frame = ++ctl->counter;
		dr_hci_command(d, f->index, f->data, f->len);
		break;
	case PS_MON_EVENT:
		d->cur_frame = ++ctl->counter;
		dr_hci_event(d, f->index, f->data, f->len);
		break;
	case PS_MON_ACL_TX:
	case PS_MON_ACL_RX:
		d->cur_frame = ++ctl->counter;
		acl(d, ctl, f->opcode == PS_MON_ACL_TX, f->data, f->len);
		break;
	case PS_MON_LL:
		/* One air, however many capture interfaces heard it: the record number, as decode prints it. */
		++ctl->counter;
		d->cur_frame = f->number ? f->number : ctl->counter;
		dr_ll_frame(d, ctl, f);
		break;
	case PS_MON_SCO_TX:
	case PS_MON_SCO_RX:
	case PS_MON_ISO_TX:
	case PS_MON_ISO_RX:
		++ctl->counter;
		break;
	case PS_MON_SYSTEM_NOTE: {
		static const char gap[] = "pairscope: line ";
		if (f->len > sizeof gap && !memcmp(f->data, gap, sizeof gap - 1) &&
		    memchr(f->data, 0, f->len) && strstr((const char *)f->data, ": not rebuilt: "))
			d->input_gaps = true;
		break;
	}
	default:
		break;
	}
	return 0;
}

int ps_doctor_finish(struct ps_doctor *d)
{
	if (!d || d->finished)
		return -PS_EINVAL;
	d->cur_ts = d->last_ts;
	d->cur_frame = 0;
	dr_hci_finish(d);
	for (size_t i = 0; i < d->npairings; i++) {
		struct dr_pairing *p = &d->pairings[i];
		dr_negotiation_finish(d, p);
		dr_keydist_finish(d, p);
		dr_enc_finish(d, p);
		dr_crypto_finish(d, p);
		dr_sc_finish(d, p);
		dr_timing_finish(d, p);
	}
	dr_random_finish(d);
	for (size_t i = 0; i < d->npairings; i++)
		dr_cause_finish(d, &d->pairings[i]);
	d->finished = true;
	return 0;
}

int ps_doctor_max_severity(const struct ps_doctor *d)
{
	int m = -1;
	for (size_t i = 0; d && i < d->nfindings; i++)
		if (dr_rules[d->findings[i].rule].sev > m)
			m = dr_rules[d->findings[i].rule].sev;
	return m;
}

size_t ps_doctor_npairings(const struct ps_doctor *d) { return d ? d->npairings : 0; }

const struct dr_pdu *dr_find_pdu(const struct dr_pairing *p, uint8_t code, int by_init, uint32_t from)
{
	for (uint32_t i = from; i < p->npdus; i++)
		if (p->pdus[i].code == code && (by_init < 0 || p->pdus[i].by_init == by_init))
			return &p->pdus[i];
	return NULL;
}

const char *dr_who(bool by_init) { return by_init ? "initiator" : "responder"; }

void dr_keydist_str(uint8_t v, char *buf, size_t cap)
{
	static const char *const names[] = { "EncKey", "IdKey", "SignKey", "LinkKey" };
	size_t o = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < 4; i++)
		if (v & (1u << i))
			o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, "%s%s", o ? "+" : "", names[i]);
	if (v & 0xf0 && o < cap)
		o += (size_t)snprintf(buf + o, cap - o, "%sRFU", o ? "+" : "");
	if (!v)
		snprintf(buf, cap, "none");
	(void)o;
}

double dr_rel_time(const struct ps_doctor *d, uint64_t ts)
{
	/* btmon: offset from the first record's whole second. */
	uint64_t base = d->first_ts - d->first_ts % 1000000;
	return ts >= base ? (double)(ts - base) / 1e6 : 0.0;
}
