/* The cracker's front: connections by access address (Core Vol 6 Part B §2.3.3.1 CONNECT_IND, §2.4 data
 * PDUs), the store of data PDUs each connection analysis walks, learnt keys, results. */
#include "crack/crack_int.h"
#include "base/bytes.h"
#include "proto/ll.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ps_crack_note(const struct ps_crack *c, uint64_t frame, const char *fmt, ...)
{
	if (!c->o.on_note)
		return;
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	c->o.on_note(c->o.note_ctx, frame, buf);
}

int ps_crack_new(struct ps_crack **out, const struct ps_crack_opts *opts)
{
	if (!out || !opts || !opts->crypto)
		return -PS_EINVAL;
	struct ps_crack *c = calloc(1, sizeof *c);
	if (!c)
		return -PS_ENOMEM;
	c->o = *opts;
	*out = c;
	return 0;
}

static void conn_free(struct conn *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++) {
		free(k->pdus[i].data);
		free(k->pdus[i].plain);
	}
	free(k->pdus);
	memset(k, 0, sizeof *k);
	free(k);
}

void ps_crack_free(struct ps_crack *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		conn_free(c->conns[i]);
	free(c->conns);
	if (c->keys)
		memset(c->keys, 0, c->capkeys * sizeof *c->keys);
	free(c->keys);
	free(c->refs);
	ps_crack_hci_free(c);
	free(c);
}

struct conn *ps_crack_conn_new(struct ps_crack *c, uint32_t aa, uint64_t frame)
{
	if (ps_grow((void **)&c->conns, &c->cap, c->n, sizeof *c->conns, 8) < 0)
		return NULL;
	struct conn *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->pub.access_address = aa;
	k->pub.first_frame = k->pub.last_frame = frame;
	k->pub.verdict = PS_CRACK_PLAIN;
	k->dir = PS_LL_DIR_INIT;
	c->conns[c->n++] = k;
	return k;
}

int ps_crack_add_key(struct ps_crack *c, const uint8_t ltk[16], uint16_t ediv, uint64_t rand, bool ident)
{
	for (size_t i = 0; i < c->nkeys; i++)
		if (!memcmp(c->keys[i].ltk, ltk, 16) && c->keys[i].ediv == ediv && c->keys[i].rand == rand)
			return 0;
	if (ps_grow((void **)&c->keys, &c->capkeys, c->nkeys, sizeof *c->keys, 4) < 0)
		return -PS_ENOMEM;
	struct known_ltk *k = &c->keys[c->nkeys++];
	memcpy(k->ltk, ltk, 16);
	k->ediv = ediv;
	k->rand = rand;
	k->ident = ident;
	return 0;
}

/* Most recent connection on this access address, NULL when none. */
static struct conn *find_conn(struct ps_crack *c, uint32_t aa)
{
	for (size_t i = c->n; i-- > 0;)
		if (c->conns[i]->pub.access_address == aa && !(c->conns[i]->pub.have & PS_CRACK_FROM_HCI))
			return c->conns[i];
	return NULL;
}

