/* Internals shared by the printer files (btmon text, summary, JSON). */
#ifndef PS_PRINT_INT_H
#define PS_PRINT_INT_H

#include "print/print.h"
#include "proto/acl.h"
#include <pairscope/layout.h>

#define PS_MAX_INDEX 16 /* btmon's MAX_INDEX: controllers it keeps state for */

#define C_OFF "\x1B[0m"
#define C_BLUE "\x1B[0;34m"
#define C_MAGENTA "\x1B[0;35m"
#define C_CYAN "\x1B[0;36m"
#define C_GREEN "\x1B[0;32m"
#define C_WHITE "\x1B[0;37m"
#define C_YELLOW "\x1B[0;33m"
#define C_RED "\x1B[0;31m"
#define C_ERROR "\x1B[1;31m"
#define C_WHITE_BG "\x1B[0;47;30m"

enum { LINK_UNKNOWN = 0, LINK_BREDR = 1, LINK_LE = 2 };

struct pr_index {
	uint64_t frame;        /* HCI packets seen on this controller (btmon's #N) */
	uint16_t manufacturer; /* from Index Info / Read Local Version; 0xffff unknown */
	uint8_t bdaddr[6];
	uint8_t type;
	uint8_t link[4096];    /* LINK_* per connection handle */
};

/* Link-layer connections the printer follows (sniffer captures): a fixed table, the least recently
 * seen entry recycled, so memory stays bounded whatever the capture holds. */
#define PR_LL_CONNS 16
struct pr_ll_conn {
	uint32_t aa;
	uint32_t crc_init;     /* from CONNECT_IND (crc_known) */
	uint64_t last_ts;      /* last packet: direction guess by timing */
	uint64_t stamp;        /* LRU */
	uint32_t last_hash[2]; /* per direction (0 P->C, 1 C->P): header + payload of the last PDU */
	uint8_t last_sn[2];    /* 0xff: none yet */
	int16_t last_chan;     /* channel index of the last PDU, -1 unknown */
	bool partial[2];       /* an L2CAP frame is being reassembled that way */
	bool used, crc_known, enc, last_central;
};

struct ps_printer {
	struct ps_print_opts o;
	struct ps_out *out;
	struct ps_acl *acl;
	int64_t time_offset;   /* whole second of the first record; -1 before it */
	uint64_t last_frame;   /* btmon prints #N only when it changed since the last header */
	unsigned damage;
	bool cur_damaged;
	uint16_t cur_index;    /* index of the frame being printed (PS_INDEX_NONE for system) */
	const struct ps_frame *cur;
	char problem[160];
	struct pr_index idx[PS_MAX_INDEX];
	/* summary / JSON: what the frame decoded to (filled by the text walker in quiet mode) */
	bool quiet;            /* decode for summary/JSON/filters without writing text */
	unsigned layers;       /* PS_ONLY_* seen in this frame */
	/* link layer (ll_walk.c): connections by access address, their L2CAP reassembly (handle = slot) */
	struct ps_acl *ll_acl;
	uint64_t ll_clock;
	uint8_t ll_tx_add, ll_rx_add; /* header bits of the PDU being printed (PS_FMT_LL_ADDR) */
	struct pr_ll_conn ll[PR_LL_CONNS];
};

/* Small builders for header texts without printf (the hot path: one header per frame). */
static inline char *sb_str(char *d, const char *s)
{
	size_t n = strlen(s);
	memcpy(d, s, n);
	return d + n;
}
static inline char *sb_u(char *d, uint64_t v) { return d + ps_fmt_u64(d, v); }
static inline char *sb_hex(char *d, uint64_t v, unsigned digits)
{
	static const char hx[] = "0123456789abcdef";
	*d++ = '0';
	*d++ = 'x';
	for (unsigned i = 0; i < digits; i++)
		*d++ = hx[(v >> (4 * (digits - 1 - i))) & 0xf];
	return d;
}

/* ---- btmon text primitives (hdr.c) ---- */
/* The header line: ident, label, text (cut with ".." to fit), extra, right block #N [hciN] time. */
void pr_header(struct ps_printer *p, char ident, const char *color, const char *label, const char *text,
	       const char *extra);
/* The same with a given right block (link-layer frames: " #N time", no controller index). */
void pr_header_rb(struct ps_printer *p, char ident, const char *color, const char *label, const char *text,
		  const char *extra, const char *rb, size_t rbn);
/* btmon's packet_hexdump: 8 spaces, 16 "xx " groups, ASCII column; nothing for len 0. */
void pr_hexdump(struct ps_printer *p, const uint8_t *d, size_t len);
/* An indented line: indent spaces then s. */
void pr_line(struct ps_printer *p, unsigned indent, const char *s);
/* An error line at indent 8 ("invalid packet size"), colored on TTYs, and mark the frame damaged. */
void pr_error(struct ps_printer *p, const char *s);
/* When a header's length field (stated) disagrees with the octets present (size): btmon's error line
 * "invalid packet size (size != stated)" and the hexdump, and true so the caller stops decoding. */
