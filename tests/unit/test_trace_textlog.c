/* btmon text import: the seed in all its renderings against seed.btsnoop, mail damage (quoting,
 * wrapping, flattening), old and new btmon wording, fragments, assumptions and bad input. */
#include "testutil.h"
#include "trace/textlog_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct diags {
	unsigned n, info;
	char last[320];
};

static void on_diag(void *ctx, const struct ps_trace_diag *d)
{
	struct diags *g = ctx;
	if (d->code < 0)
		g->n++;
	else
		g->info++;
	snprintf(g->last, sizeof g->last, "%s", d->msg);
}

/* Frames read from a text, as "op:hex" strings joined by '\n' with times relative to the first. */
struct got {
	char *s;
	size_t len, cap;
	unsigned frames;
	uint32_t flags_or;
};

static void put(struct got *g, const char *s)
{
	size_t n = strlen(s);
	if (g->len + n + 1 > g->cap) {
		g->cap = (g->len + n + 1) * 2;
		g->s = realloc(g->s, g->cap);
		assert_non_null(g->s);
	}
	memcpy(g->s + g->len, s, n + 1);
	g->len += n;
}

/* HCI frames only (commands, events, ACL), as cmp_btsnoop.py compares them. */
static int read_text(const char *text, size_t len, struct got *g, struct diags *d)
{
	struct ps_textlog *t;
	char err[300];
	memset(g, 0, sizeof *g);
	int rc = ps_textlog_open(&t, "test", text, len, on_diag, d, err, sizeof err);
	if (rc < 0) {
		snprintf(d->last, sizeof d->last, "%s", err);
		return rc;
	}
	struct ps_frame f;
	uint64_t t0 = 0;
	bool first = true;
	while ((rc = ps_textlog_next(t, &f)) == 0) {
		if (f.opcode < PS_MON_COMMAND || f.opcode > PS_MON_ACL_RX)
			continue;
		if (first)
			t0 = f.ts_us;
		first = false;
		char line[64];
		snprintf(line, sizeof line, "%u@%llu:", f.opcode, (unsigned long long)(f.ts_us - t0));
		put(g, line);
		for (uint32_t i = 0; i < f.len; i++) {
			snprintf(line, sizeof line, "%02x", f.data[i]);
			put(g, line);
		}
		put(g, "\n");
		g->frames++;
		g->flags_or |= f.flags;
	}
	ps_textlog_free(t);
	return rc == -PS_EOF ? 0 : rc;
}

/* The reference: seed.btsnoop's HCI packets in the same notation. */
static void read_btsnoop(const char *rel, struct got *g)
{
	size_t len;
	uint8_t *d = ps_test_read(rel, &len);
	memset(g, 0, sizeof *g);
	size_t off = 16;
	uint64_t t0 = 0;
	bool first = true;
	while (off + 24 <= len) {
		uint32_t il = (uint32_t)d[off + 4] << 24 | d[off + 5] << 16 | d[off + 6] << 8 | d[off + 7];
		uint32_t op = (uint32_t)d[off + 10] << 8 | d[off + 11];
		uint64_t ts = 0;
		for (int i = 0; i < 8; i++)
			ts = ts << 8 | d[off + 16 + i];
		if (op >= PS_MON_COMMAND && op <= PS_MON_ACL_RX) {
			if (first)
				t0 = ts;
			first = false;
			char line[64];
			snprintf(line, sizeof line, "%u@%llu:", op, (unsigned long long)(ts - t0));
			put(g, line);
			for (uint32_t i = 0; i < il; i++) {
				snprintf(line, sizeof line, "%02x", d[off + 24 + i]);
				put(g, line);
			}
			put(g, "\n");
			g->frames++;
		}
		off += 24 + il;
	}
	free(d);
}

static void check_seed(const char *rel)
{
	size_t len;
	char *text = (char *)ps_test_read(rel, &len);
	struct got got, want;
	struct diags d = { 0, 0, "" };
	assert_int_equal(read_text(text, len, &got, &d), 0);
	read_btsnoop("tests/data/seed.btsnoop", &want);
	assert_int_equal(want.frames, 41);
	assert_int_equal(got.frames, 41);
	assert_string_equal(got.s, want.s);
	assert_int_equal(d.n, 0);
	free(text);
	free(got.s);
	free(want.s);
}

static void test_seed_mail_flattened_rebuilds_41_packets(void **s) { (void)s; check_seed("tests/data/seed-mail.txt"); }
static void test_seed_log_unindented_rebuilds_41_packets(void **s) { (void)s; check_seed("tests/data/seed-log.txt"); }
static void test_seed_btmon566_80col_rebuilds_41_packets(void **s) { (void)s; check_seed("tests/data/seed.btmon80.txt"); }
static void test_seed_btmon566_120col_rebuilds_41_packets(void **s) { (void)s; check_seed("tests/data/seed.btmon.txt"); }