/* §2.3.3.1 CONNECT_IND: a new connection on its access address, with the two addresses and CRCInit. */
static int on_connect_ind(struct ps_crack *c, const struct ps_frame *f, const struct ps_ll_pdu *pdu)
{
	struct ps_lladv_connect_ind ci;
	const struct ps_layout *l = ps_lladv_layout(ps_lladv_connect_ind_code);
	if (pdu->len != 34 || ps_layout_decode(l, pdu->payload, pdu->len, &ci) < 0) {
		ps_crack_note(c, f->number, "CONNECT_IND with length %u (34 expected): ignored", pdu->len);
		return 0;
	}
	if (ci.access_addr == PS_LL_ADV_AA) {
		ps_crack_note(c, f->number, "CONNECT_IND names the advertising access address: ignored");
		return 0;
	}
	if (ci.interval < PS_LL_INTERVAL_MIN || ci.interval > PS_LL_INTERVAL_MAX || ci.latency > PS_LL_LATENCY_MAX ||
	    ci.timeout < PS_LL_TIMEOUT_MIN || ci.timeout > PS_LL_TIMEOUT_MAX)
		ps_crack_note(c, f->number,
			      "CONNECT_IND for access address 0x%08x has out-of-range parameters (interval %u, latency "
			      "%u, timeout %u; Vol 6 Part B §2.3.3.1 allows 6..3200, 0..499, 10..3200): connection "
			      "followed by its access address only",
			      ci.access_addr, ci.interval, ci.latency, ci.timeout);
	struct conn *k = ps_crack_conn_new(c, ci.access_addr, f->number);
	if (!k)
		return -PS_ENOMEM;
	k->crc_init = ci.crc_init;
	k->crc_known = true;
	k->pub.central.type = pdu->tx_add;
	memcpy(k->pub.central.a, ci.init_addr, 6);
	k->pub.peripheral.type = pdu->rx_add;
	memcpy(k->pub.peripheral.a, ci.adv_addr, 6);
	k->pub.have |= PS_CRACK_HAVE_ADDRS;
	return 0;
}

static int on_data(struct ps_crack *c, const struct ps_frame *f, const struct ps_ll_pdu *pdu)
{
	struct conn *k = find_conn(c, pdu->aa);
	if (!k && !(k = ps_crack_conn_new(c, pdu->aa, f->number)))
		return -PS_ENOMEM;
	/* Damaged packets: the sniffer's verdict when it gives one (the nRF Sniffer decrypts in place and
	 * keeps the CRC of the ciphertext, so ours would fail there), else ours when CONNECT_IND gave CRCInit
	 * (§3.1.1). */
	bool damaged = (f->ll.flags & PS_LL_CRC_CHECKED)
			       ? !(f->ll.flags & PS_LL_CRC_OK)
			       : k->crc_known && pdu->has_crc &&
					 ps_ll_crc24(k->crc_init, f->data + 4, 2u + pdu->len) != pdu->crc;
	/* The sniffer's direction, else the guess shared with decode and doctor (proto/ll.h); a damaged
	 * PDU was still sent in its event, so it moves the guess on too. */
	uint8_t dir = ps_ll_dir_next(&k->dir, f, NULL) ? 1 : 0;
	if (damaged) {
		k->bad_crc++;
		return 0;
	}
	if (ps_grow((void **)&k->pdus, &k->cap, k->n, sizeof *k->pdus, 64) < 0)
		return -PS_ENOMEM;
	struct pdu *p = &k->pdus[k->n];
	*p = (struct pdu){ .number = f->number, .ts_us = f->ts_us, .hdr0 = pdu->hdr0, .len = pdu->len,
			   .llflags = f->ll.flags, .dir = 0xff };
	/* The nRF Sniffer decrypts in place and leaves the MIC; DLT 256 "decrypted" packets carry none
	 * (Wireshark's btle_rf reads them so, and so does our -o output). */
	p->mic_kept = (f->ll.flags & PS_LL_DECRYPTED) && (f->dlt == 272 || f->dlt == 157);
	if (pdu->len && !(p->data = malloc(pdu->len)))
		return -PS_ENOMEM;
	if (pdu->len)
		memcpy(p->data, pdu->payload, pdu->len);
	p->dir = dir;
	k->n++;
	k->pub.last_frame = f->number;
	return 0;
}

