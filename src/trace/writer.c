/* Capture writers: btsnoop datalink 2001 (Linux monitor, as `btmon -w`), btsnoop 1002 (H4) and pcap
 * DLT 201 (H4 with a big-endian direction word). Layouts: NOTES.md §D, pcap(5)/LINKTYPE_BLUETOOTH_HCI_H4_
 * WITH_PHDR. Atomic: a temp file in the target's directory, fsync'd and renamed into place on close. */
#include "trace/reader_int.h"
#include "base/bytes.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUTBUF (1u << 20)
/* Snapshot length in our pcap header: libpcap's maximum, so no record we write exceeds it. */
#define PCAP_SNAPLEN 262144u

struct ps_writer {
	enum ps_writer_format fmt;
	FILE *fp;
	char *path; /* final name; NULL when writing standard output */
	char *tmp;  /* temp file in the same directory */
	char *buf;  /* stdio buffer */
	int err;    /* first write error, sticky */
	bool own;   /* fp opened on an existing device or FIFO (no temp, no rename): ours to close */
};

static void put(struct ps_writer *w, const void *p, size_t n)
{
	if (!w->err && n && fwrite(p, 1, n, w->fp) != n)
		w->err = -PS_EIO;
}

static int write_header(struct ps_writer *w)
{
	uint8_t h[24];
	struct ps_wr wr;
	ps_wr_init(&wr, h, sizeof h);
	switch (w->fmt) {
	case PS_WRITE_BTSNOOP_MONITOR:
	case PS_WRITE_BTSNOOP_H4:
		ps_wr_bytes(&wr, "btsnoop\0", 8);
		ps_wr_be(&wr, 1, 4);
		ps_wr_be(&wr, w->fmt == PS_WRITE_BTSNOOP_MONITOR ? PS_BTSNOOP_MONITOR : PS_BTSNOOP_H4, 4);
		break;
	case PS_WRITE_PCAP_H4_PHDR:
		/* pcap(5) is written in the writer's byte order; we choose little-endian, microseconds. */
		ps_wr_le(&wr, 0xa1b2c3d4, 4);
		ps_wr_le(&wr, 2, 2);
		ps_wr_le(&wr, 4, 2);
		ps_wr_le(&wr, 0, 4); /* thiszone */
		ps_wr_le(&wr, 0, 4); /* sigfigs */
		ps_wr_le(&wr, PCAP_SNAPLEN, 4);
		ps_wr_le(&wr, PS_DLT_H4_PHDR, 4);
		break;
	}
	put(w, h, wr.len);
	return w->err;
}

static int open_temp(struct ps_writer *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	if (!*base)
		return -PS_EINVAL;
	size_t n = dirlen + strlen(base) + 16;
	w->tmp = malloc(n);
	w->path = strdup(path);
	if (!w->tmp || !w->path)
		return -PS_ENOMEM;
	snprintf(w->tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
	int fd = mkstemp(w->tmp);
	if (fd < 0) {
		free(w->tmp);
		w->tmp = NULL;
		return errno == ENOENT ? -PS_ENOENT : -PS_EIO;
	}
	(void)fchmod(fd, 0644); /* mkstemp makes 0600; a capture is not a secret by default */
	w->fp = fdopen(fd, "wb");
	if (!w->fp) {
		close(fd);
		unlink(w->tmp);
		return -PS_EIO;
	}
	return 0;
}

int ps_writer_open(struct ps_writer **out, const char *path, enum ps_writer_format fmt)
{
	if (!out || !path)
		return -PS_EINVAL;
	*out = NULL;
	switch (fmt) {
	case PS_WRITE_BTSNOOP_MONITOR:
	case PS_WRITE_BTSNOOP_H4:
	case PS_WRITE_PCAP_H4_PHDR:
		break;
	default:
		return -PS_EINVAL;
	}
	struct ps_writer *w = calloc(1, sizeof *w);
	if (!w)
		return -PS_ENOMEM;
	w->fmt = fmt;
	int rc = 0;
	struct stat st;
	if (!strcmp(path, "-")) {
		w->fp = stdout;
	} else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = -PS_EINVAL; /* a directory is no output file */
	} else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* /dev/null, /dev/stdout, a FIFO: write into it; renaming a temp file over it would replace it */
		w->own = (w->fp = fopen(path, "wb")) != NULL;
		if (!w->fp)
			rc = errno == ENOENT ? -PS_ENOENT : -PS_EIO;
	} else {
		rc = open_temp(w, path);
	}
	/* Big blocks for our own file; standard output keeps its buffering (setvbuf only before any I/O). */
	if (rc == 0 && w->tmp && (w->buf = malloc(OUTBUF)) != NULL)
		setvbuf(w->fp, w->buf, _IOFBF, OUTBUF);
	if (rc == 0)
		rc = write_header(w);
	if (rc < 0) {
		ps_writer_abort(w);
		return rc;
	}
	*out = w;
	return 0;
}

