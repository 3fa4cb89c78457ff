/* Writers: btsnoop 2001 and 1002 and pcap DLT 201 read back to the same frames (the seed byte for
 * byte), libpcap accepts our pcap, and a write is atomic (nothing visible before close, nothing after
 * abort or failure). */
#include "trace_fixture.h"
#include <dirent.h>
#include <pcap/pcap.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/ps_test_writer_XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int entries(void)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, "..")))
			n++;
	closedir(d);
	return n;
}

static const char *out_path(const char *name)
{
	static char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static void write_all(const struct got *g, const char *path, enum ps_writer_format fmt, int *left_out)
{
	struct ps_writer *w;
	assert_int_equal(ps_writer_open(&w, path, fmt), 0);
	*left_out = 0;
	for (int i = 0; i < g->n; i++) {
		int rc = ps_writer_write(w, &g->f[i]);
		if (rc == -PS_EUNSUP)
			(*left_out)++;
		else
			assert_int_equal(rc, 0);
	}
	assert_int_equal(ps_writer_close(w), 0);
}

static void assert_file_equals(const char *path, const char *rel)
{
	size_t a, b;
	uint8_t *x = ps_test_read(path, &a), *y = ps_test_read(rel, &b);
	assert_int_equal(a, b);
	assert_memory_equal(x, y, a);
	free(x);
	free(y);
}

static void test_seed_2001_writes_back_byte_for_byte(void **state)
{
	(void)state;
	struct got *g = read_path(ps_test_path("tests/data/seed.btsnoop"));
	int left;
	write_all(g, out_path("a.btsnoop"), PS_WRITE_BTSNOOP_MONITOR, &left);
	assert_int_equal(left, 0);
	assert_file_equals(out_path("a.btsnoop"), "tests/data/seed.btsnoop");
	got_free(g);
}

static void test_seed_2001_to_h4_equals_seed_h4(void **state)
{
	(void)state;
	struct got *g = read_path(ps_test_path("tests/data/seed.btsnoop"));
	int left;
	write_all(g, out_path("b.btsnoop"), PS_WRITE_BTSNOOP_H4, &left);
	assert_int_equal(left, 3); /* the index records have no H4 form */
	assert_file_equals(out_path("b.btsnoop"), "tests/data/seed-h4.btsnoop");
	got_free(g);
}

/* H4 sources have no index: they become hci0 in a monitor file, and read back as the same packets. */
static void test_h4_to_2001_uses_index_0(void **state)
{
	(void)state;
	struct got *g = read_path(ps_test_path("tests/data/seed-h4.btsnoop"));
	int left;
	write_all(g, out_path("c.btsnoop"), PS_WRITE_BTSNOOP_MONITOR, &left);
	struct got *m = read_path(out_path("c.btsnoop"));
	struct got *seed = read_path(ps_test_path("tests/data/seed.btsnoop"));
	assert_int_equal(m->n, 41);
	for (int i = 0; i < 41; i++) {
		assert_int_equal(m->f[i].index, 0);
		assert_int_equal(m->f[i].opcode, seed->f[i + 3].opcode);
		assert_int_equal(m->f[i].len, seed->f[i + 3].len);
		assert_memory_equal(m->f[i].data, seed->f[i + 3].data, m->f[i].len);
		assert_true(m->f[i].ts_us == seed->f[i + 3].ts_us);
	}
	got_free(g);
	got_free(m);
	got_free(seed);
}

static void test_pcap_201_round_trip_and_libpcap_reads_it(void **state)
{
	(void)state;
	struct got *g = read_path(ps_test_path("tests/data/seed-h4.btsnoop"));
	int left;
	write_all(g, out_path("d.pcap"), PS_WRITE_PCAP_H4_PHDR, &left);
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(out_path("d.pcap"), eb);
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), 201);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0;
	while (pcap_next_ex(p, &h, &d) == 1) {
		assert_int_equal(h->caplen, g->f[n].len + 5);
		assert_int_equal(d[3] & 1, g->f[n].opcode == PS_MON_EVENT || g->f[n].opcode == PS_MON_ACL_RX);
		n++;
	}
	pcap_close(p);
	assert_int_equal(n, 41);
	struct got *b = read_path(out_path("d.pcap"));
	assert_int_equal(b->n, 41);
	for (int i = 0; i < 41; i++) {
		assert_int_equal(b->f[i].opcode, g->f[i].opcode);
		assert_memory_equal(b->f[i].data, g->f[i].data, g->f[i].len);
		assert_true(b->f[i].ts_us == g->f[i].ts_us);
	}
	got_free(g);
	got_free(b);
}

