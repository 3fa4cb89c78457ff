/* btmon text import, layer 4: rebuild HCI packets (Core Vol 4 Part E §5.4) from a parsed header and
 * the printed fields, through the packet tables in src/proto (hci_cmd/hci_rsp/hci_evt/le_evt/vendor,
 * l2cap, smp, att). Codes come from the parentheses btmon prints ("(0x08|0x000d)", "(0x01)"), never
 * from names, so renamed or cut names do not matter. Undecoded packets come back from btmon's
 * hexdump; "invalid packet size" bodies are hexdumps of the whole parameters. */
#include "trace/textlog_int.h"
#include "proto/att.h"
#include "proto/hci.h"
#include "proto/l2cap.h"
#include "proto/smp.h"
#include "base/bytes.h"
#include <stdio.h>
#include <string.h>

#define TL_ARENA 4096

static bool starts_at(struct tl_cur *c, const char *w)
{
	tl_skip_sep(c);
	size_t k = strlen(w);
	return c->n - c->pos >= k && memcmp(c->s + c->pos, w, k) == 0;
}

/* A sub-header "Name (0xAA|0xBBBB)" or "Name (0xAA)" starting within the next line or so: codes,
 * cursor moved after the ')'. */
static bool sub_code(struct tl_cur *c, bool pipe, uint64_t *a, uint64_t *b)
{
	tl_skip_sep(c);
	for (size_t k = c->pos; k + 4 < c->n && k - c->pos < 200; k++) {
		if (c->s[k] != '(' || c->s[k + 1] != '0' || c->s[k + 2] != 'x')
			continue;
		struct tl_cur t = { c->s, c->n, k + 1 };
		struct ps_field f = { "", "", 0, PS_W_U64, PS_FMT_HEX, NULL };
		if (tl_parse_uint(&t, &f, a) < 0)
			continue;
		if (pipe) {
			if (t.pos >= t.n || t.s[t.pos] != '|')
				continue;
			t.pos++;
			if (tl_parse_uint(&t, &f, b) < 0)
				continue;
		}
		if (t.pos >= t.n || t.s[t.pos] != ')')
			continue;
		c->pos = t.pos + 1;
		return true;
	}
	return false;
}

/* "word N" at the cursor (ncmd 1, ident 2, len 8). */
static bool word_num(struct tl_cur *c, const char *w, uint64_t *v)
{
	if (!starts_at(c, w))
		return false;
	struct tl_cur t = *c;
	t.pos += strlen(w);
	if (t.pos >= t.n || (t.s[t.pos] != ' ' && t.s[t.pos] != '\n'))
		return false;
	tl_skip_sep(&t);
	struct ps_field f = { "", "", 0, PS_W_U64, PS_FMT_DEC, NULL };
	if (tl_parse_uint(&t, &f, v) < 0)
		return false;
	*c = t;
	return true;
}

/* Parameters of a layout into o, exactly len octets when len >= 0. */
static int put_layout(struct tl_cur *c, const struct ps_layout *l, long len, struct tl_out *o,
		      struct tl_assumed *as, char *err, size_t errcap)
{
	uint8_t rec[1024];
	uint8_t arena[TL_ARENA];
	struct tl_arena ar = { arena, sizeof arena, 0 };
	if (l->size > sizeof rec) {
		snprintf(err, errcap, "%s: layout too large", l->label);
		return -PS_ENOSPC;
	}
	memset(rec, 0, l->size);
	int rc = tl_parse_layout(c, l, len, rec, &ar, as, err, errcap);
	if (rc < 0)
		return rc;
	size_t used;
	rc = ps_layout_encode(l, rec, o->p + o->len, o->cap - o->len, &used);
	if (rc < 0) {
		snprintf(err, errcap, "%s: does not fit", l->label);
		return rc;
	}
	if (len >= 0 && used != (size_t)len) {
		snprintf(err, errcap, "%s: fields make %zu octets, header says %ld", l->label, used, len);
		return -PS_EBADDATA;
	}
	o->len += used;
	return 0;
}

