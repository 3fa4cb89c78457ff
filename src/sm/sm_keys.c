/* SMP phase 3, transport specific key distribution (Core Vol 3 Part H §3.6.1, §2.4): exactly the keys
 * both sides agreed (AND of request and response), in the spec's order, only on the encrypted link;
 * the responder first. In Secure Connections EncKey is not distributed (the LTK is derived) and
 * LinkKey asks for the BR/EDR link key (h6 / h7, CT2). Completion waits until our last PDU has left
 * the controller, so an immediate disconnect cannot leave one side bonded and the other not. */
#include "sm/sm_int.h"
#include <string.h>

/* The distribution order of §3.6.1 (Figure 3.11/3.12): opcode and the key bit it belongs to. */
static const struct {
	uint8_t code;
	uint8_t dist;
} order[] = {
	{ 0x06, PS_SMP_DIST_ENC }, /* Encryption Information */
	{ 0x07, PS_SMP_DIST_ENC }, /* Central Identification */
	{ 0x08, PS_SMP_DIST_ID },  /* Identity Information */
	{ 0x09, PS_SMP_DIST_ID },  /* Identity Address Information */
	{ 0x0a, PS_SMP_DIST_SIGN },/* Signing Information */
};

void sm_keys_negotiate(struct ps_sm *sm)
{
	/* §3.6.1: the response fields define what is distributed; a peripheral "shall not set" a bit
	 * the central cleared, and we do not trust it not to: AND both. */
	sm->res.init_dist = sm->preq[5] & sm->pres[5];
	sm->res.resp_dist = sm->preq[6] & sm->pres[6];
	bool sc = (sm->preq[3] & sm->pres[3] & PS_SMP_AUTH_SC) != 0;
	/* In SC on LE, EncKey "shall be ignored" (the LTK is derived, EDIV and Rand are zero). */
	uint8_t pdus = sc ? (PS_SMP_DIST_ID | PS_SMP_DIST_SIGN)
			  : (PS_SMP_DIST_ENC | PS_SMP_DIST_ID | PS_SMP_DIST_SIGN);
	bool central = sm->role == PS_SM_CENTRAL;
	sm->dist_local = (central ? sm->res.init_dist : sm->res.resp_dist) & pdus;
	sm->dist_peer = (central ? sm->res.resp_dist : sm->res.init_dist) & pdus;
}

/* The n-th key PDU expected from the peer; 0 when all arrived. */
static uint8_t expected(const struct ps_sm *sm, unsigned n)
{
	for (size_t i = 0; i < PS_ARRAY_SIZE(order); i++)
		if (sm->dist_peer & order[i].dist) {
			if (n == 0)
				return order[i].code;
			n--;
		}
	return 0;
}

static uint8_t send_local_keys(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	struct ps_sm_keys *k = &sm->res.local;
	uint8_t reason;
	if (sm->dist_local & PS_SMP_DIST_ENC) {
		/* Fresh LTK, EDIV and Rand from the CSPRNG for every pairing (the seed's stack sent a
		 * test pattern); the LTK carries only the negotiated key size. */
		uint8_t ediv[2];
		if ((reason = sm_random(sm, k->ltk, 16)) || (reason = sm_random(sm, ediv, 2)) ||
		    (reason = sm_random(sm, k->rand, 8)))
			return reason;
		sm_mask_key(sm, k->ltk);
		k->ediv = (uint16_t)(ediv[0] | ediv[1] << 8);
		k->have |= PS_SM_KEY_LTK | PS_SM_KEY_EDIV;
		struct ps_smp_encrypt_info e;
		memcpy(e.ltk, k->ltk, 16);
		sm_send(sm, out, ps_smp_encrypt_info_code, &e);
		struct ps_smp_central_ident c = { .ediv = k->ediv };
		c.rand = 0;
		for (unsigned i = 8; i-- > 0;)
			c.rand = c.rand << 8 | k->rand[i];
		sm_send(sm, out, ps_smp_central_ident_code, &c);
	}
	if (sm->dist_local & PS_SMP_DIST_ID) {
		memcpy(k->irk, sm->cfg.irk, 16);
		k->id_addr = sm->cfg.identity;
		k->have |= PS_SM_KEY_IRK | PS_SM_KEY_ADDR;
		struct ps_smp_ident_info i;
		memcpy(i.irk, k->irk, 16);
		sm_send(sm, out, ps_smp_ident_info_code, &i);
		struct ps_smp_ident_addr_info a = { .addr_type = k->id_addr.type };
		memcpy(a.addr, k->id_addr.a, 6);
		sm_send(sm, out, ps_smp_ident_addr_info_code, &a);
	}
	if (sm->dist_local & PS_SMP_DIST_SIGN) {
		if ((reason = sm_random(sm, k->csrk, 16)))
			return reason;
		k->have |= PS_SM_KEY_CSRK;
		struct ps_smp_signing_info s;
		memcpy(s.csrk, k->csrk, 16);
		sm_send(sm, out, ps_smp_signing_info_code, &s);
	}
	sm->local_sent = true;
	return PS_SMP_OK;
}

