/* pairscope pair faults: the misbehaviours of real stacks, applied to a side's outgoing SMP PDUs by the
 * CLI layer around the core's outbox (the core itself has no test hooks). Vol 3 Part H §3.5-3.6. */
#include "pair_sim.h"
#include "proto/smp.h"
#include <string.h>

static const char *const fault_names[] = {
	[PAIR_FAULT_NONE] = "none",
	[PAIR_FAULT_UNNEGOTIATED_KEYS] = "send-unnegotiated-keys",
	[PAIR_FAULT_WRONG_CONFIRM] = "wrong-confirm",
	[PAIR_FAULT_REFLECT_PUBKEY] = "reflect-public-key",
	[PAIR_FAULT_STALL] = "stall",
	[PAIR_FAULT_DROP_LAST_KEY] = "drop-last-key-pdu",
	[PAIR_FAULT_WRONG_PASSKEY] = "wrong-passkey",
	[PAIR_FAULT_REJECT_NUMCMP] = "reject-numeric-comparison",
};

const char *pair_fault_name(enum pair_fault f) { return fault_names[f]; }

int pair_fault_parse(const char *s, enum pair_fault *f)
{
	for (size_t i = 0; i < PS_ARRAY_SIZE(fault_names); i++)
		if (!strcmp(s, fault_names[i])) {
			*f = (enum pair_fault)i;
			return 0;
		}
	return -PS_EINVAL;
}

bool pair_fault_apply(enum pair_fault f, const uint8_t peer_pub[64], bool last_key, uint8_t *pdu, uint8_t *len)
{
	bool key = *len && pdu[0] >= 0x06 && pdu[0] <= 0x0a;
	switch (f) {
	case PAIR_FAULT_NONE:
	case PAIR_FAULT_WRONG_PASSKEY:
	case PAIR_FAULT_REJECT_NUMCMP:
		return true;
	case PAIR_FAULT_UNNEGOTIATED_KEYS:
		return !key; /* replaced by pair_fault_keys */
	case PAIR_FAULT_WRONG_CONFIRM:
		if (pdu[0] == ps_smp_pairing_confirm_code)
			pdu[1] ^= 0x5a;
		return true;
	case PAIR_FAULT_REFLECT_PUBKEY:
		if (pdu[0] == ps_smp_public_key_code && peer_pub)
			memcpy(pdu + 1, peer_pub, 64);
		return true;
	case PAIR_FAULT_STALL:
		return pdu[0] == ps_smp_pairing_req_code || pdu[0] == ps_smp_pairing_rsp_code ||
		       pdu[0] == ps_smp_security_req_code;
	case PAIR_FAULT_DROP_LAST_KEY:
		return !(key && last_key);
	}
	return true;
}

static const uint8_t pattern[16] = { 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
				     0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00 };

static void add(struct pair_pdus *o, uint8_t code, const void *st)
{
	if (o->n >= PS_ARRAY_SIZE(o->pdu))
		return;
	size_t n;
	o->pdu[o->n][0] = code;
	if (ps_layout_encode(ps_smp_layout(code), st, o->pdu[o->n] + 1, sizeof o->pdu[0] - 1, &n) == 0)
		o->len[o->n++] = (uint8_t)(n + 1);
}

static void keys(struct pair_pdus *o, uint8_t bits, const struct ps_addr *addr)
{
	if (bits & PS_SMP_DIST_ENC) {
		struct ps_smp_encrypt_info e;
		memcpy(e.ltk, pattern, 16);
		add(o, ps_smp_encrypt_info_code, &e);
		struct ps_smp_central_ident c = { .ediv = 0x000c, .rand = 0x8877665544332211ull };
		add(o, ps_smp_central_ident_code, &c);
	}
	if (bits & PS_SMP_DIST_ID) {
		struct ps_smp_ident_info i;
		memcpy(i.irk, pattern, 16);
		add(o, ps_smp_ident_info_code, &i);
		struct ps_smp_ident_addr_info a = { .addr_type = addr->type };
		memcpy(a.addr, addr->a, 6);
		add(o, ps_smp_ident_addr_info_code, &a);
	}
	if (bits & PS_SMP_DIST_SIGN) {
		struct ps_smp_signing_info g;
		memcpy(g.csrk, pattern, 16);
		add(o, ps_smp_signing_info_code, &g);
	}
}

void pair_fault_keys(const struct ps_sm *sm, const struct ps_sm_config *cfg, const struct ps_addr *addr,
		     struct pair_pdus *o)
{
	bool central = sm->role == PS_SM_CENTRAL;
	uint8_t want = (central ? cfg->dist_init : cfg->dist_resp) & 0x07;
	uint8_t neg = (central ? sm->res.init_dist : sm->res.resp_dist) & 0x07;
	if (!(want & (uint8_t)~neg))
		want |= (uint8_t)(~neg & 0x07); /* at least one key the negotiation did not allow */
	o->n = 0;
	/* As in the seed, a key the negotiation did not allow comes first, then the rest. */
	keys(o, want & (uint8_t)~neg, addr);
	keys(o, want & neg, addr);
}
