/* libFuzzer target for the nRF Sniffer reader: DLT 272 (protocol versions 0-3) and the older DLT 157,
 * one record each way. */
#include "fuzz_ll_phdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ps_fuzz_ll_record(272, data, size);
	ps_fuzz_ll_record(157, data, size);
	return 0;
}