/* One packet from a small text: its octets as hex, or "" when none. */
static void one(const char *text, char *hex, size_t cap, struct diags *d, uint32_t *flags)
{
	struct got g;
	memset(d, 0, sizeof *d);
	int rc = read_text(text, strlen(text), &g, d);
	hex[0] = 0;
	if (rc == 0 && g.frames) {
		const char *colon = strchr(g.s, ':');
		snprintf(hex, cap, "%.*s", (int)strcspn(colon + 1, "\n"), colon + 1);
		if (flags)
			*flags = g.flags_or;
	}
	free(g.s);
}

static void test_lines_quote3_direction_marker_kept(void **s)
{
	(void)s;
	struct tl_text t;
	const char *in = "> > > > HCI Event: Command Complete (0x0e) plen 4\r\n> > >       Reset (0x03|0x0003) ncmd 1\r\n";
	assert_int_equal(tl_recover_lines(&t, in, strlen(in)), 0);
	assert_int_equal(t.nlines, 2);
	assert_string_equal(t.buf, "> HCI Event: Command Complete (0x0e) plen 4\nReset (0x03|0x0003) ncmd 1\n");
	tl_text_free(&t);
}

static void test_lines_flattened_unquoted_split_at_records(void **s)
{
	(void)s;
	struct tl_text t;
	const char *in = "see: < HCI Command: Reset (0x03|0x0003) plen 0 [hci0] 1.000000 > HCI Event: Command "
			 "Complete (0x0e) plen 4 [hci0] 1.000100 Reset (0x03|0x0003) ncmd 1 Status: Success (0x00) thanks";
	assert_int_equal(tl_recover_lines(&t, in, strlen(in)), 0);
	assert_int_equal(t.nlines, 3);
	assert_true(strncmp(t.buf + t.lines[1].off, "< HCI Command: Reset", 20) == 0);
	assert_true(strncmp(t.buf + t.lines[2].off, "> HCI Event: Command Complete", 29) == 0);
	assert_int_equal(t.lines[2].src_line, 1);
	tl_text_free(&t);
	char hex[200];
	struct diags d;
	one(in, hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "030c00");
}

static void test_header_wrapped_trailer_and_time_formats(void **s)
{
	(void)s;
	struct tl_hdr h;
	size_t body;
	char err[100];
	const char *a = "< HCI Command: LE Create Connect.. (0x08|0x000d)\nplen 25\n#11 [hci1]\n302.516667\nScan";
	assert_int_equal(tl_parse_header(a, strlen(a), &h, &body, err, sizeof err), 0);
	assert_int_equal(h.opcode, 0x200d);
	assert_int_equal(h.plen, 25);
	assert_int_equal(h.index, 1);
	assert_int_equal(h.ts_kind, 1);
	assert_true(h.ts_us == 302516667ull);
	assert_string_equal(a + body + 1, "Scan");
	const char *b = "> HCI Event: Disconnect Complete (0x05) plen 4  #9 [hci0] 2019-07-11 12:04:58.154979";
	assert_int_equal(tl_parse_header(b, strlen(b), &h, &body, err, sizeof err), 0);
	assert_int_equal(h.ts_kind, 3);
	assert_true(h.ts_us == (1562846400ull + 298) * 1000000u + 154979);
	const char *c = "> LE-ACL: Handle 64 flags 0x02 dlen 11 12:04:58.154979";
	assert_int_equal(tl_parse_header(c, strlen(c), &h, &body, err, sizeof err), 0);
	assert_int_equal(h.kind, TL_ACL);
	assert_int_equal(h.ts_kind, 2);
	assert_int_equal(h.index, -1);
}

static void test_old_names_master_slave_white_list_confim(void **s)
{
	(void)s;
	char hex[200];
	struct diags d;
	one("< HCI Command: LE Create Connection (0x08|0x000d) plen 25\n"
	    "Scan interval: 60.000 msec (0x0060)\nScan window: 30.000 msec (0x0030)\n"
	    "Filter policy: White list is not used (0x00)\nPeer address type: Random (0x01)\n"
	    "Peer address: D2:A7:4C:76:F3:E0 (Static)\nOwn address type: Public (0x00)\n"
	    "Min connection interval: 50.00 msec (0x0028)\nMax connection interval: 70.00 msec (0x0038)\n"
	    "Connection latency: 0x0000\nSupervision timeout: 420 msec (0x002a)\n"
	    "Min connection length: 0.000 msec (0x0000)\nMax connection length: 0.000 msec (0x0000)\n",
	    hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "0d2019600030000001e0f3764ca7d2002800380000002a0000000000");
	one("> ACL Data RX: Handle 64 flags 0x02 dlen 16\n"
	    "LE L2CAP: Connection Parameter Update Request (0x12) ident 2 len 8\n"
	    "Min interval: 6\nMax interval: 12\nSlave latency: 0\nTimeout multiplier: 400\n",
	    hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "40201000" "0c000500" "12020800" "06000c0000009001");
	one("> LE-ACL: Handle 64 flags 0x02 dlen 21\nSMP: Pairing Confirm (0x03) len 16\n"
	    "Confirm value: 6e0be0cc5a8f08ffc98a88c25167aa2f\n",
	    hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "40201500110006000" "36e0be0cc5a8f08ffc98a88c25167aa2f");
}

