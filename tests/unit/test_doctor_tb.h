/* Trace builder for the doctor's tests: HCI commands, events and ACL/L2CAP/SMP frames encoded with the
 * packet tables (the proto .def layouts via ps_layout_encode), kept as monitor frames in memory, fed to the doctor
 * and written as btsnoop (datalink 2001) golden files. Scenarios: a complete pairing with correct crypto
 * (legacy c1/s1, Secure Connections f4/f5/f6), bent by one fault at a time. */
#ifndef TEST_DOCTOR_TB_H
#define TEST_DOCTOR_TB_H

#include "testutil.h"
#include <pairscope/doctor.h>
#include "proto/hci.h"
#include "proto/l2cap.h"
#include "proto/monitor.h"
#include "proto/smp.h"
#include <pairscope/crypto.h>
#include <pairscope/trace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TB_MAX 1024
struct tb {
	struct ps_frame f[TB_MAX];
	uint8_t buf[TB_MAX][272];
	size_t n;
	uint64_t ts;
	uint64_t rng;
	/* Keys the scenario distributed, [1] by the initiator, for a reconnection (test_doctor_scn.h). */
	bool kd_have[2];
	uint8_t kd_ltk[2][16];
	uint16_t kd_ediv[2];
	uint64_t kd_rand[2];
	uint8_t sc_ltk[16];
	uint8_t kd_irk[2][16];
};

static inline void tb_init(struct tb *t)
{
	memset(t, 0, sizeof *t);
	t->ts = 1562846400ull * 1000000ull + 298154979ull;
	t->rng = 0x9e3779b97f4a7c15ull;
}

/* Deterministic "random" octets (xorshift64*): test values, never patterns. */
static inline void tb_rand(struct tb *t, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		t->rng ^= t->rng >> 12;
		t->rng ^= t->rng << 25;
		t->rng ^= t->rng >> 27;
		p[i] = (uint8_t)((t->rng * 2685821657736338717ull) >> 56);
	}
}

static inline uint8_t *tb_push(struct tb *t, uint16_t op, size_t len, uint64_t gap_us)
{
	assert_true(t->n < TB_MAX && len <= sizeof t->buf[0]);
	t->ts += gap_us;
	struct ps_frame *f = &t->f[t->n];
	memset(f, 0, sizeof *f);
	f->ts_us = t->ts;
	f->index = 0;
	f->opcode = op;
	f->len = f->orig_len = (uint32_t)len;
	f->data = t->buf[t->n];
	f->number = t->n + 1;
	f->dlt = 2001;
	t->n++;
	return t->buf[t->n - 1];
}

static inline void tb_new_index(struct tb *t, const uint8_t addr[6])
{
	struct ps_mon_new_index ni = { 0, 1, { 0 }, "hci0" }; /* Primary, USB */
	memcpy(ni.bdaddr, addr, 6);
	uint8_t tmp[16];
	size_t len = 0;
	assert_int_equal(ps_layout_encode(ps_mon_layout(PS_MON_NEW_INDEX), &ni, tmp, sizeof tmp, &len), 0);
	memcpy(tb_push(t, PS_MON_NEW_INDEX, len, 0), tmp, len);
}

/* Command with parameters encoded from the generated struct (NULL for empty layouts). */
static inline void tb_cmd(struct tb *t, uint16_t opcode, const void *params)
{
	uint8_t tmp[260];
	size_t len = 0;
	const struct ps_layout *l = ps_hci_cmd_layout(opcode);
	if (params) {
		assert_non_null(l);
		assert_int_equal(ps_layout_encode(l, params, tmp, sizeof tmp, &len), 0);
	}
	uint8_t *p = tb_push(t, PS_MON_COMMAND, 3 + len, 500);
	p[0] = (uint8_t)opcode;
	p[1] = (uint8_t)(opcode >> 8);
	p[2] = (uint8_t)len;
	memcpy(p + 3, tmp, len);
}

static inline void tb_evt_raw(struct tb *t, uint8_t code, const uint8_t *params, size_t len)
{
	uint8_t *p = tb_push(t, PS_MON_EVENT, 2 + len, 400);
	p[0] = code;
	p[1] = (uint8_t)len;
	memcpy(p + 2, params, len);
}

static inline void tb_evt(struct tb *t, uint8_t code, const void *params)
{
	uint8_t tmp[260];
	size_t len = 0;
	assert_int_equal(ps_layout_encode(ps_hci_evt_layout(code), params, tmp, sizeof tmp, &len), 0);
	tb_evt_raw(t, code, tmp, len);
}

static inline void tb_le_evt(struct tb *t, uint8_t sub, const void *params)
{
	uint8_t tmp[260];
	size_t len = 0;
	tmp[0] = sub;
	assert_int_equal(ps_layout_encode(ps_le_evt_layout(sub), params, tmp + 1, sizeof tmp - 1, &len), 0);
	tb_evt_raw(t, ps_hci_evt_le_meta_code, tmp, len + 1);
}

/* Command Complete with return parameters (status first). */
static inline void tb_cc(struct tb *t, uint16_t opcode, const uint8_t *ret, size_t len)
{
	uint8_t tmp[64] = { 1, (uint8_t)opcode, (uint8_t)(opcode >> 8) };
	memcpy(tmp + 3, ret, len);
	tb_evt_raw(t, ps_hci_evt_cmd_complete_code, tmp, 3 + len);
}

static inline void tb_cs(struct tb *t, uint16_t opcode, uint8_t status)
{
	struct ps_hci_evt_cmd_status e = { status, 1, opcode };
	tb_evt(t, ps_hci_evt_cmd_status_code, &e);
}