/* §3.6.1 LinkKey with SC: the BR/EDR link key from the LTK, ILK by h7 (CT2) or h6, then h6 "lebr". */
static uint8_t derive_link_key(struct ps_sm *sm)
{
	static const uint8_t tmp1[4] = { 0x31, 0x70, 0x6d, 0x74 }; /* "tmp1", wire order */
	static const uint8_t lebr[4] = { 0x72, 0x62, 0x65, 0x6c }; /* "lebr" */
	uint8_t ilk[16], salt[16] = { 0x31, 0x70, 0x6d, 0x74 };
	int rc = sm->ct2 ? ps_crypto_h7(sm->ops.crypto, salt, sm->ltk, ilk)
			 : ps_crypto_h6(sm->ops.crypto, sm->ltk, tmp1, ilk);
	if (rc == 0)
		rc = ps_crypto_h6(sm->ops.crypto, ilk, lebr, sm->res.local.link_key);
	memset(ilk, 0, sizeof ilk);
	if (rc < 0)
		return sm_lib_err(sm, rc);
	memcpy(sm->res.peer.link_key, sm->res.local.link_key, 16);
	sm->res.local.have |= PS_SM_KEY_LINK;
	sm->res.peer.have |= PS_SM_KEY_LINK;
	return PS_SMP_OK;
}

static uint8_t check_done(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	if (!sm->local_sent || expected(sm, sm->rx_next) != 0)
		return PS_SMP_OK;
	if (sm->tx_inflight) {
		sm->state = PS_SM_PH3_W4_TX;
		return PS_SMP_OK;
	}
	if (sm->sc && ((sm->res.init_dist | sm->res.resp_dist) & PS_SMP_DIST_LINK)) {
		uint8_t reason = derive_link_key(sm);
		if (reason)
			return reason;
	}
	sm_backoff_record(sm, true);
	sm_end(sm, out, 0, 0, false);
	return PS_SMP_OK;
}

uint8_t sm_keys_start(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	sm->state = PS_SM_PH3_KEYS;
	if (sm->sc) {
		/* Both sides hold the derived LTK; EDIV and Rand are zero. */
		memcpy(sm->res.local.ltk, sm->ltk, 16);
		memcpy(sm->res.peer.ltk, sm->ltk, 16);
		sm->res.local.have |= PS_SM_KEY_LTK;
		sm->res.peer.have |= PS_SM_KEY_LTK;
	}
	/* "The Peripheral distributes its keys first" (§3.6.1); the central waits for them. */
	if (sm->role == PS_SM_PERIPHERAL || !sm->dist_peer) {
		uint8_t reason = send_local_keys(sm, out);
		if (reason)
			return reason;
	}
	return check_done(sm, out);
}

