/* pairscope doctor, public API: rebuild every LE pairing in a capture and check it against
 * Core Vol 3 Part H (SMP), Vol 3 Part A (L2CAP LE signaling) and Vol 4 Part E (HCI). The library never
 * prints: reports go to a FILE the caller owns. */
#ifndef PAIRSCOPE_DOCTOR_H
#define PAIRSCOPE_DOCTOR_H

#include <pairscope/frame.h>
#include <pairscope/crypto.h>
#include <stdio.h>

struct ps_doctor;

struct ps_doctor_opts {
	const struct ps_crypto *crypto; /* borrowed; NULL = crypto verification reports "not-verifiable" */
	bool no_passkey_search;         /* skip the 0..999999 passkey search */
};

/* Allocate a doctor; opts is copied. */
PS_API int ps_doctor_new(struct ps_doctor **out, const struct ps_doctor_opts *opts);
PS_API void ps_doctor_free(struct ps_doctor *d);
/* Feed the next frame of the capture (frames in capture order). f->data is only read during the call. */
PS_API int ps_doctor_feed(struct ps_doctor *d, const struct ps_frame *f);
/* End of capture: decide outcomes, verify crypto, run the whole-pairing rules, name probable causes.
 * Call once, after the last frame. */
PS_API int ps_doctor_finish(struct ps_doctor *d);

/* Severities, ordered. */
enum ps_doctor_sev { PS_DOCTOR_INFO = 0, PS_DOCTOR_WARNING = 1, PS_DOCTOR_ERROR = 2 };
/* Highest severity among all findings, -1 when there is none. */
PS_API int ps_doctor_max_severity(const struct ps_doctor *d);
PS_API size_t ps_doctor_npairings(const struct ps_doctor *d);

/* Reports (after ps_doctor_finish). color: ANSI colors (the CLI sets it on a TTY only). */
PS_API int ps_doctor_write_text(const struct ps_doctor *d, FILE *out, bool color);
PS_API int ps_doctor_write_json(const struct ps_doctor *d, FILE *out);
/* `pairscope doctor --rules`: every rule with ID, severity, spec section and one line. */
PS_API int ps_doctor_write_rules(FILE *out, bool json);

#endif
