/* Helpers shared by the unit tests: project paths and whole-file reads. */
#ifndef PS_TESTUTIL_H
#define PS_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* btsnoop timestamps count µs from 0000-01-01: btsnoop = Unix µs + this. The tests that write or read
 * btsnoop bytes by hand use this one copy; it is kept apart from the library's PS_BTSNOOP_EPOCH_DELTA
 * on purpose, so a wrong library constant shows up as a test failure. */
#define PS_TEST_BTSNOOP_EPOCH_DELTA 0x00DCDDB30F2F8000ull

/* Absolute path of a file under the project root (PS_SRC_DIR): "tests/data/seed.btsnoop". */
const char *ps_test_path(const char *rel);
/* Read a whole file (malloc'd, NUL-terminated); fails the test when unreadable. */
uint8_t *ps_test_read(const char *rel, size_t *len);
/* Decode hex (MSO first, as written) into out; fails the test on bad hex; returns the length. */
size_t ps_test_hex(const char *hex, uint8_t *out, size_t cap);
/* Run a shell command, capturing stdout into a malloc'd string; *rc gets the exit status. */
char *ps_test_run(const char *cmd, int *rc);

#endif
