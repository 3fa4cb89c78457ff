/* Pairing scenarios for the doctor's tests: one complete, correct LE pairing (legacy Just Works or
 * Passkey Entry with c1/s1; Secure Connections Just Works, Numeric Comparison or Passkey Entry with
 * f4/f5/f6 and real P-256 keys), with HCI bring-up, connection and L2CAP signaling around it, and one
 * fault at a time injected where the rule under test looks. */
#ifndef TEST_DOCTOR_SCN_H
#define TEST_DOCTOR_SCN_H

#include "test_doctor_tb.h"

#define FAULTS(X)                                                                                       \
	X(NONE) X(BAD_LENGTH) X(UNKNOWN_CODE) X(RESERVED) X(WRONG_ROLE) X(OUT_OF_ORDER) X(CONFIRM_REFLECTED) \
	X(KEY_SIZE_RANGE) X(KEY_SIZE_SHORT) X(KEY_SIZE_REJECTED) X(DIST_SUPERSET) X(SC_NOT_USED)             \
	X(METHOD_MISMATCH) X(KD_NOT_NEGOTIATED) X(KD_MISSING) X(KD_ORDER) X(KD_UNENCRYPTED)                  \
	X(KD_BAD_IDENTITY) X(ENC_EDIV_RAND) X(ENC_FAILED) X(ENC_NOT_STARTED) X(LTK_NEG_REPLY) X(KEY_REFRESH) \
	X(SMP_TIMEOUT) X(SILENCE) X(PATTERN) X(REUSED) X(CONFIRM_MISMATCH) X(STK_MISMATCH)                   \
	X(INIT_INCOMPLETE) X(CMD_FAILED) X(CONNECT_FAILED) X(DISC_SECURITY) X(RESP_IDENT) X(IDENT_ZERO)     \
	X(PARAM_RANGE) X(CMD_REJECT) X(DEBUG_KEY) X(BAD_PK) X(REFLECTED_PK) X(DHKEY_FAIL) X(PK_ROUNDS)      \
	X(PAIRING_FAILED) X(TIMEOUT) X(DISCONNECTED) X(INCOMPLETE) X(BENIGN_KEY_BEFORE_EVENT)                \
	X(REENC_UNKNOWN_KEY) X(REENC_BOND_LOST) X(REENC_KEY_MISSING)

enum fault {
#define FAULT_ENUM(n) F_##n,
	FAULTS(FAULT_ENUM)
#undef FAULT_ENUM
};

struct scn {
	bool sc, local_peripheral;
	bool reconnect; /* after the pairing: a second link between the same devices, encrypted with the bond */
	bool reconnect_rpa; /* ... the peer then using a resolvable private address from its IRK */
	bool reconnect_after_bredr; /* ... after a BR/EDR bonding (Link Key Notification) in between */
	uint8_t iio, rio, iauth, rauth, ioob, roob, ikey, rkey;
	uint8_t req_idist, req_rdist, rsp_idist, rsp_rdist;
	uint32_t passkey;
	enum fault fault;
};

static const uint8_t scn_local[6] = { 0x70, 0x50, 0x15, 0xeb, 0x27, 0xb8 }; /* B8:27:EB:15:50:70 public */
static const uint8_t scn_peer[6] = { 0x0b, 0x44, 0x33, 0x22, 0x11, 0xc0 };  /* C0:11:22:33:44:0B static */
#define H 0x0040

/* A clean bonded pairing with all three keys each way. */
static struct scn scn_default(bool sc, uint8_t iio, uint8_t rio, bool mitm)
{
	struct scn s = { 0 };
	s.sc = sc;
	s.iio = iio;
	s.rio = rio;
	s.iauth = (uint8_t)(0x01 | (mitm ? 0x04 : 0) | (sc ? 0x08 : 0));
	s.rauth = s.iauth;
	s.ikey = s.rkey = 16;
	s.req_idist = s.req_rdist = s.rsp_idist = s.rsp_rdist = 0x07;
	s.passkey = 123456;
	return s;
}

/* tx for a PDU sent by the initiator (true) or responder. */
static bool scn_tx(const struct scn *s, bool by_init) { return s->local_peripheral ? !by_init : by_init; }

