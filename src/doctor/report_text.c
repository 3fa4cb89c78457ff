/* Doctor report as text: per pairing a header (who, method, outcome), the SMP ladder in initiator |
 * responder columns with frame numbers and times, then findings by severity with rule, spec section,
 * explanation and fix; the capture-level findings last. ANSI colors only when the caller asks. */
#include "doctor/report_int.h"
#include "proto/smp.h"
#include <string.h>

const char *dr_outcome_name(enum dr_outcome o)
{
	switch (o) {
	case DR_O_SUCCEEDED:
		return "succeeded";
	case DR_O_FAILED:
		return "failed";
	case DR_O_TIMEOUT:
		return "timed-out";
	case DR_O_DISCONNECTED:
		return "disconnected";
	case DR_O_INCOMPLETE:
		return "incomplete";
	}
	return "incomplete";
}

const char *dr_cstat_name(enum dr_cstat c)
{
	switch (c) {
	case DR_C_VERIFIED:
		return "verified";
	case DR_C_MISMATCH:
		return "mismatch";
	case DR_C_NOT_VERIFIABLE:
		return "not-verifiable";
	}
	return "not-verifiable";
}

const char *dr_key_name(uint8_t code)
{
	static const char *const n[] = { "LTK", "EDIV/Rand", "IRK", "identity address", "CSRK" };
	return code >= 0x06 && code <= 0x0a ? n[code - 6] : "key";
}

uint64_t dr_le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int cmp_find(const void *a, const void *b)
{
	const struct dr_finding *x = *(const struct dr_finding *const *)a, *y = *(const struct dr_finding *const *)b;
	int sx = dr_rules[x->rule].sev, sy = dr_rules[y->rule].sev;
	if (sx != sy)
		return sy - sx;
	uint64_t fx = x->nframes ? x->frames[0] : 0, fy = y->nframes ? y->frames[0] : 0;
	if (fx != fy)
		return fx < fy ? -1 : 1;
	return x < y ? -1 : x > y;
}

const struct dr_finding **dr_sorted_findings(const struct ps_doctor *d, int32_t pi, size_t *n)
{
	const struct dr_finding **v = malloc((d->nfindings + 1) * sizeof *v);
	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct dr_finding *f = &d->findings[i];
		bool top = f->pairing < 0 || d->pairings[f->pairing].hidden;
		if (pi < 0 ? top : (f->pairing == pi && !top))
			v[(*n)++] = f;
	}
	qsort(v, *n, sizeof *v, cmp_find);
	return v;
}

struct style {
	const char *bold, *red, *yellow, *cyan, *dim, *off;
};

static const char *sev_color(const struct style *s, int sev)
{
	return sev == DR_ERROR ? s->red : sev == DR_WARNING ? s->yellow : s->cyan;
}

static void print_findings(const struct ps_doctor *d, FILE *o, const struct style *s, int32_t pi, const char *ind)
{
	size_t n = 0;
	const struct dr_finding **v = dr_sorted_findings(d, pi, &n);
	for (size_t i = 0; i < n; i++) {
		const struct dr_finding *f = v[i];
		const struct dr_rule_info *r = &dr_rules[f->rule];
		fprintf(o, "%s%s%-7s%s %s%s%s", ind, sev_color(s, r->sev), dr_sev_name(r->sev), s->off, s->bold, r->id,
			s->off);
		for (unsigned k = 0; k < f->nframes; k++)
			fprintf(o, " #%llu", (unsigned long long)f->frames[k]);
		fprintf(o, "  %s(%s)%s\n", s->dim, r->spec, s->off);
		fprintf(o, "%s        %s\n", ind, f->summary);
		fprintf(o, "%s        %swhy:%s %s\n", ind, s->dim, s->off, r->line);
		fprintf(o, "%s        %sfix:%s %s\n", ind, s->dim, s->off, r->fix);
	}
	free(v);
}

