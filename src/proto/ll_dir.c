/* Direction of link-layer data PDUs in sniffer captures that do not record it (Core Vol 6 Part B
 * §4.5.1 connection events, §4.1.1 T_IFS, §4.5.8 channel selection): one rule shared by decode,
 * doctor and crack, documented in proto/ll.h; and the fingerprint that recognises a retransmission
 * (§4.5.9), shared by the decoder and the doctor. */
#include "proto/ll.h"

int ps_ll_frame_channel(const struct ps_frame *f)
{
	unsigned rf = f->ll.channel;
	if (f->dlt == 251)
		return -1;
	if (f->dlt != 256 && f->dlt != 192)
		return (int)rf; /* Nordic (272, 157): already the channel index */
	/* §1.4.1 Table 1.2: RF channel 0 is index 37, 12 is 38, 39 is 39; the others fill 0..36. */
	if (rf == 0)
		return 37;
	if (rf == 12)
		return 38;
	if (rf >= 39)
		return (int)rf;
	return (int)(rf < 12 ? rf - 1 : rf - 2);
}

bool ps_ll_dir_guess(const struct ps_ll_dir *prev, int chan, uint64_t ts_us)
{
	if (!prev->seen)
		return true; /* §4.5.1: the central opens the connection */
	bool forward = ts_us >= prev->ts_us;
	uint64_t gap = forward ? ts_us - prev->ts_us : 0;
	if (chan >= 0 && prev->chan >= 0) {
		if (chan != prev->chan)
			return true; /* a new event: the central speaks first */
		return !prev->central; /* the two sides alternate within the event */
	}
	return !(prev->central && forward && gap < PS_LL_REPLY_US);
}

bool ps_ll_dir_next(struct ps_ll_dir *st, const struct ps_frame *f, bool *guessed)
{
	int chan = ps_ll_frame_channel(f);
	bool central;
	if (f->ll.flags & PS_LL_DIR_VALID) {
		central = f->ll.dir == 1;
	} else {
		central = ps_ll_dir_guess(st, chan, f->ts_us);
		if (guessed)
			*guessed = true;
	}
	*st = (struct ps_ll_dir){ .ts_us = f->ts_us, .chan = (int16_t)chan, .central = central, .seen = true };
	return central;
}

uint32_t ps_ll_pdu_hash(const struct ps_ll_pdu *u)
{
	uint32_t h = 2166136261u;
	h = (h ^ u->llid) * 16777619u;
	h = (h ^ u->len) * 16777619u;
	for (unsigned i = 0; i < u->len; i++)
		h = (h ^ u->payload[i]) * 16777619u;
	return h;
}