static void scn_smp(struct tb *t, const struct scn *s, bool by_init, uint8_t code, const void *pdu)
{
	tb_smp(t, scn_tx(s, by_init), H, code, pdu, 15000);
}

static void scn_value(struct tb *t, const struct scn *s, bool by_init, uint8_t code, const uint8_t v[16])
{
	struct ps_smp_pairing_confirm c; /* every 16-octet PDU has the same one-field layout */
	memcpy(c.value, v, 16);
	scn_smp(t, s, by_init, code, &c);
}

static void scn_bringup(struct tb *t, const struct scn *s)
{
	static const uint8_t ok = 0;
	tb_new_index(t, scn_local);
	tb_cmd(t, ps_hci_cmd_reset_code, NULL);
	tb_cc(t, ps_hci_cmd_reset_code, &ok, 1);
	tb_cmd(t, ps_hci_cmd_read_local_features_code, NULL);
	uint8_t feat[9] = { 0, 0xbf, 0xfe, 0xcf, 0xfe, 0xdb, 0xff, 0x7b, 0x87 };
	tb_cc(t, ps_hci_cmd_read_local_features_code, feat, sizeof feat);
	if (s->fault != F_INIT_INCOMPLETE) {
		tb_cmd(t, ps_hci_cmd_read_buffer_size_code, NULL);
		uint8_t rb[8] = { 0, 0xfd, 0x03, 0x40, 0x08, 0x00, 0x01, 0x00 };
		tb_cc(t, ps_hci_cmd_read_buffer_size_code, rb, sizeof rb);
		tb_cmd(t, ps_hci_cmd_le_read_buffer_size_code, NULL);
		uint8_t lb[4] = { 0, 0xfb, 0x00, 0x08 };
		tb_cc(t, ps_hci_cmd_le_read_buffer_size_code, lb, sizeof lb);
	}
	struct ps_hci_cmd_le_set_event_mask em;
	memset(&em, 0, sizeof em);
	memset(&em, 0xff, sizeof em < 8 ? sizeof em : 8);
	tb_cmd(t, ps_hci_cmd_le_set_event_mask_code, &em);
	tb_cc(t, ps_hci_cmd_le_set_event_mask_code, &ok, 1);
	tb_cmd(t, ps_hci_cmd_read_bd_addr_code, NULL);
	uint8_t ba[7] = { 0 };
	memcpy(ba + 1, scn_local, 6);
	tb_cc(t, ps_hci_cmd_read_bd_addr_code, ba, sizeof ba);
}

static void scn_connect(struct tb *t, const struct scn *s)
{
	struct ps_le_evt_conn_complete cc;
	memset(&cc, 0, sizeof cc);
	if (!s->local_peripheral) {
		struct ps_hci_cmd_le_create_conn c;
		memset(&c, 0, sizeof c);
		c.scan_interval = 0x60;
		c.scan_window = 0x30;
		c.peer_addr_type = 1;
		memcpy(c.peer_addr, scn_peer, 6);
		c.own_addr_type = 0;
		c.min_interval = 0x18;
		c.max_interval = 0x28;
		c.supv_timeout = 0x2a;
		tb_cmd(t, ps_hci_cmd_le_create_conn_code, &c);
		tb_cs(t, ps_hci_cmd_le_create_conn_code, 0);
		if (s->fault == F_CONNECT_FAILED) {
			cc.status = 0x3e;
			tb_le_evt(t, ps_le_evt_conn_complete_code, &cc);
			tb_cmd(t, ps_hci_cmd_le_create_conn_code, &c);
			tb_cs(t, ps_hci_cmd_le_create_conn_code, 0);
		}
	} else {
		struct ps_hci_cmd_le_set_adv_params a;
		memset(&a, 0, sizeof a);
		a.min_interval = a.max_interval = 0x800;
		a.own_addr_type = 0;
		tb_cmd(t, ps_hci_cmd_le_set_adv_params_code, &a);
		static const uint8_t ok = 0;
		tb_cc(t, ps_hci_cmd_le_set_adv_params_code, &ok, 1);
	}
	cc.status = 0;
	cc.handle = H;
	cc.role = s->local_peripheral ? 1 : 0;
	cc.peer_addr_type = 1;
	memcpy(cc.peer_addr, scn_peer, 6);
	cc.interval = 0x28;
	cc.supv_timeout = 0x2a;
	tb_le_evt(t, ps_le_evt_conn_complete_code, &cc);
	/* The peripheral (the peer here) asks for other parameters; the central answers. */
	struct ps_l2cap_conn_param_req r = { 6, 12, 0, 400 };
	if (s->fault == F_PARAM_RANGE)
		r.timeout = 5;
	uint8_t ident = s->fault == F_IDENT_ZERO ? 0 : 2;
	bool peer_tx = false;
	tb_sig(t, peer_tx, H, ps_l2cap_conn_param_req_code, ident, &r);
	if (s->fault == F_CMD_REJECT) {
		uint8_t rej[6] = { 0x01, ident, 2, 0, 0, 0 };
		tb_l2cap(t, !peer_tx, H, PS_L2CAP_CID_LE_SIG, rej, sizeof rej, 2000);
	} else {
		struct ps_l2cap_conn_param_rsp rs = { 0 };
		tb_sig(t, !peer_tx, H, ps_l2cap_conn_param_rsp_code, s->fault == F_RESP_IDENT ? 0 : ident, &rs);
	}
}

