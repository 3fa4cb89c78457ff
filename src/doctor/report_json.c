/* Doctor report as JSON (issue 5 keys): {"pairings": [{handle, initiator, responder, method,
 * secure_connections, outcome, failure, negotiated, keys, crypto, findings, probable_cause, ...}],
 * "findings": [...]} with findings {rule, severity, frames, summary, spec, fix}. */
#include "doctor/report_int.h"
#include "proto/smp.h"
#include <string.h>

/* A NULL text (a rule or note left unset) prints as "". */
static void jstr(FILE *o, const char *s) { ps_json_quote(s ? s : "", ps_put_file, o); }

static void finding(const struct ps_doctor *d, FILE *o, const struct dr_finding *f, const char *ind)
{
	const struct dr_rule_info *r = &dr_rules[f->rule];
	fprintf(o, "%s{\"rule\": ", ind);
	jstr(o, r->id);
	fprintf(o, ", \"severity\": \"%s\", \"frames\": [", dr_sev_name(r->sev));
	for (unsigned i = 0; i < f->nframes; i++)
		fprintf(o, "%s%llu", i ? ", " : "", (unsigned long long)f->frames[i]);
	fprintf(o, "], \"time\": %.6f, \"summary\": ", dr_rel_time(d, f->ts));
	jstr(o, f->summary);
	fprintf(o, ", \"spec\": ");
	jstr(o, r->spec);
	fprintf(o, ", \"explanation\": ");
	jstr(o, r->line);
	fprintf(o, ", \"fix\": ");
	jstr(o, r->fix);
	fprintf(o, "}");
}

static void findings(const struct ps_doctor *d, FILE *o, int32_t pi, const char *ind)
{
	size_t n = 0;
	const struct dr_finding **v = dr_sorted_findings(d, pi, &n);
	fprintf(o, "[");
	for (size_t i = 0; i < n; i++) {
		fprintf(o, "%s\n", i ? "," : "");
		finding(d, o, v[i], ind);
	}
	fprintf(o, "%s]", n ? "\n" : "");
	free(v);
}

static void party(FILE *o, const struct dr_party *a, const uint8_t *pdu, bool have)
{
	char ab[PS_ADDR_STRLEN];
	fprintf(o, "{\"address\": ");
	if (a->known)
		jstr(o, ps_addr_str(a->a, ab));
	else
		fprintf(o, "null");
	fprintf(o, ", \"address_type\": %s, \"local\": %s", a->known ? (a->type ? "\"random\"" : "\"public\"") : "null",
		a->local ? "true" : "false");
	if (have) {
		const char *io = ps_name_of(ps_names_smp_io_cap, pdu[1]);
		char ik[40], rk[40];
		dr_keydist_str(pdu[5], ik, sizeof ik);
		dr_keydist_str(pdu[6], rk, sizeof rk);
		fprintf(o, ", \"io_capability\": ");
		jstr(o, io ? io : "reserved");
		fprintf(o, ", \"oob\": %s, \"auth_req\": %u, \"bonding\": %s, \"mitm\": %s, \"sc\": %s, \"keypress\": %s, "
			   "\"max_key_size\": %u, \"initiator_key_distribution\": \"%s\", \"responder_key_distribution\": \"%s\"",
			pdu[2] == 1 ? "true" : "false", pdu[3], (pdu[3] & 3) == 1 ? "true" : "false",
			pdu[3] & PS_SMP_AUTH_MITM ? "true" : "false", pdu[3] & PS_SMP_AUTH_SC ? "true" : "false",
			pdu[3] & PS_SMP_AUTH_KEYPRESS ? "true" : "false", pdu[4], ik, rk);
	}
	fprintf(o, "}");
}

