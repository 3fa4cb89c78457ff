/* Test helper: devices (host + virtual controller) in one in-process simulation, recording what each
 * host's callbacks saw. Header-only so each test executable includes it. */
#ifndef PS_TEST_SIMDEV_H
#define PS_TEST_SIMDEV_H

#include "testutil.h"
#include <pairscope/crypto.h>
#include <pairscope/sim.h>
#include <pairscope/trace.h>
#include <stdio.h>
#include <string.h>

struct dev {
	struct ps_host *h;
	struct ps_vctl *c;
	int ready;             /* -1 until ready, then the status */
	int conn_status;       /* -1 until connected */
	struct ps_host_conn_info info;
	int disc_reason;       /* -1 until disconnected */
	int upd_status, upd_interval;
	int param_rsp;         /* -1 until the L2CAP response */
	int enc_status, enc_enabled, enc_refresh, enc_count;
	int ltk_requests;
	bool reply_ltk;        /* answer LTK requests with ltk (else negative) */
	uint8_t ltk[16];
	int mtu;
	unsigned tx_pending;
	int tx_done_calls;
	int acl_before_enc;    /* SDUs on CID 0x0040 received while not yet told of encryption */
	int rx_sdus;
	size_t rx_last_len;
	uint8_t rx_last[600];
	int adv_reports;
	bool send_on_enc;      /* send one SDU on CID 0x0040 when told of encryption */
};

static inline void d_ready(void *ctx, uint8_t st) { ((struct dev *)ctx)->ready = st; }
static inline void d_connected(void *ctx, uint8_t st, const struct ps_host_conn_info *i)
{
	struct dev *d = ctx;
	d->conn_status = st;
	d->info = *i;
}
static inline void d_disconnected(void *ctx, uint16_t h, uint8_t reason)
{
	(void)h;
	((struct dev *)ctx)->disc_reason = reason;
}
static inline void d_updated(void *ctx, uint16_t h, uint8_t st, uint16_t iv, uint16_t lat, uint16_t to)
{
	(void)h, (void)lat, (void)to;
	struct dev *d = ctx;
	d->upd_status = st;
	d->upd_interval = iv;
}
static inline void d_param_rsp(void *ctx, uint16_t h, uint16_t result)
{
	(void)h;
	((struct dev *)ctx)->param_rsp = result;
}
static inline void d_ltk_request(void *ctx, uint16_t h, uint64_t rand, uint16_t ediv)
{
	(void)rand, (void)ediv;
	struct dev *d = ctx;
	d->ltk_requests++;
	if (d->reply_ltk)
		ps_host_ltk_reply(d->h, h, d->ltk);
	else
		ps_host_ltk_neg_reply(d->h, h);
}
static inline void d_enc(void *ctx, uint16_t h, uint8_t st, uint8_t en, bool refresh)
{
	(void)h;
	struct dev *d = ctx;
	d->enc_status = st;
	d->enc_enabled = en;
	d->enc_refresh = refresh;
	d->enc_count++;
	if (d->send_on_enc) {
		const uint8_t sdu[] = { 0xe0, 0x01 };
		ps_host_l2cap_send(d->h, h, 0x0040, sdu, sizeof sdu);
	}
}
static inline void d_tx_done(void *ctx, uint16_t h, unsigned pending)
{
	(void)h;
	struct dev *d = ctx;
	d->tx_pending = pending;
	d->tx_done_calls++;
}
static inline void d_mtu(void *ctx, uint16_t h, uint16_t mtu)
{
	(void)h;
	((struct dev *)ctx)->mtu = mtu;
}
static void d_l2cap(void *ctx, uint16_t h, uint16_t cid, const uint8_t *p, size_t n)
{
	(void)h;
	struct dev *d = ctx;
	if (cid != 0x0040)
		return;
	d->rx_sdus++;
	if (!d->enc_count)
		d->acl_before_enc++;
	d->rx_last_len = n < sizeof d->rx_last ? n : sizeof d->rx_last;
	memcpy(d->rx_last, p, d->rx_last_len);
}
static inline void d_adv(void *ctx, const struct ps_host_adv_report *r)
{
	(void)r;
	((struct dev *)ctx)->adv_reports++;
}

