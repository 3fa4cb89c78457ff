/* Error codes and their text: one X-macro list (include/pairscope/base.h). */
#include <pairscope/base.h>

static const char *const texts[] = {
	[0] = "success",
#define X(name, text) [PS_##name] = text,
	PS_ERRORS(X)
#undef X
};
static const char *const names[] = {
	[0] = "OK",
#define X(name, text) [PS_##name] = #name,
	PS_ERRORS(X)
#undef X
};

const char *ps_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= PS_ERR_COUNT)
		return "unknown error";
	return texts[err];
}

const char *ps_errname(int err)
{
	if (err < 0)
		err = -err;
	if (err >= PS_ERR_COUNT)
		return "UNKNOWN";
	return names[err];
}