static void party_line(FILE *o, const char *role, const struct dr_party *a, const uint8_t *pdu, bool have)
{
	char ab[PS_ADDR_STRLEN], ik[40], rk[40];
	fprintf(o, "  %-10s %s (%s%s)", role, a->known ? ps_addr_str(a->a, ab) : "address unknown",
		a->known ? (a->type ? "random" : "public") : "?", a->local ? ", this host" : "");
	if (have) {
		const char *io = ps_name_of(ps_names_smp_io_cap, pdu[1]);
		dr_keydist_str(pdu[5], ik, sizeof ik);
		dr_keydist_str(pdu[6], rk, sizeof rk);
		fprintf(o, "  %s%s%s%s%s, max key %u, keys init %s / resp %s", io ? io : "reserved IO",
			(pdu[3] & 3) == 1 ? ", Bonding" : "", pdu[3] & PS_SMP_AUTH_MITM ? ", MITM" : "",
			pdu[3] & PS_SMP_AUTH_SC ? ", SC" : "", pdu[2] == 1 ? ", OOB" : "", pdu[4], ik, rk);
	}
	fputc('\n', o);
}

static void ladder(const struct ps_doctor *d, FILE *o, const struct dr_pairing *p)
{
	fprintf(o, "    %6s  %-12s  %-30s %s\n", "#", "time", "initiator", "responder");
	uint32_t i = 0;
	bool enc_shown = false, on_shown = false;
	for (;;) {
		const struct dr_pdu *u = i < p->npdus ? &p->pdus[i] : NULL;
		if (p->enc_started && !enc_shown && (!u || u->frame > p->enc_frame)) {
			enc_shown = true;
			char et[24];
			snprintf(et, sizeof et, "%.6f", dr_rel_time(d, p->enc_ts));
			fprintf(o, "    %6llu  %-12s  %s\n", (unsigned long long)p->enc_frame, et,
				p->sc ? "-- encryption started with the LTK --" : "-- encryption started with the STK --");
			continue;
		}
		if (p->enc_status >= 0 && !on_shown && p->enc_status_frame && (!u || u->frame > p->enc_status_frame)) {
			on_shown = true;
			char et[24];
			snprintf(et, sizeof et, "%.6f", dr_rel_time(d, p->enc_status_ts));
			fprintf(o, "    %6llu  %-12s  -- %s --\n", (unsigned long long)p->enc_status_frame, et,
				p->enc_on ? "encryption on" : "encryption failed");
			continue;
		}
		if (!u)
			break;
		const struct ps_layout *l = ps_smp_layout(u->code);
		char name[48];
		snprintf(name, sizeof name, "%s", l ? l->label : "Unknown SMP PDU");
		if (u->code == 0x05 && u->len >= 1) {
			const char *r = ps_name_of(ps_names_smp_reason, u->b[0]);
			snprintf(name, sizeof name, "Pairing Failed (%s)", r ? r : "reserved");
		}
		char t[24];
		snprintf(t, sizeof t, "%.6f", dr_rel_time(d, u->ts));
		if (u->by_init)
			fprintf(o, "    %6llu  %-12s  %-30s ->\n", (unsigned long long)u->frame, t, name);
		else
			fprintf(o, "    %6llu  %-12s  %-30s <- %s\n", (unsigned long long)u->frame, t, "", name);
		i++;
	}
	if (p->dropped)
		fprintf(o, "    (%u more SMP PDUs not kept)\n", p->dropped);
}

