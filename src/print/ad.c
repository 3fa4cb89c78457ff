/* Advertising and scan response data (Core Supplement Part A §1; Core 5.4 Vol 3 Part C §11): one line
 * per AD structure as btmon 5.66 prints it (monitor/packet.c print_eir facts), names from hci_names.c. */
#include "print/print_int.h"
#include "proto/hci.h"
#include <stdio.h>

static void uuid16_list(struct ps_printer *p, const char *label, const uint8_t *d, size_t n)
{
	ps_out_printf(p->out, "        %s: %zu entr%s\n", label, n / 2, n / 2 == 1 ? "y" : "ies");
	for (size_t i = 0; i + 1 < n; i += 2)
		ps_out_printf(p->out, "          Unknown (0x%04x)\n", d[i] | d[i + 1] << 8);
}

/* Apple manufacturer data: iBeacon (type 0x02, length 0x15) decoded, other types as hex. */
static void apple(struct ps_printer *p, const uint8_t *d, size_t n)
{
	while (n > 0) {
		uint8_t type = d[0];
		d++;
		n--;
		if (type == 0x00)
			continue;
		if (n < 1)
			break;
		const char *s = type == 0x02 ? "iBeacon" : type == 0x05 ? "AirDrop" : type == 0x09 ? "Apple TV" : "Unknown";
		ps_out_printf(p->out, "          Type: %s (%u)\n", s, type);
		uint8_t len = d[0];
		d++;
		n--;
		if (len < 1)
			continue;
		if (len > n)
			break;
		if (type == 0x02 && len == 0x15) {
			const uint8_t *u = d;
			ps_out_printf(p->out, "          UUID: %08x-%04x-%04x-%04x-%08x%04x\n",
				      (unsigned)(u[12] | u[13] << 8 | u[14] << 16 | (uint32_t)u[15] << 24),
				      u[10] | u[11] << 8, u[8] | u[9] << 8, u[6] | u[7] << 8,
				      (unsigned)(u[2] | u[3] << 8 | u[4] << 16 | (uint32_t)u[5] << 24), u[0] | u[1] << 8);
			ps_out_printf(p->out, "          Version: %u.%u\n", d[16] | d[17] << 8, d[18] | d[19] << 8);
			ps_out_printf(p->out, "          TX power: %d dB\n", (int8_t)d[20]);
		} else {
			ps_out_puts(p->out, "          Data: ");
			ps_out_hexstr(p->out, d, len);
			ps_out_putc(p->out, '\n');
		}
		d += len;
		n -= len;
	}
	pr_hexdump(p, d, n);
}

void pr_ad(struct ps_printer *p, const uint8_t *eir, size_t eir_len)
{
	struct ps_out *o = p->out;
	size_t len = 0;
	if (eir_len == 0)
		return;
	while (len < eir_len - 1) {
		uint8_t field_len = eir[0];
		if (field_len == 0)
			break;
		len += field_len + 1u;
		if (len > eir_len) {
			len -= field_len + 1u;
			break;
		}
		const uint8_t *d = &eir[2];
		size_t dl = field_len - 1u;
		switch (eir[1]) {
		case 0x01: {
			uint8_t fl = dl ? d[0] : 0;
			ps_out_puts(o, "        Flags: ");
			ps_out_hex(o, fl, 2);
			ps_out_putc(o, '\n');
			uint8_t left = fl;
			for (const struct ps_name *n = ps_names_ad_flags; n->s; n++)
				if (fl & (1u << n->v)) {
					pr_line(p, 10, n->s);
					left &= (uint8_t)~(1u << n->v);
				}
			if (left)
				ps_out_printf(o, "          Unknown flags (0x%02x)\n", left);
			break;
		}
		case 0x02:
		case 0x03:
			if (dl >= 2)
				uuid16_list(p, eir[1] == 2 ? "16-bit Service UUIDs (partial)" : "16-bit Service UUIDs (complete)", d, dl);
			break;
		case 0x08:
		case 0x09:
			ps_out_puts(o, eir[1] == 0x08 ? "        Name (short): " : "        Name (complete): ");
			/* btmon copies into a zeroed buffer: the name stops at the first NUL */
			ps_out_write(o, d, strnlen((const char *)d, dl));
			ps_out_putc(o, '\n');
			break;
		case 0x19:
			if (dl >= 2) {
				uint16_t a = (uint16_t)(d[0] | d[1] << 8);
				ps_out_printf(o, "        Appearance: %s (0x%04x)\n", ps_appearance_name(a), a);
			}
			break;
		case 0x0a:
			if (dl >= 1)
				ps_out_printf(o, "        TX power: %d dBm\n", (int8_t)d[0]);
			break;
		case 0xff:
			if (dl < 2)
				break;
			{
				uint16_t company = (uint16_t)(d[0] | d[1] << 8);
				ps_out_puts(o, "        Company: ");
				ps_out_puts(o, ps_company_name(company));
				ps_out_write(o, " (", 2);
				ps_out_u64(o, company);
				ps_out_write(o, ")\n", 2);
				if (company == 76 || company == 19456)
					apple(p, d + 2, dl - 2);
				else {
					ps_out_puts(o, "          Data: ");
					ps_out_hexstr(o, d + 2, dl - 2);
					ps_out_putc(o, '\n');
				}
			}
			break;
		default:
			ps_out_printf(o, "        Unknown EIR field 0x%02x: ", eir[1]);
			ps_out_hexstr(o, d, dl);
			ps_out_putc(o, '\n');
			break;
		}
		eir += field_len + 1;
	}
	if (len < eir_len && eir[0] != 0)
		pr_hexdump(p, eir, eir_len - len);
}
