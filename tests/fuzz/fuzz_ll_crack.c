/* libFuzzer target for the cracker's link-layer path (src/crack): the input is up to 24 frames, each
 * <flags u8><length u8><AA + header + payload>, fed as PS_MON_LL frames (flags bit 0: direction known,
 * bit 1: central, bit 2: CRC present, bit 3: sniffer-decrypted), then analysed, printed to nothing and
 * written back (plain lookup for every frame). */
#include <pairscope/crack.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ps_crypto cr;
	static int ready;
	if (!ready) {
		if (ps_crypto_openssl_new(&cr) < 0)
			return 0;
		ready = 1;
	}
	struct ps_crack *c;
	struct ps_crack_opts o = { .crypto = &cr, .threads = 1 };
	if (ps_crack_new(&c, &o) < 0)
		return 0;
	size_t off = 0;
	uint64_t n = 0;
	while (off + 2 <= size && n < 24) {
		uint8_t fl = data[off], len = data[off + 1];
		off += 2;
		if (len > size - off)
			len = (uint8_t)(size - off);
		uint8_t *p = malloc(len ? len : 1);
		if (!p)
			break;
		memcpy(p, data + off, len);
		off += len;
		n++;
		struct ps_frame f = { .number = n, .ts_us = n * 625, .opcode = PS_MON_LL, .len = len, .data = p };
		f.ll.dir = (fl & 2) ? 1 : 0;
		f.ll.flags = (uint16_t)(((fl & 1) ? PS_LL_DIR_VALID : 0) | ((fl & 4) ? PS_LL_HAS_CRC : 0) |
					((fl & 8) ? PS_LL_DECRYPTED | PS_LL_MIC_OK | PS_LL_ENCRYPTED : 0));
		ps_crack_feed(c, &f);
		free(p);
	}
	if (ps_crack_run(c) == 0) {
		for (size_t i = 0; i < ps_crack_count(c); i++)
			(void)ps_crack_get(c, i);
		for (uint64_t k = 1; k <= n; k++) {
			uint8_t h;
			const uint8_t *pl;
			size_t len;
			uint32_t ci;
			bool known;
			volatile uint8_t sink;
			if (ps_crack_plain(c, k, &h, &pl, &len, &ci, &known) == 0 && len)
				sink = pl[len - 1];
			(void)sink;
		}
	}
	ps_crack_free(c);
	return 0;
}
