/* H4 stream deframer (Core Vol 4 Part A §2): type octet + HCI header with its length field. */
#include <pairscope/h4.h>
#include "base/bytes.h"

unsigned ps_h4_header_len(uint8_t type)
{
	switch (type) {
	case PS_H4_CMD: return 3; /* opcode(2) plen(1) */
	case PS_H4_ACL: return 4; /* handle+flags(2) dlen(2) */
	case PS_H4_SCO: return 3; /* handle(2) dlen(1) */
	case PS_H4_EVT: return 2; /* code(1) plen(1) */
	case PS_H4_ISO: return 4; /* handle+flags(2) dlen(14 bits) */
	default: return 0;
	}
}

size_t ps_h4_packet_len(const uint8_t *p, size_t n)
{
	if (n < 1)
		return 0;
	unsigned h = ps_h4_header_len(p[0]);
	if (!h || n < 1 + h)
		return 0;
	switch (p[0]) {
	case PS_H4_CMD: return 4 + (size_t)p[3];
	case PS_H4_ACL: return 5 + (size_t)ps_get_le(p + 3, 2);
	case PS_H4_SCO: return 4 + (size_t)p[3];
	case PS_H4_EVT: return 3 + (size_t)p[2];
	case PS_H4_ISO: return 5 + (size_t)(ps_get_le(p + 3, 2) & 0x3fff);
	default: return 0;
	}
}

void ps_h4_init(struct ps_h4 *d)
{
	d->have = 0;
	d->need = 0;
	d->skip = 0;
}

void ps_h4_feed(struct ps_h4 *d, const uint8_t *p, size_t n, ps_h4_packet_fn on_pkt, ps_h4_error_fn on_err, void *ctx)
{
	while (n > 0) {
		if (d->skip) {
			size_t k = n < d->skip ? n : d->skip;
			d->skip -= k;
			p += k;
			n -= k;
			continue;
		}
		if (d->have == 0 && !ps_h4_header_len(p[0])) {
			if (on_err)
				on_err(ctx, -PS_EBADDATA, p[0]);
			p++;
			n--;
			continue;
		}
		if (!d->need) {
			/* Collect the header octet by octet (it is at most 5 octets). */
			d->buf[d->have++] = *p++;
			n--;
			d->need = ps_h4_packet_len(d->buf, d->have);
			if (d->need > PS_H4_MAX) {
				if (on_err)
					on_err(ctx, -PS_ERANGE, d->buf[0]);
				d->skip = d->need - d->have;
				d->have = 0;
				d->need = 0;
				continue;
			}
		} else {
			size_t k = d->need - d->have;
			if (k > n)
				k = n;
			memcpy(d->buf + d->have, p, k);
			d->have += k;
			p += k;
			n -= k;
		}
		if (d->need && d->have == d->need) {
			size_t len = d->need;
			d->have = 0;
			d->need = 0;
			on_pkt(ctx, d->buf, len);
		}
	}
}
