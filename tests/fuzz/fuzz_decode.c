/* libFuzzer target for the decoder and printers: the input is a sequence of frames
 * [monitor opcode][length lo][length hi][octets...], fed to the btmon text printer (with and without
 * --only and legacy names), the summary and the JSON printer, so reassembly state carries across
 * frames. Output goes to a capture sink that is reset per input. An opcode octet 0x70-0x7f or
 * 0xf0-0xff makes a link-layer sniffer frame (PS_MON_LL: access address, header, PDU) whose low
 * nibble picks the sniffer's metadata (CRC present, direction known and which, decrypted), so the
 * LL printers' connection state, encryption tracking and L2CAP reassembly are fuzzed too. */
#include "print/print.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const uint8_t *data, size_t size, const struct ps_print_opts *o)
{
	struct ps_out out;
	if (ps_out_init(&out, -1, 1 << 16) < 0)
		return;
	struct ps_printer *p = ps_printer_new(o, &out);
	if (!p) {
		ps_out_close(&out);
		return;
	}
	size_t off = 0;
	uint64_t n = 0;
	while (off + 3 <= size) {
		struct ps_frame f;
		memset(&f, 0, sizeof f);
		f.opcode = data[off] % 21; /* 0..19 monitor opcodes, 20 -> unknown */
		if (f.opcode == 20)
			f.opcode = PS_MON_UNKNOWN;
		f.index = (data[off] & 0x80) ? PS_INDEX_NONE : 0;
		if ((data[off] & 0x70) == 0x70) {
			uint8_t k = data[off] & 0x0f;
			f.opcode = PS_MON_LL;
			f.index = 0;
			f.dlt = (k & 8) ? 256 : 251;
			f.ll.channel = (uint8_t)(n % 40);
			f.ll.rssi = (int8_t)(-(int)(n % 90));
			f.ll.dir = (k & 2) ? 1 : 0;
			f.ll.flags = (uint16_t)(((k & 1) ? PS_LL_HAS_CRC : 0) | ((k & 4) ? PS_LL_DIR_VALID : 0) |
						((k & 8) ? PS_LL_DECRYPTED | PS_LL_MIC_CHECKED : 0));
		}
		size_t len = (size_t)(data[off + 1] | data[off + 2] << 8);
		off += 3;
		if (len > size - off)
			len = size - off;
		f.data = data + off;
		f.len = f.orig_len = (uint32_t)len;
		f.ts_us = 1562846400000000ull + n * 1000;
		f.number = ++n;
		f.offset = off;
		ps_printer_frame(p, &f);
		off += len;
		if (out.len > (1u << 20))
			out.len = 0; /* keep memory bounded on long inputs */
	}
	ps_printer_free(p);
	ps_out_close(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_print_opts o = { .mode = PS_PRINT_TEXT, .width = 80, .vendor = 15 };
	run(data, size, &o);
	o.width = 40;
	o.legacy_names = true;
	o.new_header = true;
	o.only = PS_ONLY_ATT | PS_ONLY_LE;
	run(data, size, &o);
	o.only = 0;
	o.mode = PS_PRINT_SUMMARY;
	run(data, size, &o);
	o.mode = PS_PRINT_JSON;
	run(data, size, &o);
	return 0;
}
