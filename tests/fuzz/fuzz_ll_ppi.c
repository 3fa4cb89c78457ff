/* libFuzzer target for the link-layer reader of DLT 192 (PPI with PPI-BTLE, Ubertooth): one record. */
#include "fuzz_ll_phdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ps_fuzz_ll_record(192, data, size);
	return 0;
}