static void pairing(const struct ps_doctor *d, FILE *o, const struct dr_pairing *p, size_t num)
{
	char hex[70], ik[40], rk[40];
	int32_t pi = dr_pidx(d, p);
	fprintf(o, "    {\"pairing\": %zu, \"index\": %u, \"handle\": %u,\n     \"initiator\": ", num, p->index, p->handle);
	party(o, &p->init, p->preq, p->have_req);
	fprintf(o, ",\n     \"responder\": ");
	party(o, &p->resp, p->pres, p->have_rsp);
	fprintf(o, ",\n     \"method\": \"%s\", \"secure_connections\": %s, \"outcome\": \"%s\",\n",
		p->have_rsp ? dr_method_name(p->assoc.method) : "unknown", p->sc ? "true" : "false",
		dr_outcome_name(p->outcome));
	fprintf(o, "     \"failure\": ");
	if (p->outcome == DR_O_FAILED) {
		const char *r = ps_name_of(ps_names_smp_reason, p->fail_reason);
		fprintf(o, "{\"reason\": %u, \"reason_hex\": \"0x%02x\", \"name\": ", p->fail_reason, p->fail_reason);
		jstr(o, r ? r : "Reserved");
		fprintf(o, ", \"sent_by\": \"%s\", \"frame\": %llu}", dr_who(p->fail_by_init),
			(unsigned long long)p->fail_frame);
	} else if (p->outcome == DR_O_DISCONNECTED || p->outcome == DR_O_TIMEOUT) {
		fprintf(o, "{\"reason\": null, \"name\": \"%s\", \"sent_by\": null, \"frame\": %llu",
			p->outcome == DR_O_TIMEOUT ? "SMP timeout" : "disconnected", (unsigned long long)p->end_frame);
		if (p->disc_reason >= 0)
			fprintf(o, ", \"disconnect_reason\": %d", p->disc_reason);
		fprintf(o, "}");
	} else {
		fprintf(o, "null");
	}
	fprintf(o, ",\n     \"negotiated\": ");
	if (p->have_rsp) {
		dr_keydist_str(p->idist, ik, sizeof ik);
		dr_keydist_str(p->rdist, rk, sizeof rk);
		fprintf(o, "{\"method\": \"%s\", \"secure_connections\": %s, \"authenticated\": %s, "
			   "\"authenticated_core_v6_2\": %s, \"mitm_requested\": %s, \"bonding\": %s, \"key_size\": %u, "
			   "\"initiator_key_distribution\": \"%s\", \"responder_key_distribution\": \"%s\"}",
			dr_method_name(p->assoc.method), p->sc ? "true" : "false", p->assoc.auth_v61 ? "true" : "false",
			p->assoc.auth_v62 ? "true" : "false",
			((p->preq[3] | p->pres[3]) & PS_SMP_AUTH_MITM) ? "true" : "false", p->bond ? "true" : "false",
			p->key_size, ik, rk);
	} else {
		fprintf(o, "null");
	}
	fprintf(o, ",\n     \"encryption\": ");
	if (p->enc_started) {
		fprintf(o, "{\"frame\": %llu, \"key\": \"%s\", \"ediv\": %u, \"rand\": \"0x%016llx\", \"status\": %d, "
			   "\"result_frame\": %llu, \"enabled\": %s}",
			(unsigned long long)p->enc_frame, ps_hex_encode(p->enc_ltk, 16, hex), p->enc_ediv,
			(unsigned long long)p->enc_rand, p->enc_status, (unsigned long long)p->enc_status_frame,
			p->enc_on ? "true" : "false");
	} else {
		fprintf(o, "null");
	}
	fprintf(o, ",\n     \"keys\": [");
	unsigned nk = 0;
	for (uint32_t i = 0; i < p->npdus; i++) {
		const struct dr_pdu *u = &p->pdus[i];
		if (u->code < 0x06 || u->code > 0x0a || !u->valid)
			continue;
		fprintf(o, "%s{\"key\": \"%s\", \"by\": \"%s\", \"frame\": %llu, ", nk++ ? ", " : "", dr_key_name(u->code),
			dr_who(u->by_init), (unsigned long long)u->frame);
		if (u->code == 0x07)
			fprintf(o, "\"ediv\": %u, \"rand\": \"0x%016llx\"", (unsigned)(u->b[0] | u->b[1] << 8),
				(unsigned long long)dr_le64(u->b + 2));
		else if (u->code == 0x09)
			fprintf(o, "\"address\": \"%s\", \"address_type\": \"%s\"", ps_addr_str(u->b + 1, hex),
				u->b[0] ? "random" : "public");
		else
			fprintf(o, "\"value\": \"%s\"", ps_hex_encode(u->b, 16, hex));
		bool ok = p->have_rsp && (dr_keydist_bit(u->code) & (u->by_init ? p->idist : p->rdist)) &&
			  !(p->sc && u->code <= 0x07);
		fprintf(o, ", \"negotiated\": %s}", ok ? "true" : "false");
	}
	fprintf(o, "],\n     \"crypto\": {\"confirm_initiator\": \"%s\", \"confirm_responder\": \"%s\", \"stk\": \"%s\"",
		dr_cstat_name(p->c_confirm_i), dr_cstat_name(p->c_confirm_r), dr_cstat_name(p->c_stk));
	if (p->tk_known)
		fprintf(o, ", \"tk\": \"%s\"", ps_hex_encode(p->tk, 16, hex));
	if (p->passkey >= 0)
		fprintf(o, ", \"passkey\": \"%06d\"", p->passkey);
	if (p->crypto_note[0]) {
		fprintf(o, ", \"note\": ");
		jstr(o, p->crypto_note);
	}
	fprintf(o, "},\n     \"reencryptions\": %u, \"first_reencryption_frame\": %llu,\n     \"pdus\": [", p->reenc,
		(unsigned long long)p->reenc_frame);
	for (uint32_t i = 0; i < p->npdus; i++) {
		const struct dr_pdu *u = &p->pdus[i];
		const struct ps_layout *l = ps_smp_layout(u->code);
		fprintf(o, "%s\n       {\"frame\": %llu, \"time\": %.6f, \"from\": \"%s\", \"code\": %u, \"name\": ", i ? "," : "",
			(unsigned long long)u->frame, dr_rel_time(d, u->ts), dr_who(u->by_init), u->code);
		jstr(o, l ? l->label : "Unknown");
		fprintf(o, ", \"phase\": %u, \"encrypted\": %s}", u->phase >= DR_PH3 ? 3 : u->phase >= DR_PH2 ? 2 : 1,
			u->encrypted ? "true" : "false");
	}
	fprintf(o, "%s],\n     \"findings\": ", p->npdus ? "\n     " : "");
	findings(d, o, pi, "       ");
	fprintf(o, ",\n     \"probable_cause\": ");
	if (p->probable_cause != DR_NONE_RULE) {
		jstr(o, dr_rules[p->probable_cause].id);
		fprintf(o, ", \"probable_cause_frame\": %llu", (unsigned long long)p->cause_frame);
	} else {
		fprintf(o, "null");
	}
	fprintf(o, "}");
}

int ps_doctor_write_json(const struct ps_doctor *d, FILE *o)
{
	if (!d || !o || !d->finished)
		return -PS_EINVAL;
	unsigned cnt[3] = { 0, 0, 0 };
	for (size_t i = 0; i < d->nfindings; i++)
		cnt[dr_rules[d->findings[i].rule].sev]++;
	fprintf(o, "{\"frames\": %llu, \"errors\": %u, \"warnings\": %u, \"infos\": %u, \"dropped_findings\": %zu,\n",
		(unsigned long long)d->frames, cnt[2], cnt[1], cnt[0], d->dropped_findings);
	fprintf(o, "  \"pairings\": [");
	size_t num = 0;
	for (size_t i = 0; i < d->npairings; i++) {
		if (d->pairings[i].hidden)
			continue;
		fprintf(o, "%s\n", num ? "," : "");
		pairing(d, o, &d->pairings[i], ++num);
	}
	fprintf(o, "%s],\n  \"findings\": ", num ? "\n  " : "");
	findings(d, o, -1, "    ");
	fprintf(o, "\n}\n");
	return ferror(o) ? -PS_EIO : 0;
}
