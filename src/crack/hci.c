/* The cracker on HCI captures (host side: btsnoop, pcap DLT 201/254, btmon text). The host hands its
 * controller the key: the STK or LTK is visible in LE Enable Encryption (Core Vol 4 Part E §7.8.24) and
 * LE Long Term Key Request Reply (§7.8.25), and SMP travels unencrypted over HCI ACL. So nothing needs
 * breaking: we rebuild each pairing (Vol 3 Part H §2.3.5), derive the TK from the confirms (c1) or from
 * the visible STK (s1, §2.2.4), and check the two agree. */
#include "crack/crack_int.h"
#include "base/bytes.h"
#include "proto/acl.h"
#include "proto/hci.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMP_CID 6

struct hlink {
	uint16_t index, handle;
	bool open;
	uint8_t role; /* local role: 0 central, 1 peripheral */
	struct conn *k;
	bool key_seen, key_is_stk;
	uint8_t key[16]; /* last key handed to the controller, wire order */
};

struct hci_state {
	struct ps_acl *acl;
	bool have_pub, have_rnd;
	uint8_t pub[6], rnd[6];
	uint8_t own_type_init, own_type_adv; /* own address type of the last connect / advertising command */
	struct hlink *l;
	size_t n, cap;
};

static struct hci_state *state(struct ps_crack *c)
{
	if (!c->hci) {
		struct hci_state *h = calloc(1, sizeof *h);
		if (!h)
			return NULL;
		if (!(h->acl = ps_acl_new(16))) {
			free(h);
			return NULL;
		}
		c->hci = h;
	}
	return c->hci;
}

static struct hlink *find(struct hci_state *h, uint16_t index, uint16_t handle)
{
	for (size_t i = h->n; i-- > 0;)
		if (h->l[i].open && h->l[i].index == index && h->l[i].handle == handle)
			return &h->l[i];
	return NULL;
}

/* Our own address for a connection in `role`, when the capture told it (own address types 0/1 only). */
static bool local_addr(const struct hci_state *h, uint8_t role, struct ps_addr *a)
{
	uint8_t t = role == 0 ? h->own_type_init : h->own_type_adv;
	if (t == 0 && h->have_pub) {
		a->type = 0;
		memcpy(a->a, h->pub, 6);
		return true;
	}
	if (t == 1 && h->have_rnd) {
		a->type = 1;
		memcpy(a->a, h->rnd, 6);
		return true;
	}
	return false;
}

static int on_conn(struct ps_crack *c, struct hci_state *h, const struct ps_frame *f, uint16_t handle, uint8_t role,
		   uint8_t peer_type, const uint8_t peer[6])
{
	struct hlink *old = find(h, f->index, handle);
	if (old)
		old->open = false;
	if (ps_grow((void **)&h->l, &h->cap, h->n, sizeof *h->l, 4) < 0)
		return -PS_ENOMEM;
	struct conn *k = ps_crack_conn_new(c, 0, f->number);
	if (!k)
		return -PS_ENOMEM;
	k->pub.have |= PS_CRACK_FROM_HCI;
	k->pub.handle = handle;
	struct ps_addr peer_a = { (uint8_t)(peer_type & 1), { 0 } }, me;
	memcpy(peer_a.a, peer, 6);
	bool mine = local_addr(h, role, &me);
	if (role == 0) {
		k->pub.peripheral = peer_a;
		if (mine)
			k->pub.central = me;
	} else {
		k->pub.central = peer_a;
		if (mine)
			k->pub.peripheral = me;
	}
	if (mine)
		k->pub.have |= PS_CRACK_HAVE_ADDRS;
	h->l[h->n++] = (struct hlink){ .index = f->index, .handle = handle, .open = true, .role = role, .k = k };
	return 0;
}

static void on_key(struct hci_state *h, const struct ps_frame *f, uint16_t handle, const uint8_t key[16])
{
	struct hlink *l = find(h, f->index, handle & 0x0fff);
	if (!l)
		return;
	struct conn *k = l->k;
	memcpy(l->key, key, 16);
	l->key_seen = true;
	/* Right after a legacy pairing's phase 2 the key is the STK (§2.3.5.5); otherwise an LTK. */
	l->key_is_stk = k->pair_fresh && !k->pair.sc;
	if (l->key_is_stk) {
		memcpy(k->pub.stk, key, 16);
		k->pub.have |= PS_CRACK_HAVE_STK;
	} else if (!(k->pub.have & PS_CRACK_HAVE_LTK)) {
		memcpy(k->pub.ltk, key, 16);
		k->pub.have |= PS_CRACK_HAVE_LTK;
	}
	k->pair_fresh = false;
	k->pub.last_frame = f->number;
}

