/* The raw-HCI rig of the virtual-controller tests (test_vctl_hci.c, test_vctl_btstack.c,
 * test_vctl_privacy.c): n controllers on one link with a fixed seed, each controller's output
 * captured as H4 bytes for the test to read. */
#ifndef TEST_VCTL_FIXTURE_H
#define TEST_VCTL_FIXTURE_H

#include "testutil.h"
#include <pairscope/crypto.h>
#include <pairscope/vctl.h>
#include <string.h>

struct vcap {
	uint8_t buf[16384];
	size_t len;
	int npkt; /* H4 packets handed out since the test last cleared it */
};

static void vcap_send(void *ctx, const uint8_t *p, size_t n)
{
	struct vcap *c = ctx;
	if (c->len + n <= sizeof c->buf) {
		memcpy(c->buf + c->len, p, n);
		c->len += n;
	}
	c->npkt++;
}

struct vrig {
	struct ps_crypto crypto;
	struct ps_vctl_link *l;
	struct ps_vctl *c[2];
	struct vcap cap[2];
	int n;
};

static void vrig_open(struct vrig *r, int n, uint64_t seed)
{
	memset(r, 0, sizeof *r);
	r->n = n;
	assert_int_equal(ps_crypto_openssl_new(&r->crypto), 0);
	struct ps_vctl_link_opts lo = { .crypto = &r->crypto, .seed = seed };
	assert_int_equal(ps_vctl_link_new(&r->l, &lo), 0);
	for (int k = 0; k < n; k++) {
		struct ps_vctl_opts o = { .send = vcap_send, .ctx = &r->cap[k] };
		assert_int_equal(ps_vctl_new(&r->c[k], r->l, &o), 0);
	}
}

static void vrig_close(struct vrig *r)
{
	for (int k = 0; k < r->n; k++)
		ps_vctl_free(r->c[k]);
	ps_vctl_link_free(r->l);
	ps_crypto_free(&r->crypto);
}

#endif
