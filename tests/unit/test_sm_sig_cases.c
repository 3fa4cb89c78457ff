/* Bluetooth SIG SM test cases (SM.TS, ../shared/sm-test-cases.md) tagged self or script, one test
 * per case ID. The IUT is one ps_sm; the lower tester is a second ps_sm whose PDUs a filter rewrites,
 * drops or replaces with raw injected PDUs (the misbehaviour of the BI cases). Vol 3 Part H §2-3. */
#include "testutil.h"
#include "sm_harness.h"

enum fault {
	F_NONE,
	F_RFU_AUTHREQ,     /* tester sets AuthReq bits 6-7 (and keeps them in its own records) */
	F_FAIL_ON_CONFIRM, /* tester answers its first confirm with Pairing Failed(fail_reason) */
	F_WRONG_CONFIRM,   /* tester's confirm value corrupted */
	F_REFLECT_CONFIRM, /* tester sends back the IUT's confirm */
	F_BAD_PUBKEY,      /* tester's public key moved off the curve */
	F_REFLECT_PUBKEY,  /* tester sends back the IUT's public key */
	F_WRONG_DHCHECK,   /* tester's DHKey check corrupted */
	F_FAIL_IN_KEYS,    /* tester answers the IUT's first key with Pairing Failed(fail_reason) */
	F_STALL,           /* tester goes silent after phase 1 */
	F_FAIL_ON_RANDOM,  /* tester answers with Pairing Failed(fail_reason) instead of its first random */
};

struct tcase {
	int iut;            /* 0 central, 1 peripheral */
	enum fault fault;
	uint8_t fail_reason;
	uint8_t iut_confirm[16];
	uint8_t iut_pub[64];
	bool failed_sent;
};

static bool filter(struct h_link *l, int from, uint8_t *pdu, uint8_t *len, void *ctx)
{
	struct tcase *t = ctx;
	int tester = 1 - t->iut;
	if (from == t->iut) {
		if (pdu[0] == ps_smp_pairing_confirm_code)
			memcpy(t->iut_confirm, pdu + 1, 16);
		if (pdu[0] == ps_smp_public_key_code)
			memcpy(t->iut_pub, pdu + 1, 64);
		if (t->fault == F_FAIL_IN_KEYS && pdu[0] >= 0x06 && pdu[0] <= 0x0a && !t->failed_sent) {
			t->failed_sent = true;
			uint8_t f[2] = { ps_smp_pairing_failed_code, t->fail_reason };
			h_inject(l, t->iut, f, 2);
		}
		return true;
	}
	(void)len;
	struct ps_sm *ts = &l->d[tester].sm;
	switch (t->fault) {
	case F_NONE:
	case F_FAIL_IN_KEYS:
		return true;
	case F_RFU_AUTHREQ:
		if (pdu[0] == ps_smp_pairing_req_code || pdu[0] == ps_smp_pairing_rsp_code) {
			pdu[3] |= 0xc0;
			(pdu[0] == ps_smp_pairing_req_code ? ts->preq : ts->pres)[3] |= 0xc0;
		}
		return true;
	case F_FAIL_ON_CONFIRM:
		if (pdu[0] != ps_smp_pairing_confirm_code)
			return true;
		pdu[0] = ps_smp_pairing_failed_code;
		pdu[1] = t->fail_reason;
		*len = 2;
		t->fault = F_NONE;
		return true;
	case F_WRONG_CONFIRM:
		if (pdu[0] == ps_smp_pairing_confirm_code)
			pdu[5] ^= 0x40;
		return true;
	case F_FAIL_ON_RANDOM:
		if (pdu[0] != ps_smp_pairing_random_code)
			return true;
		pdu[0] = ps_smp_pairing_failed_code;
		pdu[1] = t->fail_reason;
		*len = 2;
		t->fault = F_NONE;
		return true;
	case F_REFLECT_CONFIRM:
		if (pdu[0] == ps_smp_pairing_confirm_code)
			memcpy(pdu + 1, t->iut_confirm, 16);
		return true;
	case F_BAD_PUBKEY:
		if (pdu[0] == ps_smp_public_key_code)
			pdu[40] ^= 0x01; /* Y changed: the point leaves the curve */
		return true;
	case F_REFLECT_PUBKEY:
		if (pdu[0] == ps_smp_public_key_code)
			memcpy(pdu + 1, t->iut_pub, 64);
		return true;
	case F_WRONG_DHCHECK:
		if (pdu[0] == ps_smp_dhkey_check_code)
			pdu[1] ^= 0x01;
		return true;
	case F_STALL:
		return pdu[0] == ps_smp_pairing_req_code || pdu[0] == ps_smp_pairing_rsp_code;
	}
	return true;
}