/* btmon prints the decode under the last fragment only: both fragments come back from it. */
static void test_acl_fragments_cut_by_dlen(void **s)
{
	(void)s;
	const char *in = "> ACL Data RX: Handle 64 flags 0x02 dlen 10 [hci0] 1.000000\n"
			 "> ACL Data RX: Handle 64 flags 0x01 dlen 11 [hci0] 1.000100\n"
			 "  SMP: Pairing Random (0x04) len 16\n  Random value: 9e7769acf6f4c19706f9abde25d4749f\n";
	struct got g;
	struct diags d = { 0, 0, "" };
	assert_int_equal(read_text(in, strlen(in), &g, &d), 0);
	assert_int_equal(g.frames, 2);
	assert_string_equal(g.s, "5@0:40200a00110006000" "49e7769acf6\n"
				 "5@100:40100b00f4c19706f9abde25d4749f\n");
	free(g.s);
}

static void test_missing_field_assumed_and_marked_rebuilt(void **s)
{
	(void)s;
	char hex[200];
	struct diags d;
	uint32_t flags = 0;
	one("< ACL Data TX: Handle 64 flags 0x00 dlen 11\nSMP: Pairing Request (0x01) len 6\n"
	    "IO capability: KeyboardOnly (0x02)\nAuthentication requirement: Bonding, MITM, Legacy, No Keypresses (0x05)\n"
	    "Max encryption key size: 16\nInitiator key distribution: EncKey Sign (0x05)\n"
	    "Responder key distribution: EncKey Sign (0x05)\n",
	    hex, sizeof hex, &d, &flags);
	assert_string_equal(hex, "40000b00070006000102000510" "0505");
	assert_true(flags & PS_FRAME_REBUILT);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.info, 1);
	assert_non_null(strstr(d.last, "OOB data"));
}

static void test_bad_input_reported_with_line(void **s)
{
	(void)s;
	struct got g;
	struct diags d = { 0, 0, "" };
	const char *prose = "Hi,\nmy pairing fails.\n> Any idea?\n";
	assert_int_equal(read_text(prose, strlen(prose), &g, &d), -PS_EEMPTY);
	assert_non_null(strstr(d.last, "no btmon packet"));
	const char *bad = "\n< HCI Command: Reset (0x03|0x0003) plen 0\n"
			  "< ACL Data TX: Handle 64 flags 0x00 dlen 11\nSMP: Pairing Request (0x01) len 6\n"
			  "IO capability: KeyboardOnly (0x02)\nOOB data: Authentication data not present (0x00)\n"
			  "Authentication requirement: Bonding (0x01)\nMax encryption key size: 999\n";
	memset(&d, 0, sizeof d);
	assert_int_equal(read_text(bad, strlen(bad), &g, &d), 0);
	assert_int_equal(g.frames, 1);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.last, "line 3"));
	assert_non_null(strstr(d.last, "999"));
	free(g.s);
	/* binary garbage and a 100 KB line: no crash, a clear refusal */
	size_t n = 100 * 1024;
	char *junk = malloc(n);
	assert_non_null(junk);
	for (size_t i = 0; i < n; i++)
		junk[i] = (char)(i * 7919u >> 3);
	memset(&d, 0, sizeof d);
	assert_int_equal(read_text(junk, n, &g, &d), -PS_EEMPTY);
	memset(junk, 'x', n);
	memset(&d, 0, sizeof d);
	assert_int_equal(read_text(junk, n, &g, &d), -PS_EEMPTY);
	free(junk);
	assert_false(ps_textlog_sniff((const uint8_t *)"\x00\x01\x02\x03\xff\xfe", 6));
	assert_true(ps_textlog_sniff((const uint8_t *)"> > > HCI Event: x", 18));
}

/* The printer's composite formats read back: two values on one line (JOIN after ENUM, DEC and HEX),
 * company IDs, Supported Commands and feature lists with their name lines, UUIDs, names that start with
 * a digit, labels with parentheses; and btmon's own renderings: per-entry lists, "::" labels, colour. */
