/* What a frame decodes to, for the summary and JSON printers (see classify.c). */
#ifndef PS_PRINT_CLASSIFY_H
#define PS_PRINT_CLASSIFY_H

#include "print/print_int.h"

struct pr_level {
	const char *proto;           /* "HCI", "ACL", "L2CAP", "SMP", "ATT", "MON" */
	const char *name;            /* table label, or a fallback ("Unknown", "Vendor") */
	const struct ps_layout *l;   /* NULL when no table entry */
	const uint8_t *d;            /* octets laid out by l (borrowed from the frame or reassembly) */
	size_t len;
	uint32_t code;
};

struct pr_item {
	char dir;                    /* '<' host to controller, '>' controller to host, '=' system */
	bool has_inner, fragment, bad;
	const char *why;
	unsigned layers;             /* PS_ONLY_* */
	uint16_t handle, cid;
	uint8_t acl_flags, ident;
	struct pr_level outer, inner;
};

void pr_classify(struct ps_printer *p, const struct ps_frame *f, struct pr_item *it);
/* --only: does the item hold one of the selected layers (everything shows when none is selected)? */
static inline bool pr_item_shown(const struct ps_printer *p, const struct pr_item *it)
{
	return !p->o.only || (it->layers & p->o.only);
}
/* it->inner (and layers, cid) for a reassembled L2CAP frame. */
void pr_l2cap_level(struct pr_item *it, uint16_t cid, const uint8_t *d, size_t len);
/* JSON pieces (json.c): a string, a key (comma first unless *first), a level as {"proto",...}. */
void pr_json_str(struct ps_out *o, const char *s);
void pr_json_key(struct ps_out *o, bool *first, const char *k);
/* Open a frame's JSON line: '{' then the keys every line starts with, "frame", "time" (the text the
 * summary shows, NUL-terminated) and "ts_us". Both the HCI and the link-layer printers use it, so
 * consumers find the same keys first on every line. */
void pr_json_frame_start(struct ps_out *o, bool *first, const struct ps_frame *f, const char *time);
void pr_json_level(struct ps_out *o, bool *first, const char *key, const struct pr_level *lv);
bool pr_item_decode(const struct pr_item *it, const struct pr_level **lv, void *rec, size_t cap);

#endif
