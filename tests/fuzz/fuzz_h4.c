/* libFuzzer target: arbitrary H4 bytes from two hosts into two virtual controllers on one link (Core
 * Vol 4 Part A H4 framing, Vol 4 Part E commands and ACL), with the clock advanced between chunks so
 * connections, encryption procedures and timeouts run. Input: chunks of [ctl byte][bytes]: bit 0 picks
 * the controller, bits 1-6 the chunk length (0-63), bit 7 lets one second of link time pass after it. */
#include <pairscope/crypto.h>
#include <pairscope/vctl.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void discard(void *ctx, const uint8_t *p, size_t n)
{
	(void)ctx, (void)p, (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_crypto crypto;
	if (ps_crypto_openssl_new(&crypto) < 0)
		return 0;
	struct ps_vctl_link *l;
	struct ps_vctl_link_opts lo = { .crypto = &crypto, .seed = 1 };
	if (ps_vctl_link_new(&l, &lo) < 0) {
		ps_crypto_free(&crypto);
		return 0;
	}
	struct ps_vctl *c[2];
	struct ps_vctl_opts o = { .send = discard, .acl_len = 64, .acl_num = 4 };
	ps_vctl_new(&c[0], l, &o);
	ps_vctl_new(&c[1], l, &o);
	size_t pos = 0;
	while (pos < size) {
		uint8_t b = data[pos++];
		size_t n = (size_t)(b >> 1 & 0x3f);
		if (n > size - pos)
			n = size - pos;
		ps_vctl_receive_h4(c[b & 1], data + pos, n);
		pos += n;
		ps_vctl_link_run(l, ps_vctl_link_now(l) + (b & 0x80 ? 1000000 : 0));
	}
	ps_vctl_link_run(l, ps_vctl_link_now(l) + 30000000);
	ps_vctl_free(c[0]);
	ps_vctl_link_run(l, ps_vctl_link_now(l) + 40000000);
	ps_vctl_free(c[1]);
	ps_vctl_link_free(l);
	ps_crypto_free(&crypto);
	return 0;
}
