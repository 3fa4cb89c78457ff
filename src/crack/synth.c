/* A synthetic sniffer capture for benchmarks (pcap, DLT 256): CONNECT_IND (Core Vol 6 Part B §2.3.3.1),
 * a legacy Passkey Entry pairing with a chosen passkey (Vol 3 Part H §2.3.5.5, c1/s1 §2.2.3-2.2.4),
 * LL_ENC_REQ/RSP/START_ENC_REQ (§5.1.3.1) and the encrypted LL_START_ENC_RSPs and key distribution,
 * with valid CRCs (§3.1.1). Without confirms it is the worst case of the decryption search. */
#include "crack/crack_int.h"
#include "base/bytes.h"
#include "proto/ll.h"
#include <pcap/pcap.h>
#include <string.h>

#define SYN_AA 0x5065a1b2u
#define SYN_CRCINIT 0x3c5a96u

struct syn {
	const struct ps_crypto *cr;
	pcap_dumper_t *d;
	unsigned n;
	uint8_t sn[2];
	bool enc;
	uint8_t sk[16], iv[8];
	uint64_t ctr[2];
	int rc;
};

static void emit(struct syn *s, uint32_t aa, uint8_t hdr0, const uint8_t *pl, size_t len, uint32_t crcinit)
{
	uint8_t rec[10 + 4 + 2 + 255 + 3] = { 37, 0xc8, 0xa6, 0, 0, 0, 0, 0, 0, 0 };
	uint16_t fl = 0x0001 | 0x0002 | 0x0400 | 0x0800; /* dewhitened, signal valid, CRC checked + valid */
	ps_put_le(rec + 8, fl, 2);
	ps_put_le(rec + 10, aa, 4);
	rec[14] = hdr0;
	rec[15] = (uint8_t)len;
	if (len)
		memcpy(rec + 16, pl, len);
	ps_put_le(rec + 16 + len, ps_ll_crc24(crcinit, rec + 14, 2 + len), 3);
	struct pcap_pkthdr h = { .caplen = (bpf_u_int32)(19 + len), .len = (bpf_u_int32)(19 + len) };
	h.ts.tv_sec = 1700000000 + s->n / 100;
	h.ts.tv_usec = (suseconds_t)((s->n % 100) * 10000);
	s->n++;
	pcap_dump((u_char *)s->d, &h, rec);
}

static void data(struct syn *s, int dir, uint8_t llid, const uint8_t *pl, size_t len)
{
	uint8_t hdr0 = (uint8_t)(llid | (s->sn[dir] << 3) | (s->sn[!dir] << 2));
	uint8_t ct[255];
	s->sn[dir] ^= 1;
	if (!s->enc || !len) {
		emit(s, SYN_AA, hdr0, pl, len, SYN_CRCINIT);
		return;
	}
	int rc = ps_crypto_ll_encrypt(s->cr, s->sk, s->iv, s->ctr[dir]++, dir, hdr0, pl, len, ct, ct + len);
	if (rc < 0)
		s->rc = rc;
	emit(s, SYN_AA, hdr0, ct, len + 4, SYN_CRCINIT);
}

static void smp(struct syn *s, int dir, const uint8_t *pdu, size_t len)
{
	uint8_t l2[4 + 64] = { (uint8_t)len, 0, 6, 0 };
	memcpy(l2 + 4, pdu, len);
	data(s, dir, 2, l2, 4 + len);
}

