/* pairscope pair faults: the misbehaviours of real stacks, applied to a side's outgoing SMP PDUs by the
 * CLI layer around the core's outbox (the core itself has no test hooks). Vol 3 Part H §3.5-3.6.
 * HCI, L2CAP and link faults live in pair_fault_hci.c. */
#include "pair_sim.h"
#include "proto/smp.h"
#include <string.h>

static const struct {
	const char *name, *help;
} faults[PAIR_FAULT_COUNT] = {
	[PAIR_FAULT_NONE] = { "none", "behave" },
	[PAIR_FAULT_UNNEGOTIATED_KEYS] = { "send-unnegotiated-keys", "the seed: keys not negotiated, test-pattern values" },
	[PAIR_FAULT_WRONG_CONFIRM] = { "wrong-confirm", "corrupt our Pairing Confirm values" },
	[PAIR_FAULT_REFLECT_PUBKEY] = { "reflect-public-key", "send the peer's public key back (SC)" },
	[PAIR_FAULT_STALL] = { "stall", "go silent after phase 1 (the peer's SMP timeout)" },
	[PAIR_FAULT_DROP_LAST_KEY] = { "drop-last-key-pdu", "the last key PDU never leaves" },
	[PAIR_FAULT_WRONG_PASSKEY] = { "wrong-passkey", "the user types the passkey wrong" },
	[PAIR_FAULT_REJECT_NUMCMP] = { "reject-numeric-comparison", "the user says the numbers differ" },
	[PAIR_FAULT_BAD_LENGTH] = { "bad-length", "Pairing Confirm one octet too long" },
	[PAIR_FAULT_UNKNOWN_CODE] = { "unknown-code", "an SMP PDU with reserved code 0x0f first" },
	[PAIR_FAULT_RESERVED_AUTHREQ] = { "reserved-authreq", "peripheral, secreq: RFU AuthReq bits in the Security Request" },
	[PAIR_FAULT_WRONG_ROLE] = { "wrong-role", "central sends a Security Request / peripheral a Pairing Request" },
	[PAIR_FAULT_RANDOM_FIRST] = { "random-before-confirm", "a Pairing Random before our Pairing Confirm" },
	[PAIR_FAULT_REFLECT_CONFIRM] = { "reflect-confirm", "responder sends the initiator's confirm back" },
	[PAIR_FAULT_BAD_KEYSIZE] = { "bad-keysize", "Maximum Encryption Key Size 17" },
	[PAIR_FAULT_DIST_SUPERSET] = { "dist-superset", "Pairing Response asks for keys the request did not" },
	[PAIR_FAULT_SC_DOWNGRADE] = { "sc-downgrade", "set AuthReq.SC but run legacy pairing" },
	[PAIR_FAULT_KEY_ORDER] = { "wrong-key-order", "key PDUs in reverse order (use dist=enc+id)" },
	[PAIR_FAULT_BAD_IDENTITY] = { "invalid-identity-address", "a random identity address that is not static" },
	[PAIR_FAULT_PATTERN_KEYS] = { "test-pattern-keys", "the negotiated keys with constant values" },
	[PAIR_FAULT_REUSE_RANDOM] = { "reuse-random", "a stuck RNG: Mrand/Srand, LTK, EDIV/Rand all repeat" },
	[PAIR_FAULT_INVALID_PUBKEY] = { "invalid-public-key", "a public key that is not on P-256" },
	[PAIR_FAULT_WRONG_DHKEY_CHECK] = { "wrong-dhkey-check", "corrupt our DHKey check" },
	[PAIR_FAULT_EXTRA_ROUND] = { "extra-passkey-round", "initiator: a 21st SC Passkey Entry round" },
	[PAIR_FAULT_DEBUG_KEYS] = { "debug-keys", "use the SC debug key pair" },
	[PAIR_FAULT_KEYS_UNENCRYPTED] = { "keys-before-encryption", "key PDUs before Encryption Change" },
	[PAIR_FAULT_EDIV_WITH_STK] = { "nonzero-ediv-with-stk", "central: STK encryption with non-zero EDIV/Rand" },
	[PAIR_FAULT_WRONG_ENC_KEY] = { "start-enc-wrong-key", "central: LE Start Encryption with another key" },
	[PAIR_FAULT_NO_START_ENC] = { "no-start-encryption", "central: never starts encryption after phase 2" },
	[PAIR_FAULT_ENC_BAD_HANDLE] = { "start-enc-bad-handle", "central: LE Start Encryption on a wrong handle" },
	[PAIR_FAULT_LTK_NEG_REPLY] = { "ltk-neg-reply", "peripheral: negative reply to the STK/LTK request" },
	[PAIR_FAULT_REENC_WRONG_KEY] = { "reencrypt-wrong-key", "central, --reconnect: an EDIV it was never given" },
	[PAIR_FAULT_FORGET_BOND] = { "forget-bond", "peripheral, --reconnect: has lost the bond" },
	[PAIR_FAULT_KEY_REFRESH] = { "key-refresh", "central: refresh the encryption key once paired" },
	[PAIR_FAULT_LATE_PDU] = { "timeout", "a phase-2 PDU 31 s late, after the peer's SMP timeout" },
	[PAIR_FAULT_SLOW_PDU] = { "slow", "a phase-2 PDU 12 s late (a slow user or stack)" },
	[PAIR_FAULT_DISCONNECT] = { "disconnect", "drop the link in phase 2" },
	[PAIR_FAULT_MIC_FAILURE] = { "mic-failure", "controller: bad MIC on its first encrypted PDU" },
	[PAIR_FAULT_L2CAP_WRONG_IDENT] = { "l2cap-wrong-ident", "the seed: Conn Param Update Response, identifier 0" },
	[PAIR_FAULT_L2CAP_IDENT_ZERO] = { "l2cap-ident-zero", "peripheral: Conn Param Update Request, identifier 0" },
	[PAIR_FAULT_CONN_PARAM_RANGE] = { "conn-param-range", "peripheral: Conn Param Update Request out of range" },
	[PAIR_FAULT_L2CAP_UNKNOWN] = { "l2cap-unknown-command", "an LE signaling command with code 0x7f" },
	[PAIR_FAULT_SKIP_INIT] = { "skip-init", "the seed: host skips the buffer-size reads after HCI Reset" },
};

