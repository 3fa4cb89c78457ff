/* btmon text importer internals shared by src/trace/textlog*.c: the recovered-lines text, parsed
 * record headers, the field cursor and the rebuild context. Never installed. */
#ifndef PS_TRACE_TEXTLOG_INT_H
#define PS_TRACE_TEXTLOG_INT_H

#include <pairscope/layout.h>
#include "trace/trace_int.h"

/* Separators inside a record body: btmon's spaces and the clean text's line breaks (never tabs:
 * line recovery turned them into spaces). Shared by every textlog*.c parser so they agree. */
static inline bool tl_is_sep(char c) { return c == ' ' || c == '\n'; }
static inline bool tl_is_digit(char c) { return c >= '0' && c <= '9'; }

/* ---- line recovery (textlog_lines.c) ----
 * The input, whatever mail did to it, becomes a clean text: one logical btmon line per '\n', quote
 * markers and indentation removed, direction markers restored on header lines. Each clean line
 * remembers where it came from so messages can name the input's line and column. */
struct tl_line {
	uint32_t off;      /* offset in tl_text.buf */
	uint32_t len;      /* without the '\n' */
	uint32_t src_line; /* 1-based line in the input */
	uint32_t src_col;  /* 1-based column in the input */
	uint64_t src_off;  /* byte offset in the input */
};
struct tl_text {
	char *buf; /* clean lines, each ended by '\n', then a NUL */
	size_t len;
	struct tl_line *lines;
	size_t nlines;
};
int tl_recover_lines(struct tl_text *t, const char *text, size_t len);
void tl_text_free(struct tl_text *t);
/* Clean line holding buf offset off (binary search). */
const struct tl_line *tl_line_at(const struct tl_text *t, size_t off);

/* ---- record headers (textlog_header.c) ---- */
enum tl_kind {
	TL_NONE = 0,
	TL_CMD,     /* < HCI Command: name (0xOGF|0xOCF) plen N */
	TL_EVT,     /* > HCI Event: name (0xEE) plen N */
	TL_ACL,     /* ACL Data TX/RX, LE-ACL, BR-ACL: Handle H flags 0xF dlen N */
	TL_SCO,     /* SCO Data TX/RX: Handle H flags 0xF dlen N */
	TL_ISO,     /* ISO Data TX/RX, LE-CIS, LE-BIS: Handle H flags 0xF dlen N */
	TL_INDEX,   /* = New Index / Open Index / Index Info / Close Index / Delete Index */
	TL_NOTE,    /* = Note: text */
	TL_USERLOG, /* = ident: text (bluetoothd, kernel, ...) */
	TL_VDIAG,   /* = Vendor Diagnostic (len N) */
	TL_MGMT,    /* @ MGMT ... : control channel, not rebuilt */
	TL_BAD,     /* * Malformed ... / * Unknown packet: hexdump only */
};

/* Label of a data record ("HCI Event", "LE-ACL", ...) at p: its kind, the direction it implies
 * ('<', '>' or 0 when only the marker tells), and its length including the ':'. TL_NONE if none. */
enum tl_kind tl_data_label(const char *p, size_t n, char *dir, size_t *len);
/* True when the clean line p[0..n) starts a record ("<", ">", "=", "@" or "*" then a known label). */
bool tl_is_header(const char *p, size_t n);

struct tl_hdr {
	enum tl_kind kind;
	char dir;           /* '<' host to controller, '>' controller to host */
	uint16_t opcode;    /* TL_CMD */
	uint8_t evt;        /* TL_EVT */
	uint16_t handle;    /* TL_ACL/SCO/ISO */
	uint8_t flags;      /* PB|BC nibble */
	bool handle_cut;    /* btmon cut "Handle N" to "Hand.." (-T on 80 columns) */
	uint32_t plen;      /* plen or dlen; for TL_VDIAG/TL_BAD the stated len when printed */
	bool has_len;
	int index;          /* [hciN], -1 when absent */
	bool has_ts;
	uint64_t ts_us;     /* time as printed, see tl_ts_kind */
	uint8_t ts_kind;    /* 0 none, 1 offset seconds, 2 time of day, 3 date and time */
	char name[96];      /* name as printed (may end in ".." when btmon cut it) */
	char rest[160];     /* TL_INDEX/NOTE/USERLOG: text after the label; TL_INDEX: the label too */
	uint16_t idx_op;    /* TL_INDEX: monitor opcode */
};
/* Parse the header at s[0..n) (a record's text; the header may continue on the next clean lines when
 * mail wrapped it). *body gets the offset where the record's body starts. */
int tl_parse_header(const char *s, size_t n, struct tl_hdr *h, size_t *body, char *err, size_t errcap);

/* ---- field values (textlog_fields.c) ---- */
/* A cursor over a record's body: separators are spaces and line breaks. */
struct tl_cur {
	const char *s;
	size_t n;
	size_t pos;
};
void tl_skip_sep(struct tl_cur *c);
bool tl_at_end(struct tl_cur *c);
/* Labels compare equal across btmon's renames (Master/Central, Slave/Peripheral, White/Accept list,
 * Confim/Confirm) and case. */
