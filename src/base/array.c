/* Growable arrays: the one doubling policy behind every "append one more" in the library, so no
 * module re-derives the overflow-free realloc dance. */
#include <pairscope/base.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int ps_grow(void **arr, size_t *cap, size_t n, size_t elem, size_t first)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : first;
	if (nc > SIZE_MAX / elem)
		return -PS_ENOMEM;
	void *p = realloc(*arr, nc * elem);
	if (!p)
		return -PS_ENOMEM;
	memset((uint8_t *)p + *cap * elem, 0, (nc - *cap) * elem);
	*arr = p;
	*cap = nc;
	return 0;
}