static void addr7(uint8_t out[7], uint8_t type, const uint8_t a[6])
{
	out[0] = type;
	memcpy(out + 1, a, 6);
}

/* Phase 2 and the key it yields (STK or SC LTK), wire order. Returns false when the scenario stops. */
static bool scn_phase2(struct tb *t, const struct scn *s, const struct ps_crypto *c, const uint8_t preq[7],
		       const uint8_t pres[7], uint8_t key[16])
{
	const uint8_t *ia = s->local_peripheral ? scn_peer : scn_local, *ra = s->local_peripheral ? scn_local : scn_peer;
	uint8_t iat = s->local_peripheral ? 1 : 0, rat = s->local_peripheral ? 0 : 1;
	if (!s->sc) {
		uint8_t tk[16] = { 0 }, mrand[16], srand[16], mconf[16], sconf[16];
		bool pk = ((s->iauth | s->rauth) & 0x04) && s->iio != 3 && s->rio != 3 &&
			  !(s->iio <= 1 && s->rio <= 1);
		if (pk || s->fault == F_METHOD_MISMATCH) {
			tk[0] = (uint8_t)s->passkey;
			tk[1] = (uint8_t)(s->passkey >> 8);
			tk[2] = (uint8_t)(s->passkey >> 16);
		}
		tb_rand(t, mrand, 16);
		tb_rand(t, srand, 16);
		if (s->fault == F_PATTERN)
			for (int i = 0; i < 16; i++)
				mrand[i] = (uint8_t)i;
		assert_int_equal(ps_crypto_c1(c, tk, mrand, preq, pres, iat, ia, rat, ra, mconf), 0);
		assert_int_equal(ps_crypto_c1(c, tk, srand, preq, pres, iat, ia, rat, ra, sconf), 0);
		if (s->fault == F_CONFIRM_MISMATCH)
			sconf[3] ^= 1;
		if (s->fault == F_CONFIRM_REFLECTED)
			memcpy(sconf, mconf, 16);
		if (s->fault == F_OUT_OF_ORDER) {
			scn_value(t, s, true, 0x04, mrand);
			scn_value(t, s, true, 0x03, mconf);
		} else {
			scn_value(t, s, true, 0x03, mconf);
		}
		if (s->fault == F_SILENCE)
			t->ts += 12000000;
		if (s->fault == F_SMP_TIMEOUT)
			t->ts += 31000000;
		scn_value(t, s, false, 0x03, sconf);
		if (s->fault == F_TIMEOUT || s->fault == F_INCOMPLETE)
			return false;
		if (s->fault != F_OUT_OF_ORDER)
			scn_value(t, s, true, 0x04, mrand);
		scn_value(t, s, false, 0x04, srand);
		assert_int_equal(ps_crypto_s1(c, tk, srand, mrand, key), 0);
		uint8_t ks = s->ikey < s->rkey ? s->ikey : s->rkey;
		if (ks >= 7 && ks < 16)
			memset(key + ks, 0, 16u - ks);
		return true;
	}
	/* Secure Connections, §2.3.5.6. */
	uint8_t skA[32], skB[32], pkA[64], pkB[64], dh[32], na[16], nb[16], cf[16];
	tb_rand(t, skA, 32);
	tb_rand(t, skB, 32);
	skA[31] &= 0x7f;
	skB[31] &= 0x7f;
	if (s->fault == F_DEBUG_KEY)
		memcpy(skA, ps_crypto_debug_private, 32);
	assert_int_equal(c->p256_public(c->ctx, skA, pkA), 0);
	assert_int_equal(c->p256_public(c->ctx, skB, pkB), 0);
	if (s->fault == F_REFLECTED_PK)
		memcpy(pkB, pkA, 64);
	if (s->fault == F_BAD_PK)
		pkB[40] ^= 1;
	struct ps_smp_public_key pa, pb;
	memcpy(pa.x, pkA, 32);
	memcpy(pa.y, pkA + 32, 32);
	memcpy(pb.x, pkB, 32);
	memcpy(pb.y, pkB + 32, 32);
	scn_smp(t, s, true, 0x0c, &pa);
	scn_smp(t, s, false, 0x0c, &pb);
	if (s->fault == F_REFLECTED_PK || s->fault == F_BAD_PK) {
		struct ps_smp_pairing_failed f = { 0x0b };
		scn_smp(t, s, true, 0x05, &f);
		return false;
	}
	assert_int_equal(c->p256_ecdh(c->ctx, skA, pkB, dh), 0);
	uint8_t method = ((s->iauth | s->rauth) & 0x04) ? (s->iio == 3 || s->rio == 3 ? 1 :
		((s->iio == 1 || s->iio == 4) && (s->rio == 1 || s->rio == 4)) ? 2 :
		(s->iio <= 1 && s->rio <= 1) ? 1 : 3) : 1; /* 1 JW, 2 NC, 3 PK */
	uint8_t r[16] = { 0 };
	if (method == 3) {
		unsigned rounds = s->fault == F_PK_ROUNDS ? 19 : 20;
		for (unsigned i = 0; i < rounds; i++) {
			uint8_t z = (uint8_t)(0x80 | ((s->passkey >> i) & 1)), cb[16];
			tb_rand(t, na, 16);
			tb_rand(t, nb, 16);
			assert_int_equal(ps_crypto_f4(c, pkA, pkB, na, z, cf), 0);
			assert_int_equal(ps_crypto_f4(c, pkB, pkA, nb, z, cb), 0);
			scn_value(t, s, true, 0x03, cf);
			scn_value(t, s, false, 0x03, cb);
			scn_value(t, s, true, 0x04, na);
			scn_value(t, s, false, 0x04, nb);
		}
		r[0] = (uint8_t)s->passkey;
		r[1] = (uint8_t)(s->passkey >> 8);
		r[2] = (uint8_t)(s->passkey >> 16);
	} else {
		tb_rand(t, na, 16);
		tb_rand(t, nb, 16);
		assert_int_equal(ps_crypto_f4(c, pkB, pkA, nb, 0, cf), 0);
		scn_value(t, s, false, 0x03, cf);
		scn_value(t, s, true, 0x04, na);
		scn_value(t, s, false, 0x04, nb);
	}
	uint8_t a1[7], a2[7], mac[16], ltk[16], ea[16], eb[16];
	addr7(a1, iat, ia);
	addr7(a2, rat, ra);
	assert_int_equal(ps_crypto_f5(c, dh, na, nb, a1, a2, mac, ltk), 0);
	uint8_t ioa[3] = { s->iio, s->ioob, s->iauth }, iob[3] = { s->rio, s->roob, s->rauth };
	assert_int_equal(ps_crypto_f6(c, mac, na, nb, r, ioa, a1, a2, ea), 0);
	assert_int_equal(ps_crypto_f6(c, mac, nb, na, r, iob, a2, a1, eb), 0);
	scn_value(t, s, true, 0x0d, ea);
	if (s->fault == F_DHKEY_FAIL) {
		struct ps_smp_pairing_failed f = { 0x0b };
		scn_smp(t, s, false, 0x05, &f);
		return false;
	}
	scn_value(t, s, false, 0x0d, eb);
	memcpy(key, ltk, 16);
	return true;
}

