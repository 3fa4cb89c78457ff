/* Fuzz the doctor (src/doctor): the input is a sequence of monitor frames fed to ps_doctor_feed, then
 * ps_doctor_finish and both reports (text and JSON) written to a memory stream that is thrown away.
 *
 * Input format, repeated until the input runs out:
 *   sel(1) len(2, little-endian) data(len, clipped to what is left)
 * sel bits 0-3 pick the monitor opcode (table below), bit 4 the controller index (0 or 1), bits 5-6 the
 * time since the previous frame (1 ms, 100 ms, 11 s, 31 s: the timing rules' thresholds), bit 7 marks an
 * LL frame's direction valid (central -> peripheral when bit 4 is clear) and data as decrypted.
 * tests/fuzz/corpus/doctor/ holds seed and golden traces (btsnoop 2001) converted to this format. */
#include <pairscope/doctor.h>
#include <pairscope/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint16_t ops[16] = {
	PS_MON_COMMAND, PS_MON_EVENT,  PS_MON_ACL_TX,	   PS_MON_ACL_RX,     PS_MON_NEW_INDEX, PS_MON_INDEX_INFO,
	PS_MON_LL,	PS_MON_EVENT,  PS_MON_ACL_RX,	   PS_MON_ACL_TX,     PS_MON_DEL_INDEX, PS_MON_OPEN_INDEX,
	PS_MON_SCO_TX,	PS_MON_ISO_RX, PS_MON_SYSTEM_NOTE, PS_MON_UNKNOWN,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t gaps[4] = { 1000, 100000, 11000000, 31000000 };
	struct ps_crypto crypto;
	bool have_crypto = ps_crypto_openssl_new(&crypto) == 0;
	/* The passkey search costs ~0.1 s a pairing: too slow per input; everything else runs. */
	struct ps_doctor_opts o = { have_crypto ? &crypto : NULL, true };
	struct ps_doctor *d;
	if (ps_doctor_new(&d, &o) < 0)
		abort();
	uint64_t ts = 1562846400ull * 1000000ull, n = 0;
	size_t off = 0;
	while (size - off >= 3) {
		uint8_t sel = data[off];
		size_t len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;
		off += 3;
		if (len > size - off)
			len = size - off;
		/* A private copy of exactly len octets: reading past it is a bug ASan sees. */
		uint8_t *buf = malloc(len ? len : 1);
		if (!buf)
			abort();
		memcpy(buf, data + off, len);
		off += len;
		ts += gaps[(sel >> 5) & 3];
		struct ps_frame f = { 0 };
		f.ts_us = ts;
		f.index = (sel >> 4) & 1;
		f.opcode = ops[sel & 15];
		f.len = f.orig_len = (uint32_t)len;
		f.data = buf;
		f.number = ++n;
		f.dlt = f.opcode == PS_MON_LL ? 256 : 2001;
		if (f.opcode == PS_MON_LL && (sel & 0x80)) {
			f.ll.flags = PS_LL_DIR_VALID | PS_LL_DECRYPTED;
			f.ll.dir = (sel & 0x10) ? 0 : 1;
			f.index = 0;
		}
		if (ps_doctor_feed(d, &f) < 0)
			abort();
		free(buf);
	}
	if (ps_doctor_finish(d) < 0)
		abort();
	char *out = NULL;
	size_t outlen = 0;
	FILE *m = open_memstream(&out, &outlen);
	if (!m)
		abort();
	if (ps_doctor_write_json(d, m) < 0 || ps_doctor_write_text(d, m, true) < 0)
		abort();
	fclose(m);
	free(out);
	(void)ps_doctor_max_severity(d);
	ps_doctor_free(d);
	if (have_crypto)
		ps_crypto_free(&crypto);
	return 0;
}