/* One L2CAP frame in one ACL packet (PB 0b10 from the controller, 0b00 from the host, as Linux). */
static inline void tb_l2cap(struct tb *t, bool tx, uint16_t handle, uint16_t cid, const uint8_t *pl, size_t len,
		     uint64_t gap_us)
{
	uint8_t *p = tb_push(t, tx ? PS_MON_ACL_TX : PS_MON_ACL_RX, 8 + len, gap_us);
	uint16_t hf = (uint16_t)(handle | (tx ? 0x0000 : 0x2000));
	p[0] = (uint8_t)hf;
	p[1] = (uint8_t)(hf >> 8);
	p[2] = (uint8_t)(len + 4);
	p[3] = (uint8_t)((len + 4) >> 8);
	p[4] = (uint8_t)len;
	p[5] = (uint8_t)(len >> 8);
	p[6] = (uint8_t)cid;
	p[7] = (uint8_t)(cid >> 8);
	memcpy(p + 8, pl, len);
}

/* SMP PDU from its generated struct. */
static inline void tb_smp(struct tb *t, bool tx, uint16_t handle, uint8_t code, const void *pdu, uint64_t gap_us)
{
	uint8_t tmp[80];
	size_t len = 0;
	tmp[0] = code;
	assert_int_equal(ps_layout_encode(ps_smp_layout(code), pdu, tmp + 1, sizeof tmp - 1, &len), 0);
	tb_l2cap(t, tx, handle, PS_L2CAP_CID_SMP, tmp, len + 1, gap_us);
}

/* LE signaling command from its generated struct. */
static inline void tb_sig(struct tb *t, bool tx, uint16_t handle, uint8_t code, uint8_t ident, const void *cmd)
{
	uint8_t tmp[80];
	size_t len = 0;
	assert_int_equal(ps_layout_encode(ps_l2cap_layout(code), cmd, tmp + 4, sizeof tmp - 4, &len), 0);
	tmp[0] = code;
	tmp[1] = ident;
	tmp[2] = (uint8_t)len;
	tmp[3] = (uint8_t)(len >> 8);
	tb_l2cap(t, tx, handle, PS_L2CAP_CID_LE_SIG, tmp, len + 4, 2000);
}

/* Write the frames as btsnoop datalink 2001 (BlueZ monitor), big-endian headers. */
static inline void tb_write_btsnoop(const struct tb *t, const char *path)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	uint8_t h[16] = { 'b', 't', 's', 'n', 'o', 'o', 'p', 0, 0, 0, 0, 1, 0, 0, 0x07, 0xd1 };
	fwrite(h, 1, 16, f);
	for (size_t i = 0; i < t->n; i++) {
		const struct ps_frame *fr = &t->f[i];
		uint8_t r[24];
		uint64_t ts = fr->ts_us + PS_TEST_BTSNOOP_EPOCH_DELTA;
		uint32_t flags = (uint32_t)fr->index << 16 | fr->opcode;
		for (int k = 0; k < 4; k++) {
			r[k] = (uint8_t)(fr->len >> (24 - 8 * k));
			r[4 + k] = (uint8_t)(fr->len >> (24 - 8 * k));
			r[8 + k] = (uint8_t)(flags >> (24 - 8 * k));
			r[12 + k] = 0;
		}
		for (int k = 0; k < 8; k++)
			r[16 + k] = (uint8_t)(ts >> (56 - 8 * k));
		fwrite(r, 1, 24, f);
		fwrite(fr->data, 1, fr->len, f);
	}
	assert_int_equal(fclose(f), 0);
}

/* Run the doctor over the frames; the caller frees with ps_doctor_free. */
static inline struct ps_doctor *tb_diagnose(const struct tb *t, const struct ps_crypto *c)
{
	struct ps_doctor *d;
	struct ps_doctor_opts o = { c, false };
	assert_int_equal(ps_doctor_new(&d, &o), 0);
	for (size_t i = 0; i < t->n; i++)
		assert_int_equal(ps_doctor_feed(d, &t->f[i]), 0);
	assert_int_equal(ps_doctor_finish(d), 0);
	return d;
}

/* Run the doctor over a capture under the project root (the same way as tb_diagnose, from a file);
 * *end gets the reader's last code (-PS_EOF after the whole capture). The doctor reads frames only
 * during the feed, so the trace is closed here. The caller frees with ps_doctor_free. */
static inline struct ps_doctor *tb_diagnose_file(const char *rel, const struct ps_crypto *c, int *end)
{
	struct ps_trace *t;
	char err[256];
	assert_int_equal(ps_trace_open(&t, ps_test_path(rel), NULL, err, sizeof err), 0);
	struct ps_doctor *d;
	struct ps_doctor_opts o = { c, false };
	assert_int_equal(ps_doctor_new(&d, &o), 0);
	struct ps_frame f;
	int rc;
	while ((rc = ps_trace_next(t, &f)) == 0)
		assert_int_equal(ps_doctor_feed(d, &f), 0);
	*end = rc;
	assert_int_equal(ps_doctor_finish(d), 0);
	ps_trace_free(t);
	return d;
}

static inline char *tb_json(const struct ps_doctor *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	assert_int_equal(ps_doctor_write_json(d, m), 0);
	fclose(m);
	return buf;
}

/* Count findings of a rule in the JSON (any pairing or the top level). */
static inline unsigned tb_count(const char *json, const char *rule)
{
	char pat[96];
	snprintf(pat, sizeof pat, "{\"rule\": \"%s\"", rule);
	unsigned n = 0;
	for (const char *p = json; (p = strstr(p, pat)); p += strlen(pat))
		n++;
	return n;
}

static inline unsigned tb_count_sev(const char *json, const char *sev)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"severity\": \"%s\"", sev);
	unsigned n = 0;
	for (const char *p = json; (p = strstr(p, pat)); p += strlen(pat))
		n++;
	return n;
}

#endif
