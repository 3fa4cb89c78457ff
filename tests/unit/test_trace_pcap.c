/* pcap and pcapng reading: DLT 187, 201 and 254 written with libpcap here, pcapng with one and with
 * several interfaces of different link types and snapshot lengths (tests/data/make_pcapng.py). */
#include "trace_fixture.h"
#include <pcap/pcap.h>
#include <unistd.h>

/* Write records (each: bytes after the link-type header is prepended by the caller) with libpcap. */
static char *write_pcap(int dlt, unsigned precision, const uint8_t *const *recs, const size_t *lens, size_t n)
{
	static char path[8][64];
	static int slot;
	char *p = path[slot++ & 7];
	snprintf(p, 64, "/tmp/ps_test_pcap_%d_%d.pcap", (int)getpid(), slot);
	pcap_t *pd = pcap_open_dead_with_tstamp_precision(dlt, 65535, precision);
	assert_non_null(pd);
	pcap_dumper_t *d = pcap_dump_open(pd, p);
	assert_non_null(d);
	for (size_t i = 0; i < n; i++) {
		struct pcap_pkthdr h = { .caplen = (bpf_u_int32)lens[i], .len = (bpf_u_int32)lens[i] };
		h.ts.tv_sec = (time_t)(T0 / 1000000 + i);
		h.ts.tv_usec = precision == PCAP_TSTAMP_PRECISION_NANO ? 123456789 : 123456;
		pcap_dump((u_char *)d, &h, recs[i]);
	}
	pcap_dump_close(d);
	pcap_close(pd);
	return p;
}

static void test_dlt201_direction_from_phdr(void **state)
{
	(void)state;
	const uint8_t r0[] = { 0, 0, 0, 0, 0x01, 0x03, 0x0c, 0x00 };
	const uint8_t r1[] = { 0, 0, 0, 1, 0x04, 0x0e, 0x04, 0x01, 0x03, 0x0c, 0x00 };
	const uint8_t r2[] = { 0, 0, 0, 1, 0x02, 0x40, 0x20, 0x00, 0x00 };
	const uint8_t r3[] = { 0, 0, 0, 0, 0x02, 0x40, 0x00, 0x00, 0x00 };
	const uint8_t *recs[] = { r0, r1, r2, r3 };
	const size_t lens[] = { sizeof r0, sizeof r1, sizeof r2, sizeof r3 };
	char *p = write_pcap(201, PCAP_TSTAMP_PRECISION_MICRO, recs, lens, 4);
	struct got *g = read_path(p);
	unlink(p);
	assert_int_equal(g->n, 4);
	assert_int_equal(g->damage, 0);
	assert_int_equal(g->datalink, 201);
	assert_int_equal(g->fmt, PS_TRACE_PCAP);
	assert_int_equal(g->f[0].opcode, PS_MON_COMMAND);
	assert_int_equal(g->f[1].opcode, PS_MON_EVENT);
	assert_int_equal(g->f[2].opcode, PS_MON_ACL_RX);
	assert_int_equal(g->f[3].opcode, PS_MON_ACL_TX);
	assert_int_equal(g->f[0].len, 3);
	assert_memory_equal(g->f[0].data, "\x03\x0c\x00", 3);
	assert_int_equal(g->f[0].orig_len, 3);
	assert_true(g->f[0].ts_us == T0 + 123456);
	assert_true(g->f[1].ts_us == T0 + 1000000 + 123456);
	assert_true(g->f[0].flags & PS_FRAME_NO_INDEX);
	assert_false(g->f[0].flags & PS_FRAME_DIR_UNKNOWN);
	assert_int_equal(g->f[0].offset, 24);
	assert_int_equal(g->f[1].offset, 24 + 16 + 8);
	got_free(g);
}

/* DLT 187 has no direction: commands down, events up, LE ACL by its packet boundary flag. */
static void test_dlt187_direction_guessed_and_flagged(void **state)
{
	(void)state;
	const uint8_t r0[] = { 0x01, 0x03, 0x0c, 0x00 };
	const uint8_t r1[] = { 0x04, 0x0e, 0x04, 0x01, 0x03, 0x0c, 0x00 };
	const uint8_t r2[] = { 0x02, 0x40, 0x20, 0x02, 0x00, 0xaa, 0xbb }; /* PB 0b10: controller start */
	const uint8_t r3[] = { 0x02, 0x40, 0x10, 0x01, 0x00, 0xcc };       /* continuation: follows it */
	const uint8_t r4[] = { 0x02, 0x41, 0x00, 0x01, 0x00, 0xdd };       /* PB 0b00: host start */
	const uint8_t r5[] = { 0x02, 0x41, 0x10, 0x01, 0x00, 0xee };
	const uint8_t *recs[] = { r0, r1, r2, r3, r4, r5 };
	const size_t lens[] = { sizeof r0, sizeof r1, sizeof r2, sizeof r3, sizeof r4, sizeof r5 };
	char *p = write_pcap(187, PCAP_TSTAMP_PRECISION_MICRO, recs, lens, 6);
	struct got *g = read_path(p);
	unlink(p);
	assert_int_equal(g->n, 6);
	assert_int_equal(g->damage, 0);
	const uint16_t want[] = { PS_MON_COMMAND, PS_MON_EVENT, PS_MON_ACL_RX,
				  PS_MON_ACL_RX,  PS_MON_ACL_TX, PS_MON_ACL_TX };
	for (int i = 0; i < 6; i++) {
		assert_int_equal(g->f[i].opcode, want[i]);
		assert_true(g->f[i].flags & PS_FRAME_DIR_UNKNOWN);
	}
	got_free(g);
}

