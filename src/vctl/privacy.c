/* Controller-based privacy of the virtual controller (Core Vol 6 Part B §6 "Privacy", §1.3.2.2-3
 * resolvable private addresses, §4.7 resolving list and privacy modes (Vol 3 Part C §10.7); Vol 4
 * Part E §7.8.38-45 and §7.8.77 HCI commands):
 * the resolving list of peer identities with their peer and local IRKs, the local and peer RPAs the
 * controller generates from them and renews every RPA timeout, resolution of received AdvA / InitA to
 * the peer's identity (reported as address type 0x02/0x03), and own address types 0x02/0x03. */
#include "vctl/cmd_int.h"
#include <string.h>

enum { RPA_TIMEOUT_DEFAULT_S = 900, RPA_TIMEOUT_MAX_S = 0x0e10 };

static bool nonzero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return true;
	return false;
}

/* Vol 6 Part B §1.3.2.2: a random address with its two most significant bits 0b01 (wire order: the
 * last octet is the most significant). */
static bool is_rpa(const struct vctl_addr *a) { return (a->type & 1) && (a->a[5] & 0xc0) == 0x40; }

/* §1.3.2.2: prand (22 random bits, not all 0 nor all 1, top bits 0b01) from the link's generator, so a
 * seeded link repeats its addresses; hash = ah(IRK, prand); RPA = hash || prand (wire order). */
static void rpa_gen(struct ps_vctl *c, const uint8_t irk[16], uint8_t out[6])
{
	uint8_t prand[3];
	do {
		vctl_rand(c->link, prand, 3);
		prand[2] = (uint8_t)((prand[2] & 0x3f) | 0x40);
	} while ((prand[0] == 0 && prand[1] == 0 && prand[2] == 0x40) ||
		 (prand[0] == 0xff && prand[1] == 0xff && prand[2] == 0x7f));
	uint8_t hash[3] = { 0 };
	ps_crypto_ah(c->link->o.crypto, irk, prand, hash);
	memcpy(out, hash, 3);
	memcpy(out + 3, prand, 3);
}

static void entry_regen(struct ps_vctl *c, struct vctl_rl_entry *e)
{
	if (e->local_irk_set)
		rpa_gen(c, e->local_irk, e->local_rpa);
	if (e->peer_irk_set)
		rpa_gen(c, e->peer_irk, e->peer_rpa_gen);
}

/* §6.1 / Vol 3 Part C Appendix A TGAP(private_addr_int): the timer runs while some entry has an IRK. */
static void timer_start(struct ps_vctl *c)
{
	c->rl.tgen++;
	bool any = false;
	for (unsigned i = 0; i < c->rl.n; i++)
		any |= c->rl.e[i].local_irk_set || c->rl.e[i].peer_irk_set;
	c->rl.timer = any;
	if (!any)
		return;
	struct air_ev *ev = vctl_sched(c->link, c->link->now + (uint64_t)c->rl.timeout_s * 1000000u, EV_RPA_TIMER);
	ev->ctl = c->index;
	ev->gen = c->rl.tgen;
}

void vctl_priv_timer(struct ps_vctl *c, uint32_t gen)
{
	if (gen != c->rl.tgen)
		return;
	for (unsigned i = 0; i < c->rl.n; i++)
		entry_regen(c, &c->rl.e[i]);
	timer_start(c);
}

void vctl_priv_reset(struct ps_vctl *c)
{
	uint32_t g = c->rl.tgen;
	memset(&c->rl, 0, sizeof c->rl);
	c->rl.tgen = g + 1;
	c->rl.timeout_s = RPA_TIMEOUT_DEFAULT_S;
}

static int rl_find(const struct ps_vctl *c, uint8_t type, const uint8_t a[6])
{
	for (int i = 0; i < c->rl.n; i++)
		if (c->rl.e[i].type == (type & 1) && !memcmp(c->rl.e[i].a, a, 6))
			return i;
	return -1;
}

/* ---- address generation and resolution on the air ---- */

/* Own address for own_type (§7.8.5, §7.8.10, §7.8.12): 0x00/0x02 public, 0x01/0x03 random; 0x02/0x03
 * use the local RPA of the entry for the peer identity when that entry has a non-zero local IRK.
 * rpa (optional) gets the RPA used, or zeros (the Local_Resolvable_Private_Address of §7.7.65.10). */
void vctl_priv_own(const struct ps_vctl *c, uint8_t own_type, const struct vctl_addr *peer, struct vctl_addr *out,
		   uint8_t rpa[6])
{
	if (rpa)
		memset(rpa, 0, 6);
	if (own_type >= 2) {
		int i = peer ? rl_find(c, peer->type, peer->a) : -1;
		if (i >= 0 && c->rl.e[i].local_irk_set) {
			out->type = 1;
			memcpy(out->a, c->rl.e[i].local_rpa, 6);
			if (rpa)
				memcpy(rpa, out->a, 6);
			return;
		}
	}
	out->type = own_type & 1;
	memcpy(out->a, (own_type & 1) ? c->rand_addr : c->bd_addr, 6);
}