int ps_writer_write(struct ps_writer *w, const struct ps_frame *f)
{
	if (!w || !f || (f->len && !f->data))
		return -PS_EINVAL;
	if (w->err)
		return w->err;
	uint8_t h[32];
	struct ps_wr wr;
	uint8_t type = 0;
	bool rx = false;
	uint32_t orig = f->orig_len > f->len ? f->orig_len : f->len;
	ps_wr_init(&wr, h, sizeof h);
	switch (w->fmt) {
	case PS_WRITE_BTSNOOP_MONITOR: {
		if (f->opcode > PS_MON_ISO_RX)
			return -PS_EUNSUP; /* sniffer LL frames and unknown kinds have no monitor form */
		/* H4/H1 sources have no controller index: everything was one controller, call it hci0. */
		uint32_t index = (f->flags & PS_FRAME_NO_INDEX) ? 0 : f->index;
		ps_wr_be(&wr, orig, 4);
		ps_wr_be(&wr, f->len, 4);
		ps_wr_be(&wr, index << 16 | f->opcode, 4);
		ps_wr_be(&wr, 0, 4);
		ps_wr_be(&wr, f->ts_us + PS_BTSNOOP_EPOCH_DELTA, 8);
		put(w, h, wr.len);
		put(w, f->data, f->len);
		break;
	}
	case PS_WRITE_BTSNOOP_H4: {
		if (!ps_mon_to_h4(f->opcode, &type, &rx))
			return -PS_EUNSUP; /* index records and notes have no H4 form */
		bool cmd_evt = type == PS_H4_CMD || type == PS_H4_EVT;
		ps_wr_be(&wr, orig + 1u, 4);
		ps_wr_be(&wr, f->len + 1u, 4);
		ps_wr_be(&wr, (rx ? 1u : 0u) | (cmd_evt ? 2u : 0u), 4);
		ps_wr_be(&wr, 0, 4);
		ps_wr_be(&wr, f->ts_us + PS_BTSNOOP_EPOCH_DELTA, 8);
		ps_wr_u8(&wr, type);
		put(w, h, wr.len);
		put(w, f->data, f->len);
		break;
	}
	case PS_WRITE_PCAP_H4_PHDR:
		if (!ps_mon_to_h4(f->opcode, &type, &rx))
			return -PS_EUNSUP;
		ps_wr_le(&wr, f->ts_us / 1000000u, 4);
		ps_wr_le(&wr, f->ts_us % 1000000u, 4);
		ps_wr_le(&wr, f->len + 5u, 4);
		ps_wr_le(&wr, orig + 5u, 4);
		ps_wr_be(&wr, rx ? 1u : 0u, 4); /* direction: bit 0 set = received */
		ps_wr_u8(&wr, type);
		put(w, h, wr.len);
		put(w, f->data, f->len);
		break;
	}
	return w->err;
}

static void release(struct ps_writer *w)
{
	free(w->buf);
	free(w->path);
	free(w->tmp);
	free(w);
}

int ps_writer_close(struct ps_writer *w)
{
	if (!w)
		return -PS_EINVAL;
	int rc = w->err;
	if (fflush(w->fp) != 0 && rc == 0)
		rc = -PS_EIO;
	if (!w->tmp) { /* standard output: flushed, not ours to close; a device or FIFO: closed */
		if (w->own && fclose(w->fp) != 0 && rc == 0)
			rc = -PS_EIO;
		release(w);
		return rc;
	}
	if (rc == 0 && fsync(fileno(w->fp)) != 0)
		rc = -PS_EIO;
	if (fclose(w->fp) != 0 && rc == 0)
		rc = -PS_EIO;
	w->fp = NULL;
	if (rc == 0 && rename(w->tmp, w->path) != 0)
		rc = -PS_EIO;
	if (rc < 0)
		unlink(w->tmp);
	release(w);
	return rc;
}

void ps_writer_abort(struct ps_writer *w)
{
	if (!w)
		return;
	if (w->fp && w->tmp) {
		fclose(w->fp);
		unlink(w->tmp);
	} else if (w->fp && w->own) {
		fclose(w->fp);
	} else if (w->fp) {
		fflush(w->fp);
	}
	release(w);
}
