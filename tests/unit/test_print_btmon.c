/* btmon text printer: the seed and format-demo traces against btmon 5.66's own output (with the
 * documented deviations), and one test per format (header cut, hexdump, intervals, RSSI, ...).
 * Frames come from a tiny btsnoop (datalink 2001) parse here, independent of src/trace. */
#include "testutil.h"
#include "print/print.h"
#include <stdlib.h>
#include <string.h>

static uint64_t be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Print a whole monitor-format btsnoop file; returns malloc'd text. */
static char *print_file(const char *rel, const struct ps_print_opts *o)
{
	size_t len;
	uint8_t *b = ps_test_read(rel, &len);
	assert_true(len >= 16 && !memcmp(b, "btsnoop\0", 8) && be(b + 12, 4) == 2001);
	struct ps_out out;
	assert_int_equal(ps_out_init(&out, -1, 1 << 16), 0);
	struct ps_printer *p = ps_printer_new(o, &out);
	assert_non_null(p);
	size_t off = 16;
	uint64_t n = 0;
	while (off + 24 <= len) {
		uint32_t incl = (uint32_t)be(b + off + 4, 4), flags = (uint32_t)be(b + off + 8, 4);
		int64_t ts = (int64_t)be(b + off + 16, 8);
		assert_true(off + 24 + incl <= len);
		struct ps_frame f = { 0 };
		f.ts_us = (uint64_t)ts - PS_TEST_BTSNOOP_EPOCH_DELTA;
		f.index = (uint16_t)(flags >> 16);
		f.opcode = (uint16_t)(flags & 0xffff);
		f.len = f.orig_len = incl;
		f.data = b + off + 24;
		f.offset = off;
		f.number = ++n;
		ps_printer_frame(p, &f);
		off += 24 + incl;
	}
	ps_printer_free(p);
	ps_out_putc(&out, 0);
	char *s = strdup(out.buf);
	ps_out_close(&out);
	free(b);
	return s;
}

/* btmon's reference text minus its banner, with our documented deviations applied. */
static char *reference(const char *rel)
{
	size_t len;
	char *t = (char *)ps_test_read(rel, &len);
	char *nl = strchr(t, '\n');
	char *s = strdup(nl + 1);
	free(t);
	const char *from = "Encryption: Enabled (0x01)", *to = "Encryption: Enabled with AES-CCM (0x01)";
	char *hit = strstr(s, from);
	if (hit) {
		char *r = malloc(strlen(s) + 32);
		size_t pre = (size_t)(hit - s);
		memcpy(r, s, pre);
		strcpy(r + pre, to);
		strcat(r, hit + strlen(from));
		free(s);
		s = r;
	}
	return s;
}

static void assert_same_text(const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return;
	int line = 1;
	const char *g = got, *w = want;
	while (*g && *g == *w) {
		if (*g == '\n')
			line++;
		g++;
		w++;
	}
	const char *ge = strchr(g, '\n'), *we = strchr(w, '\n');
	fail_msg("line %d differs:\n got: %.*s\nwant: %.*s", line, ge ? (int)(ge - g) : 60, g,
		 we ? (int)(we - w) : 60, w);
}

static const struct ps_print_opts text80 = { .mode = PS_PRINT_TEXT, .width = 80, .vendor = 0xffff };

static void test_seed_width_80_matches_btmon(void **state)
{
	(void)state;
	char *got = print_file("tests/data/seed.btsnoop", &text80), *want = reference("tests/data/seed.btmon80.txt");
	assert_same_text(got, want);
	free(got);
	free(want);
}

static void test_seed_width_120_matches_btmon(void **state)
{
	(void)state;
	struct ps_print_opts o = text80;
	o.width = 120;
	char *got = print_file("tests/data/seed.btsnoop", &o), *want = reference("tests/data/seed.btmon.txt");
	assert_same_text(got, want);
	free(got);
	free(want);
}

static void test_format_demo_matches_btmon_but_nocp(void **state)
{
	(void)state;
	char *got = print_file("tests/data/format-demo.btsnoop", &text80);
	char *want = reference("tests/data/format-demo.btmon80.txt");
	/* deviation: btmon 5.66 hexdumps the second NOCP entry; we decode it */
	const char *dump = "        41 00 02 00                                      A...            \n";
	char *hit = strstr(want, dump);
	assert_non_null(hit);
	char *fixed = malloc(strlen(want) + 64);
	memcpy(fixed, want, (size_t)(hit - want));
	strcpy(fixed + (hit - want), "        Handle: 65\n        Count: 2\n");
	strcat(fixed, hit + strlen(dump));
	assert_same_text(got, fixed);
	free(got);
	free(want);
	free(fixed);
}

