/* pairscope controller: virtual LE controllers on one simulated link, one per client of a listening
 * socket (or per pseudo-terminal), speaking H4; --write records every controller's HCI traffic as one
 * btsnoop (datalink 2001, one index per controller). */
#include "cli.h"
#include <pairscope/platform.h>
#include <pairscope/sim.h>
#include <pairscope/trace.h>
#include <pairscope/vctl.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <fcntl.h>
#include <stddef.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#define MAX_CLIENTS 32
#define MAX_LISTEN 4

static volatile sig_atomic_t stop_flag; /* set by SIGINT/SIGTERM: close the capture cleanly */

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

struct client {
	int fd;
	bool pty;
	struct ps_vctl *c;
};

struct server {
	struct ps_vctl_link *link;
	struct ps_writer *w;
	uint64_t epoch_off; /* realtime - monotonic, µs */
	struct client cl[MAX_CLIENTS];
	int ncl;
	bool quiet;
};

static void send_cb(void *ctx, const uint8_t *h4, size_t len)
{
	struct client *cl = ctx;
	while (len && cl->fd >= 0) {
		ssize_t n = write(cl->fd, h4, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pf = { .fd = cl->fd, .events = POLLOUT };
				poll(&pf, 1, 100);
				continue;
			}
			return; /* the client went away; its read side will tell */
		}
		h4 += n;
		len -= (size_t)n;
	}
}

static void trace_cb(void *ctx, uint16_t index, uint16_t op, uint64_t ts, const uint8_t *data, size_t len)
{
	struct server *s = ctx;
	if (!s->w)
		return;
	struct ps_frame f = { .ts_us = ts + s->epoch_off, .index = index, .opcode = op, .orig_len = (uint32_t)len,
			      .len = (uint32_t)len, .data = data };
	ps_writer_write(s->w, &f);
}

static int add_client(struct server *s, int fd, bool pty)
{
	int slot = -1;
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (s->cl[i].fd < 0 && !s->cl[i].c) {
			slot = i;
			break;
		}
	if (slot < 0)
		return -PS_ENOSPC;
	struct client *cl = &s->cl[slot];
	cl->fd = fd;
	cl->pty = pty;
	struct ps_vctl_opts o = { .send = send_cb, .ctx = cl, .trace = trace_cb, .trace_ctx = s };
	int rc = ps_vctl_new(&cl->c, s->link, &o);
	if (rc < 0) {
		cl->fd = -1;
		return rc;
	}
	if (slot >= s->ncl)
		s->ncl = slot + 1;
	if (!s->quiet)
		fprintf(stderr, "controller hci%u: client connected\n", ps_vctl_index(cl->c));
	return 0;
}

static void drop_client(struct server *s, struct client *cl)
{
	if (!s->quiet && cl->c)
		fprintf(stderr, "controller hci%u: client gone\n", ps_vctl_index(cl->c));
	ps_vctl_free(cl->c);
	cl->c = NULL;
	close(cl->fd);
	cl->fd = -1;
}


/* ---- --bench: in-process figures (two of our hosts on two controllers, deterministic clock) ---- */

struct bdev {
	struct ps_host *h;
	int ready, conn, disc, enc;
	uint16_t handle;
	uint64_t rx;
};