bool tl_label_eq(const char *a, size_t an, const char *b);
/* Length of the "Label:" at the cursor (separators skipped), without the ':'; 0 when none. */
size_t tl_label_at(struct tl_cur *c);
/* At the cursor, "label:" for label (any accepted spelling)? On success the cursor moves past ':'. */
bool tl_take_label(struct tl_cur *c, const char *label);
/* Find "label:" at or after the cursor (at a line or field start) before limit; moves there. */
bool tl_seek_label(struct tl_cur *c, const char *label, size_t limit);
/* Parse "(0x...)" or "0x..." or decimal at the cursor per a field's format; moves past the value. */
int tl_parse_uint(struct tl_cur *c, const struct ps_field *f, uint64_t *v);
/* Hex octets written together ("7689a6b5...") or spaced; exactly n octets. */
int tl_parse_hexstr(struct tl_cur *c, uint8_t *out, size_t n);
/* btmon's hexdump rows ("01 02 ...  ascii"): exactly n octets. */
int tl_parse_hexdump(struct tl_cur *c, uint8_t *out, size_t n);
/* Octets in the hexdump rows at the cursor (cursor unchanged). */
size_t tl_count_hexdump(const struct tl_cur *c);
/* Names of fields rebuilt with assumed values go here (comma-separated). */
struct tl_assumed {
	char names[160];
	unsigned count;
};
void tl_assume(struct tl_assumed *a, const char *name);

/* Fill rec (l->size octets, zeroed by the caller) from the labelled fields at the cursor. Variable
 * parts (REST, LIST) are written into the arena: arena/cap/used. Returns 0, or a negative code with a
 * reason in err. Fields not found are left 0 and named in *as. */
struct tl_arena {
	uint8_t *p;
	size_t cap;
	size_t used;
};
/* total: the octets the encoded layout must take (from plen/len), or -1 when not known. */
int tl_parse_layout(struct tl_cur *c, const struct ps_layout *l, long total, void *rec, struct tl_arena *ar,
		    struct tl_assumed *as, char *err, size_t errcap);
/* Advertising/EIR data (PS_FMT_AD) back to AD structures, exactly n octets, into out. */
int tl_parse_ad(struct tl_cur *c, uint8_t *out, size_t n, char *err, size_t errcap);
/* A hexdump row starts at the cursor ("01 02 ..."): two hex digits then a space, twice. */
bool tl_at_hexdump(struct tl_cur *c);

/* ---- composite formats (textlog_bits.c) ---- */
/* PS_FMT_COMMANDS: "N entries" then N "(Octet O - Bit B)" positions into n octets. */
int tl_parse_commands(struct tl_cur *c, uint8_t *out, size_t n);
/* PS_FMT_FEATURES: "0x01 0x02 ..." n octets. */
int tl_parse_octets0x(struct tl_cur *c, uint8_t *out, size_t n);
/* Skip the set-bit name lines printed after a BITS/EVMASK/FEATURES/STATES value v. */
void tl_skip_bit_names(struct tl_cur *c, const struct ps_field *f, uint64_t v);
/* PS_FMT_PK256: "X: <hex32>" "Y: <hex32>" after the label. */
int tl_parse_pk256(struct tl_cur *c, uint8_t out[64]);
/* PS_FMT_UUID of n octets, wire order. */
int tl_parse_uuid(struct tl_cur *c, uint8_t *out, size_t n);
/* PS_FMT_COMPANY: "Name (15)". */
int tl_parse_company(struct tl_cur *c, uint64_t *v);
/* PS_FMT_JOIN field j printed on owner's line, right after the owner's value. -PS_ENOENT if absent. */
int tl_parse_join(struct tl_cur *c, const struct ps_field *owner, const struct ps_field *j, uint64_t *v);

/* A list btmon decodes into labelled lines where our table keeps octets (REST): every value of the
 * lines at the cursor, in order, exactly n octets. */
int tl_parse_entries(struct tl_cur *c, uint8_t *out, size_t n);

/* ---- packet rebuilding (textlog_build.c, textlog_l2cap.c) ---- */
struct tl_out {
	uint8_t *p; /* HCI packet octets (no H4 type) */
	size_t cap;
	size_t len;
};
/* Rebuild one non-ACL record's packet from its header and body. */
int tl_build_hci(const struct tl_hdr *h, struct tl_cur *body, struct tl_out *o, struct tl_assumed *as,
		 char *err, size_t errcap);
/* Rebuild an L2CAP PDU (basic header included) from a decoded body ("SMP: ...", "ATT: ...", "LE L2CAP:",
 * "Channel: N len M" + hexdump). -PS_ENOENT when the body holds no L2CAP decode at all. */
int tl_build_l2cap(struct tl_cur *body, struct tl_out *o, struct tl_assumed *as, char *err, size_t errcap);

#endif