/* Whether own_type 0x03 has an RPA to use for peer (NULL: any entry, the accept list case), so the
 * random address is not needed (§7.8.9, §7.8.12). */
bool vctl_priv_has_local(const struct ps_vctl *c, const struct vctl_addr *peer)
{
	if (peer) {
		int i = rl_find(c, peer->type, peer->a);
		return i >= 0 && c->rl.e[i].local_irk_set;
	}
	for (unsigned i = 0; i < c->rl.n; i++)
		if (c->rl.e[i].local_irk_set)
			return true;
	return false;
}

/* A received AdvA / InitA (type 0/1 as on air). With address resolution enabled (§4.7, §6): an RPA that a
 * peer IRK of the list resolves becomes that identity with type 0x02/0x03 (rpa = the RPA, remembered
 * for LE Read Peer Resolvable Address); an identity address of an entry with a peer IRK in network
 * privacy mode (§4.7) is ignored (returns false). Otherwise id = air and rpa zeros. */
bool vctl_priv_rx(struct ps_vctl *c, const struct vctl_addr *air, struct vctl_addr *id, uint8_t rpa[6])
{
	*id = *air;
	if (rpa)
		memset(rpa, 0, 6);
	if (!c->rl.enable)
		return true;
	if (is_rpa(air)) {
		uint8_t irks[VCTL_MAX_RESOLV][16];
		uint8_t map[VCTL_MAX_RESOLV];
		size_t n = 0;
		for (unsigned i = 0; i < c->rl.n; i++)
			if (c->rl.e[i].peer_irk_set) {
				memcpy(irks[n], c->rl.e[i].peer_irk, 16);
				map[n++] = (uint8_t)i;
			}
		int k = n ? ps_crypto_rpa_resolve(c->link->o.crypto, (const uint8_t(*)[16])irks, n, air->a) : -1;
		if (k >= 0) {
			struct vctl_rl_entry *e = &c->rl.e[map[k]];
			id->type = (uint8_t)(e->type | 2);
			memcpy(id->a, e->a, 6);
			memcpy(e->peer_rpa, air->a, 6);
			if (rpa)
				memcpy(rpa, air->a, 6);
		}
		return true;
	}
	int i = rl_find(c, air->type, air->a);
	return i < 0 || !c->rl.e[i].peer_irk_set || c->rl.e[i].mode == 1;
}

/* TargetA of directed advertising (§7.8.5): with own type 0x02/0x03 and a peer IRK for the Peer_Address
 * identity, the peer RPA generated from it; else the Peer_Address. */
void vctl_priv_target(const struct ps_vctl *a, struct vctl_addr *out)
{
	out->type = a->adv.p.direct_addr_type & 1;
	memcpy(out->a, a->adv.p.direct_addr, 6);
	if (a->adv.p.own_addr_type < 2)
		return;
	int i = rl_find(a, out->type, out->a);
	if (i >= 0 && a->rl.e[i].peer_irk_set) {
		out->type = 1;
		memcpy(out->a, a->rl.e[i].peer_rpa_gen, 6);
	}
}

/* Whether a directed PDU's TargetA is this device: its address in use (me), or with resolution enabled
 * an RPA one of its local IRKs resolves (§4.7, §6). */
bool vctl_priv_target_is_me(const struct ps_vctl *c, const struct vctl_addr *target, const struct vctl_addr *me)
{
	if ((target->type & 1) == (me->type & 1) && !memcmp(target->a, me->a, 6))
		return true;
	if (!c->rl.enable || !is_rpa(target))
		return false;
	for (unsigned i = 0; i < c->rl.n; i++) {
		const struct vctl_rl_entry *e = &c->rl.e[i];
		if (e->local_irk_set &&
		    ps_crypto_rpa_resolve(c->link->o.crypto, (const uint8_t(*)[16])e->local_irk, 1, target->a) == 0)
			return true;
	}
	return false;
}

/* ---- HCI commands ---- */

/* §7.8.38-40, §7.8.77: the list may not change while address resolution is enabled and advertising,
 * scanning or an LE Create Connection use it. */
static bool rl_busy(const struct ps_vctl *c)
{
	return c->rl.enable && (c->adv.on || c->scan.on || c->init.on);
}