/* Configure: IO capabilities (IUT, tester), SC, MITM; run with a fault; returns the link. */
static void run(struct h_link *l, struct tcase *t, int iut, uint8_t io_iut, uint8_t io_tester, bool sc,
		bool mitm, enum fault f)
{
	assert_int_equal(h_init(l), 0);
	memset(t, 0, sizeof *t);
	t->iut = iut;
	t->fault = f;
	t->fail_reason = PS_SMP_UNSPECIFIED;
	for (int k = 0; k < 2; k++) {
		l->d[k].cfg.sc = sc;
		l->d[k].cfg.mitm = mitm;
	}
	l->d[iut].cfg.io_cap = io_iut;
	l->d[1 - iut].cfg.io_cap = io_tester;
	l->filter = filter;
	l->fctx = t;
}

static void go(struct h_link *l) { assert_int_equal(h_pair(l, 0), 0); }

static void expect_ok(struct h_link *l, enum ps_sm_method m)
{
	assert_true(h_success(l));
	assert_int_equal(l->d[0].result.method, m);
	h_fini(l);
}

/* The IUT detected a problem and sent Pairing Failed(reason). */
static void expect_iut_fail(struct h_link *l, int iut, uint8_t reason)
{
	assert_int_equal(l->d[iut].results, 1);
	assert_int_equal(l->d[iut].result.status, -PS_EPROTO);
	assert_false(l->d[iut].result.by_peer);
	assert_int_equal(l->d[iut].result.reason, reason);
	assert_int_equal(l->d[iut].last_failed_tx, reason);
	assert_int_equal(l->d[iut].stores, 0);
	h_fini(l);
}

/* The tester failed the pairing; the IUT reports it and stores nothing. */
static void expect_peer_fail(struct h_link *l, int iut, uint8_t reason)
{
	assert_int_equal(l->d[iut].results, 1);
	assert_true(l->d[iut].result.by_peer);
	assert_int_equal(l->d[iut].result.reason, reason);
	assert_int_equal(l->d[iut].stores, 0);
	h_fini(l);
}

#define CASE(name) static void test_##name(void **state)
#define L struct h_link l; struct tcase t; (void)state
enum { DO, DYN, KO, NINO, KD };

/* Legacy Just Works */
CASE(SM_CEN_JW_BV_01_C) { L; run(&l, &t, 0, NINO, NINO, false, false, F_NONE); go(&l); expect_ok(&l, PS_SM_METHOD_JUST_WORKS); }
CASE(SM_PER_JW_BV_02_C) { L; run(&l, &t, 1, NINO, NINO, false, false, F_NONE); go(&l); expect_ok(&l, PS_SM_METHOD_JUST_WORKS); }
CASE(SM_PER_JW_BI_03_C) { L; run(&l, &t, 1, NINO, NINO, false, false, F_RFU_AUTHREQ); go(&l); expect_ok(&l, PS_SM_METHOD_JUST_WORKS); }
CASE(SM_CEN_JW_BI_04_C) { L; run(&l, &t, 0, NINO, NINO, false, false, F_RFU_AUTHREQ); go(&l); expect_ok(&l, PS_SM_METHOD_JUST_WORKS); }
CASE(SM_CEN_JW_BV_05_C) { L; run(&l, &t, 0, NINO, NINO, false, false, F_FAIL_ON_CONFIRM); go(&l); expect_peer_fail(&l, 0, PS_SMP_UNSPECIFIED); }
CASE(SM_CEN_JW_BI_01_C) { L; run(&l, &t, 0, NINO, NINO, false, false, F_WRONG_CONFIRM); go(&l); expect_iut_fail(&l, 0, PS_SMP_CONFIRM_VALUE_FAILED); }
CASE(SM_PER_JW_BI_02_C) { L; run(&l, &t, 1, NINO, NINO, false, false, F_WRONG_CONFIRM); go(&l); expect_iut_fail(&l, 1, PS_SMP_CONFIRM_VALUE_FAILED); }
CASE(SM_CEN_JW_BI_06_C)
{
	L;
	run(&l, &t, 0, NINO, NINO, false, false, F_REFLECT_CONFIRM);
	go(&l);
	assert_int_equal(l.d[0].sent[ps_smp_pairing_random_code], 0); /* Mrand never revealed */
	expect_iut_fail(&l, 0, PS_SMP_CONFIRM_VALUE_FAILED);
}

