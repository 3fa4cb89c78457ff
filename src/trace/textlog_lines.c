/* btmon text import, layer 1: recover btmon's lines from text a mail client or web archive mangled.
 *
 * What mail does to a btmon log, and how each is undone here:
 *  - "> " quoting at any depth: leading runs of '>' are quote markers, except that btmon's own
 *    direction marker '>' is the last '>' before a controller-to-host label ("HCI Event:", "ACL Data
 *    RX:"); it is kept so the header parser sees "> HCI Event:".
 *  - CRLF, lone CR, tabs, trailing spaces, lost or changed indentation: normalised away (the field
 *    parser finds fields by their labels, not by their column).
 *  - every line break gone (a web archive flattening the whole thread into one line): inside long
 *    lines, runs of " > " quote markers mark where lines were, and so do record starts ("< HCI
 *    Command:", "> ACL Data RX:", "= New Index:" ...). Body lines without quoting stay joined: the field
 *    parser splits them by the labels it expects.
 *  - headers wrapped by re-flowing ("[hci0] 298.154979" on the next line): left to the header parser,
 *    which reads across line breaks.
 * Prose around and between the log stays in the clean text; the record parser ignores what it does
 * not expect. */
#include "trace/textlog_int.h"
#include <stdlib.h>
#include <string.h>

/* Lines longer than this are treated as flattened: a btmon line at 80 columns with a hexdump is 73
 * characters, so a " > " run inside a longer line is a quote marker that lost its line break. */
#define TL_FLAT_MIN 100

struct builder {
	struct tl_text *t;
	size_t cap, lcap;
	int err;
};

static void put(struct builder *b, const char *p, size_t n)
{
	if (b->err)
		return;
	if (b->t->len + n + 2 > b->cap) {
		size_t nc = b->cap ? b->cap : 4096;
		while (nc < b->t->len + n + 2)
			nc *= 2;
		char *nb = realloc(b->t->buf, nc);
		if (!nb) {
			b->err = -PS_ENOMEM;
			return;
		}
		b->t->buf = nb;
		b->cap = nc;
	}
	memcpy(b->t->buf + b->t->len, p, n);
	b->t->len += n;
}

static bool is_sp(char c) { return c == ' ' || c == '\t'; }

/* Emit one clean line: dir (0 or a marker char) then the segment, trimmed. */
static void emit(struct builder *b, char dir, const char *p, size_t n, uint32_t line, uint32_t col,
		 uint64_t base)
{
	while (n && is_sp(*p)) {
		p++;
		n--;
		col++;
	}
	while (n && is_sp(p[n - 1]))
		n--;
	if (!n)
		return;
	if (ps_grow((void **)&b->t->lines, &b->lcap, b->t->nlines, sizeof *b->t->lines, 256) < 0) {
		b->err = -PS_ENOMEM;
		return;
	}
	struct tl_line *l = &b->t->lines[b->t->nlines];
	l->off = (uint32_t)b->t->len;
	l->src_line = line;
	l->src_col = col;
	l->src_off = base + col - 1;
	if (dir) {
		char d[2] = { dir, ' ' };
		put(b, d, 2);
	}
	put(b, p, n);
	l->len = (uint32_t)(b->t->len - l->off);
	put(b, "\n", 1);
	if (!b->err)
		b->t->nlines++;
}

/* A record start inside a line: marker char, space, a label we know. */
static bool record_start(const char *p, size_t n)
{
	if (n < 3 || p[1] != ' ')
		return false;
	if (p[0] == '<' || p[0] == '>') {
		char dir;
		size_t ll;
		return tl_data_label(p + 2, n - 2, &dir, &ll) != TL_NONE;
	}
	if (p[0] == '=' || p[0] == '@' || p[0] == '*')
		return tl_is_header(p, n);
	return false;
}

/* A quote marker inside a line: '>' after a space (or another '>') and before a space, '>' or the end. */
static bool marker_at(const char *p, size_t n, size_t k)
{
	return p[k] == '>' && (k == 0 || is_sp(p[k - 1]) || p[k - 1] == '>') &&
	       (k + 1 == n || is_sp(p[k + 1]) || p[k + 1] == '>');
}

/* Split one physical line [p, p+n) into clean lines. */
static void split_line(struct builder *b, const char *p, size_t n, uint32_t line, uint64_t base)
{
	bool flat = n > TL_FLAT_MIN;
	size_t i = 0;
	while (i < n && !b->err) {
		/* The marker run: at the line start any '>' is quoting (">text" too); inside a line only
		 * space-separated ones. */
		size_t j = i;
		size_t gts = 0;
		for (;;) {
			while (j < n && is_sp(p[j]))
				j++;
			if (j < n && p[j] == '>' && (i == 0 || marker_at(p, n, j))) {
				gts++;
				j++;
				continue;
			}
			break;
		}
		if (j >= n)
			break;
		char dir = 0, implied = 0;
		size_t ll;
		if (tl_data_label(p + j, n - j, &implied, &ll) != TL_NONE)
			dir = gts ? '>' : implied; /* the last '>' of the run was btmon's direction marker */
		/* The segment ends at the next record start or, in a flattened line, the next marker. */
		size_t k = j + 1;
		for (; k < n; k++) {
			if (!is_sp(p[k - 1]))
				continue;
			if ((p[k] == '<' || p[k] == '>' || p[k] == '=' || p[k] == '@' || p[k] == '*') &&
			    record_start(p + k, n - k))
				break;
			if (flat && marker_at(p, n, k))
				break;
		}
		emit(b, dir, p + j, k - j, line, (uint32_t)(gts && dir && j >= 2 ? j - 1 : j + 1), base);
		i = k;
	}
}