static int put_dump(struct tl_cur *c, size_t len, struct tl_out *o, char *err, size_t errcap)
{
	if (len > o->cap - o->len)
		return -PS_ENOSPC;
	int rc = tl_parse_hexdump(c, o->p + o->len, len);
	if (rc < 0) {
		snprintf(err, errcap, "expected a hexdump of %zu octets", len);
		return rc;
	}
	o->len += len;
	return 0;
}

/* btmon prints "invalid packet size (4 != 9)" or "too short packet" then dumps everything. */
static bool size_error(struct tl_cur *c)
{
	if (starts_at(c, "invalid packet size") || starts_at(c, "too short packet")) {
		while (c->pos < c->n && c->s[c->pos] != '\n' && !(c->s[c->pos] == ')'))
			c->pos++;
		if (c->pos < c->n && c->s[c->pos] == ')')
			c->pos++;
		return true;
	}
	return false;
}

/* Vendor layouts are keyed by manufacturer; the text names the vendor, not its company ID, so the
 * opcode (or event octet) alone picks the layout. */
static const struct ps_layout *vnd_layout(uint32_t low, uint32_t mask)
{
	for (size_t i = 0; i < ps_hci_vnd_nlayouts; i++)
		if ((ps_hci_vnd_layouts[i].code & mask) == low)
			return &ps_hci_vnd_layouts[i];
	return NULL;
}

static int build_cmd(const struct tl_hdr *h, struct tl_cur *c, struct tl_out *o, struct tl_assumed *as,
		     char *err, size_t errcap)
{
	o->p[0] = (uint8_t)h->opcode;
	o->p[1] = (uint8_t)(h->opcode >> 8);
	o->p[2] = (uint8_t)h->plen;
	o->len = 3;
	const struct ps_layout *l = ps_hci_cmd_layout(h->opcode);
	if (!l && h->opcode >> 10 == 0x3f && strstr(h->name, "Vendor") != h->name)
		l = vnd_layout(h->opcode, 0xffff);
	if (size_error(c))
		return put_dump(c, tl_count_hexdump(c), o, err, errcap);
	if (!l || tl_at_hexdump(c))
		return h->plen ? put_dump(c, h->plen, o, err, errcap) : 0;
	return put_layout(c, l, (long)h->plen, o, as, err, errcap);
}

static int build_cmd_complete(const struct tl_hdr *h, struct tl_cur *c, struct tl_out *o, struct tl_assumed *as,
			      char *err, size_t errcap)
{
	uint64_t ogf, ocf, ncmd;
	if (!sub_code(c, true, &ogf, &ocf) || !word_num(c, "ncmd", &ncmd)) {
		snprintf(err, errcap, "Command Complete without its \"Name (0x..|0x....) ncmd N\" line");
		return -PS_EBADDATA;
	}
	uint16_t op = (uint16_t)((ogf & 0x3f) << 10 | (ocf & 0x3ff));
	o->p[o->len++] = (uint8_t)ncmd;
	o->p[o->len++] = (uint8_t)op;
	o->p[o->len++] = (uint8_t)(op >> 8);
	if (h->plen < 3) {
		snprintf(err, errcap, "Command Complete plen %u < 3", h->plen);
		return -PS_EBADDATA;
	}
	long left = (long)h->plen - 3;
	if (left == 0)
		return 0;
	/* vendor commands have no return decoder: status then dump, like any command without one */
	const struct ps_layout *l = ps_hci_rsp_layout(op);
	if (l && !tl_at_hexdump(c) && !(left == 1 && ps_layout_min_len(l) > 1))
		return put_layout(c, l, left, o, as, err, errcap);
	/* no decoder, or one whose parameters are cut to the status octet (an error answer, printed as
	 * the status alone by src/print/hci.c cmd_complete): the status octet, then the rest dumped */
	if (!tl_at_hexdump(c)) {
		struct ps_field f = { "Status", "status", 0, PS_W_U8, PS_FMT_ENUM, ps_names_hci_error };
		uint64_t v;
		if (!tl_take_label(c, "Status") || tl_parse_uint(c, &f, &v) < 0) {
			snprintf(err, errcap, "Command Complete: no Status");
			return -PS_EBADDATA;
		}
		o->p[o->len++] = (uint8_t)v;
		left--;
	}
	return left ? put_dump(c, (size_t)left, o, err, errcap) : 0;
}