/* Legacy Passkey Entry (Core v6.2: unauthenticated) */
CASE(SM_CEN_PKE_BV_01_C) { L; run(&l, &t, 0, KO, DO, false, true, F_NONE); go(&l); assert_false(l.d[0].result.authenticated); expect_ok(&l, PS_SM_METHOD_PASSKEY); }
CASE(SM_PER_PKE_BV_02_C) { L; run(&l, &t, 1, DO, KO, false, true, F_NONE); go(&l); expect_ok(&l, PS_SM_METHOD_PASSKEY); }
CASE(SM_CEN_PKE_BV_04_C) { L; run(&l, &t, 0, KD, NINO, false, true, F_NONE); go(&l); assert_int_equal(l.d[0].result.level, 2); expect_ok(&l, PS_SM_METHOD_JUST_WORKS); }
CASE(SM_PER_PKE_BV_05_C)
{
	L;
	run(&l, &t, 1, KD, NINO, false, true, F_NONE);
	l.d[1].cfg.require_mitm = true;
	go(&l);
	assert_int_equal(l.d[1].sent[ps_smp_pairing_rsp_code], 0);
	expect_iut_fail(&l, 1, PS_SMP_AUTH_REQUIREMENTS);
}
CASE(SM_CEN_PKE_BI_01_C) { L; run(&l, &t, 0, KO, DO, false, true, F_FAIL_ON_CONFIRM); t.fail_reason = PS_SMP_PASSKEY_ENTRY_FAILED; go(&l); expect_peer_fail(&l, 0, PS_SMP_PASSKEY_ENTRY_FAILED); }
CASE(SM_CEN_PKE_BI_02_C)
{
	/* The responder's user gives up while typing: Passkey Entry Failed. */
	L;
	run(&l, &t, 0, DO, KO, false, true, F_NONE);
	assert_int_equal(h_setup(&l), 0);
	struct ps_sm_outbox out = { .n = 0 };
	assert_int_equal(ps_sm_pair(&l.d[0].sm, &out), 0);
	h_outbox(&l, 0, &out);
	/* deliver Pairing Request, Pairing Response by hand, dropping the tester's passkey prompt */
	for (int i = 0; i < 8 && l.head != l.tail; i++) {
		struct h_event e = l.q[l.head++ % H_MAXQ];
		if (e.type == H_PASSKEY) {
			assert_int_equal(ps_sm_cancel(&l.d[1].sm, &out), 0);
			h_outbox(&l, 1, &out);
			continue;
		}
		h_step(&l, &e);
	}
	h_run(&l);
	expect_peer_fail(&l, 0, PS_SMP_PASSKEY_ENTRY_FAILED);
}
CASE(SM_PER_PKE_BI_03_C) { L; run(&l, &t, 1, KO, KO, false, true, F_WRONG_CONFIRM); go(&l); expect_iut_fail(&l, 1, PS_SMP_CONFIRM_VALUE_FAILED); }
CASE(SM_CEN_PKE_BV_05_C)
{
	uint32_t seen[4];
	(void)state;
	for (int i = 0; i < 4; i++) {
		struct h_link l;
		struct tcase t;
		run(&l, &t, 0, DO, KO, false, true, F_NONE);
		go(&l);
		assert_true(l.d[0].shown);
		seen[i] = l.d[0].shown_value;
		expect_ok(&l, PS_SM_METHOD_PASSKEY);
	}
	assert_false(seen[0] == seen[1] && seen[1] == seen[2] && seen[2] == seen[3]);
}
CASE(SM_CEN_PKE_BI_03_C) { L; run(&l, &t, 0, KO, DO, false, true, F_REFLECT_CONFIRM); go(&l); expect_iut_fail(&l, 0, PS_SMP_CONFIRM_VALUE_FAILED); }