void vctl_h_add_resolv(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_add_to_resolv_list *a = p;
	if (a->addr_type > 1) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	if (rl_busy(c)) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	bool peer_set = nonzero(a->peer_irk, 16);
	/* §7.8.38: an entry with the same identity, or the same non-zero peer IRK, is refused with 0x12. */
	bool dup = rl_find(c, a->addr_type, a->addr) >= 0;
	for (unsigned i = 0; i < c->rl.n && peer_set; i++)
		dup |= c->rl.e[i].peer_irk_set && !memcmp(c->rl.e[i].peer_irk, a->peer_irk, 16);
	if (dup) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	if (c->rl.n == VCTL_MAX_RESOLV) {
		vctl_cmd_complete_status(c, op, 0x07); /* Memory Capacity Exceeded */
		return;
	}
	struct vctl_rl_entry *e = &c->rl.e[c->rl.n++];
	memset(e, 0, sizeof *e);
	e->type = a->addr_type;
	memcpy(e->a, a->addr, 6);
	memcpy(e->peer_irk, a->peer_irk, 16);
	memcpy(e->local_irk, a->local_irk, 16);
	e->peer_irk_set = peer_set;
	e->local_irk_set = nonzero(a->local_irk, 16);
	entry_regen(c, e);
	if (!c->rl.timer)
		timer_start(c);
	vctl_cmd_complete_status(c, op, ST_OK);
}

void vctl_h_remove_resolv(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_remove_from_resolv_list *a = p;
	if (rl_busy(c)) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	int i = a->addr_type <= 1 ? rl_find(c, a->addr_type, a->addr) : -1;
	if (i < 0) {
		vctl_cmd_complete_status(c, op, ST_UNKNOWN_CONN); /* §7.8.39: not in the list */
		return;
	}
	c->rl.e[i] = c->rl.e[--c->rl.n];
	vctl_cmd_complete_status(c, op, ST_OK);
}

void vctl_h_clear_resolv(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	if (rl_busy(c)) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	c->rl.n = 0;
	c->rl.timer = false;
	c->rl.tgen++; /* nothing left to renew */
	vctl_cmd_complete_status(c, op, ST_OK);
}

void vctl_h_read_resolv_size(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	struct ps_hci_rsp_le_read_resolv_list_size r = { .size = VCTL_MAX_RESOLV };
	vctl_cmd_complete(c, op, &r);
}

/* §7.8.42 / §7.8.43: the peer RPA last resolved for that identity / the local RPA in use with it (zeros
 * when none); an identity not in the list is Unknown Connection Identifier (0x02). */
static void read_rpa(struct ps_vctl *c, uint16_t op, uint8_t type, const uint8_t addr[6], bool local)
{
	struct ps_hci_rsp_le_read_peer_rpa r = { 0 };
	int i = type <= 1 ? rl_find(c, type, addr) : -1;
	if (i < 0)
		r.status = ST_UNKNOWN_CONN;
	else if (local && c->rl.e[i].local_irk_set)
		memcpy(r.addr, c->rl.e[i].local_rpa, 6);
	else if (!local)
		memcpy(r.addr, c->rl.e[i].peer_rpa, 6);
	vctl_cmd_complete(c, op, &r);
}

void vctl_h_read_peer_rpa(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_read_peer_rpa *a = p;
	read_rpa(c, op, a->addr_type, a->addr, false);
}

void vctl_h_read_local_rpa(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_read_local_rpa *a = p;
	read_rpa(c, op, a->addr_type, a->addr, true);
}

void vctl_h_set_resolv_enable(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_set_resolv_enable *a = p;
	if (a->enable > 1) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	/* §7.8.44: not while advertising, scanning or an LE Create Connection is outstanding. */
	if (c->adv.on || c->scan.on || c->init.on) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	c->rl.enable = a->enable;
	vctl_cmd_complete_status(c, op, ST_OK);
}

void vctl_h_set_resolv_timeout(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_set_resolv_timeout *a = p;
	/* §7.8.45: 0x0001..0x0E10 seconds (1 s .. 1 hour), default 900 s. */
	if (a->timeout < 1 || a->timeout > RPA_TIMEOUT_MAX_S) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	c->rl.timeout_s = a->timeout;
	if (c->rl.timer)
		timer_start(c); /* the new period runs from now */
	vctl_cmd_complete_status(c, op, ST_OK);
}

void vctl_h_set_priv_mode(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_set_priv_mode *a = p;
	if (a->peer_id_addr_type > 1 || a->priv_mode > 1) {
		vctl_cmd_complete_status(c, op, ST_INVALID_PARAMS);
		return;
	}
	if (rl_busy(c)) {
		vctl_cmd_complete_status(c, op, ST_CMD_DISALLOWED);
		return;
	}
	int i = rl_find(c, a->peer_id_addr_type, a->peer_id_addr);
	if (i < 0) {
		vctl_cmd_complete_status(c, op, ST_UNKNOWN_CONN); /* §7.8.77: not in the resolving list */
		return;
	}
	c->rl.e[i].mode = a->priv_mode;
	vctl_cmd_complete_status(c, op, ST_OK);
}