/* Vendor event with a decoder: "Broadcom LM Diag (0xb4)" then a dump (src/print/hci.c vendor_evt).
 * btmon's LM Diag decoder shows 63 of the record's 64 octets: the missing ones are assumed 0. */
static int build_vendor_evt(const struct tl_hdr *h, struct tl_cur *c, struct tl_out *o, struct tl_assumed *as,
			    char *err, size_t errcap)
{
	uint64_t sub, unused;
	if (h->plen == 0 || tl_at_hexdump(c))
		return put_dump(c, h->plen, o, err, errcap);
	if (!sub_code(c, false, &sub, &unused) || sub > 0xff) {
		snprintf(err, errcap, "vendor event without a hexdump or \"Name (0x..)\" line");
		return -PS_EBADDATA;
	}
	o->p[o->len++] = (uint8_t)sub;
	size_t want = h->plen - 1u;
	if (size_error(c))
		return put_dump(c, want, o, err, errcap);
	size_t got = tl_count_hexdump(c);
	if (got > want) {
		snprintf(err, errcap, "vendor event: %zu octets dumped, header says %zu", got, want);
		return -PS_EBADDATA;
	}
	int rc = put_dump(c, got, o, err, errcap);
	if (rc < 0 || got == want)
		return rc;
	memset(o->p + o->len, 0, want - got);
	o->len += want - got;
	const struct ps_layout *l = vnd_layout(0xff00u | (uint32_t)sub, 0xffff);
	tl_assume(as, l && l->nfields ? l->fields[l->nfields - 1].label : "vendor data");
	return 0;
}

static int build_evt(const struct tl_hdr *h, struct tl_cur *c, struct tl_out *o, struct tl_assumed *as,
		     char *err, size_t errcap)
{
	o->p[0] = h->evt;
	o->p[1] = (uint8_t)h->plen;
	o->len = 2;
	if (size_error(c)) /* "invalid packet size (4 != 9)": the dump holds what was there */
		return put_dump(c, tl_count_hexdump(c), o, err, errcap);
	if (h->evt == 0x0e)
		return build_cmd_complete(h, c, o, as, err, errcap);
	if (h->evt == 0x0f) {
		uint64_t ogf, ocf, ncmd, st;
		struct ps_field f = { "Status", "status", 0, PS_W_U8, PS_FMT_ENUM, ps_names_hci_error };
		if (!sub_code(c, true, &ogf, &ocf) || !word_num(c, "ncmd", &ncmd)) {
			snprintf(err, errcap, "Command Status without its \"Name (0x..|0x....) ncmd N\" line");
			return -PS_EBADDATA;
		}
		if (!tl_take_label(c, "Status") || tl_parse_uint(c, &f, &st) < 0) {
			tl_assume(as, "Status");
			st = 0;
		}
		uint16_t op = (uint16_t)((ogf & 0x3f) << 10 | (ocf & 0x3ff));
		uint8_t b[4] = { (uint8_t)st, (uint8_t)ncmd, (uint8_t)op, (uint8_t)(op >> 8) };
		memcpy(o->p + o->len, b, 4);
		o->len += 4;
		return h->plen == 4 ? 0 : (snprintf(err, errcap, "Command Status plen %u != 4", h->plen), -PS_EBADDATA);
	}
	if (h->evt == 0x3e) {
		uint64_t sub, unused;
		if (h->plen < 1 || !sub_code(c, false, &sub, &unused) || sub > 0xff) {
			snprintf(err, errcap, "LE Meta Event without its subevent line");
			return -PS_EBADDATA;
		}
		o->p[o->len++] = (uint8_t)sub;
		const struct ps_layout *l = ps_le_evt_layout((uint8_t)sub);
		if (!l || tl_at_hexdump(c))
			return put_dump(c, h->plen - 1, o, err, errcap);
		return put_layout(c, l, (long)h->plen - 1, o, as, err, errcap);
	}
	if (h->evt == 0xff)
		return build_vendor_evt(h, c, o, as, err, errcap);
	const struct ps_layout *l = ps_hci_evt_layout(h->evt);
	if (!l || tl_at_hexdump(c))
		return put_dump(c, h->plen, o, err, errcap);
	return put_layout(c, l, (long)h->plen, o, as, err, errcap);
}