/* Legacy OOB */
static void oob_case(int iut, bool iut_has, bool tester_has, bool same, enum ps_sm_method m)
{
	struct h_link l;
	struct tcase t;
	run(&l, &t, iut, KD, KD, false, true, F_NONE);
	memset(l.d[0].cfg.oob_tk, 0x33, 16);
	memset(l.d[1].cfg.oob_tk, same ? 0x33 : 0x34, 16);
	l.d[iut].cfg.oob_tk_present = iut_has;
	l.d[1 - iut].cfg.oob_tk_present = tester_has;
	go(&l);
	if (!same) {
		assert_int_equal(l.d[iut].result.reason, PS_SMP_CONFIRM_VALUE_FAILED);
		h_fini(&l);
		return;
	}
	expect_ok(&l, m);
}
CASE(SM_CEN_OOB_BV_01_C) { (void)state; oob_case(0, true, true, true, PS_SM_METHOD_OOB); }
CASE(SM_PER_OOB_BV_02_C) { (void)state; oob_case(1, true, true, true, PS_SM_METHOD_OOB); }
CASE(SM_CEN_OOB_BV_03_C) { (void)state; oob_case(0, true, false, true, PS_SM_METHOD_PASSKEY); }
CASE(SM_PER_OOB_BV_04_C) { (void)state; oob_case(1, true, false, true, PS_SM_METHOD_PASSKEY); }
CASE(SM_CEN_OOB_BV_05_C) { (void)state; oob_case(0, false, true, true, PS_SM_METHOD_PASSKEY); }
CASE(SM_PER_OOB_BV_06_C) { (void)state; oob_case(1, false, true, true, PS_SM_METHOD_PASSKEY); }
/* BV-07..10: only one side has OOB data and neither asks for MITM: legacy OOB needs both flags
 * (Table 2.6), so Just Works, unauthenticated (security level 2). */
static void oob_jw(int iut, bool iut_has)
{
	struct h_link l;
	struct tcase t;
	run(&l, &t, iut, NINO, NINO, false, false, F_NONE);
	memset(l.d[0].cfg.oob_tk, 0x33, 16);
	memset(l.d[1].cfg.oob_tk, 0x33, 16);
	l.d[iut].cfg.oob_tk_present = iut_has;
	l.d[1 - iut].cfg.oob_tk_present = !iut_has;
	go(&l);
	assert_false(l.d[iut].result.authenticated);
	assert_int_equal(l.d[iut].result.level, 2);
	expect_ok(&l, PS_SM_METHOD_JUST_WORKS);
}
CASE(SM_CEN_OOB_BV_07_C) { (void)state; oob_jw(0, false); }
CASE(SM_PER_OOB_BV_08_C) { (void)state; oob_jw(1, false); }
CASE(SM_CEN_OOB_BV_09_C) { (void)state; oob_jw(0, true); }
CASE(SM_PER_OOB_BV_10_C) { (void)state; oob_jw(1, true); }
CASE(SM_CEN_OOB_BI_01_C) { (void)state; oob_case(0, true, true, false, PS_SM_METHOD_OOB); }
CASE(SM_PER_OOB_BI_02_C) { (void)state; oob_case(1, true, true, false, PS_SM_METHOD_OOB); }

/* Encryption key size */
static void eks(int iut, uint8_t tester_max, uint8_t iut_min, bool ok)
{
	struct h_link l;
	struct tcase t;
	run(&l, &t, iut, NINO, NINO, false, false, F_NONE);
	l.d[1 - iut].cfg.max_key_size = tester_max;
	l.d[1 - iut].cfg.min_key_size = 7;
	l.d[iut].cfg.min_key_size = iut_min;
	go(&l);
	if (ok) {
		assert_int_equal(l.d[iut].result.key_size, tester_max);
		expect_ok(&l, PS_SM_METHOD_JUST_WORKS);
	} else {
		expect_iut_fail(&l, iut, PS_SMP_ENC_KEY_SIZE);
	}
}
CASE(SM_CEN_EKS_BV_01_C) { (void)state; eks(0, 7, 7, true); }
CASE(SM_PER_EKS_BV_02_C) { (void)state; eks(1, 7, 7, true); }
CASE(SM_CEN_EKS_BI_01_C) { (void)state; eks(0, 7, 16, false); }
CASE(SM_PER_EKS_BI_02_C) { (void)state; eks(1, 7, 16, false); }

