/* pairscope pair --bond-dir: each device's bonds live in DIR/central.bonds or DIR/peripheral.bonds,
 * the bond store's text file (src/host/bond_file.c: temp file, fsync, rename, mode 0600). A later run
 * with the same DIR finds the bond at connection time and re-encrypts with the stored LTK instead of
 * pairing (Vol 3 Part C §10.3, Vol 3 Part H §2.4.1). The device's IRK is kept in the file (the IRK it
 * distributed), so its resolvable private addresses stay resolvable by its peers across runs. */
#include "pair_host.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int pair_bond_open(struct pair_dev *d, const char *dir, const char *role, const struct ps_crypto *c)
{
	if (snprintf(d->bond_path, sizeof d->bond_path, "%s/%s.bonds", dir, role) >= (int)sizeof d->bond_path)
		return -PS_EINVAL;
	if (mkdir(dir, 0700) < 0) {
		struct stat st;
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			return -PS_EIO;
	}
	int rc = ps_bond_load(d->bonds, d->bond_path);
	if (rc < 0)
		return rc;
	/* Our identity keeps its IRK: the one we gave our peers (Vol 3 Part H §2.4.2.1). */
	for (size_t i = 0; i < d->bonds->n; i++) {
		const struct ps_bond *b = &d->bonds->b[i];
		if ((b->local.have & PS_SM_KEY_IRK) && !memcmp(&b->local_id, &d->s.cfg.identity, sizeof b->local_id)) {
			memcpy(d->s.cfg.irk, b->local.irk, 16);
			break;
		}
	}
	/* Vol 6 Part B §1.3.2.2: hash = ah(IRK, prand), prand's two most significant bits 01. */
	if (d->s.rpa && (rc = ps_crypto_rpa_generate(c, d->s.cfg.irk, d->s.addr.a)) < 0)
		return rc;
	return 0;
}

int pair_bond_save(struct pair_dev *d, const char **what)
{
	*what = "none";
	if (!d->bond_path[0])
		return 0;
	const struct pair_side *s = &d->s;
	if (s->reencrypted) {
		*what = "kept (re-encrypted)";
	} else if (s->done && s->result.status == 0) {
		struct ps_bond b;
		if (ps_bond_from_result(&b, &s->cfg.identity, &s->result) < 0) {
			*what = "not stored (not bonded)";
		} else {
			int rc = ps_bond_put(d->bonds, &b);
			if (rc == -PS_EBUSY)
				*what = "old bond kept (re-pairing policy)";
			else if (rc < 0)
				return rc;
			else
				*what = "stored";
		}
	}
	return ps_bond_save(d->bonds, d->bond_path, NULL);
}