/* Web pages and bug trackers leave their own markup in a pasted log (seen in real reports: Jira's
 * "<span>#</span>107382" frame numbers in imported Zephyr issues, HTML-escaped mail archives, GitHub
 * markdown emphasis "**KeyboardDisplay (0x04)**" and "_< ACL Data TX" / "`> HCI Event"). None of these
 * is btmon's: btmon prints no HTML tag (its only "<...>" is "<none>", not in the list below), no "&name;"
 * entity and no "**". Returns how many input characters at s[k] are markup to drop (0: none), with
 * *rep set to the character an entity stands for (0: nothing in its place). */
static size_t web_residue(const char *s, size_t n, size_t k, bool lead, char *rep)
{
	static const char *const tags[] = { "<span>", "</span>", "<b>", "</b>", "<i>", "</i>", "<em>", "</em>",
					    "<strong>", "</strong>", "<code>", "</code>", "<tt>", "</tt>", "<br>",
					    "<br/>", "<br />", "<pre>", "</pre>" };
	static const struct { const char *e; char c; } ents[] = {
		{ "&gt;", '>' }, { "&lt;", '<' }, { "&amp;", '&' }, { "&quot;", '"' }, { "&#39;", '\'' },
		{ "&#x27;", '\'' }, { "&nbsp;", ' ' }, { "&#35;", '#' },
	};
	*rep = 0;
	const char *p = s + k;
	size_t r = n - k;
	if (*p == '<') {
		if (r > 6 && !memcmp(p, "<span ", 6)) { /* <span class="..."> */
			const char *gt = memchr(p, '>', r < 200 ? r : 200);
			return gt ? (size_t)(gt - p) + 1 : 0;
		}
		for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
			size_t tl = strlen(tags[i]);
			if (r >= tl && !memcmp(p, tags[i], tl))
				return tl;
		}
	} else if (*p == '&') {
		for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
			size_t el = strlen(ents[i].e);
			if (r >= el && !memcmp(p, ents[i].e, el)) {
				*rep = ents[i].c;
				return el;
			}
		}
	} else if (*p == '*' && r >= 2 && p[1] == '*') {
		return 2;
	} else if (lead && (*p == '_' || *p == '`') && r >= 2 &&
		   (p[1] == '<' || p[1] == '>' || p[1] == '@' || p[1] == '=')) {
		/* markdown emphasis or inline code opened right before a record's direction marker */
		return 1;
	}
	return 0;
}

int tl_recover_lines(struct tl_text *t, const char *text, size_t len)
{
	memset(t, 0, sizeof *t);
	struct builder b = { t, 0, 0, 0 };
	char *tmp = NULL;
	size_t tcap = 0;
	uint32_t line = 1;
	size_t i = 0;
	while (i < len && !b.err) {
		size_t e = i;
		while (e < len && text[e] != '\n' && text[e] != '\r')
			e++;
		/* copy with control characters made spaces: NUL and binary must not cut lines short */
		size_t n = e - i;
		if (n + 1 > tcap) {
			size_t nc = tcap ? tcap : 1024;
			while (nc < n + 1)
				nc *= 2;
			char *nt = realloc(tmp, nc);
			if (!nt) {
				b.err = -PS_ENOMEM;
				break;
			}
			tmp = nt;
			tcap = nc;
		}
		size_t m = 0;
		bool lead = true; /* only blanks and quote markers so far on this line */
		for (size_t k = 0; k < n; k++) {
			unsigned char c = (unsigned char)text[i + k];
			if (c == 0x1b && k + 1 < n && text[i + k + 1] == '[') {
				/* a colour escape ("\e[0;32m", btmon --color=always or 5.66's Data status): dropped,
				 * so a coloured label reads as a plain one (columns after it shift on this line) */
				size_t e2 = k + 2;
				while (e2 < n && e2 - k < 16 && ((text[i + e2] >= '0' && text[i + e2] <= '9') || text[i + e2] == ';'))
					e2++;
				if (e2 < n && ((text[i + e2] >= 'A' && text[i + e2] <= 'Z') || (text[i + e2] >= 'a' && text[i + e2] <= 'z'))) {
					k = e2;
					continue;
				}
			}
			char rep;
			size_t skip = web_residue(text + i, n, k, lead, &rep);
			if (skip) {
				if (rep)
					tmp[m++] = rep;
				k += skip - 1;
				continue;
			}
			if (c != ' ' && c != '\t' && c != '>')
				lead = false;
			tmp[m++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
		}
		split_line(&b, tmp, m, line, i);
		line++;
		if (e < len && text[e] == '\r' && e + 1 < len && text[e + 1] == '\n')
			e++;
		i = e + 1;
	}
	free(tmp);
	put(&b, "", 1); /* NUL after the last line */
	if (!b.err)
		t->len--;
	if (b.err) {
		tl_text_free(t);
		return b.err;
	}
	return 0;
}

void tl_text_free(struct tl_text *t)
{
	free(t->buf);
	free(t->lines);
	memset(t, 0, sizeof *t);
}

const struct tl_line *tl_line_at(const struct tl_text *t, size_t off)
{
	if (!t->nlines)
		return NULL;
	size_t lo = 0, hi = t->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (t->lines[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return &t->lines[lo];
}
