/* btmon 5.66 text for capability bit maps and UUIDs: Supported Commands (Core 5.4 Vol 4 Part E §6.27),
 * LMP and LE feature bits (Vol 2 Part C §3.3, Vol 6 Part B §4.6), LE supported states (Vol 4 Part E
 * §7.8.27) and ATT/GATT UUIDs (Vol 3 Part B §2.5.1). Names come from the tables the descriptors' aux
 * points at (src/proto/hci_bits.c, att_uuid.c). */
#include "print/print_int.h"
#include "proto/att.h"

/* Sorted lookups would be faster; these lists are printed rarely (initialisation only). */
static const char *bit_name(const struct ps_name *tab, unsigned bit)
{
	for (const struct ps_name *n = tab; n && n->s; n++)
		if (n->v == bit)
			return n->s;
	return NULL;
}

void pr_commands(struct ps_printer *p, const uint8_t *b, size_t len, const struct ps_name *names,
		 unsigned indent)
{
	struct ps_out *o = p->out;
	unsigned n = 0;
	for (size_t i = 0; i < len; i++)
		n += (unsigned)__builtin_popcount(b[i]);
	ps_out_printf(o, "%u entr%s\n", n, n == 1 ? "y" : "ies");
	for (size_t i = 0; i < len; i++)
		for (unsigned k = 0; k < 8; k++) {
			if (!(b[i] & (1u << k)))
				continue;
			const char *s = bit_name(names, (unsigned)(i * 8 + k));
			ps_out_spaces(o, indent + 2);
			if (s)
				ps_out_printf(o, "%s (Octet %zu - Bit %u)\n", pr_name(p, s), i, k);
			else
				ps_out_printf(o, "Octet %zu - Bit %u \n", i, k);
		}
}

/* Names of the set bits of v, each name's '\n' starting a line 2 deeper; the unnamed bits last. */
static void bit_lines(struct ps_printer *p, uint64_t v, const struct ps_name *names, unsigned indent,
		      const char *unknown)
{
	struct ps_out *o = p->out;
	uint64_t left = v;
	for (unsigned bit = 0; bit < 64; bit++) {
		if (!(v >> bit & 1))
			continue;
		const char *s = bit_name(names, bit);
		if (!s)
			continue;
		left &= ~(1ULL << bit);
		unsigned in = indent + 2;
		for (;;) {
			const char *nl = strchr(s, '\n');
			ps_out_spaces(o, in);
			ps_out_write(o, s, nl ? (size_t)(nl - s) : strlen(s));
			ps_out_putc(o, '\n');
			if (!nl)
				break;
			s = nl + 1;
			in = indent + 4;
		}
	}
	if (left) {
		ps_out_spaces(o, indent + 2);
		ps_out_printf(o, "%s (0x%016llx)\n", unknown, (unsigned long long)left);
	}
}

void pr_features(struct ps_printer *p, const uint8_t *b, size_t len, const struct ps_name *names,
		 unsigned indent)
{
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		ps_out_printf(p->out, "%s0x%02x", i ? " " : "", b[i]);
		if (i < 8)
			v |= (uint64_t)b[i] << (8 * i);
	}
	ps_out_putc(p->out, '\n');
	bit_lines(p, v, names, indent, "Unknown features");
}

void pr_states(struct ps_printer *p, uint64_t v, const struct ps_name *names, unsigned indent)
{
	ps_out_hex(p->out, v, 16);
	ps_out_putc(p->out, '\n');
	bit_lines(p, v, names, indent, "Unknown states");
}

/* "Primary Service (0x2800)"; 128-bit UUIDs (wire order, LSO first) in their canonical text form, named
 * when they are 16-bit ones on the Bluetooth base. */
void pr_uuid(struct ps_printer *p, const uint8_t *b, size_t len)
{
	struct ps_out *o = p->out;
	if (len == 2) {
		uint16_t u = (uint16_t)(b[0] | b[1] << 8);
		const char *s = ps_uuid16_name(u);
		ps_out_printf(o, "%s (0x%04x)\n", s ? s : "Unknown", u);
		return;
	}
	if (len == 4) {
		uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
		const char *s = u <= 0xffff ? ps_uuid16_name((uint16_t)u) : NULL;
		ps_out_printf(o, "%s (0x%08x)\n", s ? s : "Unknown", u);
		return;
	}
	if (len == 16) {
		static const uint8_t base[12] = { 0xfb, 0x34, 0x9b, 0x5f, 0x80, 0x00, 0x00, 0x80, 0x00, 0x10, 0x00, 0x00 };
		const char *s = NULL;
		if (!memcmp(b, base, 12) && !b[14] && !b[15])
			s = ps_uuid16_name((uint16_t)(b[12] | b[13] << 8));
		ps_out_printf(o, "%s (", s ? s : "Vendor specific");
		for (int i = 15; i >= 0; i--) {
			ps_out_printf(o, "%02x", b[i]);
			if (i == 12 || i == 10 || i == 8 || i == 6)
				ps_out_putc(o, '-');
		}
		ps_out_write(o, ")\n", 2);
		return;
	}
	ps_out_hexstr(o, b, len);
	ps_out_putc(o, '\n');
}
