/* Timing of a pairing (Core Vol 3 Part H 3.4): "The Security Manager Timer shall be reset when an L2CAP
 * SMP command is queued for transmission ... If the Security Manager Timer reaches 30 seconds, the
 * procedure shall be considered to have failed ... No further SMP commands shall be sent". */
#include "doctor/doctor_int.h"

#define SMP_TIMEOUT_US 30000000ull
#define SILENCE_US 10000000ull

void dr_timing_pdu(struct ps_doctor *d, struct dr_pairing *p, const struct dr_pdu *u)
{
	if (!p->have_req || u->code == 0x01 || p->complete || p->npdus == 0)
		return;
	uint64_t gap = u->ts > p->last_ts ? u->ts - p->last_ts : 0;
	const struct dr_pdu *prev = &p->pdus[p->npdus - 1];
	uint64_t fr[2] = { prev->frame, u->frame };
	if (gap > SMP_TIMEOUT_US)
		dr_add(d, DR_TIMING_SMP_TIMEOUT, dr_pidx(d, p), fr, 2,
		       "%.1f s passed between SMP PDUs #%llu and #%llu: the 30 s SMP timer had expired, the %s "
		       "should not have sent more",
		       (double)gap / 1e6, (unsigned long long)prev->frame, (unsigned long long)u->frame,
		       dr_who(u->by_init));
	else if (gap > SILENCE_US)
		dr_add(d, DR_TIMING_SILENCE, dr_pidx(d, p), fr, 2, "%.1f s of silence inside the pairing before #%llu",
		       (double)gap / 1e6, (unsigned long long)u->frame);
}

void dr_timing_finish(struct ps_doctor *d, struct dr_pairing *p)
{
	if (!p->have_req || p->complete || p->outcome == DR_O_FAILED)
		return;
	if (!p->ended && d->last_ts > p->last_ts + SMP_TIMEOUT_US) {
		p->outcome = DR_O_TIMEOUT;
		p->ended = true;
		p->end_frame = p->npdus ? p->pdus[p->npdus - 1].frame : p->first_frame;
		p->end_ts = p->last_ts + SMP_TIMEOUT_US;
	} else if (p->ended && p->outcome == DR_O_DISCONNECTED && p->end_ts > p->last_ts + SMP_TIMEOUT_US) {
		p->outcome = DR_O_TIMEOUT; /* the timer ran out first; the disconnect followed */
	}
}
