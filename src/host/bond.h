/* The bond store (Core Vol 3 Part H §2.4.1 bonding, §2.4.2.1 IRK / RPA resolution with ah; Vol 3
 * Part C §10.2.1 re-encryption with a stored LTK): bonds per local identity and peer identity, an
 * explicit re-pairing policy, and a human-readable text file written atomically (temp file, fsync,
 * rename, mode 0600) so a kill at any step leaves either the old or the new store, never a torn one. */
#ifndef PS_HOST_BOND_H
#define PS_HOST_BOND_H

#include "sm/sm.h"

#define PS_BOND_MAX 64

struct ps_bond {
	struct ps_addr local_id; /* our identity address */
	struct ps_addr peer_id;  /* the peer's identity address (its connection address without IdKey) */
	bool sc, authenticated;
	uint8_t key_size;
	struct ps_sm_keys local; /* keys we distributed (legacy: the LTK we answer LTK requests with) */
	struct ps_sm_keys peer;  /* keys the peer distributed (legacy: the LTK we encrypt with as central) */
};

/* What happens when a peer we hold a bond for pairs again (STACKS.md #7: make it explicit). */
enum ps_bond_repair {
	PS_BOND_REPAIR_REFUSE,       /* keep the old bond; the new keys are not stored */
	PS_BOND_REPAIR_REPLACE,      /* the new pairing replaces the old bond */
	PS_BOND_REPAIR_NO_DOWNGRADE, /* replace unless the new bond is less secure than the old one */
};

struct ps_bond_store {
	struct ps_bond b[PS_BOND_MAX];
	size_t n;
	enum ps_bond_repair policy;
};

PS_API void ps_bond_store_init(struct ps_bond_store *s, enum ps_bond_repair policy);
/* The bond a successful, bonded pairing yields. -PS_EINVAL for a result that must not be stored
 * (failed, not bonded, debug key). */
PS_API int ps_bond_from_result(struct ps_bond *b, const struct ps_addr *local_id, const struct ps_sm_result *r);
/* Add or replace by (local_id, peer_id) under the store's policy: 0 stored, -PS_EBUSY refused by the
 * policy, -PS_ENOSPC full. */
PS_API int ps_bond_put(struct ps_bond_store *s, const struct ps_bond *b);
PS_API int ps_bond_delete(struct ps_bond_store *s, const struct ps_addr *local_id, const struct ps_addr *peer_id);
/* The bond of local_id with the device at addr: by identity address, else (resolvable private
 * address) through the stored IRKs with ps_crypto_rpa_resolve. NULL when none. */
PS_API const struct ps_bond *ps_bond_find(const struct ps_bond_store *s, const struct ps_crypto *c,
					  const struct ps_addr *local_id, const struct ps_addr *addr);
/* Re-encryption key. central: the LTK, EDIV and Rand to start encryption with. peripheral: the LTK
 * matching an LTK request's (ediv, rand), -PS_ENOENT when they do not match. */
PS_API int ps_bond_ltk(const struct ps_bond *b, enum ps_sm_role role, uint16_t *ediv, uint8_t rand[8],
		       uint8_t ltk[16]);

/* The LE security mode 1 level the bond's keys give (2 unauthenticated, 3 authenticated, 4
 * authenticated LE Secure Connections with a 128-bit key): what a re-encrypted link reaches. */
PS_API uint8_t ps_bond_level(const struct ps_bond *b);
/* The re-pairing policy of the store as the SMP core's per-link setting. */
PS_API enum ps_sm_repair ps_bond_repair_policy(const struct ps_bond_store *s);

/* Text form. format: -PS_ENOSPC when cap is too small (*len gets the size needed). parse replaces the
 * store's bonds; -PS_EBADDATA (store untouched) on any malformed line. */
PS_API int ps_bond_format(const struct ps_bond_store *s, char *buf, size_t cap, size_t *len);
PS_API int ps_bond_parse(struct ps_bond_store *s, const char *text, size_t len);

/* File steps of an atomic save, for tests that simulate a crash at each one. */
enum ps_bond_step {
	PS_BOND_STEP_OPEN,   /* create path.tmp, mode 0600 */
	PS_BOND_STEP_WRITE,  /* write the text */
	PS_BOND_STEP_FSYNC,  /* fsync the temp file */
	PS_BOND_STEP_CLOSE,
	PS_BOND_STEP_RENAME, /* rename over path */
	PS_BOND_STEP_DIRSYNC,/* fsync the directory */
	PS_BOND_NSTEPS,
};
/* Optional: called before each step; a negative return stops the save there as a crash would
 * (nothing is cleaned up) and is returned. NULL for none. */
struct ps_bond_save_ops {
	int (*before)(void *ctx, enum ps_bond_step step);
	void *ctx;
};
PS_API int ps_bond_save(const struct ps_bond_store *s, const char *path, const struct ps_bond_save_ops *ops);
/* Load path into s (a missing file is an empty store). */
PS_API int ps_bond_load(struct ps_bond_store *s, const char *path);

#endif
