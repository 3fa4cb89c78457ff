/* What happens on the air between the controllers of a link (Core Vol 6 Part B §4.4 advertising and
 * scanning, §4.5 connection setup, §5.1.1 connection update, §5.1.2 termination, §4.5.2 supervision
 * timeout) and how each shows up at the HCI of the controllers involved (Vol 4 Part E §7.7.5,
 * §7.7.65.1-3/7/10). */
#include "vctl/cmd_int.h"
#include "base/bytes.h"
#include <stdlib.h>
#include <string.h>

enum { RSSI = -50, CONNECT_DELAY_US = 1250 };

/* Address types 0x02/0x03 (resolved identities) compare as their identity types 0/1. */
static bool addr_eq(const struct vctl_addr *a, uint8_t type, const uint8_t *addr)
{
	return (a->type & 1) == (type & 1) && !memcmp(a->a, addr, 6);
}

/* The advertiser's AdvA (§7.8.5): own type 0x02/0x03 take the local RPA of the resolving list entry
 * for its Peer_Address (privacy.c). rpa gets the RPA used or zeros. */
static void adv_addr(const struct ps_vctl *a, struct vctl_addr *out, uint8_t rpa[6])
{
	struct vctl_addr peer = { .type = a->adv.p.direct_addr_type & 1 };
	memcpy(peer.a, a->adv.p.direct_addr, 6);
	vctl_priv_own(a, a->adv.p.own_addr_type, &peer, out, rpa);
}

/* The initiator's peer identity for own type 0x02/0x03: the Peer_Address of LE Create Connection, or
 * the advertiser's (resolved) identity when the accept list picks the peer. */
static void init_peer(const struct ps_vctl *i, const struct vctl_addr *adv_id, struct vctl_addr *out)
{
	if (i->init.p.filter_policy) {
		*out = *adv_id;
		out->type &= 1;
		return;
	}
	out->type = i->init.p.peer_addr_type & 1;
	memcpy(out->a, i->init.p.peer_addr, 6);
}

static bool connectable(const struct ps_vctl *a)
{
	return a->adv.on && (a->adv.p.type == 0x00 || a->adv.p.type == 0x01 || a->adv.p.type == 0x04);
}

static bool directed(const struct ps_vctl *a) { return a->adv.p.type == 0x01 || a->adv.p.type == 0x04; }

/* ---- advertising reports (§7.7.65.2) ---- */

static bool seen(struct ps_vctl *s, const struct vctl_addr *a, uint8_t evtype)
{
	if (!s->scan.filter_dup)
		return false;
	for (unsigned i = 0; i < s->scan.nseen; i++)
		if (s->scan.seen[i].type == (a->type | evtype << 4) && !memcmp(s->scan.seen[i].a, a->a, 6))
			return true;
	if (s->scan.nseen < VCTL_MAX_SEEN) {
		s->scan.seen[s->scan.nseen] = *a;
		s->scan.seen[s->scan.nseen].type = (uint8_t)(a->type | evtype << 4);
		s->scan.nseen++;
	}
	return false;
}

static void report(struct ps_vctl *s, const struct vctl_addr *a, uint8_t evtype, const uint8_t *data, uint8_t len)
{
	if (seen(s, a, evtype))
		return;
	struct ps_hci_elem_adv_report r = { .event_type = evtype, .addr_type = a->type, .data_len = len,
					    .data = { data, len }, .rssi = RSSI };
	memcpy(r.addr, a->a, 6);
	uint8_t b[64];
	size_t n = 0;
	if (ps_layout_encode(ps_list_adv_report.elem, &r, b, sizeof b, &n) < 0)
		return;
	struct ps_le_evt_adv_report e = { .num_reports = 1, .reports = { 1, b, (uint16_t)n } };
	vctl_le_evt(s, ps_le_evt_adv_report_code, &e);
}

