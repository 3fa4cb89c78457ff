/* Hex and address text: the one place where spec order (MSO first) meets wire order (LSO first). */
#include <pairscope/base.h>

static const char digits[] = "0123456789abcdef";

char *ps_hex_encode(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}

int ps_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ps_hex_decode(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		if (*s == ':' || *s == ' ' || *s == '-' || *s == '_')
			continue;
		int v = ps_hex_digit((unsigned char)*s);
		if (v < 0)
			return -PS_EINVAL;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap)
			return -PS_ENOSPC;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		return -PS_EINVAL;
	return (int)n;
}

void ps_reverse(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		uint8_t t = p[i];
		p[i] = p[n - 1 - i];
		p[n - 1 - i] = t;
	}
}

const char *ps_addr_str(const uint8_t a[6], char buf[PS_ADDR_STRLEN])
{
	static const char up[] = "0123456789ABCDEF";
	for (int i = 0; i < 6; i++) {
		uint8_t b = a[5 - i];
		buf[3 * i] = up[b >> 4];
		buf[3 * i + 1] = up[b & 15];
		buf[3 * i + 2] = i == 5 ? '\0' : ':';
	}
	return buf;
}

int ps_addr_parse(const char *s, uint8_t a[6])
{
	uint8_t tmp[6];
	for (int i = 0; i < 6; i++) {
		int h = ps_hex_digit((unsigned char)s[0]), l = h < 0 ? -1 : ps_hex_digit((unsigned char)s[1]);
		if (h < 0 || l < 0)
			return -PS_EINVAL;
		tmp[i] = (uint8_t)(h << 4 | l);
		s += 2;
		if (i < 5) {
			if (*s != ':' && *s != '-')
				return -PS_EINVAL;
			s++;
		}
	}
	if (*s != '\0')
		return -PS_EINVAL;
	for (int i = 0; i < 6; i++)
		a[i] = tmp[5 - i];
	return 0;
}
