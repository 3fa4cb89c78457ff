/* The SMP side of the cracker (Core Vol 3 Part H §3.5-3.6): Pairing Request/Response, confirms and
 * randoms per side, public keys (SC), Pairing Failed, and the distributed keys (LTK, EDIV/Rand, IRK,
 * CSRK), read with the smp.def layouts; and the association model of §2.3.5.1 (Table 2.8). Shared by
 * the sniffer walk (walk.c) and the HCI path (hci.c). */
#include "crack/crack_int.h"
#include "proto/smp.h"
#include <string.h>

/* Which side sent an SMP PDU: 0 central, 1 peripheral (index into pairing arrays). */
static int side_of(uint8_t dir) { return dir == 1 ? 0 : 1; }

static void store_once(uint8_t dst[2][16], uint8_t *mask, int *count, int side, bool dir_known, const uint8_t v[16])
{
	/* A repeat of a value already stored is a retransmission seen twice (crackle's "duplicate"). */
	for (int i = 0; i < 2; i++)
		if ((*mask & (1u << i)) && !memcmp(dst[i], v, 16))
			return;
	if (!dir_known)
		side = *count < 2 ? *count : 1; /* no direction: the central's comes first (§2.3.5.5) */
	memcpy(dst[side], v, 16);
	*mask |= (uint8_t)(1u << side);
	(*count)++;
}

void ps_crack_smp(struct ps_crack *c, struct conn *k, uint8_t dir, bool dir_known, uint64_t number, const uint8_t *b,
		  size_t n)
{
	struct pairing *pr = &k->pair;
	union {
		struct ps_smp_pairing_req req;
		struct ps_smp_pairing_confirm cf;
		struct ps_smp_pairing_random rn;
		struct ps_smp_pairing_failed fl;
		struct ps_smp_encrypt_info ei;
		struct ps_smp_central_ident ci;
		struct ps_smp_ident_info ii;
		struct ps_smp_signing_info si;
		struct ps_smp_public_key pk;
	} u;
	if (n < 1)
		return;
	const struct ps_layout *l = ps_smp_layout(b[0]);
	if (!l || ps_layout_decode(l, b + 1, n - 1, &u) < 0) {
		ps_crack_note(c, number, "SMP PDU 0x%02x of %zu octets not understood: skipped", b[0], n);
		return;
	}
	int side = side_of(dir);
	switch ((enum ps_smp_code)b[0]) {
	case ps_smp_pairing_req_code:
		memset(pr, 0, sizeof *pr);
		memcpy(pr->preq, b, 7);
		pr->preq_ok = true;
		k->pub.pairing = true;
		k->pair_fresh = false;
		break;
	case ps_smp_pairing_rsp_code:
		memcpy(pr->pres, b, 7);
		pr->pres_ok = true;
		k->pub.pairing = true;
		break;
	case ps_smp_pairing_confirm_code:
		store_once(pr->confirm, &pr->confirm_mask, &pr->nconfirm, side, dir_known, u.cf.value);
		k->pub.pairing = true;
		break;
	case ps_smp_pairing_random_code:
		store_once(pr->rand, &pr->rand_mask, &pr->nrand, side, dir_known, u.rn.value);
		k->pub.pairing = true;
		if (pr->rand_mask == 3)
			k->pair_fresh = true;
		break;
	case ps_smp_pairing_failed_code:
		pr->failed = true;
		pr->fail_reason = u.fl.reason;
		break;
	case ps_smp_public_key_code: {
		int s = dir_known ? side : (pr->pk_ok[0] ? 1 : 0);
		memcpy(pr->pk[s], u.pk.x, 32);
		memcpy(pr->pk[s] + 32, u.pk.y, 32);
		pr->pk_ok[s] = true;
		pr->sc = true;
		k->pub.pairing = true;
		break;
	}
	case ps_smp_encrypt_info_code:
		memcpy(k->dist_ltk[side], u.ei.ltk, 16);
		k->have_key_dist_ltk[side] = true;
		memcpy(k->pub.dist[side].ltk, u.ei.ltk, 16);
		k->pub.dist[side].have = true;
		/* Known from now on for later connections, even if Central Identification is missed. */
		ps_crack_add_key(c, u.ei.ltk, 0, 0, false);
		/* The last LTK distributed is the one reported (crackle's choice); EDIV/Rand follow it. */
		memcpy(k->pub.ltk, u.ei.ltk, 16);
		k->pub.have = (k->pub.have | PS_CRACK_HAVE_LTK) & ~(uint32_t)PS_CRACK_HAVE_EDIV;
		break;
	case ps_smp_central_ident_code:
		k->dist_ediv[side] = u.ci.ediv;
		k->dist_rand[side] = u.ci.rand;
		k->pub.dist[side].ediv = u.ci.ediv;
		k->pub.dist[side].rand = u.ci.rand;
		k->pub.dist[side].have_ediv = true;
		if (k->have_key_dist_ltk[side]) {
			ps_crack_add_key(c, k->dist_ltk[side], u.ci.ediv, u.ci.rand, true);
			if (!memcmp(k->pub.ltk, k->dist_ltk[side], 16)) {
				k->pub.ediv = u.ci.ediv;
				k->pub.rand = u.ci.rand;
				k->pub.have |= PS_CRACK_HAVE_EDIV;
			}
		}
		break;
	case ps_smp_ident_info_code:
		memcpy(k->pub.irk, u.ii.irk, 16);
		k->pub.have |= PS_CRACK_HAVE_IRK;
		break;
	case ps_smp_signing_info_code:
		memcpy(k->pub.csrk, u.si.csrk, 16);
		k->pub.have |= PS_CRACK_HAVE_CSRK;
		break;
	case ps_smp_ident_addr_info_code:
	case ps_smp_security_req_code:
	case ps_smp_dhkey_check_code:
	case ps_smp_keypress_code:
		break;
	}
}

enum ps_crack_method ps_crack_method_of(const struct pairing *pr, bool pairing, bool have_tk, uint32_t tk)
{
	if (!pairing)
		return PS_CRACK_METHOD_NONE;
	if (!pr->preq_ok || !pr->pres_ok) {
		if (pr->sc)
			return PS_CRACK_METHOD_UNKNOWN;
		return have_tk ? (tk ? PS_CRACK_METHOD_PASSKEY : PS_CRACK_METHOD_JUST_WORKS) : PS_CRACK_METHOD_UNKNOWN;
	}
	/* Vol 3 Part H §2.3.5.1: OOB when the OOB flags say so (legacy: both; SC: either), Just Works when
	 * neither side asks for MITM, else Table 2.8 by IO capabilities. */
	uint8_t iio = pr->preq[1], rio = pr->pres[1];
	bool sc = pr->sc;
	if (sc ? (pr->preq[2] || pr->pres[2]) : (pr->preq[2] && pr->pres[2]))
		return PS_CRACK_METHOD_OOB;
	if (!((pr->preq[3] | pr->pres[3]) & PS_SMP_AUTH_MITM))
		return PS_CRACK_METHOD_JUST_WORKS;
	if (iio == 3 || rio == 3 || iio > 4 || rio > 4)
		return PS_CRACK_METHOD_JUST_WORKS;
	bool iyn = iio == 1 || iio == 4, ryn = rio == 1 || rio == 4;
	if (sc && iyn && ryn)
		return PS_CRACK_METHOD_NUMCMP;
	if (iio <= 1 && rio <= 1)
		return PS_CRACK_METHOD_JUST_WORKS; /* DisplayOnly / DisplayYesNo on both sides */
	return PS_CRACK_METHOD_PASSKEY;
}