bool pr_size_mismatch(struct ps_printer *p, const uint8_t *d, size_t size, unsigned stated);
/* Remember a problem for the CLI's diagnostics (frame number and offset are added there). */
void pr_damage(struct ps_printer *p, const char *why);
/* Start a field line: indent spaces, "label: " (legacy wording applied). */
void pr_label(struct ps_printer *p, unsigned indent, const char *label);
/* A value name with --legacy-names applied. */
const char *pr_name(const struct ps_printer *p, const char *s);
/* Time string for summaries/JSON in the configured format. */
size_t pr_time(struct ps_printer *p, const struct ps_frame *f, char *buf, size_t cap);

/* ---- fields (fields.c) ---- */
/* Print every field of rec laid out by l at indent (8 for btmon fields). */
void pr_fields(struct ps_printer *p, const struct ps_layout *l, const void *rec, unsigned indent);
/* Decode octets with l (exact length, or prefix when !exact) and print; on size errors prints btmon's
 * "invalid packet size"/"too short packet" and a hexdump. Returns 0 or the decode error. */
int pr_decode_print(struct ps_printer *p, const struct ps_layout *l, const uint8_t *d, size_t len,
		    unsigned indent, const char *bad_size);
/* "D2:A7:4C:76:F3:E0": most significant octet first, upper case, sep between octets (17 chars). */
void pr_out_bdaddr(struct ps_out *o, const uint8_t a[6], char sep);
/* The value-name table of an enum-like field: the HCI error and Bluetooth version formats have fixed
 * tables, the others (ENUM, ENCRYPT, NAME) carry theirs in f->aux. */
const struct ps_name *pr_field_names(const struct ps_field *f);
/* "Address: B8:27:EB:15:50:70 (Raspberry Pi Foundation)" */
void pr_addr(struct ps_printer *p, unsigned indent, const char *label, const uint8_t a[6], uint8_t type);

/* ---- bit maps and UUIDs (bitmaps.c) ---- */
void pr_commands(struct ps_printer *p, const uint8_t *b, size_t len, const struct ps_name *names,
		 unsigned indent);
void pr_features(struct ps_printer *p, const uint8_t *b, size_t len, const struct ps_name *names,
		 unsigned indent);
/* BR/EDR value formats (bredr.c): the value after the label; Read Local Supported Codecs' lists. */
void pr_bredr_value(struct ps_printer *p, const struct ps_layout *l, const struct ps_field *f, const void *rec,
		    uint64_t v, const uint8_t *b, size_t blen, unsigned indent);
void pr_bredr_codecs(struct ps_printer *p, const struct ps_layout *l, const struct ps_field *f, const void *rec,
		     const uint8_t *b, size_t blen, unsigned indent);
void pr_states(struct ps_printer *p, uint64_t v, const struct ps_name *names, unsigned indent);
void pr_uuid(struct ps_printer *p, const uint8_t *b, size_t len);

/* ---- lists inside a parameter block (lists.c): formats ELEMS, ENTRIES (REST) and ATTR_VALUE ---- */
void pr_elems(struct ps_printer *p, const struct ps_layout *l, const struct ps_field *f, const void *rec,
	      const struct ps_bytes *b, unsigned indent);
void pr_phy_entries(struct ps_printer *p, const struct ps_layout *l, const struct ps_field *f, const void *rec,
		    const struct ps_bytes *b, unsigned indent);
void pr_attr_value(struct ps_printer *p, const struct ps_layout *l, const struct ps_field *f, const void *rec,
		   const struct ps_bytes *b, unsigned indent);

/* ---- advertising data (ad.c) ---- */
void pr_ad(struct ps_printer *p, const uint8_t *d, size_t len);

/* ---- HCI (hci.c) and ACL/L2CAP (l2cap.c) ---- */
void pr_command(struct ps_printer *p, const struct ps_frame *f);
void pr_event(struct ps_printer *p, const struct ps_frame *f);
void pr_acl(struct ps_printer *p, const struct ps_frame *f, bool rx);

/* L2CAP frame (reassembled) by CID: SMP, ATT, LE signaling or a channel dump, as under ACL data. */
void pr_l2cap(struct ps_printer *p, uint16_t cid, const uint8_t *d, size_t size);

/* ---- summary and JSON (summary.c, json.c) ---- */
void pr_summary(struct ps_printer *p, const struct ps_frame *f);
void pr_json(struct ps_printer *p, const struct ps_frame *f);
/* " name=value" for the first fields of rec laid out by l (summary lines). */
void pr_summary_keys(struct ps_out *o, const struct ps_layout *l, const void *rec);

/* ---- link layer (ll_walk.c: state, ll.c: text, ll_out.c: summary and JSON) ---- */
void pr_ll_text(struct ps_printer *p, const struct ps_frame *f);
void pr_ll_summary(struct ps_printer *p, const struct ps_frame *f);
void pr_ll_json(struct ps_printer *p, const struct ps_frame *f);

#endif