static void report_to(struct ps_vctl *s, struct ps_vctl *a)
{
	if (s == a || !s->scan.on || !a->adv.on)
		return;
	/* AdvA as sent, then as the scanner's resolving list makes it (Vol 6 Part B §6: identity, type 0x02/0x03) */
	struct vctl_addr air, adv, me, peer;
	adv_addr(a, &air, NULL);
	if (!vctl_priv_rx(s, &air, &adv, NULL))
		return;
	peer = adv;
	peer.type &= 1;
	vctl_priv_own(s, s->scan.p.own_addr_type, &peer, &me, NULL);
	if ((s->scan.p.filter_policy & 1) && !vctl_accept_has(s, adv.type & 1, adv.a))
		return;
	static const uint8_t evtype[5] = { 0x00, 0x01, 0x02, 0x03, 0x01 };
	uint8_t t = a->adv.p.type;
	if (directed(a)) {
		struct vctl_addr tgt;
		vctl_priv_target(a, &tgt);
		if (!vctl_priv_target_is_me(s, &tgt, &me))
			return;
		report(s, &adv, evtype[t], NULL, 0);
		return;
	}
	report(s, &adv, evtype[t], a->adv.data, a->adv.data_len);
	/* Active scanning of a scannable advertiser: SCAN_REQ / SCAN_RSP (§4.4.3.2). */
	if (s->scan.p.type == 1 && (t == 0x00 || t == 0x02))
		report(s, &adv, 0x04, a->adv.sr, a->adv.sr_len);
}

static uint64_t adv_interval_us(const struct ps_vctl *a)
{
	uint64_t iv = a->adv.p.min_interval ? a->adv.p.min_interval : 0x0800;
	return iv * 625;
}

/* ---- connection setup (§4.5) ---- */

static bool initiator_matches(struct ps_vctl *i, struct ps_vctl *a)
{
	if (i == a || !i->init.on || !connectable(a))
		return false;
	/* AdvA resolved by the initiator, InitA resolved by the advertiser (Vol 6 Part B §6, privacy.c) */
	struct vctl_addr air, adv, me, peer, init_id;
	adv_addr(a, &air, NULL);
	if (!vctl_priv_rx(i, &air, &adv, NULL))
		return false;
	if (i->init.p.filter_policy) {
		if (!vctl_accept_has(i, adv.type & 1, adv.a))
			return false;
	} else if (!addr_eq(&adv, i->init.p.peer_addr_type, i->init.p.peer_addr)) {
		return false;
	}
	init_peer(i, &adv, &peer);
	vctl_priv_own(i, i->init.p.own_addr_type, &peer, &me, NULL);
	if (directed(a)) {
		struct vctl_addr tgt;
		vctl_priv_target(a, &tgt);
		if (!vctl_priv_target_is_me(i, &tgt, &me))
			return false;
	}
	if (!vctl_priv_rx(a, &me, &init_id, NULL))
		return false;
	/* advertising filter policy 2/3: connection requests only from the accept list */
	if (!directed(a) && a->adv.p.filter_policy >= 2 && !vctl_accept_has(a, init_id.type & 1, init_id.a))
		return false;
	return true;
}

static void sched_connect(struct ps_vctl *i, struct ps_vctl *a)
{
	struct air_ev *e = vctl_sched(i->link, i->link->now + CONNECT_DELAY_US, EV_CONNECT);
	e->ctl = i->index;
	e->peer = a->index;
	e->gen = i->init.gen;
}

void vctl_adv_changed(struct ps_vctl *a)
{
	struct ps_vctl_link *l = a->link;
	struct air_ev *e = vctl_sched(l, l->now, EV_ADV_TICK);
	e->ctl = a->index;
	e->gen = a->adv.gen;
	for (size_t k = 0; k < l->nctl; k++) {
		struct ps_vctl *i = l->ctl[k];
		if (i && initiator_matches(i, a))
			sched_connect(i, a);
	}
}

void vctl_scan_started(struct ps_vctl *s)
{
	for (size_t k = 0; k < s->link->nctl; k++)
		if (s->link->ctl[k])
			report_to(s, s->link->ctl[k]);
}

void vctl_init_started(struct ps_vctl *i)
{
	for (size_t k = 0; k < i->link->nctl; k++) {
		struct ps_vctl *a = i->link->ctl[k];
		if (a && initiator_matches(i, a)) {
			sched_connect(i, a);
			return;
		}
	}
}

static bool handle_used(struct ps_vctl *c, uint16_t h)
{
	int side;
	return vctl_conn_by_handle(c, h, &side) != NULL;
}

static uint16_t alloc_handle(struct ps_vctl *c)
{
	for (;;) {
		uint16_t h = c->next_handle;
		c->next_handle = (uint16_t)(h >= 0x0eff ? 0x0040 : h + 1);
		if (!handle_used(c, h))
			return h;
	}
}