static void test_truncated_frames_keep_orig_len(void **state)
{
	(void)state;
	struct ps_frame f = { .ts_us = T0, .opcode = PS_MON_ACL_RX, .orig_len = 200, .len = 4,
			      .data = (const uint8_t *)"\x40\x20\xc4\x00", .flags = PS_FRAME_TRUNCATED };
	static const enum ps_writer_format fmts[] = { PS_WRITE_BTSNOOP_MONITOR, PS_WRITE_BTSNOOP_H4,
						      PS_WRITE_PCAP_H4_PHDR };
	for (size_t i = 0; i < 3; i++) {
		struct ps_writer *w;
		assert_int_equal(ps_writer_open(&w, out_path("t.cap"), fmts[i]), 0);
		assert_int_equal(ps_writer_write(w, &f), 0);
		assert_int_equal(ps_writer_close(w), 0);
		struct got *g = read_path(out_path("t.cap"));
		assert_int_equal(g->n, 1);
		assert_int_equal(g->f[0].orig_len, 200);
		assert_int_equal(g->f[0].len, 4);
		assert_true(g->f[0].flags & PS_FRAME_TRUNCATED);
		assert_int_equal(g->damage, 0);
		got_free(g);
	}
}

static void test_frames_without_a_form_are_refused(void **state)
{
	(void)state;
	struct ps_writer *w;
	struct ps_frame idx = { .opcode = PS_MON_NEW_INDEX, .len = 0 };
	struct ps_frame ll = { .opcode = PS_MON_LL, .len = 0 };
	assert_int_equal(ps_writer_open(&w, out_path("e.btsnoop"), PS_WRITE_BTSNOOP_H4), 0);
	assert_int_equal(ps_writer_write(w, &idx), -PS_EUNSUP);
	assert_int_equal(ps_writer_write(w, &ll), -PS_EUNSUP);
	ps_writer_abort(w);
	assert_int_equal(ps_writer_open(&w, out_path("e.btsnoop"), PS_WRITE_BTSNOOP_MONITOR), 0);
	assert_int_equal(ps_writer_write(w, &idx), 0);
	assert_int_equal(ps_writer_write(w, &ll), -PS_EUNSUP);
	ps_writer_abort(w);
}

static void test_atomic_nothing_before_close_nothing_after_abort(void **state)
{
	(void)state;
	int before = entries();
	struct ps_frame f = { .ts_us = T0, .opcode = PS_MON_COMMAND, .len = 3,
			      .data = (const uint8_t *)"\x03\x0c\x00" };
	struct ps_writer *w;
	struct stat st;
	/* abort: no file, no temp */
	assert_int_equal(ps_writer_open(&w, out_path("f.btsnoop"), PS_WRITE_BTSNOOP_MONITOR), 0);
	assert_int_equal(ps_writer_write(w, &f), 0);
	assert_int_equal(stat(out_path("f.btsnoop"), &st), -1);
	ps_writer_abort(w);
	assert_int_equal(entries(), before);
	/* an existing file stays whole until the new one replaces it */
	assert_int_equal(ps_writer_open(&w, out_path("f.btsnoop"), PS_WRITE_BTSNOOP_MONITOR), 0);
	assert_int_equal(ps_writer_write(w, &f), 0);
	assert_int_equal(ps_writer_close(w), 0);
	assert_int_equal(stat(out_path("f.btsnoop"), &st), 0);
	assert_int_equal(st.st_size, 16 + 24 + 3);
	assert_int_equal(ps_writer_open(&w, out_path("f.btsnoop"), PS_WRITE_BTSNOOP_MONITOR), 0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(ps_writer_write(w, &f), 0);
	assert_int_equal(stat(out_path("f.btsnoop"), &st), 0);
	assert_int_equal(st.st_size, 16 + 24 + 3);
	ps_writer_abort(w);
	assert_int_equal(stat(out_path("f.btsnoop"), &st), 0);
	assert_int_equal(st.st_size, 16 + 24 + 3);
	assert_int_equal(entries(), before + 1);
}

static void test_unwritable_directory_fails_open(void **state)
{
	(void)state;
	struct ps_writer *w = (struct ps_writer *)1;
	assert_int_equal(ps_writer_open(&w, "/nonexistent-dir/x.btsnoop", PS_WRITE_BTSNOOP_MONITOR), -PS_ENOENT);
	assert_null(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_2001_writes_back_byte_for_byte),
		cmocka_unit_test(test_seed_2001_to_h4_equals_seed_h4),
		cmocka_unit_test(test_h4_to_2001_uses_index_0),
		cmocka_unit_test(test_pcap_201_round_trip_and_libpcap_reads_it),
		cmocka_unit_test(test_truncated_frames_keep_orig_len),
		cmocka_unit_test(test_frames_without_a_form_are_refused),
		cmocka_unit_test(test_atomic_nothing_before_close_nothing_after_abort),
		cmocka_unit_test(test_unwritable_directory_fails_open),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