/* One frame through the printer, as text. */
static char *one(const struct ps_print_opts *o, uint16_t opcode, const uint8_t *d, size_t n)
{
	struct ps_out out;
	assert_int_equal(ps_out_init(&out, -1, 4096), 0);
	struct ps_printer *p = ps_printer_new(o, &out);
	struct ps_frame f = { .ts_us = 1000000, .index = 0, .opcode = opcode, .len = (uint32_t)n, .data = d, .number = 1 };
	ps_printer_frame(p, &f);
	ps_printer_free(p);
	ps_out_putc(&out, 0);
	char *s = strdup(out.buf);
	ps_out_close(&out);
	return s;
}

static void test_header_cut_with_dots(void **state)
{
	(void)state;
	/* LE Create Connection Cancel: long name, cut to fit 60 columns */
	const uint8_t cmd[] = { 0x0e, 0x20, 0x00 };
	struct ps_print_opts o = text80;
	o.width = 66;
	char *s = one(&o, PS_MON_COMMAND, cmd, sizeof cmd);
	assert_string_equal(s, "< HCI Command: LE Crea.. (0x08|0x000e) plen 0  #1 [hci0] 0.000000\n");
	free(s);
}

static void test_hexdump_layout(void **state)
{
	(void)state;
	const uint8_t evt[] = { 0xfe, 0x11, 'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', 0x00, 0x01, 0x02,
				0x03, 0x04, 0x7f };
	char *s = one(&text80, PS_MON_EVENT, evt, sizeof evt);
	assert_non_null(strstr(s, "        68 65 6c 6c 6f 20 77 6f 72 6c 64 00 01 02 03 04  hello world.....\n"
				  "        7f                                               .               \n"));
	free(s);
}

static void test_interval_formats(void **state)
{
	(void)state;
	/* LE Connection Update: 1.25 ms, 10 ms and 0.625 ms units */
	const uint8_t cmd[] = { 0x13, 0x20, 0x0e, 0x40, 0x00, 0x06, 0x00, 0x0c, 0x00, 0x00, 0x00,
				0x90, 0x01, 0x01, 0x00, 0x02, 0x00 };
	char *s = one(&text80, PS_MON_COMMAND, cmd, sizeof cmd);
	assert_non_null(strstr(s, "        Min connection interval: 7.50 msec (0x0006)\n"));
	assert_non_null(strstr(s, "        Supervision timeout: 4000 msec (0x0190)\n"));
	assert_non_null(strstr(s, "        Min connection length: 0.625 msec (0x0001)\n"));
	assert_non_null(strstr(s, "        Max connection length: 1.250 msec (0x0002)\n"));
	free(s);
}

static void test_rssi_and_status_return(void **state)
{
	(void)state;
	const uint8_t evt[] = { 0x0e, 0x07, 0x01, 0x05, 0x14, 0x00, 0x40, 0x00, 0xc2 };
	char *s = one(&text80, PS_MON_EVENT, evt, sizeof evt);
	assert_non_null(strstr(s, "      Read RSSI (0x05|0x0005) ncmd 1\n        Status: Success (0x00)\n"
				  "        Handle: 64\n        RSSI: -62 dBm (0xc2)\n"));
	free(s);
}