/* Key distribution: the tester sets one bit; exactly that key travels and is stored. */
static void kdu(int iut, bool sc, uint8_t bit, uint8_t have)
{
	struct h_link l;
	struct tcase t;
	run(&l, &t, iut, NINO, NINO, sc, false, F_NONE);
	l.d[1 - iut].cfg.dist_init = l.d[1 - iut].cfg.dist_resp = bit;
	go(&l);
	assert_true(h_success(&l));
	assert_int_equal(l.d[1 - iut].result.peer.have & (uint8_t)~PS_SM_KEY_LTK & 0x1f, have & (uint8_t)~PS_SM_KEY_LTK);
	expect_ok(&l, PS_SM_METHOD_JUST_WORKS);
}
CASE(SM_PER_KDU_BV_01_C) { (void)state; kdu(1, false, PS_SMP_DIST_ENC, PS_SM_KEY_LTK | PS_SM_KEY_EDIV); }
CASE(SM_PER_KDU_BV_02_C) { (void)state; kdu(1, false, PS_SMP_DIST_ID, PS_SM_KEY_IRK | PS_SM_KEY_ADDR); }
CASE(SM_PER_KDU_BV_03_C) { (void)state; kdu(1, false, PS_SMP_DIST_SIGN, PS_SM_KEY_CSRK); }
CASE(SM_PER_KDU_BV_08_C) { (void)state; kdu(1, true, PS_SMP_DIST_ID, PS_SM_KEY_IRK | PS_SM_KEY_ADDR); }
CASE(SM_PER_KDU_BV_09_C) { (void)state; kdu(1, true, PS_SMP_DIST_SIGN, PS_SM_KEY_CSRK); }
CASE(SM_CEN_KDU_BV_04_C) { (void)state; kdu(0, false, PS_SMP_DIST_SIGN, PS_SM_KEY_CSRK); }
CASE(SM_CEN_KDU_BV_05_C) { (void)state; kdu(0, false, PS_SMP_DIST_ID, PS_SM_KEY_IRK | PS_SM_KEY_ADDR); }
CASE(SM_CEN_KDU_BV_06_C) { (void)state; kdu(0, false, PS_SMP_DIST_ENC, PS_SM_KEY_LTK | PS_SM_KEY_EDIV); }
CASE(SM_CEN_KDU_BV_10_C) { (void)state; kdu(0, true, PS_SMP_DIST_ID, PS_SM_KEY_IRK | PS_SM_KEY_ADDR); }
CASE(SM_CEN_KDU_BV_11_C) { (void)state; kdu(0, true, PS_SMP_DIST_SIGN, PS_SM_KEY_CSRK); }
/* Invalid public key (Core >= v6.0 and <= v5.4 both: Pairing Failed, DHKey Check Failed). */
CASE(SM_PER_KDU_BI_01_C) { L; run(&l, &t, 1, NINO, NINO, true, false, F_BAD_PUBKEY); go(&l); expect_iut_fail(&l, 1, PS_SMP_DHKEY_CHECK_FAILED); }
CASE(SM_PER_KDU_BI_04_C) { L; run(&l, &t, 1, NINO, NINO, true, false, F_REFLECT_PUBKEY); go(&l); expect_iut_fail(&l, 1, PS_SMP_DHKEY_CHECK_FAILED); }
CASE(SM_CEN_KDU_BI_01_C) { L; run(&l, &t, 0, NINO, NINO, true, false, F_BAD_PUBKEY); go(&l); expect_iut_fail(&l, 0, PS_SMP_DHKEY_CHECK_FAILED); }
CASE(SM_CEN_KDU_BI_04_C) { L; run(&l, &t, 0, NINO, NINO, true, false, F_REFLECT_PUBKEY); go(&l); expect_iut_fail(&l, 0, PS_SMP_DHKEY_CHECK_FAILED); }
CASE(SM_PER_KDU_BI_02_C) { L; run(&l, &t, 1, NINO, NINO, false, false, F_FAIL_IN_KEYS); t.fail_reason = PS_SMP_KEY_REJECTED; go(&l); expect_peer_fail(&l, 1, PS_SMP_KEY_REJECTED); }
CASE(SM_PER_KDU_BI_03_C) { L; run(&l, &t, 1, NINO, NINO, true, false, F_FAIL_IN_KEYS); t.fail_reason = PS_SMP_KEY_REJECTED; go(&l); expect_peer_fail(&l, 1, PS_SMP_KEY_REJECTED); }