/* "= New Index: B8:27:EB:15:50:70 (Primary,UART,hci0)" and friends (BlueZ monitor records). */
static int build_index(const struct tl_hdr *h, struct tl_out *o, char *err, size_t errcap)
{
	o->len = 0;
	if (h->idx_op == PS_MON_OPEN_INDEX || h->idx_op == PS_MON_CLOSE_INDEX || h->idx_op == PS_MON_DEL_INDEX)
		return 0;
	uint8_t a[6] = { 0 };
	const char *s = h->rest;
	for (int i = 0; i < 6; i++) {
		unsigned v;
		if (strlen(s) < (size_t)(i * 3 + 2) || sscanf(s + i * 3, "%2x", &v) != 1) {
			snprintf(err, errcap, "index record without its address");
			return -PS_EBADDATA;
		}
		a[5 - i] = (uint8_t)v;
	}
	const char *paren = strchr(s, '(');
	if (h->idx_op == PS_MON_NEW_INDEX) {
		/* type(1) bus(1) bdaddr(6) name(8): "(Primary,UART,hci0)" */
		char type[16] = "", bus[16] = "", name[16] = "";
		if (paren)
			sscanf(paren + 1, "%15[^,],%15[^,],%15[^)]", type, bus, name);
		uint32_t tv = 0, bv = 0;
		if (ps_name_value(ps_names_dev_type, type, &tv) < 0)
			tv = 0;
		if (ps_name_value(ps_names_bus_type, bus, &bv) < 0)
			bv = 0;
		o->p[0] = (uint8_t)tv;
		o->p[1] = (uint8_t)bv;
		memcpy(o->p + 2, a, 6);
		memset(o->p + 8, 0, 8);
		memcpy(o->p + 8, name, strnlen(name, 8));
		o->len = 16;
		return 0;
	}
	/* Index Info: bdaddr(6) manufacturer(2) "(Broadcom Corporation)" */
	uint16_t manu = 0;
	if (paren) {
		char cname[80] = "";
		sscanf(paren + 1, "%79[^)]", cname);
		for (uint32_t id = 0; id < 0x1000; id++)
			if (strcmp(ps_company_name((uint16_t)id), cname) == 0) {
				manu = (uint16_t)id;
				break;
			}
	}
	memcpy(o->p, a, 6);
	o->p[6] = (uint8_t)manu;
	o->p[7] = (uint8_t)(manu >> 8);
	o->len = 8;
	return 0;
}

int tl_build_hci(const struct tl_hdr *h, struct tl_cur *body, struct tl_out *o, struct tl_assumed *as,
		 char *err, size_t errcap)
{
	o->len = 0;
	if (o->cap < 4 + 65535)
		return -PS_ENOSPC;
	switch (h->kind) {
	case TL_CMD:
		return build_cmd(h, body, o, as, err, errcap);
	case TL_EVT:
		return build_evt(h, body, o, as, err, errcap);
	case TL_INDEX:
		return build_index(h, o, err, errcap);
	case TL_NOTE:
	case TL_USERLOG: {
		/* system note: text + NUL; user logging: priority(1) ident_len(1) ident\0 message\0 */
		size_t n = strlen(h->rest);
		if (h->kind == TL_NOTE) {
			memcpy(o->p, h->rest, n + 1);
			o->len = n + 1;
			return 0;
		}
		size_t il = strlen(h->name);
		o->p[0] = 6; /* LOG_INFO: btmon does not print the priority */
		o->p[1] = (uint8_t)(il + 1);
		memcpy(o->p + 2, h->name, il + 1);
		memcpy(o->p + 3 + il, h->rest, n + 1);
		o->len = 3 + il + n + 1;
		tl_assume(as, "priority");
		return 0;
	}
	case TL_VDIAG:
	case TL_BAD:
		return h->has_len ? put_dump(body, h->plen, o, err, errcap) : -PS_EUNSUP;
	case TL_ACL:
	case TL_SCO:
	case TL_ISO:
	case TL_MGMT:
	case TL_NONE:
		break;
	}
	snprintf(err, errcap, "record kind not rebuilt here");
	return -PS_EUNSUP;
}

