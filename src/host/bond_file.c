/* Bond store on disk: atomic replacement (write path.tmp with mode 0600, fsync, close, rename over
 * path, fsync the directory), so after a crash at any step the file is the old store or the new
 * one. POSIX file calls only here. Vol 3 Part H §2.4.1 (bonding: keys kept for later connections). */
#include "host/bond.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int step(const struct ps_bond_save_ops *ops, enum ps_bond_step s)
{
	return ops && ops->before ? ops->before(ops->ctx, s) : 0;
}

int ps_bond_save(const struct ps_bond_store *s, const char *path, const struct ps_bond_save_ops *ops)
{
	size_t need = 0;
	ps_bond_format(s, NULL, 0, &need);
	char *text = malloc(need + 1);
	if (!text)
		return -PS_ENOMEM;
	size_t len;
	int rc = ps_bond_format(s, text, need + 1, &len);
	char tmp[4096], dir[4096];
	if (rc == 0 && (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp ||
			snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir))
		rc = -PS_EINVAL;
	int fd = -1;
	if (rc == 0 && (rc = step(ops, PS_BOND_STEP_OPEN)) == 0) {
		unlink(tmp); /* a temp file left by an earlier crash */
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			rc = -PS_EIO;
	}
	if (rc == 0 && (rc = step(ops, PS_BOND_STEP_WRITE)) == 0) {
		for (size_t off = 0; off < len && rc == 0;) {
			ssize_t n = write(fd, text + off, len - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				rc = -PS_EIO;
			else
				off += (size_t)n;
		}
	}
	if (rc == 0 && (rc = step(ops, PS_BOND_STEP_FSYNC)) == 0 && fsync(fd) < 0)
		rc = -PS_EIO;
	if (rc == 0 && (rc = step(ops, PS_BOND_STEP_CLOSE)) == 0) {
		int c = close(fd);
		fd = -1;
		if (c < 0)
			rc = -PS_EIO;
	}
	if (rc == 0 && (rc = step(ops, PS_BOND_STEP_RENAME)) == 0 && rename(tmp, path) < 0)
		rc = -PS_EIO;
	if (rc == 0 && (rc = step(ops, PS_BOND_STEP_DIRSYNC)) == 0) {
		int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	/* A simulated crash (a negative step hook) leaves everything as a kill would; a real I/O error
	 * cleans up the temp file. */
	if (fd >= 0)
		close(fd);
	if (rc == -PS_EIO)
		unlink(tmp);
	free(text);
	return rc;
}

int ps_bond_load(struct ps_bond_store *s, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno != ENOENT)
			return -PS_EIO;
		enum ps_bond_repair p = s->policy;
		ps_bond_store_init(s, p);
		return 0;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int rc = buf ? 0 : -PS_ENOMEM;
	while (rc == 0) {
		if (len == cap) {
			char *nb = cap < (1u << 24) ? realloc(buf, cap * 2) : NULL;
			if (!nb) {
				rc = -PS_ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f))
				rc = -PS_EIO;
			break;
		}
	}
	fclose(f);
	if (rc == 0)
		rc = ps_bond_parse(s, buf, len);
	free(buf);
	return rc;
}