/* Peripheral-initiated security */
CASE(SM_PER_PIS_BV_01_C)
{
	L;
	run(&l, &t, 1, NINO, NINO, true, false, F_NONE);
	assert_int_equal(h_pair(&l, 1), 0); /* the peripheral sends Security Request */
	assert_int_equal(l.d[1].sent[ps_smp_security_req_code], 1);
	expect_ok(&l, PS_SM_METHOD_JUST_WORKS);
}
CASE(SM_CEN_PIS_BV_02_C)
{
	L;
	run(&l, &t, 0, NINO, NINO, false, false, F_NONE);
	assert_int_equal(h_pair(&l, 1), 0);
	assert_int_equal(l.d[0].sec_req_rx, 1);
	expect_ok(&l, PS_SM_METHOD_JUST_WORKS);
}

/* LE Secure Connections */
CASE(SM_CEN_SCJW_BV_01_C) { L; run(&l, &t, 0, DYN, DYN, true, true, F_NONE); go(&l); expect_ok(&l, PS_SM_METHOD_NUMCMP); }
CASE(SM_PER_SCJW_BV_02_C) { L; run(&l, &t, 1, NINO, DYN, true, true, F_NONE); go(&l); expect_ok(&l, PS_SM_METHOD_JUST_WORKS); }
CASE(SM_PER_SCJW_BV_03_C) { L; run(&l, &t, 1, NINO, NINO, true, false, F_RFU_AUTHREQ); go(&l); expect_ok(&l, PS_SM_METHOD_JUST_WORKS); }
CASE(SM_CEN_SCJW_BV_04_C) { L; run(&l, &t, 0, NINO, NINO, true, false, F_RFU_AUTHREQ); go(&l); expect_ok(&l, PS_SM_METHOD_JUST_WORKS); }
CASE(SM_CEN_SCJW_BI_01_C) { L; run(&l, &t, 0, NINO, NINO, true, false, F_FAIL_ON_CONFIRM); go(&l); expect_peer_fail(&l, 0, PS_SMP_UNSPECIFIED); }
CASE(SM_PER_SCJW_BI_02_C) { L; run(&l, &t, 1, NINO, NINO, true, false, F_WRONG_DHCHECK); go(&l); expect_iut_fail(&l, 1, PS_SMP_DHKEY_CHECK_FAILED); }
CASE(SM_CEN_SCPK_BV_01_C) { L; run(&l, &t, 0, KO, DO, true, true, F_NONE); go(&l); assert_true(l.d[0].result.authenticated); expect_ok(&l, PS_SM_METHOD_PASSKEY); }
CASE(SM_PER_SCPK_BV_02_C) { L; run(&l, &t, 1, DO, KO, true, true, F_NONE); go(&l); expect_ok(&l, PS_SM_METHOD_PASSKEY); }
CASE(SM_PER_SCPK_BV_03_C) { L; run(&l, &t, 1, DO, KO, true, true, F_RFU_AUTHREQ); go(&l); expect_ok(&l, PS_SM_METHOD_PASSKEY); }
CASE(SM_CEN_SCPK_BV_04_C) { L; run(&l, &t, 0, KO, DO, true, true, F_RFU_AUTHREQ); go(&l); expect_ok(&l, PS_SM_METHOD_PASSKEY); }
CASE(SM_CEN_SCPK_BI_01_C) { L; run(&l, &t, 0, KO, DO, true, true, F_FAIL_ON_CONFIRM); t.fail_reason = PS_SMP_PASSKEY_ENTRY_FAILED; go(&l); expect_peer_fail(&l, 0, PS_SMP_PASSKEY_ENTRY_FAILED); }
CASE(SM_CEN_SCPK_BI_02_C) { L; run(&l, &t, 0, KO, DO, true, true, F_WRONG_CONFIRM); go(&l); expect_iut_fail(&l, 0, PS_SMP_CONFIRM_VALUE_FAILED); }
CASE(SM_PER_SCPK_BI_03_C) { L; run(&l, &t, 1, DO, KO, true, true, F_WRONG_CONFIRM); go(&l); expect_iut_fail(&l, 1, PS_SMP_CONFIRM_VALUE_FAILED); }
CASE(SM_PER_SCPK_BI_04_C) { L; run(&l, &t, 1, DO, KO, true, true, F_FAIL_ON_CONFIRM); go(&l); expect_peer_fail(&l, 1, PS_SMP_UNSPECIFIED); }
CASE(SM_CEN_SCPK_BV_05_C)
{
	uint32_t v[3];
	(void)state;
	for (int i = 0; i < 3; i++) {
		struct h_link l;
		struct tcase t;
		run(&l, &t, 0, DO, KO, true, true, F_NONE);
		go(&l);
		v[i] = l.d[0].shown_value;
		expect_ok(&l, PS_SM_METHOD_PASSKEY);
	}
	assert_false(v[0] == v[1] && v[1] == v[2]);
}
static void scob_f(int iut, bool iut_has, bool tester_has, bool corrupt, uint8_t want_fail, enum fault f)
{
	struct h_link l;
	struct tcase t;
	run(&l, &t, iut, NINO, NINO, true, false, f);
	if (f == F_FAIL_ON_RANDOM)
		t.fail_reason = want_fail;
	l.d[iut].cfg.oob_sc_present = iut_has;
	l.d[1 - iut].cfg.oob_sc_present = tester_has;
	assert_int_equal(h_setup(&l), 0);
	if (corrupt)
		l.d[iut].sm.cfg.oob_sc_c[0] ^= 1; /* the IUT got wrong OOB data */
	struct ps_sm_outbox out = { .n = 0 };
	assert_int_equal(ps_sm_pair(&l.d[0].sm, &out), 0);
	h_outbox(&l, 0, &out);
	h_run(&l);
	if (f == F_FAIL_ON_RANDOM)
		expect_peer_fail(&l, iut, want_fail);
	else if (want_fail)
		expect_iut_fail(&l, iut, want_fail);
	else
		expect_ok(&l, PS_SM_METHOD_OOB);
}
static void scob(int iut, bool iut_has, bool tester_has, bool corrupt, uint8_t want_fail)
{
	scob_f(iut, iut_has, tester_has, corrupt, want_fail, F_NONE);
}
CASE(SM_CEN_SCOB_BV_01_C) { (void)state; scob(0, true, true, false, 0); }
CASE(SM_PER_SCOB_BV_02_C) { (void)state; scob(1, true, false, false, 0); }
CASE(SM_PER_SCOB_BI_02_C) { (void)state; scob(1, true, true, true, PS_SMP_CONFIRM_VALUE_FAILED); }
CASE(SM_CEN_SCOB_BI_04_C) { (void)state; scob(0, true, false, true, PS_SMP_CONFIRM_VALUE_FAILED); }
CASE(SM_CEN_SCOB_BI_01_C) { (void)state; scob(0, true, true, true, PS_SMP_CONFIRM_VALUE_FAILED); }
/* RFU AuthReq bits from the tester are ignored (and kept in its own records for f5/f6 inputs). */
CASE(SM_PER_SCOB_BV_03_C) { (void)state; scob_f(1, true, true, false, 0, F_RFU_AUTHREQ); }
CASE(SM_CEN_SCOB_BV_04_C) { (void)state; scob_f(0, true, true, false, 0, F_RFU_AUTHREQ); }
/* The tester (initiator) fails the OOB pairing instead of revealing its random. */
CASE(SM_PER_SCOB_BI_03_C) { (void)state; scob_f(1, true, true, false, PS_SMP_OOB_NOT_AVAILABLE, F_FAIL_ON_RANDOM); }