static void scn_encrypt(struct tb *t, const struct scn *s, const uint8_t key[16])
{
	uint8_t k[16];
	memcpy(k, key, 16);
	if (s->fault == F_STK_MISMATCH)
		k[0] ^= 0x55;
	uint16_t ediv = s->fault == F_ENC_EDIV_RAND ? 0x1234 : 0;
	if (!s->local_peripheral) {
		struct ps_hci_cmd_le_start_encrypt e;
		memset(&e, 0, sizeof e);
		e.handle = H;
		e.ediv = ediv;
		memcpy(e.ltk, k, 16);
		tb_cmd(t, ps_hci_cmd_le_start_encrypt_code, &e);
		tb_cs(t, ps_hci_cmd_le_start_encrypt_code, s->fault == F_CMD_FAILED ? 0x0c : 0);
		if (s->fault == F_CMD_FAILED)
			return;
	} else {
		struct ps_le_evt_ltk_request rq = { H, 0, ediv };
		tb_le_evt(t, ps_le_evt_ltk_request_code, &rq);
		if (s->fault == F_LTK_NEG_REPLY) {
			struct ps_hci_cmd_le_ltk_req_neg_reply n = { H };
			tb_cmd(t, ps_hci_cmd_le_ltk_req_neg_reply_code, &n);
			uint8_t rr[3] = { 0, H, 0 };
			tb_cc(t, ps_hci_cmd_le_ltk_req_neg_reply_code, rr, 3);
			struct ps_hci_evt_encrypt_change ec = { 0x06, H, 0 };
			tb_evt(t, ps_hci_evt_encrypt_change_code, &ec);
			return;
		}
		struct ps_hci_cmd_le_ltk_req_reply r;
		r.handle = H;
		memcpy(r.ltk, k, 16);
		tb_cmd(t, ps_hci_cmd_le_ltk_req_reply_code, &r);
		uint8_t rr[3] = { 0, H, 0 };
		tb_cc(t, ps_hci_cmd_le_ltk_req_reply_code, rr, 3);
	}
	struct ps_hci_evt_encrypt_change ec = { 0, H, 1 };
	if (s->fault == F_BENIGN_KEY_BEFORE_EVENT) {
		/* The controller race: the peer's first key PDU reaches the host before Encryption Change. */
		uint8_t v[16];
		tb_rand(t, v, 16);
		scn_value(t, s, false, 0x06, v);
	}
	if (s->fault == F_ENC_FAILED) {
		ec.status = 0x3d;
		ec.encr_mode = 0;
	}
	t->ts += 80000;
	tb_evt(t, ps_hci_evt_encrypt_change_code, &ec);
}