static void b_ready(void *ctx, uint8_t st) { ((struct bdev *)ctx)->ready = st ? -1 : 1; }
static void b_conn(void *ctx, uint8_t st, const struct ps_host_conn_info *i)
{
	struct bdev *d = ctx;
	d->conn = st ? -1 : 1;
	d->handle = i->handle;
}
static void b_disc(void *ctx, uint16_t h, uint8_t r)
{
	(void)h, (void)r;
	((struct bdev *)ctx)->disc = 1;
}
static void b_enc(void *ctx, uint16_t h, uint8_t st, uint8_t en, bool refresh)
{
	(void)h, (void)refresh;
	((struct bdev *)ctx)->enc = !st && en ? 1 : -1;
}
static void b_ltk(void *ctx, uint16_t h, uint64_t rand, uint16_t ediv)
{
	(void)rand, (void)ediv;
	static const uint8_t ltk[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	ps_host_ltk_reply(((struct bdev *)ctx)->h, h, ltk);
}
static void b_rx(void *ctx, uint16_t h, uint16_t cid, const uint8_t *p, size_t n)
{
	(void)h, (void)cid, (void)p;
	((struct bdev *)ctx)->rx += n;
}
static bool b_both(struct bdev *d, size_t off)
{
	return *(int *)((char *)&d[0] + off) && *(int *)((char *)&d[1] + off);
}
static bool b_ready2(void *ctx) { return b_both(ctx, offsetof(struct bdev, ready)); }
static bool b_conn2(void *ctx) { return b_both(ctx, offsetof(struct bdev, conn)); }
static bool b_disc2(void *ctx) { return b_both(ctx, offsetof(struct bdev, disc)); }
static bool b_enc2(void *ctx) { return b_both(ctx, offsetof(struct bdev, enc)); }

static int bench_setup(struct ps_crypto *cr, struct ps_sim **sp, struct bdev d[2], bool dle)
{
	struct ps_sim_opts o = { .crypto = cr, .seed = 1 };
	int rc = ps_sim_new(sp, &o);
	if (rc < 0)
		return rc;
	memset(d, 0, 2 * sizeof *d);
	for (int k = 0; k < 2; k++) {
		struct ps_host_cb cb = { .ctx = &d[k], .ready = b_ready, .connected = b_conn, .disconnected = b_disc,
					 .enc_change = b_enc, .ltk_request = b_ltk, .l2cap_rx = b_rx };
		struct ps_host_config cfg = { .has_random = true, .random_addr = { 1, 0, 0, 0, (uint8_t)k, 0xc0 } };
		if ((rc = ps_sim_add(*sp, &cb, &cfg, NULL, &d[k].h, NULL)) < 0)
			return rc;
		ps_host_start(d[k].h);
	}
	if (ps_sim_run_until(*sp, b_ready2, d, 1000000) < 0)
		return -PS_ETIMEOUT;
	if (dle) {
		const uint8_t p[4] = { 0xfb, 0x00, 0x48, 0x08 }; /* LE Write Suggested Default Data Length 251 */
		for (int k = 0; k < 2; k++)
			ps_host_command(d[k].h, 0x2024, p, sizeof p);
	}
	return 0;
}

static int bench_connect(struct ps_sim *s, struct bdev d[2])
{
	const struct ps_host_adv adv = { .interval_min = 0x20, .interval_max = 0x20 };
	struct ps_addr peer = { .type = 1, .a = { 1, 0, 0, 0, 1, 0xc0 } };
	d[0].conn = d[1].conn = d[0].disc = d[1].disc = 0;
	ps_host_advertise(d[1].h, &adv);
	ps_host_connect(d[0].h, &peer, NULL);
	return ps_sim_run_until(s, b_conn2, d, 1000000);
}

static double wall(void) { return (double)ps_clock_now_us() / 1e6; }

static int bench(double secs)
{
	struct ps_crypto cr;
	if (ps_crypto_openssl_new(&cr) < 0)
		return 2;
	struct ps_sim *s = NULL;
	struct bdev d[2];
	/* connect + disconnect cycles */
	if (bench_setup(&cr, &s, d, false) < 0)
		return 2;
	uint64_t cycles = 0;
	double t0 = wall(), t;
	do {
		for (int i = 0; i < 256; i++, cycles++) {
			if (bench_connect(s, d) < 0)
				return 2;
			ps_host_disconnect(d[0].h, d[0].handle, 0x13);
			if (ps_sim_run_until(s, b_disc2, d, 1000000) < 0)
				return 2;
		}
	} while ((t = wall() - t0) < secs);
	printf("connect_disconnect_per_s %.0f\n", (double)cycles / t);
	ps_sim_free(s);
	/* ACL throughput, 498-octet SDUs = two full 251-octet LL PDUs each, plain then encrypted */
	for (int encrypted = 0; encrypted < 2; encrypted++) {
		if (bench_setup(&cr, &s, d, true) < 0 || bench_connect(s, d) < 0)
			return 2;
		ps_sim_run(s, 100000);
		if (encrypted) {
			static const uint8_t ltk[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
			ps_host_start_encryption(d[0].h, d[0].handle, 0, 0, ltk);
			if (ps_sim_run_until(s, b_enc2, d, 1000000) < 0 || d[0].enc != 1)
				return 2;
		}
		uint8_t sdu[498];
		memset(sdu, 0x5a, sizeof sdu);
		uint64_t start = d[1].rx;
		t0 = wall();
		do {
			for (int i = 0; i < 200; i++) {
				while (ps_host_l2cap_send(d[0].h, d[0].handle, 0x0040, sdu, sizeof sdu) == 0)
					;
				ps_sim_run(s, 0);
			}
		} while ((t = wall() - t0) < secs);
		printf("acl_%s_mb_per_s %.1f\n", encrypted ? "encrypted" : "plain", (double)(d[1].rx - start) / t / 1e6);
		ps_sim_free(s);
	}
	ps_crypto_free(&cr);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: pairscope controller (--listen tcp:HOST:PORT|unix:PATH ... | --pty [N]) [--write FILE]\n"
		   "                            [--seed N] [--quiet]\n"
		   "       pairscope controller --bench [SECONDS]   (in-process figures, key value lines)\n"
		   "Each client that connects (or each pseudo-terminal) gets its own virtual LE controller speaking\n"
		   "H4; all of them share one simulated link, so they can advertise, connect, encrypt and pair with\n"
		   "each other. --write records every controller's HCI traffic as one btsnoop (one index each).\n");
}

int ps_cmd_controller(int argc, char **argv)
{
	const char *listen_spec[MAX_LISTEN];
	int nlisten = 0, npty = 0;
	const char *write_path = NULL;
	uint64_t seed = 0;
	bool quiet = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--bench")) {
			double secs = i + 1 < argc ? atof(argv[i + 1]) : 1.0;
			return bench(secs > 0 ? secs : 1.0);
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--listen") && i + 1 < argc && nlisten < MAX_LISTEN) {
			listen_spec[nlisten++] = argv[++i];
		} else if (!strcmp(a, "--pty")) {
			npty = 2;
			if (i + 1 < argc && argv[i + 1][0] >= '1' && argv[i + 1][0] <= '9')
				npty = atoi(argv[++i]);
			if (npty > MAX_CLIENTS / 2)
				npty = MAX_CLIENTS / 2;
		} else if (!strcmp(a, "--write") && i + 1 < argc) {
			write_path = argv[++i];
		} else if (!strcmp(a, "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			quiet = true;
		} else {
			fprintf(stderr, "pairscope controller: unexpected argument '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (!nlisten && !npty) {
		usage(stderr);
		return 2;
	}
	struct ps_crypto crypto;
	if (ps_crypto_openssl_new(&crypto) < 0) {
		fprintf(stderr, "pairscope controller: crypto backend unavailable\n");
		return 2;
	}
	struct server *sp = calloc(1, sizeof *sp);
	if (!sp) {
		ps_crypto_free(&crypto);
		return 2;
	}
	sp->quiet = quiet;
	for (int i = 0; i < MAX_CLIENTS; i++)
		sp->cl[i].fd = -1;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	uint64_t mono = ps_clock_now_us();
	sp->epoch_off = (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec - mono;
	struct ps_vctl_link_opts lo = { .crypto = &crypto, .start_us = mono, .seed = seed };
	int rc = ps_vctl_link_new(&sp->link, &lo);
	if (rc < 0) {
		ps_crypto_free(&crypto);
		free(sp);
		return 2;
	}
	if (write_path && (rc = ps_writer_open(&sp->w, write_path, PS_WRITE_BTSNOOP_MONITOR)) < 0) {
		fprintf(stderr, "pairscope controller: cannot write %s: %s\n", write_path, ps_strerror(rc));
		ps_vctl_link_free(sp->link);
		ps_crypto_free(&crypto);
		free(sp);
		return 2;
	}
	int lfd[MAX_LISTEN];
	int pty_slave[MAX_CLIENTS];
	int ret = 0;
	for (int i = 0; i < nlisten; i++) {
		char where[128], err[256];
		lfd[i] = ps_listen(listen_spec[i], where, sizeof where, err, sizeof err);
		if (lfd[i] < 0) {
			fprintf(stderr, "pairscope controller: %s\n", err);
			nlisten = i;
			ret = 2;
			goto out;
		}
		printf("listening on %s\n", where);
	}
	for (int i = 0; i < npty; i++) {
		char path[128];
		int fd = ps_pty_open(path, sizeof path);
		pty_slave[i] = -1;
		if (fd < 0 || add_client(sp, fd, true) < 0) {
			fprintf(stderr, "pairscope controller: cannot create a pseudo-terminal\n");
			npty = i;
			ret = 2;
			goto out;
		}
		/* keep the slave open ourselves so a client closing it does not hang up the master */
		pty_slave[i] = open(path, O_RDWR | O_NOCTTY);
		for (int k = 0; k < sp->ncl; k++)
			if (sp->cl[k].fd == fd)
				printf("pty %s (controller hci%u)\n", path, ps_vctl_index(sp->cl[k].c));
	}
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	while (!stop_flag) {
		struct pollfd pf[MAX_LISTEN + MAX_CLIENTS];
		int map[MAX_LISTEN + MAX_CLIENTS];
		int n = 0;
		for (int i = 0; i < nlisten; i++) {
			pf[n] = (struct pollfd){ .fd = lfd[i], .events = POLLIN };
			map[n++] = -1;
		}
		for (int i = 0; i < sp->ncl; i++)
			if (sp->cl[i].fd >= 0) {
				pf[n] = (struct pollfd){ .fd = sp->cl[i].fd, .events = POLLIN };
				map[n++] = i;
			}
		uint64_t now = ps_clock_now_us(), next = ps_vctl_link_next(sp->link);
		int timeout = 1000;
		if (next <= now)
			timeout = 0;
		else if (next - now < 1000000u)
			timeout = (int)((next - now + 999) / 1000);
		int r = poll(pf, (nfds_t)n, timeout);
		if (r < 0 && errno != EINTR)
			break;
		for (int k = 0; r > 0 && k < n; k++) {
			if (!pf[k].revents)
				continue;
			if (map[k] < 0) {
				int fd = accept(pf[k].fd, NULL, NULL);
				if (fd >= 0) {
					int one = 1;
					setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
					if (add_client(sp, fd, false) < 0)
						close(fd);
				}
				continue;
			}
			struct client *cl = &sp->cl[map[k]];
			uint8_t buf[8192];
			ssize_t got = read(cl->fd, buf, sizeof buf);
			if (got > 0) {
				/* Bring the link's clock to now first: the bytes arrived now, so that is when
				 * their commands run, what they schedule counts from, and what the capture
				 * stamps them with (an idle link's clock lags by up to the poll timeout). */
				ps_vctl_link_run(sp->link, ps_clock_now_us());
				ps_vctl_receive_h4(cl->c, buf, (size_t)got);
			} else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
				if (cl->pty)
					continue; /* a pty stays; its client may come back */
				drop_client(sp, cl);
			}
			ps_vctl_link_run(sp->link, ps_clock_now_us());
		}
		ps_vctl_link_run(sp->link, ps_clock_now_us());
	}
out:
	for (int i = 0; i < sp->ncl; i++)
		if (sp->cl[i].fd >= 0 || sp->cl[i].c)
			drop_client(sp, &sp->cl[i]);
	for (int i = 0; i < nlisten; i++)
		close(lfd[i]);
	for (int i = 0; i < npty; i++)
		if (pty_slave[i] >= 0)
			close(pty_slave[i]);
	if (sp->w && (rc = ps_writer_close(sp->w)) < 0) {
		fprintf(stderr, "pairscope controller: writing %s failed: %s\n", write_path, ps_strerror(rc));
		ret = 1;
	}
	ps_vctl_link_free(sp->link);
	ps_crypto_free(&crypto);
	free(sp);
	return ret;
}