/* §7.7.65.10 when unmasked: peer type 0x02/0x03 with the identity when resolved, the local and peer
 * RPAs (zeros when none); else §7.7.65.1 with the identity and its type 0/1. */
static void conn_complete(struct ps_vctl *c, uint8_t status, uint16_t handle, uint8_t role,
			  const struct vctl_addr *peer, const uint8_t *local_rpa, const uint8_t *peer_rpa,
			  const struct air_conn *cn)
{
	if (vctl_le_enabled(c, ps_le_evt_enhanced_conn_complete_code)) {
		struct ps_le_evt_enhanced_conn_complete e = { .status = status, .handle = handle, .role = role,
							      .peer_addr_type = peer->type };
		memcpy(e.peer_addr, peer->a, 6);
		if (local_rpa)
			memcpy(e.local_rpa, local_rpa, 6);
		if (peer_rpa)
			memcpy(e.peer_rpa, peer_rpa, 6);
		if (cn) {
			e.interval = cn->interval;
			e.latency = cn->latency;
			e.supv_timeout = cn->timeout;
		}
		vctl_le_evt(c, ps_le_evt_enhanced_conn_complete_code, &e);
		return;
	}
	struct ps_le_evt_conn_complete e = { .status = status, .handle = handle, .role = role,
					     .peer_addr_type = peer->type & 1 };
	memcpy(e.peer_addr, peer->a, 6);
	if (cn) {
		e.interval = cn->interval;
		e.latency = cn->latency;
		e.supv_timeout = cn->timeout;
	}
	vctl_le_evt(c, ps_le_evt_conn_complete_code, &e);
}

static void connect(struct ps_vctl_link *l, struct ps_vctl *i, struct ps_vctl *a)
{
	/* addresses on air (AdvA, InitA), as each side resolves the other's, and the RPAs used */
	struct vctl_addr a_air, i_air, aa, ia, peer;
	uint8_t a_lrpa[6], i_lrpa[6], a_prpa[6], i_prpa[6];
	adv_addr(a, &a_air, a_lrpa);
	vctl_priv_rx(i, &a_air, &aa, i_prpa);
	init_peer(i, &aa, &peer);
	vctl_priv_own(i, i->init.p.own_addr_type, &peer, &i_air, i_lrpa);
	vctl_priv_rx(a, &i_air, &ia, a_prpa);
	i->init.on = false;
	i->init.gen++;
	struct air_conn *cn = NULL;
	for (size_t k = 0; k < VCTL_LINK_MAX_CONN; k++)
		if (!l->conns[k].used) {
			cn = &l->conns[k];
			break;
		}
	if (!cn) {
		conn_complete(i, 0x09, 0, 0, &aa, NULL, NULL, NULL); /* Connection Limit Exceeded */
		return;
	}
	a->adv.on = false; /* §4.4.2: a legacy connectable advertiser stops on connection */
	a->adv.gen++;
	uint32_t gen = cn->gen + 1;
	struct held_pdu *h0 = cn->e[0].held, *h1 = cn->e[1].held;
	size_t c0 = cn->e[0].capheld, c1 = cn->e[1].capheld;
	memset(cn, 0, sizeof *cn);
	cn->e[0].held = h0;
	cn->e[0].capheld = c0;
	cn->e[1].held = h1;
	cn->e[1].capheld = c1;
	cn->used = true;
	cn->gen = gen;
	cn->interval = i->init.p.min_interval;
	cn->latency = i->init.p.latency;
	cn->timeout = i->init.p.supv_timeout;
	struct ps_vctl *who[2] = { i, a };
	for (int s = 0; s < 2; s++) {
		cn->e[s].ctl = who[s]->index;
		cn->e[s].handle = alloc_handle(who[s]);
		cn->e[s].alive = true;
		cn->e[s].pref_tx = who[s]->sugg_tx;
		cn->e[s].max_tx = VCTL_LL_MIN;
	}
	conn_complete(i, 0, cn->e[0].handle, 0, &aa, i_lrpa, i_prpa, cn);
	conn_complete(a, 0, cn->e[1].handle, 1, &ia, a_lrpa, a_prpa, cn);
	if (i->sugg_tx > VCTL_LL_MIN || a->sugg_tx > VCTL_LL_MIN)
		vctl_data_len_changed(l, cn); /* the LL_LENGTH_REQ/RSP controllers run after connecting */
}