int ps_crack_selftest_capture(const struct ps_crypto *cr, uint32_t passkey, bool confirms, const char *path)
{
	static const uint8_t ia[6] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 }, ra[6] = { 0x9a, 0x8b, 0x7c, 0x6d, 0x5e, 0xcf };
	static const uint8_t preq[7] = { 0x01, 0x04, 0x00, 0x05, 0x10, 0x07, 0x07 };
	static const uint8_t pres[7] = { 0x02, 0x02, 0x00, 0x05, 0x10, 0x07, 0x07 };
	pcap_t *dead = pcap_open_dead(256, 65535);
	if (!dead)
		return -PS_ENOMEM;
	struct syn s = { .cr = cr };
	if (!(s.d = pcap_dump_open(dead, path))) {
		pcap_close(dead);
		return -PS_EIO;
	}
	uint8_t adv[9] = { 0 }, ci[34] = { 0 };
	memcpy(adv, ra, 6);
	adv[6] = 0x02, adv[7] = 0x01, adv[8] = 0x06;
	emit(&s, PS_LL_ADV_AA, 0x40, adv, 9, PS_LL_ADV_CRC_INIT);
	memcpy(ci, ia, 6);
	memcpy(ci + 6, ra, 6);
	ps_put_le(ci + 12, SYN_AA, 4);
	ps_put_le(ci + 16, SYN_CRCINIT, 3);
	ci[19] = 2;
	ps_put_le(ci + 22, 24, 2);  /* interval 30 ms */
	ps_put_le(ci + 26, 400, 2); /* timeout 4 s */
	memset(ci + 28, 0xff, 4);
	ci[32] = 0x1f;
	ci[33] = 0x27;
	emit(&s, PS_LL_ADV_AA, 0x85, ci, 34, PS_LL_ADV_CRC_INIT); /* TxAdd 0 (public), RxAdd 1 (random) */

	uint8_t tk[16], stk[16], mc[17] = { 0x03 }, sc[17] = { 0x03 }, mr[17] = { 0x04 }, sr[17] = { 0x04 };
	for (int i = 0; i < 16; i++)
		mr[1 + i] = (uint8_t)(0x5a ^ (i * 17)), sr[1 + i] = (uint8_t)(0xa5 ^ (i * 29));
	ps_crack_tk_bytes(passkey, tk);
	int rc;
	if ((rc = ps_crypto_c1(cr, tk, mr + 1, preq, pres, 0, ia, 1, ra, mc + 1)) < 0 ||
	    (rc = ps_crypto_c1(cr, tk, sr + 1, preq, pres, 0, ia, 1, ra, sc + 1)) < 0 ||
	    (rc = ps_crypto_s1(cr, tk, sr + 1, mr + 1, stk)) < 0)
		goto out;
	smp(&s, 1, preq, 7);
	smp(&s, 0, pres, 7);
	if (confirms) {
		smp(&s, 1, mc, 17);
		smp(&s, 0, sc, 17);
	}
	smp(&s, 1, mr, 17);
	smp(&s, 0, sr, 17);
	uint8_t req[23] = { 0x03 }, rsp[13] = { 0x04 }, op = 0x05;
	for (int i = 1; i < 23; i++)
		req[i] = (uint8_t)(i * 41 + 3);
	for (int i = 1; i < 13; i++)
		rsp[i] = (uint8_t)(i * 23 + 9);
	data(&s, 1, 3, req, 23);
	data(&s, 0, 3, rsp, 13);
	data(&s, 0, 3, &op, 1);
	memcpy(s.iv, req + 19, 4);
	memcpy(s.iv + 4, rsp + 9, 4);
	if ((rc = ps_crypto_session_key(cr, stk, req + 11, rsp + 1, s.sk)) < 0)
		goto out;
	s.enc = true;
	op = 0x06;
	data(&s, 1, 3, &op, 1);
	data(&s, 0, 3, &op, 1);
	uint8_t ei[17] = { 0x06 }, cid[11] = { 0x07, 0x21, 0x43 };
	for (int i = 1; i < 17; i++)
		ei[i] = (uint8_t)(i * 7);
	smp(&s, 0, ei, 17);
	smp(&s, 0, cid, 11);
	rc = s.rc;
out:
	pcap_dump_close(s.d);
	pcap_close(dead);
	memset(&s, 0, sizeof s);
	return rc;
}
