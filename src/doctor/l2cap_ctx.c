/* L2CAP LE signaling context (Core Vol 3 Part A 4): request/response identifiers ("a response shall
 * carry the identifier of the request"; "0x00 is an illegal identifier and shall never be used"),
 * Connection Parameter Update Request ranges (§4.20 with Vol 4 Part E 7.8.18), Command Reject. */
#include "doctor/doctor_int.h"
#include "base/bytes.h"
#include "proto/l2cap.h"
#include <string.h>

static bool is_request(uint8_t code)
{
	return code == 0x06 || code == 0x12 || code == 0x14 || code == 0x17 || code == 0x19;
}

/* The request a response answers (Command Reject answers any). */
static uint8_t request_of(uint8_t code)
{
	switch (code) {
	case 0x07:
		return 0x06;
	case 0x13:
		return 0x12;
	case 0x15:
		return 0x14;
	case 0x18:
		return 0x17;
	case 0x1a:
		return 0x19;
	default:
		return 0;
	}
}

static const char *sig_name(uint8_t code)
{
	const struct ps_layout *l = ps_l2cap_layout(code);
	return l ? l->label : "signaling command";
}

static void param_ranges(struct ps_doctor *d, struct dr_conn *c, const struct ps_l2cap_conn_param_req *r, uint8_t ident)
{
	char why[200] = "";
	/* Vol 4 Part E 7.8.18: interval 0x0006..0x0C80 (x 1.25 ms), latency 0..0x01F3, timeout 0x000A..0x0C80
	 * (x 10 ms); Vol 6 Part B 4.5.2: timeout > (1 + latency) x interval x 2. */
	if (r->min_interval < 6 || r->max_interval > 3200 || r->min_interval > r->max_interval)
		snprintf(why, sizeof why, "interval %u..%u (x1.25 ms) outside 6..3200 or min > max", r->min_interval,
			 r->max_interval);
	else if (r->latency > 499)
		snprintf(why, sizeof why, "peripheral latency %u above 499", r->latency);
	else if (r->timeout < 10 || r->timeout > 3200)
		snprintf(why, sizeof why, "timeout %u (x10 ms) outside 10..3200", r->timeout);
	else if ((uint32_t)r->timeout * 10 * 4 <= (1u + r->latency) * r->max_interval * 5 * 2)
		snprintf(why, sizeof why, "timeout %u ms not above (1 + latency %u) x max interval %.2f ms x 2",
			 r->timeout * 10u, r->latency, r->max_interval * 1.25);
	if (why[0])
		dr_add1(d, DR_L2CAP_CONN_PARAM_RANGE, -1, d->cur_frame,
			"hci%u handle %u: Connection Parameter Update Request (ident %u): %s", c->index, c->handle, ident,
			why);
}

void dr_l2cap_signal(struct ps_doctor *d, struct dr_conn *c, bool tx, const uint8_t *p, size_t len)
{
	struct ps_rd rd;
	uint8_t code, ident;
	uint16_t dlen;
	ps_rd_init(&rd, p, len);
	/* One LE signaling command per C-frame (§4). */
	if (ps_rd_u8(&rd, &code) < 0 || ps_rd_u8(&rd, &ident) < 0 || ps_rd_le16(&rd, &dlen) < 0)
		return;
	const uint8_t *q = ps_rd_ptr(&rd);
	size_t n = ps_rd_left(&rd) < dlen ? ps_rd_left(&rd) : dlen;
	const char *from = tx ? "this host" : "the peer";
	if (is_request(code)) {
		if (ident == 0)
			dr_add1(d, DR_L2CAP_IDENT_ZERO, -1, d->cur_frame,
				"hci%u handle %u: %s sent %s with identifier 0", c->index, c->handle, from, sig_name(code));
		if (c->nsig == DR_SIG_PENDING)
			memmove(&c->sig[0], &c->sig[1], sizeof c->sig[0] * (DR_SIG_PENDING - 1)), c->nsig--;
		c->sig[c->nsig++] = (struct dr_sig_req){ code, ident, tx, d->cur_frame };
		if (code == 0x12) {
			struct ps_l2cap_conn_param_req r;
			size_t used;
			const struct ps_layout *l = ps_l2cap_layout(code);
			if (l && ps_layout_decode_prefix(l, q, n, &r, &used) == 0)
				param_ranges(d, c, &r, ident);
		}
		return;
	}
	uint8_t req = request_of(code);
	if (!req && code != 0x01)
		return;
	/* Find the pending request from the other side that this answers. */
	int match = -1, same_kind = -1;
	for (int i = c->nsig - 1; i >= 0; i--) {
		if (c->sig[i].from_local == tx)
			continue;
		if (code != 0x01 && c->sig[i].code != req)
			continue;
		if (same_kind < 0)
			same_kind = i;
		if (c->sig[i].ident == ident) {
			match = i;
			break;
		}
	}
	if (match < 0 && same_kind >= 0 && code != 0x01) {
		const struct dr_sig_req *r = &c->sig[same_kind];
		uint64_t fr[2] = { r->frame, d->cur_frame };
		dr_add(d, DR_L2CAP_RESPONSE_IDENT, -1, fr, 2,
		       "hci%u handle %u: %s sent %s with identifier %u in answer to %s identifier %u (#%llu); "
		       "a response must carry its request's identifier",
		       c->index, c->handle, from, sig_name(code), ident, sig_name(r->code), r->ident,
		       (unsigned long long)r->frame);
		match = same_kind;
	}
	if (code == 0x01 && n >= 2)
		dr_add1(d, DR_L2CAP_COMMAND_REJECT, -1, d->cur_frame,
			"hci%u handle %u: %s rejected a signaling command (identifier %u): %s", c->index, c->handle, from,
			ident, ps_name_of(ps_names_l2cap_reject, (uint32_t)ps_get_le(q, 2)) ?
			ps_name_of(ps_names_l2cap_reject, (uint32_t)ps_get_le(q, 2)) : "unknown reason");
	if (match >= 0) {
		memmove(&c->sig[match], &c->sig[match + 1], sizeof c->sig[0] * (size_t)(c->nsig - match - 1));
		c->nsig--;
	}
}