static int on_command(struct ps_crack *c, struct hci_state *h, const struct ps_frame *f)
{
	(void)c;
	struct ps_rd rd;
	uint16_t op;
	uint8_t plen;
	const uint8_t *p;
	ps_rd_init(&rd, f->data, f->len);
	if (ps_rd_le16(&rd, &op) || ps_rd_u8(&rd, &plen) || ps_rd_view(&rd, &p, plen))
		return 0;
	const struct ps_layout *l = ps_hci_cmd_layout(op);
	union {
		struct ps_hci_cmd_le_start_encrypt se;
		struct ps_hci_cmd_le_ltk_req_reply lr;
		struct ps_hci_cmd_le_set_random_address ra;
		struct ps_hci_cmd_le_create_conn cc;
		struct ps_hci_cmd_le_set_adv_params ap;
		struct ps_hci_cmd_le_ext_create_conn ec;
		struct ps_hci_cmd_le_set_ext_adv_params ep;
	} u;
	size_t used;
	if (!l || ps_layout_decode_prefix(l, p, plen, &u, &used) < 0)
		return 0;
	switch (op) {
	case ps_hci_cmd_le_start_encrypt_code:
		on_key(h, f, u.se.handle, u.se.ltk);
		break;
	case ps_hci_cmd_le_ltk_req_reply_code:
		on_key(h, f, u.lr.handle, u.lr.ltk);
		break;
	case ps_hci_cmd_le_set_random_address_code:
		memcpy(h->rnd, u.ra.addr, 6);
		h->have_rnd = true;
		break;
	case ps_hci_cmd_le_create_conn_code:
		h->own_type_init = u.cc.own_addr_type;
		break;
	case ps_hci_cmd_le_ext_create_conn_code:
		h->own_type_init = u.ec.own_addr_type;
		break;
	case ps_hci_cmd_le_set_adv_params_code:
		h->own_type_adv = u.ap.own_addr_type;
		break;
	case ps_hci_cmd_le_set_ext_adv_params_code:
		h->own_type_adv = u.ep.own_addr_type;
		break;
	default:
		break;
	}
	return 0;
}

static int on_event(struct ps_crack *c, struct hci_state *h, const struct ps_frame *f)
{
	struct ps_rd rd;
	uint8_t code, plen;
	const uint8_t *p;
	ps_rd_init(&rd, f->data, f->len);
	if (ps_rd_u8(&rd, &code) || ps_rd_u8(&rd, &plen) || ps_rd_view(&rd, &p, plen))
		return 0;
	size_t used;
	if (code == ps_hci_evt_cmd_complete_code) {
		struct ps_hci_evt_cmd_complete cc;
		struct ps_hci_rsp_read_bd_addr ba;
		if (ps_layout_decode(ps_hci_evt_layout(code), p, plen, &cc) < 0 || cc.opcode != ps_hci_cmd_read_bd_addr_code)
			return 0;
		if (ps_layout_decode_prefix(ps_hci_rsp_layout(cc.opcode), cc.params.p, cc.params.len, &ba, &used) == 0 &&
		    ba.status == 0) {
			memcpy(h->pub, ba.addr, 6);
			h->have_pub = true;
		}
		return 0;
	}
	if (code != ps_hci_evt_le_meta_code || plen < 1)
		return 0;
	const struct ps_layout *l = ps_le_evt_layout(p[0]);
	if (p[0] == ps_le_evt_conn_complete_code) {
		struct ps_le_evt_conn_complete e;
		if (l && ps_layout_decode_prefix(l, p + 1, plen - 1u, &e, &used) == 0 && e.status == 0)
			return on_conn(c, h, f, e.handle, e.role, e.peer_addr_type, e.peer_addr);
	} else if (p[0] == ps_le_evt_enhanced_conn_complete_code) {
		struct ps_le_evt_enhanced_conn_complete e;
		if (l && ps_layout_decode_prefix(l, p + 1, plen - 1u, &e, &used) == 0 && e.status == 0)
			return on_conn(c, h, f, e.handle, e.role, e.peer_addr_type, e.peer_addr);
	}
	return 0;
}

static int on_acl(struct ps_crack *c, struct hci_state *h, const struct ps_frame *f)
{
	struct ps_acl_hdr ah;
	struct ps_acl_pdu pdu;
	if (ps_acl_parse_hdr(f->data, f->len, &ah) < 0)
		return 0;
	bool rx = f->opcode == PS_MON_ACL_RX;
	int rc = ps_acl_push(h->acl, f->index, rx, &ah, f->data + 4, f->len - 4u, &pdu);
	if (rc == -PS_ENOMEM)
		return rc;
	if (rc != 1 || pdu.cid != SMP_CID)
		return 0;
	struct hlink *l = find(h, f->index, ah.handle);
	if (!l)
		return 0;
	/* Sent by us (TX) is the central's when our role is central. */
	uint8_t dir = (uint8_t)((!rx) == (l->role == 0));
	l->k->pub.last_frame = f->number;
	ps_crack_smp(c, l->k, dir, true, f->number, pdu.data, pdu.len);
	return 0;
}