static void test_dlt254_monitor_index_and_opcode(void **state)
{
	(void)state;
	const uint8_t r0[] = { 0x00, 0x01, 0x00, 0x02, 0x03, 0x0c, 0x00 };
	const uint8_t r1[] = { 0xff, 0xff, 0x00, 0x0c, 'h', 'i', 0 };
	const uint8_t r2[] = { 0x00, 0x00, 0x00, 0x05, 0x40, 0x20, 0x00, 0x00 };
	const uint8_t r3[] = { 0x00, 0x00 }; /* shorter than the header: reported, skipped */
	const uint8_t *recs[] = { r0, r1, r2, r3 };
	const size_t lens[] = { sizeof r0, sizeof r1, sizeof r2, sizeof r3 };
	char *p = write_pcap(254, PCAP_TSTAMP_PRECISION_NANO, recs, lens, 4);
	struct got *g = read_path(p);
	unlink(p);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->f[0].index, 1);
	assert_int_equal(g->f[0].opcode, PS_MON_COMMAND);
	assert_int_equal(g->f[0].len, 3);
	assert_int_equal(g->f[1].index, PS_INDEX_NONE);
	assert_int_equal(g->f[1].opcode, PS_MON_SYSTEM_NOTE);
	assert_int_equal(g->f[2].opcode, PS_MON_ACL_RX);
	assert_false(g->f[0].flags & PS_FRAME_NO_INDEX);
	assert_true(g->f[0].ts_us == T0 + 123456); /* nanoseconds scaled to µs */
	assert_int_equal(g->damage, 1);
	assert_int_equal(g->d[0].number, 4);
	got_free(g);
}

/* The pcapng files carry the seed's packets; each must read exactly as seed-h4.btsnoop. */
static void check_same_as_seed(const char *rel, unsigned nifs)
{
	struct got *h = read_path(ps_test_path("tests/data/seed-h4.btsnoop"));
	struct got *g = read_path(ps_test_path(rel));
	assert_int_equal(g->damage, 0);
	assert_int_equal(g->fmt, PS_TRACE_PCAP);
	assert_int_equal(g->datalink, 201);
	assert_int_equal(g->n, 41);
	for (int i = 0; i < 41; i++) {
		assert_int_equal(g->f[i].opcode, h->f[i].opcode);
		assert_int_equal(g->f[i].len, h->f[i].len);
		assert_memory_equal(g->f[i].data, h->f[i].data, h->f[i].len);
		assert_true(g->f[i].ts_us == h->f[i].ts_us);
		assert_int_equal(g->f[i].index, (unsigned)i % nifs);
	}
	got_free(h);
	got_free(g);
}

static void test_pcapng_one_interface(void **state)
{
	(void)state;
	check_same_as_seed("tests/data/seed-h4.pcapng", 1);
}

static void test_pcapng_two_snaplens(void **state)
{
	(void)state;
	check_same_as_seed("tests/data/seed-snaplen.pcapng", 2);
}

/* Interfaces of DLT 201 and 187 alternate; the 187 ones carry the guessed direction flag. */
static void test_pcapng_two_link_types(void **state)
{
	(void)state;
	check_same_as_seed("tests/data/seed-multi.pcapng", 2);
	struct got *g = read_path(ps_test_path("tests/data/seed-multi.pcapng"));
	assert_int_equal(g->f[0].dlt, 201);
	assert_int_equal(g->f[1].dlt, 187);
	assert_true(g->f[1].flags & PS_FRAME_DIR_UNKNOWN);
	assert_false(g->f[0].flags & PS_FRAME_DIR_UNKNOWN);
	got_free(g);
}

static void test_pcap_from_a_pipe(void **state)
{
	(void)state;
	const uint8_t r0[] = { 0, 0, 0, 0, 0x01, 0x03, 0x0c, 0x00 };
	const uint8_t *recs[] = { r0, r0, r0 };
	const size_t lens[] = { sizeof r0, sizeof r0, sizeof r0 };
	char *p = write_pcap(201, PCAP_TSTAMP_PRECISION_MICRO, recs, lens, 3);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "cat %s", p);
	FILE *pipe = popen(cmd, "r");
	struct got *g = calloc(1, sizeof *g);
	struct ps_trace *t;
	assert_int_equal(ps_trace_open_stream(&t, pipe, "pipe", NULL, NULL, 0), 0);
	drain(t, g);
	pclose(pipe);
	unlink(p);
	assert_int_equal(g->n, 3);
	got_free(g);
}