const char *pair_fault_name(enum pair_fault f) { return faults[f].name; }

int pair_fault_parse(const char *s, enum pair_fault *f)
{
	for (size_t i = 0; i < PS_ARRAY_SIZE(faults); i++)
		if (!strcmp(s, faults[i].name)) {
			*f = (enum pair_fault)i;
			return 0;
		}
	return -PS_EINVAL;
}

void pair_fault_help(FILE *f)
{
	fprintf(f, "faults (--fault central|peripheral:NAME):\n");
	for (size_t i = 1; i < PS_ARRAY_SIZE(faults); i++)
		fprintf(f, "  %-26s %s\n", faults[i].name, faults[i].help);
}

static const uint8_t pattern[16] = { 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
				     0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00 };

/* reuse-random: an RNG stuck on one random-looking block (as stacks seeded with a constant). */
static const uint8_t stuck_block[16] = { 0x3b, 0x9f, 0x16, 0xd2, 0x7a, 0x41, 0xe8, 0x05,
					 0xc6, 0x5d, 0x92, 0x2f, 0xb4, 0x68, 0x0e, 0xa3 };
static int stuck_rand(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++)
		buf[i] = stuck_block[i % 16];
	return 0;
}

void pair_fault_config(struct pair_side *s, struct ps_sm_config *cfg, struct ps_sm_ops *ops)
{
	switch (s->fault) {
	case PAIR_FAULT_SC_DOWNGRADE:
		cfg->sc = false; /* the core runs legacy; the PDUs claim SC (pair_fault_apply) */
		break;
	case PAIR_FAULT_DEBUG_KEYS:
		cfg->sc = cfg->use_debug_keys = true;
		break;
	case PAIR_FAULT_REUSE_RANDOM:
		s->stuck = *ops->crypto;
		s->stuck.rand = stuck_rand;
		ops->crypto = &s->stuck;
		break;
	default:
		break;
	}
}

static void add(struct pair_pdus *o, uint8_t code, const void *st)
{
	if (o->n >= PS_ARRAY_SIZE(o->pdu))
		return;
	size_t n;
	o->pdu[o->n][0] = code;
	if (ps_layout_encode(ps_smp_layout(code), st, o->pdu[o->n] + 1, sizeof o->pdu[0] - 1, &n) == 0)
		o->len[o->n++] = (uint8_t)(n + 1);
}

static void add_raw(struct pair_pdus *o, const uint8_t *pdu, uint8_t len)
{
	if (o->n >= PS_ARRAY_SIZE(o->pdu) || len > sizeof o->pdu[0])
		return;
	memcpy(o->pdu[o->n], pdu, len);
	o->len[o->n++] = len;
}