static void scn_keys(struct tb *t, const struct scn *s, bool by_init, uint8_t dist)
{
	uint8_t v[16];
	if ((dist & 1) && !s->sc) {
		tb_rand(t, v, 16);
		if (s->fault == F_PATTERN && by_init)
			for (int i = 0; i < 16; i++)
				v[i] = (uint8_t)(0xff - 0x11 * i);
		if (!(s->fault == F_BENIGN_KEY_BEFORE_EVENT && !by_init))
			scn_value(t, s, by_init, 0x06, v);
		memcpy(t->kd_ltk[by_init], v, 16);
		struct ps_smp_central_ident ci;
		tb_rand(t, v, 10);
		ci.ediv = (uint16_t)(v[0] | v[1] << 8);
		memcpy(&ci.rand, v + 2, 8);
		scn_smp(t, s, by_init, 0x07, &ci);
		t->kd_have[by_init] = true;
		t->kd_ediv[by_init] = ci.ediv;
		t->kd_rand[by_init] = ci.rand;
	}
	if (dist & 2) {
		tb_rand(t, v, 16);
		scn_value(t, s, by_init, 0x08, v);
		memcpy(t->kd_irk[by_init], v, 16);
		struct ps_smp_ident_addr_info ai;
		ai.addr_type = by_init == !s->local_peripheral ? 0 : 1;
		memcpy(ai.addr, by_init == !s->local_peripheral ? scn_local : scn_peer, 6);
		if (s->fault == F_KD_BAD_IDENTITY && by_init) {
			ai.addr_type = 1;
			ai.addr[5] = 0x4a; /* a resolvable private address, not an identity */
		}
		scn_smp(t, s, by_init, 0x09, &ai);
	}
	if (dist & 4) {
		tb_rand(t, v, 16);
		if (s->fault == F_REUSED && by_init) {
			const uint8_t *prev = t->f[t->n - 2].data + 9; /* the IRK just sent: ACL(4) L2CAP(4) code(1) */
			memcpy(v, prev, 16);
		}
		scn_value(t, s, by_init, 0x0a, v);
	}
}