static void test_display_formats_join_bits_uuid_company(void **s)
{
	(void)s;
	char hex[400];
	struct diags d;
	one("> HCI Event: Command Complete (0x0e) plen 12\nRead Local Version Information (0x04|0x0001) ncmd 1\n"
	    "Status: Success (0x00)\nHCI version: Bluetooth 5.3 (0x0c) - Revision 4660 (0x1234)\n"
	    "LMP version: Bluetooth 5.3 (0x0c) - Subversion 22136 (0x5678)\n"
	    "Manufacturer: Broadcom Corporation (15)\n  Firmware: 002.022.120\n  Build: 0564\n",
	    hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "0e0c010110000c34120c0f007856");
	one("> HCI Event: Command Complete (0x0e) plen 11\nRead Buffer Size (0x04|0x0005) ncmd 1\n"
	    "Status: Success (0x00)\nACL MTU: 1021 ACL max packet: 8\nSCO MTU: 64   SCO max packet: 16\n",
	    hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "0e0b01051000fd034008001000");
	one("> ACL Data RX: Handle 64 flags 0x02 dlen 11\nATT: Read By Type Request (0x08) len 6\n"
	    "Handle range: 0x0001-0xffff\nAttribute type: Device Name (0x2a00)\n",
	    hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "40200b00070004000801" "00ffff002a");
	one("> HCI Event: Command Complete (0x0e) plen 68\nRead Local Supported Commands (0x04|0x0002) ncmd 1\n"
	    "Status: Success (0x00)\nCommands: 2 entries\n  Disconnect (Octet 0 - Bit 5)\n  Octet 63 - Bit 7 \n",
	    hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "0e4401021000" "20" /* 62 zero octets */
				 "00000000000000000000000000000000000000000000000000000000000000"
				 "00000000000000000000000000000000000000000000000000000000000000" "80");
	one("> HCI Event: Command Complete (0x0e) plen 12\nLE Read Local Supported Features (0x08|0x0003) ncmd 1\n"
	    "Status: Success (0x00)\nFeatures: 0x01 0x00 0x00 0x00 0x00 0x00 0x00 0x80\n  LE Encryption\n"
	    "  Unknown features (0x8000000000000000)\n",
	    hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "0e0c010320000100000000000080");
	one("> HCI Event: Command Complete (0x0e) plen 5\nLE Set Extended Advertising Parameters (0x08|0x0036) ncmd 1\n"
	    "Status: Success (0x00)\nTX power (selected): 7 dbm (0x07)\n",
	    hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "0e050136200007");
	/* btmon: one line per CID; colour escapes and "Address type::" of 5.66 */
	one("> ACL Data RX: Handle 64 flags 0x02 dlen 20\n"
	    "LE L2CAP: Enhanced Credit Connection Request (0x17) ident 9 len 12\n"
	    "PSM: 128 (0x0080)\nMTU: 247\nMPS: 247\nCredits: 10\nSource CID: 64\nSource CID: 65\n",
	    hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "402014001000050017090c00" "8000f700f7000a0040004100");
	one("\x1b[0;35m< HCI Command: LE Set Advertising Parameters (0x08|0x0006) plen 15\x1b[0m\n"
	    "Min advertising interval: 15.000 msec (0x0018)\nMax advertising interval: 25.000 msec (0x0028)\n"
	    "Type: Connectable undirected - ADV_IND (0x00)\nOwn address type:: Random (0x01)\n"
	    "Direct address type: Random (0x01)\nDirect address: D2:A7:4C:76:F3:E0 (Static)\n"
	    "Channel map: 37, 38, 39 (0x07)\n"
	    "Filter policy: Allow Scan Request from Any, Allow Connect Request from Any (0x00)\n",
	    hex, sizeof hex, &d, NULL);
	assert_string_equal(hex, "06200f18002800000101e0f3764ca7d20700");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_mail_flattened_rebuilds_41_packets),
		cmocka_unit_test(test_seed_log_unindented_rebuilds_41_packets),
		cmocka_unit_test(test_seed_btmon566_80col_rebuilds_41_packets),
		cmocka_unit_test(test_seed_btmon566_120col_rebuilds_41_packets),
		cmocka_unit_test(test_lines_quote3_direction_marker_kept),
		cmocka_unit_test(test_lines_flattened_unquoted_split_at_records),
		cmocka_unit_test(test_header_wrapped_trailer_and_time_formats),
		cmocka_unit_test(test_old_names_master_slave_white_list_confim),
		cmocka_unit_test(test_acl_fragments_cut_by_dlen),
		cmocka_unit_test(test_missing_field_assumed_and_marked_rebuilt),
		cmocka_unit_test(test_bad_input_reported_with_line),
		cmocka_unit_test(test_display_formats_join_bits_uuid_company),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