/* pcapng built here: a block of type and body, in either byte order. */
static void ng_block(struct tbuf *b, bool le, uint32_t type, const struct tbuf *body)
{
	uint32_t len = 12 + (uint32_t)((body->len + 3) / 4 * 4);
	void (*put)(struct tbuf *, uint64_t, unsigned) = le ? tb_le : tb_be;
	put(b, type, 4);
	put(b, len, 4);
	tb_put(b, body->p, body->len);
	tb_put(b, "\0\0\0", (4 - body->len % 4) % 4);
	put(b, len, 4);
}

/* Big-endian section; interface 0 in ns with a 10 s offset, interface 1 in 2^-10 s; EPB, SPB, OPB. */
static void test_pcapng_big_endian_tsresol_tsoffset_spb_opb(void **state)
{
	(void)state;
	struct tbuf f = { 0 }, x = { 0 };
	tb_be(&x, 0x1A2B3C4D, 4), tb_be(&x, 1, 2), tb_be(&x, 0, 2), tb_be(&x, ~0ull, 8);
	ng_block(&f, false, 0x0A0D0D0A, &x);
	x.len = 0;
	tb_be(&x, 201, 2), tb_be(&x, 0, 2), tb_be(&x, 65535, 4);
	tb_be(&x, 9, 2), tb_be(&x, 1, 2), tb_put(&x, "\x09\0\0\0", 4);              /* if_tsresol 10^-9 */
	tb_be(&x, 14, 2), tb_be(&x, 8, 2), tb_be(&x, 10, 8);                       /* if_tsoffset 10 s */
	tb_be(&x, 0, 4);
	ng_block(&f, false, 1, &x);
	x.len = 0;
	tb_be(&x, 187, 2), tb_be(&x, 0, 2), tb_be(&x, 0, 4);
	tb_be(&x, 9, 2), tb_be(&x, 1, 2), tb_put(&x, "\x8a\0\0\0", 4);              /* 2^-10 s */
	ng_block(&f, false, 1, &x);
	const uint64_t ns = 1562846400123456789ull;
	x.len = 0; /* EPB on interface 0 */
	tb_be(&x, 0, 4), tb_be(&x, ns >> 32, 4), tb_be(&x, ns & 0xffffffff, 4), tb_be(&x, 8, 4), tb_be(&x, 8, 4);
	tb_put(&x, "\0\0\0\0\x01\x03\x0c\x00", 8);
	ng_block(&f, false, 6, &x);
	const uint64_t bin = (1562846400ull << 10) | 512; /* .5 s */
	x.len = 0; /* OPB on interface 1 */
	tb_be(&x, 1, 2), tb_be(&x, 0, 2), tb_be(&x, bin >> 32, 4), tb_be(&x, bin & 0xffffffff, 4);
	tb_be(&x, 7, 4), tb_be(&x, 7, 4), tb_put(&x, "\x04\x0e\x04\x01\x03\x0c\x00", 7);
	ng_block(&f, false, 2, &x);
	x.len = 0; /* SPB: interface 0, no timestamp */
	tb_be(&x, 8, 4), tb_put(&x, "\0\0\0\1\x04\x13\x00\x00", 8);
	ng_block(&f, false, 3, &x);
	x.len = 0; /* a name resolution block is skipped */
	tb_be(&x, 0, 4);
	ng_block(&f, false, 4, &x);
	struct got *g = read_mem(f.p, f.len);
	assert_int_equal(g->damage, 0);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->f[0].opcode, PS_MON_COMMAND);
	assert_true(g->f[0].ts_us == 1562846410123456ull);
	assert_int_equal(g->f[1].opcode, PS_MON_EVENT);
	assert_int_equal(g->f[1].dlt, 187);
	assert_true(g->f[1].ts_us == 1562846400500000ull);
	assert_int_equal(g->f[2].opcode, PS_MON_EVENT);
	assert_int_equal(g->f[2].len, 3);
	got_free(g);
	free(f.p);
	free(x.p);
}

/* Sniffer captures go through the link-layer seam (trace_int.h) and come out as PS_MON_LL frames. */
static void test_sniffer_dlt_goes_through_ll_seam(void **state)
{
	(void)state;
	struct got *g = read_path(ps_test_path("tests/data/crackle/crackle_01_pairing_and_ltk_exchange.pcap"));
	assert_int_equal(g->datalink, 192); /* PPI */
	assert_int_equal(g->n, 713);
	for (int i = 0; i < g->n; i++)
		assert_int_equal(g->f[i].opcode, PS_MON_LL);
	got_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dlt201_direction_from_phdr),
		cmocka_unit_test(test_dlt187_direction_guessed_and_flagged),
		cmocka_unit_test(test_dlt254_monitor_index_and_opcode),
		cmocka_unit_test(test_pcapng_one_interface),
		cmocka_unit_test(test_pcapng_two_snaplens),
		cmocka_unit_test(test_pcapng_two_link_types),
		cmocka_unit_test(test_pcap_from_a_pipe),
		cmocka_unit_test(test_pcapng_big_endian_tsresol_tsoffset_spb_opb),
		cmocka_unit_test(test_sniffer_dlt_goes_through_ll_seam),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
