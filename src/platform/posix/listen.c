/* Server side of the H4 transports for `pairscope controller`: listening TCP / UNIX sockets and
 * pseudo-terminals (POSIX openpt), all in raw byte mode. */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */
#include <pairscope/platform.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>
#include <netinet/in.h>

static int fail(char *err, size_t cap, const char *what, const char *spec, int code)
{
	if (err && cap)
		snprintf(err, cap, "%s %s: %s", what, spec, strerror(errno));
	return code;
}

static int listen_tcp(const char *hp, char *where, size_t wherecap, char *err, size_t errcap)
{
	const char *c = strrchr(hp, ':');
	if (!c || c == hp) {
		if (err)
			snprintf(err, errcap, "expected tcp:HOST:PORT, got tcp:%s", hp);
		return -PS_EINVAL;
	}
	char host[256];
	if ((size_t)(c - hp) >= sizeof host)
		return -PS_EINVAL;
	memcpy(host, hp, (size_t)(c - hp));
	host[c - hp] = 0;
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE }, *res;
	if (getaddrinfo(host, c + 1, &hints, &res) != 0 || !res) {
		if (err)
			snprintf(err, errcap, "cannot resolve tcp:%s", hp);
		return -PS_ENOENT;
	}
	int fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (fd < 0) {
		freeaddrinfo(res);
		return fail(err, errcap, "socket for", hp, -PS_EIO);
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 16) < 0) {
		freeaddrinfo(res);
		close(fd);
		return fail(err, errcap, "cannot listen on", hp, -PS_EIO);
	}
	freeaddrinfo(res);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char name[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET) {
			struct sockaddr_in *in = (struct sockaddr_in *)&ss;
			inet_ntop(AF_INET, &in->sin_addr, name, sizeof name);
			port = ntohs(in->sin_port);
		} else if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *in = (struct sockaddr_in6 *)&ss;
			inet_ntop(AF_INET6, &in->sin6_addr, name, sizeof name);
			port = ntohs(in->sin6_port);
		}
	}
	if (where)
		snprintf(where, wherecap, "tcp:%s:%u", name, port);
	return fd;
}

static int listen_unix(const char *path, char *where, size_t wherecap, char *err, size_t errcap)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof sa.sun_path)
		return -PS_EINVAL;
	strcpy(sa.sun_path, path);
	unlink(path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 16) < 0) {
		if (fd >= 0)
			close(fd);
		return fail(err, errcap, "cannot listen on", path, -PS_EIO);
	}
	if (where)
		snprintf(where, wherecap, "unix:%s", path);
	return fd;
}

int ps_listen(const char *spec, char *where, size_t wherecap, char *err, size_t errcap)
{
	if (!strncmp(spec, "tcp:", 4))
		return listen_tcp(spec + 4, where, wherecap, err, errcap);
	if (!strncmp(spec, "unix:", 5))
		return listen_unix(spec + 5, where, wherecap, err, errcap);
	if (err)
		snprintf(err, errcap, "expected tcp:HOST:PORT or unix:PATH, got %s", spec);
	return -PS_EINVAL;
}

int ps_pty_open(char *path, size_t pathcap)
{
	int fd = posix_openpt(O_RDWR | O_NOCTTY);
	if (fd < 0)
		return -PS_EIO;
	if (grantpt(fd) < 0 || unlockpt(fd) < 0) {
		close(fd);
		return -PS_EIO;
	}
	const char *name = ptsname(fd);
	if (!name) {
		close(fd);
		return -PS_EIO;
	}
	snprintf(path, pathcap, "%s", name);
	struct termios tio;
	if (tcgetattr(fd, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(fd, TCSANOW, &tio);
	}
	/* keep the slave side configured raw as well for clients that do not */
	int s = open(name, O_RDWR | O_NOCTTY);
	if (s >= 0) {
		if (tcgetattr(s, &tio) == 0) {
			cfmakeraw(&tio);
			tcsetattr(s, TCSANOW, &tio);
		}
		close(s);
	}
	return fd;
}
