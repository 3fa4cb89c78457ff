/* POSIX platform: H4 byte transports (loopback TCP, pty, serial, UNIX socket, Linux HCI user channel)
 * and the monotonic clock, for the CLI and for hosts that talk to a controller in another process. */
#ifndef PAIRSCOPE_PLATFORM_H
#define PAIRSCOPE_PLATFORM_H

#include <pairscope/base.h>
#include <pairscope/h4.h>

/* Monotonic microseconds. */
PS_API uint64_t ps_clock_now_us(void);

struct ps_transport;

/* Open a transport to a controller:
 *   tcp:HOST:PORT      H4 over a TCP connection (e.g. to `pairscope controller --listen`)
 *   unix:PATH          H4 over a UNIX stream socket
 *   serial:DEV[,BAUD]  H4 over a tty (raw mode, 8N1, RTS/CTS; default 115200); a pty path works too
 *   hci:N              Linux HCI user channel of hciN (needs CAP_NET_ADMIN and the device down)
 * On failure *err gets a message. */
PS_API int ps_transport_open(struct ps_transport **out, const char *spec, char *err, size_t errcap);
/* Wrap an already open file descriptor carrying H4 bytes (takes ownership). */
PS_API int ps_transport_from_fd(struct ps_transport **out, int fd);
PS_API void ps_transport_close(struct ps_transport *t);
PS_API int ps_transport_fd(const struct ps_transport *t);
/* Write one H4 packet (all of it, retrying short writes). */
PS_API int ps_transport_write(struct ps_transport *t, const uint8_t *h4, size_t len);
/* Wait up to timeout_ms (-1 forever, 0 poll) for bytes, then deframe what arrived and call on_pkt once
 * per complete H4 packet. Returns 0, -PS_ETIMEOUT when nothing came, -PS_EOF when the peer closed. */
PS_API int ps_transport_poll(struct ps_transport *t, int timeout_ms, ps_h4_packet_fn on_pkt, void *ctx);

/* A host (host.h) on a transport: ops whose send writes to t and whose now_us is ps_clock_now_us
 * (ops->ctx = t; add your own trace). Then ps_host_transport_run feeds every packet that arrives to
 * ps_host_receive_h4 until cond(ctx) holds (0; cond may be NULL to run the full time), timeout_ms
 * passes (-PS_ETIMEOUT) or the peer closes (-PS_EOF). */
struct ps_host;
struct ps_host_ops;
PS_API void ps_host_transport_ops(struct ps_transport *t, struct ps_host_ops *ops);
PS_API int ps_host_transport_run(struct ps_host *h, struct ps_transport *t, bool (*cond)(void *ctx), void *ctx,
				 int timeout_ms);

/* Listening sockets for `pairscope controller`: "tcp:HOST:PORT" (PORT 0 picks one) or "unix:PATH".
 * *where gets the address actually bound ("tcp:127.0.0.1:41234"). Returns the fd or a negative code. */
PS_API int ps_listen(const char *spec, char *where, size_t wherecap, char *err, size_t errcap);
/* A new pseudo-terminal in raw mode: returns the master fd, *path gets the slave's path. */
PS_API int ps_pty_open(char *path, size_t pathcap);

#endif