int ps_crack_feed(struct ps_crack *c, const struct ps_frame *f)
{
	if (f->opcode != PS_MON_LL)
		return ps_crack_hci_feed(c, f);
	struct ps_ll_pdu pdu;
	if (ps_ll_pdu_split(f->data, f->len, (f->ll.flags & PS_LL_HAS_CRC) != 0, &pdu) < 0)
		return 0;
	if (pdu.adv) {
		if (pdu.adv_type != ps_lladv_connect_ind_code)
			return 0;
		if ((f->ll.flags & PS_LL_CRC_CHECKED) && !(f->ll.flags & PS_LL_CRC_OK))
			return 0;
		if (!(f->ll.flags & PS_LL_CRC_CHECKED) && pdu.has_crc &&
		    ps_ll_crc24(PS_LL_ADV_CRC_INIT, f->data + 4, 2u + pdu.len) != pdu.crc) {
			ps_crack_note(c, f->number, "CONNECT_IND with a bad CRC: ignored");
			return 0;
		}
		return on_connect_ind(c, f, &pdu);
	}
	return on_data(c, f, &pdu);
}

static int ref_cmp(const void *a, const void *b)
{
	const struct plain_ref *x = a, *y = b;
	return x->number < y->number ? -1 : x->number > y->number;
}

int ps_crack_run(struct ps_crack *c)
{
	int rc;
	for (size_t i = 0; i < c->o.nltks; i++)
		if ((rc = ps_crack_add_key(c, c->o.ltks[i], 0, 0, false)) < 0)
			return rc;
	if ((rc = ps_crack_hci_run(c)) < 0)
		return rc;
	/* Twice when a later connection taught a key an earlier one needed (rare: captures are in time
	 * order, so the first pass nearly always suffices). */
	size_t nkeys_before = c->nkeys;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->n; i++) {
			struct conn *k = c->conns[i];
			if (k->pub.have & PS_CRACK_FROM_HCI)
				continue;
			if (pass == 1 && !(k->pub.verdict == PS_CRACK_FAILED && k->pub.encrypted))
				continue;
			if ((rc = ps_crack_walk(c, k)) < 0)
				return rc;
		}
		if (c->nkeys == nkeys_before)
			break;
	}
	/* Drop noise: connections without CONNECT_IND that hold a single PDU. */
	size_t w = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct conn *k = c->conns[i];
		if (!(k->pub.have & (PS_CRACK_HAVE_ADDRS | PS_CRACK_FROM_HCI)) && k->n < 2)
			conn_free(k);
		else
			c->conns[w++] = k;
	}
	c->n = w;
	size_t nref = 0;
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->conns[i]->n; j++)
			nref += c->conns[i]->pdus[j].plain != NULL;
	free(c->refs);
	c->refs = NULL;
	c->nrefs = 0;
	if (nref && !(c->refs = calloc(nref, sizeof *c->refs)))
		return -PS_ENOMEM;
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->conns[i]->n; j++)
			if (c->conns[i]->pdus[j].plain)
				c->refs[c->nrefs++] = (struct plain_ref){ c->conns[i]->pdus[j].number, (uint32_t)i, (uint32_t)j };
	if (c->nrefs)
		qsort(c->refs, c->nrefs, sizeof *c->refs, ref_cmp);
	return 0;
}

size_t ps_crack_count(const struct ps_crack *c) { return c->n; }

const struct ps_crack_conn *ps_crack_get(const struct ps_crack *c, size_t i)
{
	return i < c->n ? &c->conns[i]->pub : NULL;
}

int ps_crack_plain(const struct ps_crack *c, uint64_t number, uint8_t *hdr0, const uint8_t **payload, size_t *len,
		   uint32_t *crc_init, bool *crc_known)
{
	struct plain_ref key = { .number = number };
	const struct plain_ref *r = c->nrefs ? bsearch(&key, c->refs, c->nrefs, sizeof *c->refs, ref_cmp) : NULL;
	if (!r)
		return -PS_ENOENT;
	const struct conn *k = c->conns[r->conn];
	const struct pdu *p = &k->pdus[r->pdu];
	*hdr0 = p->hdr0;
	*payload = p->plain;
	*len = p->len >= 4 ? p->len - 4u : 0;
	*crc_init = k->crc_init;
	*crc_known = k->crc_known;
	return 0;
}