int ps_doctor_write_text(const struct ps_doctor *d, FILE *o, bool color)
{
	if (!d || !o || !d->finished)
		return -PS_EINVAL;
	static const struct style plain = { "", "", "", "", "", "" };
	static const struct style ansi = { "\033[1m", "\033[1;31m", "\033[1;33m", "\033[36m", "\033[2m", "\033[0m" };
	const struct style *s = color ? &ansi : &plain;
	unsigned cnt[3] = { 0, 0, 0 };
	size_t np = 0;
	for (size_t i = 0; i < d->nfindings; i++)
		cnt[dr_rules[d->findings[i].rule].sev]++;
	for (size_t i = 0; i < d->npairings; i++)
		np += !d->pairings[i].hidden;
	fprintf(o, "%spairscope doctor:%s %llu frames, %zu pairing%s, %s%u error%s%s, %s%u warning%s%s, %u info\n",
		s->bold, s->off, (unsigned long long)d->frames, np, np == 1 ? "" : "s", cnt[2] ? s->red : "", cnt[2],
		cnt[2] == 1 ? "" : "s", s->off, cnt[1] ? s->yellow : "", cnt[1], cnt[1] == 1 ? "" : "s", s->off, cnt[0]);
	size_t num = 0;
	for (size_t i = 0; i < d->npairings; i++) {
		const struct dr_pairing *p = &d->pairings[i];
		if (p->hidden)
			continue;
		const char *oc = dr_outcome_name(p->outcome);
		fprintf(o, "\n%sPairing %zu%s  hci%u handle %u  %s %s  %s%s%s\n", s->bold, ++num, s->off, p->index,
			p->handle, p->have_rsp ? (p->sc ? "Secure Connections" : "legacy") : "",
			p->have_rsp ? dr_method_name(p->assoc.method) : "method unknown",
			p->outcome == DR_O_SUCCEEDED ? s->bold : s->red, oc, s->off);
		party_line(o, "initiator", &p->init, p->preq, p->have_req);
		party_line(o, "responder", &p->resp, p->pres, p->have_rsp);
		if (p->have_rsp) {
			char ik[40], rk[40];
			dr_keydist_str(p->idist, ik, sizeof ik);
			dr_keydist_str(p->rdist, rk, sizeof rk);
			fprintf(o, "  negotiated %s (%s), key size %u, %s; keys: initiator %s, responder %s\n",
				dr_method_name(p->assoc.method), p->assoc.auth_v61 ? "authenticated" : "unauthenticated",
				p->key_size, p->bond ? "bonding" : "no bonding", ik, rk);
		}
		if (p->outcome == DR_O_FAILED) {
			const char *r = ps_name_of(ps_names_smp_reason, p->fail_reason);
			fprintf(o, "  outcome    %sfailed%s: %s (0x%02x), sent by the %s (#%llu)\n", s->red, s->off,
				r ? r : "reserved", p->fail_reason, dr_who(p->fail_by_init), (unsigned long long)p->fail_frame);
		} else {
			fprintf(o, "  outcome    %s\n", oc);
		}
		fprintf(o, "  crypto     confirm_initiator %s, confirm_responder %s, stk %s", dr_cstat_name(p->c_confirm_i),
			dr_cstat_name(p->c_confirm_r), dr_cstat_name(p->c_stk));
		if (p->passkey >= 0)
			fprintf(o, " (passkey %06d)", p->passkey);
		else if (p->tk_known)
			fprintf(o, " (TK 0)");
		if (p->crypto_note[0])
			fprintf(o, "; %s", p->crypto_note);
		fputc('\n', o);
		if (p->probable_cause != DR_NONE_RULE)
			fprintf(o, "  %sprobable cause%s %s (#%llu)\n", s->bold, s->off, dr_rules[p->probable_cause].id,
				(unsigned long long)p->cause_frame);
		fputc('\n', o);
		ladder(d, o, p);
		fputc('\n', o);
		print_findings(d, o, s, (int32_t)i, "  ");
	}
	size_t nt = 0;
	const struct dr_finding **v = dr_sorted_findings(d, -1, &nt);
	free(v);
	if (nt) {
		fprintf(o, "\n%sCapture and connections%s\n", s->bold, s->off);
		print_findings(d, o, s, -1, "  ");
	}
	if (d->dropped_findings)
		fprintf(o, "\n(%zu more findings not kept)\n", d->dropped_findings);
	return ferror(o) ? -PS_EIO : 0;
}

int ps_doctor_write_rules(FILE *o, bool json)
{
	if (!o)
		return -PS_EINVAL;
	if (json)
		fprintf(o, "[\n");
	for (int i = 0; i < DR_NRULES; i++) {
		const struct dr_rule_info *r = &dr_rules[i];
		if (json)
			fprintf(o, "  {\"rule\": \"%s\", \"severity\": \"%s\", \"spec\": \"%s\", \"summary\": \"%s\"}%s\n", r->id,
				dr_sev_name(r->sev), r->spec, r->line, i + 1 < DR_NRULES ? "," : "");
		else
			fprintf(o, "%-31s %-8s %-44s %s\n", r->id, dr_sev_name(r->sev), r->spec, r->line);
	}
	if (json)
		fprintf(o, "]\n");
	return ferror(o) ? -PS_EIO : 0;
}