int ps_crack_hci_feed(struct ps_crack *c, const struct ps_frame *f)
{
	if (f->opcode != PS_MON_COMMAND && f->opcode != PS_MON_EVENT && f->opcode != PS_MON_ACL_TX &&
	    f->opcode != PS_MON_ACL_RX)
		return 0;
	struct hci_state *h = state(c);
	if (!h)
		return -PS_ENOMEM;
	switch (f->opcode) {
	case PS_MON_COMMAND: return on_command(c, h, f);
	case PS_MON_EVENT: return on_event(c, h, f);
	default: return on_acl(c, h, f);
	}
}

static void judge(struct ps_crack *c, struct hlink *l)
{
	struct conn *k = l->k;
	struct ps_crack_conn *r = &k->pub;
	struct pairing *pr = &k->pair;
	uint32_t tk;
	r->secure_connections = pr->sc;
	r->method = ps_crack_method_of(pr, r->pairing, false, 0);
	if (pr->sc) {
		r->verdict = l->key_seen ? PS_CRACK_VERIFIED : PS_CRACK_SC_NOT_CRACKABLE;
		snprintf(r->note, sizeof r->note, "%s", l->key_seen
			 ? "LE Secure Connections: not breakable on the air, but the host gave the LTK to its controller"
			 : "LE Secure Connections: LTK from ECDH and no LE Enable Encryption / LTK Request Reply seen");
		return;
	}
	if (!r->pairing) {
		r->verdict = l->key_seen ? PS_CRACK_VERIFIED : PS_CRACK_PLAIN;
		if (l->key_seen)
			snprintf(r->note, sizeof r->note, "no pairing; the LTK is visible in the HCI traffic");
		return;
	}
	bool by_confirm = false;
	if (ps_crack_tk_by_confirm(&c->o, pr, r->central.type, r->central.a, r->peripheral.type, r->peripheral.a,
				   &tk) == 0 && (r->have & PS_CRACK_HAVE_ADDRS))
		by_confirm = true;
	else if ((r->have & PS_CRACK_HAVE_STK) && pr->rand_mask == 3 &&
		 ps_crack_tk_by_stk(&c->o, pr->rand[0], pr->rand[1], r->stk, &tk) == 0)
		by_confirm = false;
	else {
		r->verdict = PS_CRACK_FAILED;
		snprintf(r->note, sizeof r->note, "HCI capture: %s",
			 (r->have & PS_CRACK_HAVE_STK) ? "the STK given to the controller is not s1 of any TK 0..999999 "
							 "(OOB pairing?)"
						       : "no TK matches the confirms and no STK was seen");
		return;
	}
	r->tk = tk;
	r->have |= PS_CRACK_HAVE_TK;
	uint8_t tkb[16], stk[16];
	ps_crack_tk_bytes(tk, tkb);
	bool agree = true;
	if (pr->rand_mask == 3 && ps_crypto_s1(c->o.crypto, tkb, pr->rand[1], pr->rand[0], stk) == 0) {
		if (r->have & PS_CRACK_HAVE_STK)
			agree = !memcmp(stk, r->stk, 16);
		memcpy(r->stk, stk, 16);
		r->have |= PS_CRACK_HAVE_STK;
	}
	r->method = ps_crack_method_of(pr, true, true, tk);
	r->verdict = agree ? (l->key_is_stk ? PS_CRACK_VERIFIED : PS_CRACK_CRACKED) : PS_CRACK_FAILED;
	snprintf(r->note, sizeof r->note, "HCI capture: TK %s%s", by_confirm ? "found from the confirms" : "derived from the STK the host gave its controller",
		 !agree ? ", but s1 of it differs from the STK the host used" :
		 l->key_is_stk ? (by_confirm ? "; s1 of it equals the STK the host gave its controller" : "") : "");
}

int ps_crack_hci_run(struct ps_crack *c)
{
	struct hci_state *h = c->hci;
	if (!h)
		return 0;
	for (size_t i = 0; i < h->n; i++)
		judge(c, &h->l[i]);
	return 0;
}

void ps_crack_hci_free(struct ps_crack *c)
{
	struct hci_state *h = c->hci;
	if (!h)
		return;
	ps_acl_free(h->acl);
	if (h->l)
		memset(h->l, 0, h->cap * sizeof *h->l);
	free(h->l);
	free(h);
	c->hci = NULL;
}