/* A second link between the same devices after the bonded pairing, encrypted with the bond's key
 * (Vol 3 Part H 2.4.4.2): legacy, the LTK/EDIV/Rand the peripheral distributed (the responder here, the
 * roles stay); Secure Connections, the pairing's LTK with EDIV = Rand = 0. */
static void scn_reconnect(struct tb *t, const struct scn *s, const struct ps_crypto *cr)
{
	const uint16_t h2 = H + 1;
	uint8_t peer[6];
	memcpy(peer, scn_peer, 6);
	if (s->reconnect_rpa) {
		/* Vol 6 Part B 1.3.2.2: prand (top bits 01) in the upper 3 octets, ah(IRK, prand) below. */
		bool peer_init = s->local_peripheral;
		peer[3] = 0x5a;
		peer[4] = 0x13;
		peer[5] = 0x47;
		assert_int_equal(ps_crypto_ah(cr, t->kd_irk[peer_init], peer + 3, peer), 0);
	}
	t->ts += 5000000;
	if (s->reconnect_after_bredr) {
		/* Vol 4 Part E 7.7.24: BD_ADDR(6) Link_Key(16) Key_Type(1); CTKD may derive new LE keys. */
		uint8_t lk[23] = { 0 };
		memcpy(lk, scn_peer, 6);
		tb_rand(t, lk + 6, 16);
		lk[22] = 0x08; /* Authenticated Combination Key generated from P-256 */
		tb_evt_raw(t, 0x18, lk, sizeof lk);
	}
	struct ps_le_evt_conn_complete cc;
	memset(&cc, 0, sizeof cc);
	if (!s->local_peripheral) {
		struct ps_hci_cmd_le_create_conn c;
		memset(&c, 0, sizeof c);
		c.scan_interval = 0x60;
		c.scan_window = 0x30;
		c.peer_addr_type = 1;
		memcpy(c.peer_addr, peer, 6);
		c.min_interval = 0x18;
		c.max_interval = 0x28;
		c.supv_timeout = 0x2a;
		tb_cmd(t, ps_hci_cmd_le_create_conn_code, &c);
		tb_cs(t, ps_hci_cmd_le_create_conn_code, 0);
	}
	cc.handle = h2;
	cc.role = s->local_peripheral ? 1 : 0;
	cc.peer_addr_type = 1;
	memcpy(cc.peer_addr, peer, 6);
	cc.interval = 0x28;
	cc.supv_timeout = 0x2a;
	tb_le_evt(t, ps_le_evt_conn_complete_code, &cc);
	uint8_t ltk[16];
	uint16_t ediv = 0;
	uint64_t rand = 0;
	if (s->sc) {
		memcpy(ltk, t->sc_ltk, 16);
	} else {
		/* The responder distributed the key the central uses with these roles; the fault takes the
		 * initiator's own, valid only with the roles reversed. */
		bool by = s->fault == F_REENC_UNKNOWN_KEY;
		memcpy(ltk, t->kd_ltk[by], 16);
		ediv = t->kd_ediv[by];
		rand = t->kd_rand[by];
	}
	if (s->sc && s->fault == F_REENC_UNKNOWN_KEY)
		ltk[5] ^= 0x21;
	struct ps_hci_evt_encrypt_change ec = { 0, h2, 1 };
	if (!s->local_peripheral) {
		struct ps_hci_cmd_le_start_encrypt e;
		memset(&e, 0, sizeof e);
		e.handle = h2;
		e.ediv = ediv;
		e.rand = rand;
		memcpy(e.ltk, ltk, 16);
		tb_cmd(t, ps_hci_cmd_le_start_encrypt_code, &e);
		tb_cs(t, ps_hci_cmd_le_start_encrypt_code, 0);
		if (s->fault == F_REENC_KEY_MISSING) {
			ec.status = 0x06;
			ec.encr_mode = 0;
		}
	} else {
		struct ps_le_evt_ltk_request rq = { h2, rand, ediv };
		tb_le_evt(t, ps_le_evt_ltk_request_code, &rq);
		uint8_t rr[3] = { 0, (uint8_t)h2, 0 };
		if (s->fault == F_REENC_BOND_LOST) {
			struct ps_hci_cmd_le_ltk_req_neg_reply n = { h2 };
			tb_cmd(t, ps_hci_cmd_le_ltk_req_neg_reply_code, &n);
			tb_cc(t, ps_hci_cmd_le_ltk_req_neg_reply_code, rr, 3);
			ec.status = 0x06;
			ec.encr_mode = 0;
		} else {
			struct ps_hci_cmd_le_ltk_req_reply r;
			r.handle = h2;
			memcpy(r.ltk, ltk, 16);
			tb_cmd(t, ps_hci_cmd_le_ltk_req_reply_code, &r);
			tb_cc(t, ps_hci_cmd_le_ltk_req_reply_code, rr, 3);
		}
	}
	t->ts += 80000;
	tb_evt(t, ps_hci_evt_encrypt_change_code, &ec);
	t->ts += 1000000;
	struct ps_hci_evt_disconn_complete de = { 0, h2, 0x13 };
	tb_evt(t, ps_hci_evt_disconn_complete_code, &de);
}

