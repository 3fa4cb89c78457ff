/* LE Secure Connections offload commands of the virtual controller (Core Vol 4 Part E §7.8.36 LE Read
 * Local P-256 Public Key, §7.8.37 LE Generate DHKey; events §7.7.65.8-9): the key pair is made on first
 * use; a remote key off the curve gives the DHKey Complete event status Invalid HCI Command Parameters. */
#include "vctl/cmd_int.h"
#include <string.h>

static int ensure_key(struct ps_vctl *c)
{
	const struct ps_crypto *cr = c->link->o.crypto;
	if (c->has_p256)
		return 0;
	if (!cr->p256_keygen || cr->p256_keygen(cr->ctx, c->p256_priv, c->p256_pub) < 0)
		return -PS_ECRYPTO;
	c->has_p256 = true;
	return 0;
}

void vctl_h_read_local_p256(struct ps_vctl *c, uint16_t op, const void *p)
{
	(void)p;
	vctl_cmd_status(c, op, ST_OK);
	struct ps_le_evt_read_local_pk256_complete e = { .status = 0 };
	if (ensure_key(c) < 0)
		e.status = ST_UNSPECIFIED;
	else
		memcpy(e.local_pk256, c->p256_pub, 64);
	vctl_le_evt(c, ps_le_evt_read_local_pk256_complete_code, &e);
}

void vctl_h_generate_dhkey(struct ps_vctl *c, uint16_t op, const void *p)
{
	const struct ps_hci_cmd_le_generate_dhkey *a = p;
	const struct ps_crypto *cr = c->link->o.crypto;
	vctl_cmd_status(c, op, ST_OK);
	struct ps_le_evt_generate_dhkey_complete e = { .status = 0 };
	if (ensure_key(c) < 0 || !cr->p256_ecdh)
		e.status = ST_UNSPECIFIED;
	else if (cr->p256_ecdh(cr->ctx, c->p256_priv, a->remote_pk256, e.dhkey) < 0)
		e.status = ST_INVALID_PARAMS; /* not a point on P-256 (validated, as Zephyr's hci_ecc does) */
	if (e.status)
		memset(e.dhkey, 0xff, sizeof e.dhkey);
	vctl_le_evt(c, ps_le_evt_generate_dhkey_complete_code, &e);
}