static inline void dev_init(struct dev *d)
{
	memset(d, 0, sizeof *d);
	d->ready = d->conn_status = d->disc_reason = d->upd_status = d->param_rsp = d->enc_status = -1;
	d->reply_ltk = true;
	for (int i = 0; i < 16; i++)
		d->ltk[i] = (uint8_t)(0x11 * (i + 1));
}

static inline void dev_add(struct ps_sim *s, struct dev *d, const struct ps_host_config *cfg, bool raw_l2cap)
{
	struct ps_host_cb cb = { .ctx = d, .ready = d_ready, .connected = d_connected, .disconnected = d_disconnected,
				 .conn_updated = d_updated, .conn_param_rsp = d_param_rsp, .ltk_request = d_ltk_request,
				 .enc_change = d_enc, .tx_done = d_tx_done, .att_mtu = d_mtu, .adv_report = d_adv,
				 .l2cap_rx = raw_l2cap ? d_l2cap : NULL };
	assert_int_equal(ps_sim_add(s, &cb, cfg, NULL, &d->h, &d->c), 0);
}

static inline bool both_ready(void *ctx)
{
	struct dev *d = ctx;
	return d[0].ready >= 0 && d[1].ready >= 0;
}
static inline bool both_connected(void *ctx)
{
	struct dev *d = ctx;
	return d[0].conn_status >= 0 && d[1].conn_status >= 0;
}
static inline bool both_encrypted(void *ctx)
{
	struct dev *d = ctx;
	return d[0].enc_status >= 0 && d[1].enc_status >= 0;
}
static inline bool both_disconnected(void *ctx)
{
	struct dev *d = ctx;
	return d[0].disc_reason >= 0 && d[1].disc_reason >= 0;
}

/* d[0] central (public address), d[1] peripheral (static random C0:11:22:33:44:0B), connected. */
static inline void pair_up(struct ps_sim *s, struct dev d[2], bool raw_l2cap)
{
	dev_init(&d[0]);
	dev_init(&d[1]);
	struct ps_host_config pc = { .has_random = true, .att_mtu = 247 };
	ps_addr_parse("C0:11:22:33:44:0B", pc.random_addr);
	struct ps_host_config cc = { .att_mtu = 185 };
	dev_add(s, &d[0], &cc, raw_l2cap);
	dev_add(s, &d[1], &pc, raw_l2cap);
	ps_host_start(d[0].h);
	ps_host_start(d[1].h);
	assert_int_equal(ps_sim_run_until(s, both_ready, d, 1000000), 0);
	assert_int_equal(d[0].ready, 0);
	assert_int_equal(d[1].ready, 0);
	const uint8_t ad[] = { 0x02, 0x01, 0x06 };
	struct ps_host_adv adv = { .interval_min = 0x20, .interval_max = 0x20, .data = ad, .data_len = sizeof ad };
	assert_int_equal(ps_host_advertise(d[1].h, &adv), 0);
	struct ps_addr peer = { .type = 1 };
	memcpy(peer.a, pc.random_addr, 6);
	assert_int_equal(ps_host_connect(d[0].h, &peer, NULL), 0);
	assert_int_equal(ps_sim_run_until(s, both_connected, d, 1000000), 0);
	assert_int_equal(d[0].conn_status, 0);
	assert_int_equal(d[1].conn_status, 0);
	assert_int_equal(d[0].info.role, PS_HOST_CENTRAL);
	assert_int_equal(d[1].info.role, PS_HOST_PERIPHERAL);
}

/* One simulation with its own crypto backend (and optionally a btsnoop writer). */
struct simenv {
	struct ps_crypto crypto;
	struct ps_sim *s;
	struct ps_writer *w;
};

static inline void sim_open(struct simenv *e, const char *btsnoop)
{
	memset(e, 0, sizeof *e);
	assert_int_equal(ps_crypto_openssl_new(&e->crypto), 0);
	if (btsnoop)
		assert_int_equal(ps_writer_open(&e->w, btsnoop, PS_WRITE_BTSNOOP_MONITOR), 0);
	struct ps_sim_opts o = { .crypto = &e->crypto, .seed = 1, .trace = e->w };
	assert_int_equal(ps_sim_new(&e->s, &o), 0);
}

static inline void sim_close(struct simenv *e)
{
	ps_sim_free(e->s);
	if (e->w)
		assert_int_equal(ps_writer_close(e->w), 0);
	ps_crypto_free(&e->crypto);
}

#endif
