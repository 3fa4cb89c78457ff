/* H4 transports over POSIX descriptors (Core Vol 4 Part A §2 UART transport; Linux HCI user channel
 * as BlueZ defines it: AF_BLUETOOTH / BTPROTO_HCI / HCI_CHANNEL_USER, one H4 packet per read/write). */
#include <pairscope/platform.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

struct ps_transport {
	int fd;
	struct ps_h4 h4;
};

uint64_t ps_clock_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int ps_transport_from_fd(struct ps_transport **out, int fd)
{
	struct ps_transport *t = calloc(1, sizeof *t);
	if (!t)
		return -PS_ENOMEM;
	t->fd = fd;
	ps_h4_init(&t->h4);
	*out = t;
	return 0;
}

void ps_transport_close(struct ps_transport *t)
{
	if (!t)
		return;
	if (t->fd >= 0)
		close(t->fd);
	free(t);
}

int ps_transport_fd(const struct ps_transport *t) { return t->fd; }

int ps_transport_write(struct ps_transport *t, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(t->fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pf = { .fd = t->fd, .events = POLLOUT };
				poll(&pf, 1, 1000);
				continue;
			}
			return -PS_EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int ps_transport_poll(struct ps_transport *t, int timeout_ms, ps_h4_packet_fn on_pkt, void *ctx)
{
	struct pollfd pf = { .fd = t->fd, .events = POLLIN };
	int r = poll(&pf, 1, timeout_ms);
	if (r < 0)
		return errno == EINTR ? -PS_ETIMEOUT : -PS_EIO;
	if (r == 0)
		return -PS_ETIMEOUT;
	uint8_t buf[4096];
	ssize_t n = read(t->fd, buf, sizeof buf);
	if (n == 0)
		return -PS_EOF;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? -PS_ETIMEOUT : -PS_EOF;
	ps_h4_feed(&t->h4, buf, (size_t)n, on_pkt, NULL, ctx);
	return 0;
}

static void set_err(char *err, size_t cap, const char *fmt, const char *a)
{
	if (err && cap)
		snprintf(err, cap, fmt, a, strerror(errno));
}

/* Split "HOST:PORT" (the last colon separates). */
static int split_host_port(const char *s, char *host, size_t hostcap, char *port, size_t portcap)
{
	const char *c = strrchr(s, ':');
	if (!c || (size_t)(c - s) >= hostcap || strlen(c + 1) >= portcap || !c[1])
		return -PS_EINVAL;
	memcpy(host, s, (size_t)(c - s));
	host[c - s] = 0;
	strcpy(port, c + 1);
	return 0;
}

static int tcp_connect(const char *hp, char *err, size_t errcap)
{
	char host[256], port[16];
	if (split_host_port(hp, host, sizeof host, port, sizeof port) < 0) {
		if (err)
			snprintf(err, errcap, "expected tcp:HOST:PORT, got tcp:%s", hp);
		return -PS_EINVAL;
	}
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res = NULL;
	if (getaddrinfo(host, port, &hints, &res) != 0 || !res) {
		if (err)
			snprintf(err, errcap, "cannot resolve %s", hp);
		return -PS_ENOENT;
	}
	int fd = -1;
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		set_err(err, errcap, "cannot connect to %s: %s", hp);
		return -PS_EIO;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static int unix_connect(const char *path, char *err, size_t errcap)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof sa.sun_path) {
		if (err)
			snprintf(err, errcap, "path too long: %s", path);
		return -PS_EINVAL;
	}
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		set_err(err, errcap, "cannot connect to %s: %s", path);
		if (fd >= 0)
			close(fd);
		return -PS_EIO;
	}
	return fd;
}

static speed_t baud_of(long b)
{
	switch (b) {
	case 9600: return B9600;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 230400: return B230400;
	case 460800: return B460800;
	case 921600: return B921600;
	case 1000000: return B1000000;
	case 2000000: return B2000000;
	case 3000000: return B3000000;
	default: return B115200;
	}
}

static int serial_open(const char *spec, char *err, size_t errcap)
{
	char dev[256];
	long baud = 115200;
	snprintf(dev, sizeof dev, "%s", spec);
	/* serial:DEV[:BAUD] as documented, or DEV,BAUD; a device path itself holds no ':' or ','. */
	char *comma = strrchr(dev, ',');
	if (!comma)
		comma = strrchr(dev, ':');
	if (comma) {
		*comma = 0;
		baud = strtol(comma + 1, NULL, 10);
	}
	int fd = open(dev, O_RDWR | O_NOCTTY);
	if (fd < 0) {
		set_err(err, errcap, "cannot open %s: %s", dev);
		return -PS_EIO;
	}
	struct termios tio;
	if (tcgetattr(fd, &tio) == 0) {
		cfmakeraw(&tio);
		cfsetspeed(&tio, baud_of(baud));
		tio.c_cflag |= CLOCAL | CREAD;
		if (isatty(fd) && strncmp(dev, "/dev/pts/", 9) != 0)
			tio.c_cflag |= CRTSCTS;
		tcsetattr(fd, TCSANOW, &tio);
	}
	return fd;
}

/* Linux HCI user channel (include/net/bluetooth/hci_sock.h values, stable ABI). */
enum { PS_AF_BLUETOOTH = 31, PS_BTPROTO_HCI = 1, PS_HCI_CHANNEL_USER = 1 };
struct ps_sockaddr_hci {
	sa_family_t family;
	unsigned short dev;
	unsigned short channel;
};

static int hci_user_open(const char *spec, char *err, size_t errcap)
{
	char *end;
	long dev = strtol(spec, &end, 10);
	if (*end || dev < 0 || dev > 0xfffe) {
		if (err)
			snprintf(err, errcap, "expected hci:N, got hci:%s", spec);
		return -PS_EINVAL;
	}
	int fd = socket(PS_AF_BLUETOOTH, SOCK_RAW | SOCK_CLOEXEC, PS_BTPROTO_HCI);
	if (fd < 0) {
		set_err(err, errcap, "no Bluetooth sockets (hci:%s): %s", spec);
		return -PS_EUNSUP;
	}
	struct ps_sockaddr_hci sa = { .family = PS_AF_BLUETOOTH, .dev = (unsigned short)dev,
				      .channel = PS_HCI_CHANNEL_USER };
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		set_err(err, errcap, "cannot open the user channel of hci%s (device down? CAP_NET_ADMIN?): %s", spec);
		close(fd);
		return -PS_EIO;
	}
	return fd;
}

int ps_transport_open(struct ps_transport **out, const char *spec, char *err, size_t errcap)
{
	int fd;
	if (!strncmp(spec, "tcp:", 4))
		fd = tcp_connect(spec + 4, err, errcap);
	else if (!strncmp(spec, "unix:", 5))
		fd = unix_connect(spec + 5, err, errcap);
	else if (!strncmp(spec, "serial:", 7))
		fd = serial_open(spec + 7, err, errcap);
	else if (!strncmp(spec, "pty:", 4))
		fd = serial_open(spec + 4, err, errcap); /* a pseudo-terminal is a serial line without flow control */
	else if (!strncmp(spec, "hci:", 4))
		fd = hci_user_open(spec + 4, err, errcap);
	else {
		if (err)
			snprintf(err, errcap, "unknown transport '%s' (tcp:HOST:PORT, unix:PATH, serial:DEV[:BAUD], pty:PATH, hci:N)",
				 spec);
		return -PS_EINVAL;
	}
	if (fd < 0)
		return fd;
	int rc = ps_transport_from_fd(out, fd);
	if (rc < 0)
		close(fd);
	return rc;
}