uint8_t sm_rx_key(struct ps_sm *sm, uint8_t code, const union sm_pdu *p, struct ps_sm_outbox *out)
{
	uint8_t bit = 0;
	for (size_t i = 0; i < PS_ARRAY_SIZE(order); i++)
		if (order[i].code == code)
			bit = order[i].dist;
	/* A key the negotiation did not allow (the seed's fault), or one out of order, ends the pairing;
	 * Unspecified Reason is what a strict peer answers (the seed's sensor, Zephyr). */
	if (!(sm->dist_peer & bit) || expected(sm, sm->rx_next) != code)
		return PS_SMP_UNSPECIFIED;
	struct ps_sm_keys *k = &sm->res.peer;
	switch (code) {
	case 0x06:
		memcpy(k->ltk, p->enc_info.ltk, 16);
		k->have |= PS_SM_KEY_LTK;
		break;
	case 0x07:
		k->ediv = p->central_ident.ediv;
		for (unsigned i = 0; i < 8; i++)
			k->rand[i] = (uint8_t)(p->central_ident.rand >> (8 * i));
		k->have |= PS_SM_KEY_EDIV;
		break;
	case 0x08:
		memcpy(k->irk, p->ident_info.irk, 16);
		/* An all-zero IRK (ble-host 1.0.3 sends one) resolves nothing: kept out of the bond. */
		if (!sm_is_zero(k->irk, 16))
			k->have |= PS_SM_KEY_IRK;
		break;
	case 0x09:
		/* §3.6.4: a public address, or a static random one (two most significant bits 11). */
		if (p->ident_addr.addr_type > 1 ||
		    (p->ident_addr.addr_type == 1 && (p->ident_addr.addr[5] & 0xc0) != 0xc0))
			return PS_SMP_INVALID_PARAMS;
		k->id_addr.type = p->ident_addr.addr_type;
		memcpy(k->id_addr.a, p->ident_addr.addr, 6);
		k->have |= PS_SM_KEY_ADDR;
		break;
	case 0x0a:
		memcpy(k->csrk, p->signing_info.csrk, 16);
		k->have |= PS_SM_KEY_CSRK;
		break;
	default:
		return PS_SMP_UNSPECIFIED;
	}
	sm->rx_next++;
	if (sm->role == PS_SM_CENTRAL && !sm->local_sent && expected(sm, sm->rx_next) == 0) {
		uint8_t reason = send_local_keys(sm, out);
		if (reason)
			return reason;
	}
	return check_done(sm, out);
}

int ps_sm_encrypted(struct ps_sm *sm, uint8_t hci_status, bool enabled, struct ps_sm_outbox *out)
{
	if (!sm || !out)
		return -PS_EINVAL;
	sm->err = 0;
	if (sm->state != PS_SM_PH2_W4_ENC)
		return 0; /* re-encryption outside a pairing is the host's business */
	uint8_t reason = hci_status == 0 && enabled ? sm_keys_start(sm, out) : PS_SMP_UNSPECIFIED;
	if (reason)
		sm_fail(sm, out, reason);
	return sm->err;
}

int ps_sm_ltk_request(struct ps_sm *sm, uint16_t ediv, const uint8_t rand[8], struct ps_sm_outbox *out)
{
	if (!sm || !out || !rand)
		return -PS_EINVAL;
	sm->err = 0;
	/* During pairing the key is the STK (legacy) or the new LTK (SC), asked for with EDIV = Rand = 0. */
	if (sm->role != PS_SM_PERIPHERAL || sm->state != PS_SM_PH2_W4_ENC || ediv != 0 ||
	    !sm_is_zero(rand, 8))
		return -PS_ENOENT;
	struct ps_sm_action *a = sm_push(sm, out, PS_SM_ACT_LTK_REPLY);
	if (a)
		memcpy(a->key, sm->ltk, 16);
	return sm->err;
}

int ps_sm_tx_done(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	if (!sm || !out)
		return -PS_EINVAL;
	sm->err = 0;
	if (sm->tx_inflight)
		sm->tx_inflight--;
	if (sm->state == PS_SM_PH3_W4_TX && sm->tx_inflight == 0) {
		uint8_t reason = check_done(sm, out);
		if (reason)
			sm_fail(sm, out, reason);
	}
	return sm->err;
}

int ps_sm_tx_flushed(struct ps_sm *sm, struct ps_sm_outbox *out)
{
	if (!sm || !out)
		return -PS_EINVAL;
	if (sm->tx_inflight > 1)
		sm->tx_inflight = 1;
	return sm->tx_inflight ? ps_sm_tx_done(sm, out) : 0;
}
