/* pairscope pair faults below SMP: what real hosts and controllers have done around a pairing, on the
 * HCI (Vol 4 Part E), L2CAP LE signaling (Vol 3 Part A §4) and the link (through the virtual
 * controller's own fault hooks). Applied by the CLI layer around our host; the host and the SMP core
 * have no test hooks. SMP PDU faults are in pair_fault.c. */
#include "pair_host.h"
#include "proto/smp.h"
#include <pairscope/sim.h>
#include <pairscope/platform.h>
#include <pairscope/vctl.h>
#include <string.h>

#define LATE_US (31ull * 1000 * 1000) /* past the 30 s SMP timeout, Vol 3 Part H §3.4 */
#define SLOW_US (12ull * 1000 * 1000) /* a long pause, still inside it */

uint64_t pair_host_now_us(const struct pair_host *p)
{
	return p->sim ? ps_sim_now(p->sim) : ps_clock_now_us();
}

static void sig(struct pair_dev *d, uint8_t code, uint8_t ident, const uint8_t *data, uint16_t n)
{
	uint8_t b[4 + 16] = { code, ident, (uint8_t)n, (uint8_t)(n >> 8) };
	memcpy(b + 4, data, n);
	ps_host_l2cap_send(d->h, d->handle, PS_HOST_CID_LE_SIGNALING, b, 4u + n);
}

bool pair_fault_skip_init(const struct pair_side *s)
{
	/* The seed's Raspberry Pi: after HCI Reset its host sent ACL data without Read Buffer Size / LE Read
	 * Buffer Size (Vol 4 Part E §4.1). Our host reproduces that only on request (host.h). */
	return s->skip_init || s->fault == PAIR_FAULT_SKIP_INIT;
}

void pair_fault_link_up(struct pair_dev *d)
{
	/* Connection Parameter Update Request (§4.20): interval min/max, latency, timeout (LE u16). */
	static const uint8_t good[8] = { 0x18, 0x00, 0x28, 0x00, 0x00, 0x00, 0xc8, 0x00 };
	static const uint8_t range[8] = { 0x28, 0x00, 0x18, 0x00, 0x00, 0x00, 0x01, 0x00 }; /* max < min, 10 ms */
	switch (d->s.fault) {
	case PAIR_FAULT_L2CAP_WRONG_IDENT:
		/* The seed: the peer asks for new connection parameters, and this side's answer carries
		 * identifier 0 instead of the request's (§4: a response copies its request's identifier).
		 * In process the peer's request is queued first, so the answer with identifier 0 reaches
		 * it before our host's correct one. */
		if (d->ph->sim && d->role == 0) {
			static const struct ps_host_conn_params cp = { 0x18, 0x28, 0, 0xc8 };
			ps_host_update_params(d->ph->d[1 - d->idx].h, d->ph->d[1 - d->idx].handle, &cp);
		}
		sig(d, 0x13, 0x00, (const uint8_t[]){ 0x00, 0x00 }, 2);
		break;
	case PAIR_FAULT_L2CAP_IDENT_ZERO: /* §4: identifier 0x00 is never used */
		sig(d, 0x12, 0x00, good, 8);
		break;
	case PAIR_FAULT_CONN_PARAM_RANGE:
		sig(d, 0x12, 0x42, range, 8);
		break;
	case PAIR_FAULT_L2CAP_UNKNOWN: /* §4.1: answered with Command Reject */
		sig(d, 0x7f, 0x43, (const uint8_t[]){ 0x00 }, 1);
		break;
	case PAIR_FAULT_MIC_FAILURE: /* Vol 6 Part B §5.1.3.1: a MIC failure ends the link (0x3D) */
		if (d->ctl)
			ps_vctl_set_faults(d->ctl, &(struct ps_vctl_faults){ .mic_fail = 1 });
		break;
	default:
		break;
	}
}

