/* libFuzzer target: arbitrary controller -> host H4 bytes into our host's lower half (Core Vol 4 Part E
 * events, ACL reassembly, L2CAP LE signaling, ATT), deframed as a transport would. The host answers
 * into a sink; nothing it receives may crash it or make it read out of bounds. */
#include <pairscope/h4.h>
#include <pairscope/host.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink(void *ctx, const uint8_t *p, size_t n)
{
	(void)ctx, (void)p, (void)n;
	return 0;
}

static void on_pkt(void *ctx, const uint8_t *p, size_t n) { ps_host_receive_h4(ctx, p, n); }

struct box {
	struct ps_host *h;
};

static void ltk(void *ctx, uint16_t h, uint64_t r, uint16_t e)
{
	(void)r, (void)e;
	static const uint8_t k[16];
	ps_host_ltk_reply(((struct box *)ctx)->h, h, k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_host *h;
	struct box box;
	struct ps_host_ops ops = { .send = sink };
	struct ps_host_cb cb = { .ctx = &box, .ltk_request = ltk };
	struct ps_host_config cfg = { .has_random = true, .att_mtu = 100 };
	if (ps_host_new(&h, &ops, &cb, &cfg) < 0)
		return 0;
	box.h = h;
	ps_host_start(h);
	struct ps_h4 d;
	ps_h4_init(&d);
	ps_h4_feed(&d, data, size, on_pkt, NULL, h);
	/* whatever state it reached, the API must stay safe */
	const uint8_t sdu[300] = { 0 };
	ps_host_l2cap_send(h, 0x0040, 0x0040, sdu, sizeof sdu);
	ps_host_att_exchange_mtu(h, 0x0040);
	ps_host_disconnect(h, 0x0040, 0x13);
	ps_host_free(h);
	return 0;
}
