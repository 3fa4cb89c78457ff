/* Outcome of each pairing and its probable cause: the finding nearest before the failure that a peer
 * would reject (rules marked rejectable in rules.h), errors before warnings. */
#include "doctor/doctor_int.h"
#include "proto/hci.h"
#include "proto/smp.h"

void dr_cause_finish(struct ps_doctor *d, struct dr_pairing *p)
{
	int32_t pi = dr_pidx(d, p);
	/* A Security Request answered by encryption with a stored key is a reconnection, not a pairing. */
	if (!p->have_req && p->outcome != DR_O_FAILED) {
		bool only_secreq = true;
		for (uint32_t i = 0; i < p->npdus; i++)
			only_secreq = only_secreq && p->pdus[i].code == 0x0b;
		if (only_secreq) {
			p->hidden = true;
			return;
		}
	}
	if (p->outcome != DR_O_FAILED && p->complete)
		p->outcome = DR_O_SUCCEEDED;
	if (p->outcome != DR_O_FAILED && !p->complete && p->opaque) {
		/* Phase 3 went encrypted and the capture could not decrypt it: nothing to judge. */
		dr_add1(d, DR_PAIRING_INCOMPLETE, pi, p->enc_on_frame ? p->enc_on_frame : p->first_frame,
			"the key distribution is encrypted in this capture (decrypt it with pairscope crack to see it)");
		p->outcome = DR_O_INCOMPLETE;
		return;
	}
	uint64_t end = p->end_frame;
	switch (p->outcome) {
	case DR_O_FAILED: {
		const char *r = ps_name_of(ps_names_smp_reason, p->fail_reason);
		dr_add1(d, DR_PAIRING_FAILED, pi, p->fail_frame, "Pairing Failed: %s (0x%02x), sent by the %s",
			r ? r : "reserved reason", p->fail_reason, dr_who(p->fail_by_init));
		end = p->fail_frame;
		break;
	}
	case DR_O_TIMEOUT:
		dr_add1(d, DR_PAIRING_TIMEOUT, pi, p->end_frame,
			"no SMP PDU for 30 s after #%llu and the pairing had not completed",
			(unsigned long long)p->end_frame);
		break;
	case DR_O_DISCONNECTED: {
		const char *r = ps_name_of(ps_names_hci_error, (uint32_t)p->disc_reason);
		dr_add1(d, DR_PAIRING_DISCONNECTED, pi, p->end_frame,
			"the link went down (#%llu, %s) in phase %d before the pairing completed",
			(unsigned long long)p->end_frame, r ? r : "unknown reason", p->phase >= DR_PH3 ? 3 : p->phase >= DR_PH2 ? 2 : 1);
		break;
	}
	case DR_O_INCOMPLETE:
		dr_add1(d, DR_PAIRING_INCOMPLETE, pi, p->npdus ? p->pdus[p->npdus - 1].frame : p->first_frame,
			"the capture ends before the pairing does");
		return;
	case DR_O_SUCCEEDED:
		return;
	}
	/* Probable cause: nearest rejectable error at or before the end, else nearest rejectable warning. */
	const struct dr_finding *best = NULL;
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct dr_finding *f = &d->findings[i];
		const struct dr_rule_info *ri = &dr_rules[f->rule];
		if (f->pairing != pi || !ri->rejectable || !f->nframes || (end && f->frames[0] > end))
			continue;
		if (!best || ri->sev > dr_rules[best->rule].sev ||
		    (ri->sev == dr_rules[best->rule].sev && f->frames[0] > best->frames[0]))
			best = f;
	}
	if (best && dr_rules[best->rule].sev >= DR_WARNING) {
		p->probable_cause = best->rule;
		p->cause_frame = best->frames[0];
	}
}