/* Key PDUs for `bits` in the §3.6.1 order: test-pattern values, or fresh ones from rng. */
static void keys(struct pair_pdus *o, uint8_t bits, const struct ps_addr *addr, const struct ps_crypto *rng)
{
	uint8_t v[16];
	if (bits & PS_SMP_DIST_ENC) {
		struct ps_smp_encrypt_info e;
		memcpy(e.ltk, pattern, 16);
		if (rng)
			rng->rand(rng->ctx, e.ltk, 16);
		add(o, ps_smp_encrypt_info_code, &e);
		struct ps_smp_central_ident c = { .ediv = 0x000c, .rand = 0x8877665544332211ull };
		if (rng) {
			rng->rand(rng->ctx, v, 10);
			c.ediv = (uint16_t)(v[0] | v[1] << 8);
			memcpy(&c.rand, v + 2, 8);
		}
		add(o, ps_smp_central_ident_code, &c);
	}
	if (bits & PS_SMP_DIST_ID) {
		struct ps_smp_ident_info i;
		memcpy(i.irk, pattern, 16);
		if (rng)
			rng->rand(rng->ctx, i.irk, 16);
		add(o, ps_smp_ident_info_code, &i);
		struct ps_smp_ident_addr_info a = { .addr_type = addr->type };
		memcpy(a.addr, addr->a, 6);
		add(o, ps_smp_ident_addr_info_code, &a);
	}
	if (bits & PS_SMP_DIST_SIGN) {
		struct ps_smp_signing_info g;
		memcpy(g.csrk, pattern, 16);
		if (rng)
			rng->rand(rng->ctx, g.csrk, 16);
		add(o, ps_smp_signing_info_code, &g);
	}
}

void pair_fault_real_keys(const struct ps_sm *sm, const struct ps_sm_config *cfg, const struct ps_addr *addr,
			  struct pair_pdus *o)
{
	bool central = sm->role == PS_SM_CENTRAL;
	uint8_t neg = (central ? sm->res.init_dist : sm->res.resp_dist) & 0x07;
	(void)cfg;
	o->n = 0;
	keys(o, neg, addr, sm->ops.crypto);
}

void pair_fault_rx(struct pair_side *s, const uint8_t *pdu, size_t len)
{
	if (len == 17 && pdu[0] == ps_smp_pairing_confirm_code)
		memcpy(s->peer_confirm, pdu + 1, 16);
}

void pair_fault_outbox(struct pair_side *s, struct ps_sm_outbox *out)
{
	if (s->fault != PAIR_FAULT_KEY_ORDER)
		return;
	/* §3.6.1 fixes the order LTK, EDIV/Rand, IRK, address, CSRK: send ours backwards. */
	unsigned idx[8], n = 0;
	for (unsigned i = 0; i < out->n && n < 8; i++)
		if (out->a[i].type == PS_SM_ACT_SEND && out->a[i].len && out->a[i].pdu[0] >= 0x06 && out->a[i].pdu[0] <= 0x0a)
			idx[n++] = i;
	for (unsigned i = 0; i < n / 2; i++) {
		struct ps_sm_action t = out->a[idx[i]];
		out->a[idx[i]] = out->a[idx[n - 1 - i]];
		out->a[idx[n - 1 - i]] = t;
	}
}

