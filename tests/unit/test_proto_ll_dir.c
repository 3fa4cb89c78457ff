/* The shared direction guess for sniffer captures without a direction flag (src/proto/ll_dir.c, Core
 * Vol 6 Part B §4.5.1 connection events, §4.1.1 T_IFS, §1.4.1 channel numbering): the rules decode,
 * doctor and crack all follow, and the crackle captures whose directions they must reproduce. */
#include "testutil.h"
#include "proto/ll.h"
#include <pairscope/trace.h>
#include <stdio.h>
#include <string.h>

static struct ps_frame frame(uint32_t dlt, uint8_t chan, uint64_t ts)
{
	return (struct ps_frame){ .dlt = dlt, .ts_us = ts, .opcode = PS_MON_LL, .ll = { .channel = chan, .dir = 0xff } };
}

static void test_channel_numbering(void **state)
{
	(void)state;
	/* §1.4.1: RF channel 0 is index 37, 12 is 38, 39 is 39; RF 1..11 -> 0..10, 13..38 -> 11..36. */
	static const struct { uint32_t dlt; uint8_t rf; int idx; } v[] = {
		{ 256, 0, 37 }, { 256, 1, 0 }, { 256, 11, 10 }, { 256, 12, 38 }, { 256, 13, 11 }, { 256, 38, 36 },
		{ 256, 39, 39 }, { 192, 5, 4 }, { 272, 5, 5 }, { 157, 36, 36 }, { 251, 7, -1 },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct ps_frame f = frame(v[i].dlt, v[i].rf, 0);
		assert_int_equal(ps_ll_frame_channel(&f), v[i].idx);
	}
}

static void test_channels_alternate(void **state)
{
	(void)state;
	struct ps_ll_dir st = PS_LL_DIR_INIT;
	bool g = false;
	/* event on channel 3: central, peripheral, central (MD), peripheral; then channel 10: central */
	static const struct { uint8_t ch; uint64_t ts; bool central; } seq[] = {
		{ 4, 1000, true }, { 4, 1300, false }, { 4, 1600, true }, { 4, 1900, false }, { 11, 31000, true },
		/* timestamps that run backwards (crackle's 05) change nothing: channels decide */
		{ 11, 900, false }, { 19, 500, true }, { 19, 400, false },
		/* the central's PDU of an event missed: the peripheral's, alone on a new channel, reads as the
		 * central's (nothing on the air says otherwise); the next event is right again */
		{ 25, 91000, true }, { 33, 121000, true }, { 33, 121300, false },
	};
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
		struct ps_frame f = frame(256, seq[i].ch, seq[i].ts);
		assert_int_equal(ps_ll_dir_next(&st, &f, &g), seq[i].central);
	}
	assert_true(g);
}

static void test_timing_without_channels(void **state)
{
	(void)state;
	struct ps_ll_dir st = PS_LL_DIR_INIT;
	/* DLT 251: a PDU within PS_LL_REPLY_US of a central one answers it; later, a new event. */
	static const struct { uint64_t ts; bool central; } seq[] = {
		{ 10000, true }, { 10300, false }, { 10600, true }, { 10900, false },
		{ 40000, true }, { 40000 + PS_LL_REPLY_US, true }, { 40000 + PS_LL_REPLY_US + 100, false },
		{ 30000, true }, /* backwards in time: not a reply */
	};
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
		struct ps_frame f = frame(251, 0, seq[i].ts);
		assert_int_equal(ps_ll_dir_next(&st, &f, NULL), seq[i].central);
	}
}

static void test_sniffer_direction_wins_and_feeds_the_guess(void **state)
{
	(void)state;
	struct ps_ll_dir st = PS_LL_DIR_INIT;
	bool g = false;
	struct ps_frame f = frame(272, 9, 100);
	f.ll.flags = PS_LL_DIR_VALID;
	f.ll.dir = 0; /* the peripheral's, though first on a new channel */
	assert_false(ps_ll_dir_next(&st, &f, &g));
	assert_false(g);
	/* a later frame without the flag on the same channel answers the peripheral: the central's */
	f = frame(272, 9, 400);
	assert_true(ps_ll_dir_next(&st, &f, &g));
	assert_true(g);
}

/* crackle's file 05 (DLT 256, timestamps out of order): the guess must give every SMP PDU the side the
 * SMP semantics say (Pairing Request, Confirm, Random from the central; Response, Confirm, Random from
 * the peripheral), i.e. channel alternation, not timing. */
static void test_crackle05_smp_directions(void **state)
{
	(void)state;
	struct ps_trace *t = NULL;
	char path[512];
	snprintf(path, sizeof path, "%s/tests/data/crackle/crackle_05_numeric_pin.pcap", PS_SRC_DIR);
	assert_int_equal(ps_trace_open(&t, path, NULL, NULL, 0), 0);
	struct ps_ll_dir st = PS_LL_DIR_INIT;
	struct ps_frame fr;
	const struct ps_frame *f = &fr;
	char got[16] = { 0 };
	size_t n = 0;
	while (ps_trace_next(t, &fr) == 0) {
		struct ps_ll_pdu u;
		if (f->opcode != PS_MON_LL || ps_ll_pdu_split(f->data, f->len, (f->ll.flags & PS_LL_HAS_CRC) != 0, &u) < 0 ||
		    u.adv)
			continue;
		bool central = ps_ll_dir_next(&st, f, NULL);
		/* SMP: L2CAP start on CID 6, code in payload[4] */
		if (u.llid == PS_LLID_START && u.len >= 5 && u.payload[2] == 6 && u.payload[3] == 0 && n < sizeof got - 1)
			got[n++] = central ? 'C' : 'P';
	}
	ps_trace_free(t);
	assert_string_equal(got, "CPCPCP");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_channel_numbering),
		cmocka_unit_test(test_channels_alternate),
		cmocka_unit_test(test_timing_without_channels),
		cmocka_unit_test(test_sniffer_direction_wins_and_feeds_the_guess),
		cmocka_unit_test(test_crackle05_smp_directions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