/* SMP timeout: 30 s of silence fail the pairing; no Pairing Failed, and the channel stays silent. */
static void timeout_case(int iut)
{
	struct h_link l;
	struct tcase t;
	run(&l, &t, iut, NINO, NINO, true, false, F_STALL);
	go(&l);
	assert_int_equal(l.d[iut].results, 0);
	l.now += 29999;
	struct ps_sm_outbox out = { .n = 0 };
	assert_int_equal(ps_sm_tick(&l.d[iut].sm, &out), 0);
	assert_int_equal(out.n, 0u);
	l.now += 1;
	assert_int_equal(ps_sm_tick(&l.d[iut].sm, &out), 0);
	h_outbox(&l, iut, &out);
	assert_int_equal(l.d[iut].result.status, -PS_ETIMEOUT);
	assert_int_equal(ps_sm_state(&l.d[iut].sm), PS_SM_TIMED_OUT);
	unsigned sent = l.d[iut].sent[ps_smp_pairing_failed_code];
	assert_int_equal(sent, 0u);
	uint8_t req[7] = { 1, 3, 0, 9, 16, 7, 7 };
	assert_int_equal(ps_sm_rx(&l.d[iut].sm, req, 7, &out), 0);
	assert_int_equal(out.n, 0u);
	assert_int_equal(ps_sm_pair(&l.d[iut].sm, &out), -PS_ESTATE);
	h_fini(&l);
}
CASE(SM_CEN_PROT_BV_01_C) { (void)state; timeout_case(0); }
CASE(SM_PER_PROT_BV_02_C) { (void)state; timeout_case(1); }