/* ---- termination (§5.1.2) and supervision timeout (§4.5.2) ---- */

static void free_conn(struct air_conn *cn)
{
	for (int s = 0; s < 2; s++) {
		ps_crypto_ll_session_free(cn->e[s].ses);
		cn->e[s].ses = NULL;
	}
	cn->used = false;
	cn->gen++;
}

static void disconn_complete(struct ps_vctl *c, uint16_t handle, uint8_t reason)
{
	struct ps_hci_evt_disconn_complete e = { .status = 0, .handle = handle, .reason = reason };
	vctl_evt(c, ps_hci_evt_disconn_complete_code, &e);
}

void vctl_conn_lost(struct ps_vctl_link *l, struct air_conn *cn, int side, uint8_t reason, bool peer_times_out)
{
	struct air_end *e = &cn->e[side], *o = &cn->e[!side];
	struct ps_vctl *c = vctl_get(l, e->ctl);
	if (e->alive) {
		e->alive = false;
		vctl_end_release(l, e);
		/* §4.4 of Vol 4 Part E: credits of the handle return implicitly with Disconnection Complete */
		if (c)
			disconn_complete(c, e->handle, reason);
	}
	if (o->alive && peer_times_out) {
		struct air_ev *ev = vctl_sched(l, l->now + (uint64_t)cn->timeout * 10000, EV_SUPERVISION);
		ev->conn = (uint16_t)(cn - l->conns);
		ev->gen = cn->gen;
		ev->to = (uint8_t)!side;
		return;
	}
	if (!o->alive)
		free_conn(cn);
}

/* Disconnect command (§7.1.6): LL_TERMINATE_IND to the peer; both hosts learn of it when it arrives
 * (the sender's with Connection Terminated by Local Host, 0x16). */
void vctl_disconnect(struct ps_vctl *c, struct air_conn *cn, int side, uint8_t reason)
{
	(void)c;
	struct ps_llctrl_terminate_ind t = { .error = reason };
	vctl_send_ctrl(c->link, cn, side, ps_llctrl_terminate_ind_code, &t);
}

void vctl_terminated(struct ps_vctl_link *l, struct air_conn *cn, int rx_side, uint8_t reason)
{
	vctl_conn_lost(l, cn, rx_side, reason, false);
	vctl_conn_lost(l, cn, !rx_side, ST_LOCAL_HOST, false);
}

/* The controller leaves (freed or reset): its connections end without a word on the air, so each peer
 * notices only when its supervision timer expires. */
void vctl_drop_ctl(struct ps_vctl *c)
{
	struct ps_vctl_link *l = c->link;
	for (size_t k = 0; k < VCTL_LINK_MAX_CONN; k++) {
		struct air_conn *cn = &l->conns[k];
		if (!cn->used)
			continue;
		for (int s = 0; s < 2; s++) {
			if (cn->e[s].alive && cn->e[s].ctl == c->index) {
				cn->e[s].alive = false;
				vctl_end_release(l, &cn->e[s]);
				vctl_conn_lost(l, cn, s, 0, true);
			}
		}
	}
	c->adv.on = false;
	c->adv.gen++;
	c->scan.on = false;
	c->init.on = false;
	c->init.gen++;
}

/* ---- connection update (§5.1.1) and data length (§5.1.9) ---- */

void vctl_update_received(struct ps_vctl_link *l, struct air_conn *cn, const struct ps_llctrl_connection_update_ind *u)
{
	cn->upd = *u;
	cn->upd_pending = true;
	/* the instant: `instant` connection events from now at the old interval */
	uint64_t at = l->now + (uint64_t)u->instant * cn->interval * 1250;
	struct air_ev *ev = vctl_sched(l, at, EV_UPDATE);
	ev->conn = (uint16_t)(cn - l->conns);
	ev->gen = cn->gen;
}

static void update_instant(struct ps_vctl_link *l, struct air_conn *cn)
{
	bool changed = cn->interval != cn->upd.interval || cn->latency != cn->upd.latency ||
		       cn->timeout != cn->upd.timeout;
	cn->interval = cn->upd.interval;
	cn->latency = cn->upd.latency;
	cn->timeout = cn->upd.timeout;
	cn->upd_pending = false;
	for (int s = 0; s < 2; s++) {
		struct ps_vctl *c = vctl_get(l, cn->e[s].ctl);
		if (!c || !cn->e[s].alive || !(changed || (cn->upd_by_host >> s & 1)))
			continue;
		struct ps_le_evt_conn_update_complete e = { .status = 0, .handle = cn->e[s].handle,
							    .interval = cn->interval, .latency = cn->latency,
							    .supv_timeout = cn->timeout };
		vctl_le_evt(c, ps_le_evt_conn_update_complete_code, &e);
	}
	cn->upd_by_host = 0;
	cn->cpr = CPR_IDLE;
}