/* Build the whole trace for s. */
static void scn_build(struct tb *t, const struct scn *s, const struct ps_crypto *c)
{
	tb_init(t);
	struct scn s0 = *s;
	if (s->fault == F_KEY_SIZE_SHORT || s->fault == F_KEY_SIZE_REJECTED)
		s0.rkey = 10;
	s = &s0;
	bool paired = false;
	scn_bringup(t, s);
	scn_connect(t, s);
	struct ps_smp_pairing_req rq = { s->iio, s->ioob, s->iauth, s->ikey, s->req_idist, s->req_rdist };
	struct ps_smp_pairing_rsp rs = { s->rio, s->roob, s->rauth, s->rkey, s->rsp_idist, s->rsp_rdist };
	if (s->fault == F_WRONG_ROLE) {
		struct ps_smp_security_req sr = { 0x01 };
		scn_smp(t, s, true, 0x0b, &sr);
	}
	if (s->fault == F_UNKNOWN_CODE) {
		uint8_t u[2] = { 0x20, 0x00 };
		tb_l2cap(t, scn_tx(s, false), H, PS_L2CAP_CID_SMP, u, 2, 1000);
	}
	if (s->fault == F_RESERVED)
		rq.auth_req |= 0x80;
	if (s->fault == F_KEY_SIZE_RANGE)
		rq.max_key_size = 20;
	if (s->fault == F_DIST_SUPERSET) {
		rq.resp_key_dist = 0x01;
		rs.resp_key_dist = 0x03;
	}
	if (s->fault == F_KD_NOT_NEGOTIATED)
		rs.init_key_dist = 0x04; /* the seed: only SignKey for the initiator */
	if (s->fault == F_SC_NOT_USED) {
		rq.auth_req |= 0x08;
		rs.auth_req |= 0x08;
	}
	scn_smp(t, s, true, 0x01, &rq);
	uint8_t preq[7] = { 0x01 }, pres[7] = { 0x02 };
	size_t len;
	assert_int_equal(ps_layout_encode(ps_smp_layout(1), &rq, preq + 1, 6, &len), 0);
	if (s->fault == F_BAD_LENGTH) {
		uint8_t b[8] = { 0x02, rs.io_cap, rs.oob, rs.auth_req, rs.max_key_size, rs.init_key_dist, rs.resp_key_dist, 0 };
		tb_l2cap(t, scn_tx(s, false), H, PS_L2CAP_CID_SMP, b, 8, 15000);
		struct ps_smp_pairing_failed f = { 0x0a };
		scn_smp(t, s, true, 0x05, &f);
		goto down;
	}
	scn_smp(t, s, false, 0x02, &rs);
	assert_int_equal(ps_layout_encode(ps_smp_layout(2), &rs, pres + 1, 6, &len), 0);
	if (s->fault == F_KEY_SIZE_REJECTED || s->fault == F_PAIRING_FAILED) {
		struct ps_smp_pairing_failed f = { s->fault == F_PAIRING_FAILED ? 0x05 : 0x06 };
		scn_smp(t, s, true, 0x05, &f);
		goto down;
	}
	struct scn s2 = *s;
	s2.sc = s->sc && s->fault != F_SC_NOT_USED;
	uint8_t key[16];
	if (s->fault == F_DISCONNECTED) {
		uint8_t mc[16];
		tb_rand(t, mc, 16);
		scn_value(t, s, true, 0x03, mc);
		goto down;
	}
	if (!scn_phase2(t, &s2, c, preq, pres, key)) {
		if (s->fault == F_TIMEOUT)
			goto late;
		if (s->fault == F_INCOMPLETE)
			return;
		goto down;
	}
	uint8_t idist = rq.init_key_dist & rs.init_key_dist, rdist = rq.resp_key_dist & rs.resp_key_dist;
	if (s->fault == F_KD_UNENCRYPTED) {
		scn_keys(t, &s2, false, rdist);
		scn_keys(t, &s2, true, idist);
		goto down;
	}
	if (s->fault == F_ENC_NOT_STARTED)
		goto late;
	memcpy(t->sc_ltk, key, 16);
	scn_encrypt(t, &s2, key);
	if (s->fault == F_ENC_FAILED || s->fault == F_LTK_NEG_REPLY || s->fault == F_CMD_FAILED)
		goto down;
	if (s->fault == F_KD_ORDER) {
		scn_keys(t, &s2, true, idist);
		scn_keys(t, &s2, false, rdist);
	} else {
		scn_keys(t, &s2, false, rdist);
		if (s->fault == F_KD_NOT_NEGOTIATED)
			idist |= 0x01;
		if (s->fault == F_KD_MISSING)
			idist &= (uint8_t)~0x04;
		scn_keys(t, &s2, true, idist);
	}
	if (s->fault == F_KEY_REFRESH) {
		struct ps_hci_evt_encrypt_key_refresh_complete kr = { 0, H };
		t->ts += 5000000;
		tb_evt(t, ps_hci_evt_encrypt_key_refresh_complete_code, &kr);
	}
	t->ts += 1000000;
	paired = true;
down:;
	struct ps_hci_cmd_disconnect dc = { H, 0x13 };
	tb_cmd(t, ps_hci_cmd_disconnect_code, &dc);
	tb_cs(t, ps_hci_cmd_disconnect_code, 0);
	struct ps_hci_evt_disconn_complete de = { 0, H, s->fault == F_DISC_SECURITY ? 0x3d : 0x16 };
	tb_evt(t, ps_hci_evt_disconn_complete_code, &de);
	if (paired && s->reconnect)
		scn_reconnect(t, s, c);
	return;
late:
	/* The link stays up, silent, past the 30 s SMP timer. */
	t->ts += 35000000;
	{
		struct ps_hci_cmd_le_read_remote_features rf = { H };
		tb_cmd(t, ps_hci_cmd_le_read_remote_features_code, &rf);
		tb_cs(t, ps_hci_cmd_le_read_remote_features_code, 0);
	}
	goto down;
}

#endif