#define T(name) cmocka_unit_test(test_##name)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(SM_CEN_JW_BV_01_C), T(SM_PER_JW_BV_02_C), T(SM_PER_JW_BI_03_C), T(SM_CEN_JW_BI_04_C),
		T(SM_CEN_JW_BV_05_C), T(SM_CEN_JW_BI_01_C), T(SM_PER_JW_BI_02_C), T(SM_CEN_JW_BI_06_C),
		T(SM_CEN_PKE_BV_01_C), T(SM_PER_PKE_BV_02_C), T(SM_CEN_PKE_BV_04_C), T(SM_PER_PKE_BV_05_C),
		T(SM_CEN_PKE_BI_01_C), T(SM_CEN_PKE_BI_02_C), T(SM_PER_PKE_BI_03_C), T(SM_CEN_PKE_BV_05_C),
		T(SM_CEN_PKE_BI_03_C), T(SM_CEN_OOB_BV_01_C), T(SM_PER_OOB_BV_02_C), T(SM_CEN_OOB_BV_03_C),
		T(SM_PER_OOB_BV_04_C), T(SM_CEN_OOB_BV_05_C), T(SM_PER_OOB_BV_06_C), T(SM_CEN_OOB_BI_01_C),
		T(SM_PER_OOB_BI_02_C), T(SM_CEN_EKS_BV_01_C), T(SM_PER_EKS_BV_02_C), T(SM_CEN_EKS_BI_01_C),
		T(SM_PER_EKS_BI_02_C), T(SM_PER_KDU_BV_01_C), T(SM_PER_KDU_BV_02_C), T(SM_PER_KDU_BV_03_C),
		T(SM_PER_KDU_BV_08_C), T(SM_PER_KDU_BV_09_C), T(SM_CEN_KDU_BV_04_C), T(SM_CEN_KDU_BV_05_C),
		T(SM_CEN_KDU_BV_06_C), T(SM_CEN_KDU_BV_10_C), T(SM_CEN_KDU_BV_11_C), T(SM_PER_KDU_BI_01_C),
		T(SM_PER_KDU_BI_04_C), T(SM_CEN_KDU_BI_01_C), T(SM_CEN_KDU_BI_04_C), T(SM_PER_KDU_BI_02_C),
		T(SM_PER_KDU_BI_03_C), T(SM_PER_PIS_BV_01_C), T(SM_CEN_PIS_BV_02_C), T(SM_CEN_SCJW_BV_01_C),
		T(SM_PER_SCJW_BV_02_C), T(SM_PER_SCJW_BV_03_C), T(SM_CEN_SCJW_BV_04_C), T(SM_CEN_SCJW_BI_01_C),
		T(SM_PER_SCJW_BI_02_C), T(SM_CEN_SCPK_BV_01_C), T(SM_PER_SCPK_BV_02_C), T(SM_PER_SCPK_BV_03_C),
		T(SM_CEN_SCPK_BV_04_C), T(SM_CEN_SCPK_BI_01_C), T(SM_CEN_SCPK_BI_02_C), T(SM_PER_SCPK_BI_03_C),
		T(SM_PER_SCPK_BI_04_C), T(SM_CEN_SCPK_BV_05_C), T(SM_CEN_SCOB_BV_01_C), T(SM_PER_SCOB_BV_02_C),
		T(SM_PER_SCOB_BI_02_C), T(SM_CEN_SCOB_BI_04_C), T(SM_CEN_SCOB_BI_01_C), T(SM_CEN_PROT_BV_01_C),
		T(SM_PER_PROT_BV_02_C), T(SM_CEN_OOB_BV_07_C), T(SM_PER_OOB_BV_08_C), T(SM_CEN_OOB_BV_09_C),
		T(SM_PER_OOB_BV_10_C), T(SM_PER_SCOB_BV_03_C), T(SM_CEN_SCOB_BV_04_C), T(SM_PER_SCOB_BI_03_C),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