/* Two values on one line (PS_FMT_JOIN), company in decimal, bit maps named (btmon 5.66). */
static void test_joined_lines_and_bit_maps(void **state)
{
	(void)state;
	const uint8_t ver[] = { 0x0e, 0x0c, 0x01, 0x01, 0x10, 0x00, 0x0c, 0x34, 0x12, 0x0c, 0x02, 0x00, 0x78, 0x56 };
	char *s = one(&text80, PS_MON_EVENT, ver, sizeof ver);
	assert_non_null(strstr(s, "        HCI version: Bluetooth 5.3 (0x0c) - Revision 4660 (0x1234)\n"
				  "        LMP version: Bluetooth 5.3 (0x0c) - Subversion 22136 (0x5678)\n"
				  "        Manufacturer: Intel Corp. (2)\n"));
	free(s);
	const uint8_t buf[] = { 0x0e, 0x0b, 0x01, 0x05, 0x10, 0x00, 0xfd, 0x03, 0x40, 0x08, 0x00, 0x10, 0x00 };
	s = one(&text80, PS_MON_EVENT, buf, sizeof buf);
	assert_non_null(strstr(s, "        ACL MTU: 1021 ACL max packet: 8\n        SCO MTU: 64   SCO max packet: 16\n"));
	free(s);
	const uint8_t feat[] = { 0x0e, 0x0c, 0x01, 0x03, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 };
	s = one(&text80, PS_MON_EVENT, feat, sizeof feat);
	assert_non_null(strstr(s, "        Features: 0x01 0x00 0x00 0x00 0x00 0x00 0x00 0x80\n"
				  "          LE Encryption\n          Unknown features (0x8000000000000000)\n"));
	free(s);
	uint8_t cmds[3 + 3 + 64] = { 0x0e, 0x44, 0x01, 0x02, 0x10, 0x00 };
	cmds[6 + 0] = 0x01;  /* Inquiry */
	cmds[6 + 63] = 0x80; /* unnamed */
	s = one(&text80, PS_MON_EVENT, cmds, sizeof cmds);
	assert_non_null(strstr(s, "        Commands: 2 entries\n          Inquiry (Octet 0 - Bit 0)\n"
				  "          Octet 63 - Bit 7 \n"));
	free(s);
	/* ATT Read By Group Type Request: handle range and a named UUID */
	const uint8_t att[] = { 0x40, 0x20, 0x0b, 0x00, 0x07, 0x00, 0x04, 0x00, 0x10, 0x01, 0x00, 0xff, 0xff, 0x00, 0x28 };
	s = one(&text80, PS_MON_ACL_RX, att, sizeof att);
	assert_non_null(strstr(s, "        Handle range: 0x0001-0xffff\n"
				  "        Attribute group type: Primary Service (0x2800)\n"));
	free(s);
}

static void test_legacy_names(void **state)
{
	(void)state;
	const uint8_t evt[] = { 0x3e, 0x13, 0x01, 0x00, 0x40, 0x00, 0x01, 0x01, 0xe0, 0xf3, 0x76, 0x4c, 0xa7,
				0xd2, 0x36, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x00 };
	struct ps_print_opts o = text80;
	o.legacy_names = true;
	char *s = one(&o, PS_MON_EVENT, evt, sizeof evt);
	assert_non_null(strstr(s, "        Role: Slave (0x01)\n"));
	assert_non_null(strstr(s, "        Master clock accuracy: 0x00\n"));
	free(s);
}

static void test_summary_and_json_lines(void **state)
{
	(void)state;
	const uint8_t cmd[] = { 0x03, 0x0c, 0x00 };
	struct ps_print_opts o = text80;
	o.mode = PS_PRINT_SUMMARY;
	char *s = one(&o, PS_MON_COMMAND, cmd, sizeof cmd);
	assert_string_equal(s, "1 0.000000 < HCI Reset\n");
	free(s);
	o.mode = PS_PRINT_JSON;
	s = one(&o, PS_MON_COMMAND, cmd, sizeof cmd);
	assert_non_null(strstr(s, "\"name\":\"Reset\""));
	assert_non_null(strstr(s, "\"dir\":\"<\""));
	free(s);
}

static void test_only_filter(void **state)
{
	(void)state;
	struct ps_print_opts o = text80;
	o.only = PS_ONLY_SMP;
	char *s = print_file("tests/data/seed.btsnoop", &o);
	assert_null(strstr(s, "HCI Command"));
	assert_non_null(strstr(s, "SMP: Pairing Request (0x01) len 6"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_width_80_matches_btmon),
		cmocka_unit_test(test_seed_width_120_matches_btmon),
		cmocka_unit_test(test_format_demo_matches_btmon_but_nocp),
		cmocka_unit_test(test_header_cut_with_dots),
		cmocka_unit_test(test_hexdump_layout),
		cmocka_unit_test(test_interval_formats),
		cmocka_unit_test(test_rssi_and_status_return),
		cmocka_unit_test(test_joined_lines_and_bit_maps),
		cmocka_unit_test(test_legacy_names),
		cmocka_unit_test(test_summary_and_json_lines),
		cmocka_unit_test(test_only_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