void vctl_data_len_changed(struct ps_vctl_link *l, struct air_conn *cn)
{
	uint16_t old[2] = { cn->e[0].max_tx, cn->e[1].max_tx };
	for (int s = 0; s < 2; s++) {
		uint16_t v = cn->e[s].pref_tx;
		cn->e[s].max_tx = v < VCTL_LL_MIN ? VCTL_LL_MIN : v > VCTL_LL_MAX ? VCTL_LL_MAX : v;
	}
	if (old[0] == cn->e[0].max_tx && old[1] == cn->e[1].max_tx)
		return;
	for (int s = 0; s < 2; s++) {
		struct ps_vctl *c = vctl_get(l, cn->e[s].ctl);
		if (!c || !cn->e[s].alive)
			continue;
		uint16_t tx = cn->e[s].max_tx, rx = cn->e[!s].max_tx;
		struct ps_le_evt_data_length_change e = { .handle = cn->e[s].handle, .max_tx_len = tx,
							  .max_tx_time = (uint16_t)((tx + 14) * 8), .max_rx_len = rx,
							  .max_rx_time = (uint16_t)((rx + 14) * 8) };
		vctl_le_evt(c, ps_le_evt_data_length_change_code, &e);
	}
}

void vctl_send_ctrl(struct ps_vctl_link *l, struct air_conn *cn, int side, uint8_t op, const void *st)
{
	uint8_t b[32];
	size_t n = 0;
	const struct ps_layout *lay = ps_llctrl_layout(op);
	b[0] = op;
	if (!lay || ps_layout_encode(lay, st, b + 1, sizeof b - 1, &n) < 0)
		return;
	vctl_tx_pdu(l, cn, side, PS_LLID_CTRL, b, n + 1, false, false);
}

/* ---- the scheduler's dispatch ---- */

static struct air_conn *ev_conn(struct ps_vctl_link *l, const struct air_ev *ev)
{
	if (ev->conn >= VCTL_LINK_MAX_CONN)
		return NULL;
	struct air_conn *cn = &l->conns[ev->conn];
	return cn->used && cn->gen == ev->gen ? cn : NULL;
}

void vctl_handle_ev(struct ps_vctl_link *l, struct air_ev *ev)
{
	struct ps_vctl *c = vctl_get(l, ev->ctl);
	struct air_conn *cn;
	switch ((enum ev_kind)ev->kind) {
	case EV_PDU:
		vctl_rx_pdu(l, ev);
		break;
	case EV_ADV_TICK:
		if (!c || !c->adv.on || c->adv.gen != ev->gen)
			break;
		for (size_t k = 0; k < l->nctl; k++)
			if (l->ctl[k])
				report_to(l->ctl[k], c);
		struct air_ev *n = vctl_sched(l, l->now + adv_interval_us(c), EV_ADV_TICK);
		n->ctl = c->index;
		n->gen = c->adv.gen;
		break;
	case EV_CONNECT: {
		struct ps_vctl *a = vctl_get(l, ev->peer);
		if (c && a && c->init.gen == ev->gen && initiator_matches(c, a))
			connect(l, c, a);
		break;
	}
	case EV_SUPERVISION:
		if ((cn = ev_conn(l, ev)) != NULL && cn->e[ev->to].alive)
			vctl_conn_lost(l, cn, ev->to, ST_CONN_TIMEOUT, false);
		break;
	case EV_UPDATE:
		if ((cn = ev_conn(l, ev)) != NULL && cn->upd_pending)
			update_instant(l, cn);
		break;
	case EV_HOST_EVT:
		if (c)
			vctl_out(c, PS_H4_EVT, ev->data, ev->len);
		break;
	case EV_NOCP:
		if (c)
			vctl_nocp(c);
		break;
	case EV_RPA_TIMER:
		if (c)
			vctl_priv_timer(c, ev->gen);
		break;
	}
}