bool pair_fault_start_enc(struct pair_dev *d, uint16_t *handle, uint64_t *rand, uint16_t *ediv, uint8_t key[16])
{
	switch (d->s.fault) {
	case PAIR_FAULT_EDIV_WITH_STK: /* Vol 3 Part H §2.4.4.1: EDIV and Rand are zero with the STK */
		*ediv = 0x1d2e;
		d->s.sm.ops.crypto->rand(d->s.sm.ops.crypto->ctx, (uint8_t *)rand, sizeof *rand);
		return true;
	case PAIR_FAULT_WRONG_ENC_KEY:
		key[0] ^= 0x01;
		return true;
	case PAIR_FAULT_NO_START_ENC:
		return false;
	case PAIR_FAULT_ENC_BAD_HANDLE: { /* Command Status: Unknown Connection Identifier (0x02) */
		/* LE Enable Encryption (Vol 4 Part E §7.8.24): handle, Rand, EDIV, LTK; sent raw, as our host
		 * itself refuses a handle it does not know. */
		uint8_t cp[28] = { (uint8_t)(*handle + 1), (uint8_t)((*handle + 1) >> 8) };
		memcpy(cp + 12, key, 16);
		ps_host_command(d->h, 0x2019, cp, sizeof cp);
		return false;
	}
	default:
		return true;
	}
}

bool pair_fault_ltk_reply(struct pair_dev *d)
{
	if (d->s.fault != PAIR_FAULT_LTK_NEG_REPLY)
		return true;
	ps_host_ltk_neg_reply(d->h, d->handle);
	return false;
}

void pair_fault_before_enc(struct pair_dev *d)
{
	if (d->s.fault != PAIR_FAULT_KEYS_UNENCRYPTED || d->s.fault_done++)
		return;
	/* §3.6.1: keys only once the link is encrypted; this stack sends them in the clear. */
	struct pair_pdus k;
	pair_fault_real_keys(&d->s.sm, &d->s.cfg, &d->s.addr, &k);
	for (unsigned i = 0; i < k.n; i++)
		ps_host_smp_send(d->h, d->handle, k.pdu[i], k.len[i]);
}

bool pair_fault_hold(struct pair_dev *d, const uint8_t *pdu, uint8_t len)
{
	struct pair_side *s = &d->s;
	if ((s->fault != PAIR_FAULT_LATE_PDU && s->fault != PAIR_FAULT_SLOW_PDU) || s->fault_done ||
	    (pdu[0] != ps_smp_pairing_random_code && pdu[0] != ps_smp_public_key_code))
		return false;
	s->fault_done = 1;
	memcpy(s->held, pdu, len);
	s->held_len = len;
	s->held_until_us = pair_host_now_us(d->ph) + (s->fault == PAIR_FAULT_LATE_PDU ? LATE_US : SLOW_US);
	return true;
}

bool pair_fault_release(struct pair_dev *d)
{
	struct pair_side *s = &d->s;
	if (!s->held_len)
		return false;
	if (pair_host_now_us(d->ph) < s->held_until_us)
		return true;
	if (!d->disconnected)
		ps_host_smp_send(d->h, d->handle, s->held, s->held_len);
	s->held_len = 0;
	return false;
}

void pair_fault_sent(struct pair_dev *d, const uint8_t *pdu, uint8_t len)
{
	(void)len;
	if (d->s.fault == PAIR_FAULT_DISCONNECT && !d->s.fault_done &&
	    (pdu[0] == ps_smp_pairing_confirm_code || pdu[0] == ps_smp_public_key_code)) {
		d->s.fault_done = 1;
		ps_host_disconnect(d->h, d->handle, 0x13);
	}
}

void pair_fault_done(struct pair_dev *d)
{
	/* Vol 4 Part E §7.8.24 on an encrypted link: Encryption Key Refresh Complete. */
	if (d->s.fault != PAIR_FAULT_KEY_REFRESH || d->role != 0 || d->s.fault_done++ || d->s.result.status)
		return;
	const struct ps_sm_keys *k = &d->s.result.peer;
	uint64_t r = 0;
	for (unsigned i = 8; i-- > 0;)
		r = r << 8 | k->rand[i];
	if (d->s.result.sc) /* §2.4.4.2: the SC LTK with EDIV = Rand = 0 */
		ps_host_start_encryption(d->h, d->handle, 0, 0, d->s.result.enc_key);
	else if (k->have & PS_SM_KEY_LTK) /* the peripheral's LTK with its EDIV/Rand */
		ps_host_start_encryption(d->h, d->handle, r, k->ediv, k->ltk);
}