/* ---- L2CAP (Core Vol 3 Part A §3.1 basic header; fixed channels §2.1) ---- */
int tl_build_l2cap(struct tl_cur *c, struct tl_out *o, struct tl_assumed *as, char *err, size_t errcap)
{
	uint64_t code, unused, len, ident = 0;
	uint16_t cid;
	size_t hdr = 4; /* L2CAP basic header, filled last */
	o->len = hdr;
	const struct ps_layout *l = NULL;
	if (starts_at(c, "SMP:") || starts_at(c, "ATT:")) {
		bool smp = c->s[c->pos] == 'S';
		cid = smp ? PS_L2CAP_CID_SMP : PS_L2CAP_CID_ATT;
		c->pos += 4;
		if (!sub_code(c, false, &code, &unused) || !word_num(c, "len", &len) || code > 0xff) {
			snprintf(err, errcap, "%s line without \"(0x..) len N\"", smp ? "SMP" : "ATT");
			return -PS_EBADDATA;
		}
		o->p[o->len++] = (uint8_t)code;
		l = smp ? ps_smp_layout((uint8_t)code) : ps_att_layout((uint8_t)code);
	} else if (starts_at(c, "LE L2CAP:") || starts_at(c, "L2CAP:")) {
		bool le = c->s[c->pos] == 'L' && c->s[c->pos + 1] == 'E';
		cid = le ? PS_L2CAP_CID_LE_SIG : 0x0001;
		c->pos += le ? 9 : 6;
		if (!sub_code(c, false, &code, &unused) || !word_num(c, "ident", &ident) || !word_num(c, "len", &len) ||
		    code > 0xff) {
			snprintf(err, errcap, "L2CAP signaling line without \"(0x..) ident N len N\"");
			return -PS_EBADDATA;
		}
		o->p[o->len++] = (uint8_t)code;
		o->p[o->len++] = (uint8_t)ident;
		o->p[o->len++] = (uint8_t)len;
		o->p[o->len++] = (uint8_t)(len >> 8);
		l = le ? ps_l2cap_layout((uint8_t)code) : NULL;
	} else if (starts_at(c, "Channel:")) {
		uint64_t ch;
		c->pos += 8;
		struct ps_field f = { "", "", 0, PS_W_U16, PS_FMT_DEC, NULL };
		if (tl_parse_uint(c, &f, &ch) < 0 || !word_num(c, "len", &len) || ch > 0xffff) {
			snprintf(err, errcap, "\"Channel: N len M\" line unreadable");
			return -PS_EBADDATA;
		}
		cid = (uint16_t)ch;
		/* skip "[PSM 0 mode Basic (0x00)] {chan 65535}" */
		while (c->pos < c->n && c->s[c->pos] != '\n' && !tl_at_hexdump(c)) {
			while (c->pos < c->n && c->s[c->pos] != ' ' && c->s[c->pos] != '\n')
				c->pos++;
		}
	} else {
		return -PS_ENOENT;
	}
	if (len > 65535 - 8) {
		snprintf(err, errcap, "L2CAP length %llu impossible", (unsigned long long)len);
		return -PS_ERANGE;
	}
	int rc = (l && !tl_at_hexdump(c)) ? put_layout(c, l, (long)len, o, as, err, errcap)
					  : put_dump(c, (size_t)len, o, err, errcap);
	if (rc < 0)
		return rc;
	ps_put_le(o->p, o->len - hdr, 2);
	ps_put_le(o->p + 2, cid, 2);
	return 0;
}