bool pair_fault_apply(struct pair_side *s, const uint8_t peer_pub[64], bool last_key, uint8_t *pdu, uint8_t *len,
		      struct pair_pdus *pre)
{
	bool key = *len && pdu[0] >= 0x06 && pdu[0] <= 0x0a;
	uint8_t code = *len ? pdu[0] : 0xff;
	bool phase1 = code == ps_smp_pairing_req_code || code == ps_smp_pairing_rsp_code;
	const struct ps_crypto *rng = s->sm.ops.crypto;
	pre->n = 0;
	switch (s->fault) {
	case PAIR_FAULT_UNNEGOTIATED_KEYS:
		return !key; /* replaced by pair_fault_keys */
	case PAIR_FAULT_WRONG_CONFIRM:
		if (code == ps_smp_pairing_confirm_code)
			pdu[1] ^= 0x5a;
		return true;
	case PAIR_FAULT_REFLECT_PUBKEY:
		if (code == ps_smp_public_key_code && peer_pub)
			memcpy(pdu + 1, peer_pub, 64);
		return true;
	case PAIR_FAULT_STALL:
		return phase1 || code == ps_smp_security_req_code;
	case PAIR_FAULT_DROP_LAST_KEY:
		return !(key && last_key);
	case PAIR_FAULT_BAD_LENGTH: /* Table 3.3: Pairing Confirm is 17 octets */
		if (code == ps_smp_pairing_confirm_code && *len == 17)
			pdu[(*len)++] = 0x00;
		return true;
	case PAIR_FAULT_UNKNOWN_CODE: /* §3.3: codes 0x0f-0xff are reserved */
		if (phase1 && !s->fault_done++)
			add_raw(pre, (const uint8_t[]){ 0x0f, 0x00 }, 2);
		return true;
	case PAIR_FAULT_RESERVED_AUTHREQ: /* §3.6.7: AuthReq bits 6-7 are RFU (not in c1/f6, unlike phase 1) */
		if (code == ps_smp_security_req_code && *len == 2)
			pdu[1] |= 0xc0;
		return true;
	case PAIR_FAULT_WRONG_ROLE: /* §3.6.7: only the peripheral sends a Security Request */
		if (code == ps_smp_pairing_req_code && !s->fault_done++)
			add_raw(pre, (const uint8_t[]){ ps_smp_security_req_code, pdu[3] }, 2);
		if (code == ps_smp_pairing_rsp_code && !s->fault_done++) {
			uint8_t req[7];
			memcpy(req, pdu, 7);
			req[0] = ps_smp_pairing_req_code; /* §3.5.1: only the central sends it */
			add_raw(pre, req, 7);
		}
		return true;
	case PAIR_FAULT_RANDOM_FIRST: /* §2.3.5.5: the random follows the peer's confirm */
		if (code == ps_smp_pairing_confirm_code && !s->fault_done++) {
			uint8_t r[17] = { ps_smp_pairing_random_code };
			rng->rand(rng->ctx, r + 1, 16);
			add_raw(pre, r, 17);
		}
		return true;
	case PAIR_FAULT_REFLECT_CONFIRM: /* ES-24491: a responder echoing Mconfirm */
		if (code == ps_smp_pairing_confirm_code && s->sm.role == PS_SM_PERIPHERAL && *len == 17)
			memcpy(pdu + 1, s->peer_confirm, 16);
		return true;
	case PAIR_FAULT_BAD_KEYSIZE: /* §3.5.1: 7..16 */
		if (phase1)
			pdu[4] = 17;
		return true;
	case PAIR_FAULT_DIST_SUPERSET: /* §3.5.2: the response may only clear bits of the request */
		if (code == ps_smp_pairing_rsp_code)
			pdu[5] |= 0x07, pdu[6] |= 0x07;
		return true;
	case PAIR_FAULT_SC_DOWNGRADE: /* §2.3.5.1: both SC flags set means SC must be used */
		if (phase1)
			pdu[3] |= PS_SMP_AUTH_SC;
		return true;
	case PAIR_FAULT_BAD_IDENTITY: /* Vol 6 Part B §1.3.2.1: a static address has its top bits 11 */
		if (code == ps_smp_ident_addr_info_code && *len == 8) {
			pdu[1] = 1;
			pdu[7] &= 0x3f;
		}
		return true;
	case PAIR_FAULT_PATTERN_KEYS:
		if (code == ps_smp_encrypt_info_code || code == ps_smp_ident_info_code || code == ps_smp_signing_info_code)
			memcpy(pdu + 1, pattern, 16);
		if (code == ps_smp_central_ident_code && *len == 11) {
			pdu[1] = 0x0c, pdu[2] = 0x00;
			memcpy(pdu + 3, (const uint8_t[]){ 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }, 8);
		}
		return true;
	case PAIR_FAULT_INVALID_PUBKEY: /* §2.3.5.6.1: the peer must check the point is on the curve */
		if (code == ps_smp_public_key_code && *len == 65)
			pdu[33] ^= 0x01;
		return true;
	case PAIR_FAULT_WRONG_DHKEY_CHECK:
		if (code == ps_smp_dhkey_check_code && *len == 17)
			pdu[1] ^= 0x5a;
		return true;
	case PAIR_FAULT_EXTRA_ROUND: /* §2.3.5.6.3: exactly 20 rounds */
		if (code == ps_smp_dhkey_check_code && s->sm.role == PS_SM_CENTRAL && !s->fault_done++) {
			uint8_t c[17] = { ps_smp_pairing_confirm_code };
			rng->rand(rng->ctx, c + 1, 16);
			add_raw(pre, c, 17);
		}
		return true;
	default:
		return true;
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
	keys(o, want & (uint8_t)~neg, addr, NULL);
	keys(o, want & neg, addr, NULL);
}
