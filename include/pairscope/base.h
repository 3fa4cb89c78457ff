/* pairscope base API: error codes (one X-macro list), byte buffers, addresses. */
#ifndef PAIRSCOPE_BASE_H
#define PAIRSCOPE_BASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#if defined(__GNUC__)
#define PS_API __attribute__((visibility("default")))
#else
#define PS_API
#endif

#define PS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Library errors. Functions return 0 or a negative PS_E* code. End of input is its own code (PS_EOF),
 * never an error. Protocol reasons (SMP reason, HCI status) travel in out-fields, never here. */
#define PS_ERRORS(X)                                              \
	X(EOF, "end of input")                                        \
	X(EINVAL, "invalid argument")                                  \
	X(ENOMEM, "out of memory")                                     \
	X(EIO, "input/output error")                                   \
	X(EBADDATA, "malformed input")                                 \
	X(ETRUNC, "truncated input")                                   \
	X(ENOSPC, "buffer too small")                                  \
	X(EUNSUP, "not supported")                                     \
	X(ENOENT, "not found")                                         \
	X(ECRYPTO, "cryptographic operation failed")                   \
	X(ESTATE, "not allowed in this state")                         \
	X(EAGAIN, "try again")                                         \
	X(ETIMEOUT, "timed out")                                       \
	X(EPROTO, "protocol error")                                    \
	X(EBUSY, "busy")                                               \
	X(ERANGE, "value out of range")                               \
	X(EEMPTY, "nothing could be read")

enum ps_err {
	PS_OK = 0,
#define PS_ERR_ENUM(name, text) PS_##name,
	PS_ERRORS(PS_ERR_ENUM)
#undef PS_ERR_ENUM
	PS_ERR_COUNT
};

/* Text of an error code (negative or positive); never NULL. */
PS_API const char *ps_strerror(int err);
/* Short symbolic name ("EOF", "BADDATA"); never NULL. */
PS_API const char *ps_errname(int err);

/* A Bluetooth device address, stored as on the wire (least significant octet first). */
struct ps_addr {
	uint8_t type; /* 0 public, 1 random (HCI/SMP address type) */
	uint8_t a[6];
};
#define PS_ADDR_STRLEN 18
/* "B8:27:EB:15:50:70" (most significant octet first, as humans write it). */
PS_API const char *ps_addr_str(const uint8_t a[6], char buf[PS_ADDR_STRLEN]);
/* Parse "B8:27:EB:15:50:70" into wire order. */
PS_API int ps_addr_parse(const char *s, uint8_t a[6]);

/* Room for element n of a growable array (*arr, *cap elements of elem bytes): when n has reached *cap
 * the capacity doubles (first when the array is empty) and the new elements are zeroed. 0, or
 * -PS_ENOMEM with the array unchanged. */
PS_API int ps_grow(void **arr, size_t *cap, size_t n, size_t elem, size_t first);

/* Hex helpers. ps_hex_encode writes 2*n chars + NUL. ps_hex_decode accepts upper/lower case,
 * optional "0x" prefix, ':' ' ' '-' separators; returns the byte count or a negative code. */
PS_API char *ps_hex_encode(const uint8_t *p, size_t n, char *out);
/* Value of one hex digit ('0'-'9', 'a'-'f', 'A'-'F'), or -1 for any other character. Every text parser
 * (hex strings, addresses, the btmon importer) reads digits through this one definition. */
PS_API int ps_hex_digit(int c);
PS_API int ps_hex_decode(const char *s, uint8_t *out, size_t cap);
/* A byte sink: writes p[0..n) to ctx (a FILE *, an output buffer, ...). */
typedef void (*ps_put_fn)(void *ctx, const char *p, size_t n);
/* ps_put_fn for a stdio stream: ctx is the FILE *. */
PS_API void ps_put_file(void *file, const char *p, size_t n);
/* s as a JSON string (RFC 8259 §7) with its quotes: '"' and '\\' get a backslash, bytes below 0x20
 * become \u00XX, every other byte passes through. */
PS_API void ps_json_quote(const char *s, ps_put_fn put, void *ctx);
/* Reverse n bytes in place (spec order <-> wire order). */
PS_API void ps_reverse(uint8_t *p, size_t n);

#endif
