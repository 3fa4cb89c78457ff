/* libFuzzer target for the pcap (libpcap) and pcapng (own block reader) paths and the link-type headers
 * of DLT 187/201/254 and the sniffer types: raw input, sniffed as pairscope sniffs any capture. */
#include <pairscope/trace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	uint8_t *buf = malloc(size); /* fmemopen wants a writable pointer even for reading */
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	FILE *f = fmemopen(buf, size, "rb");
	if (f) {
		struct ps_trace_opts o = { .format = PS_TRACE_PCAP };
		struct ps_trace *t;
		char err[256];
		if (ps_trace_open_stream(&t, f, "fuzz", &o, err, sizeof err) == 0) {
			struct ps_frame fr;
			volatile uint8_t sink = 0;
			while (ps_trace_next(t, &fr) == 0)
				if (fr.len)
					sink ^= fr.data[0] ^ fr.data[fr.len - 1];
			(void)sink;
			ps_trace_free(t);
		}
		fclose(f);
	}
	free(buf);
	return 0;
}
