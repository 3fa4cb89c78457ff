/* Frame printers: btmon 5.66 text (default), one-line summary, JSON Lines. All are driven by the
 * src/proto tables; output goes to a ps_out sink, never to stdout directly. */
#ifndef PS_PRINT_PRINT_H
#define PS_PRINT_PRINT_H

#include <pairscope/frame.h>
#include "print/out.h"

enum ps_print_mode { PS_PRINT_TEXT, PS_PRINT_SUMMARY, PS_PRINT_JSON };
enum ps_print_time { PS_TIME_OFFSET, PS_TIME_LOCAL, PS_TIME_DATE, PS_TIME_NONE };

/* --only filters: a frame is printed when it carries one of the selected layers. */
enum {
	PS_ONLY_HCI = 1u << 0,   /* commands and events */
	PS_ONLY_ACL = 1u << 1,   /* ACL data */
	PS_ONLY_L2CAP = 1u << 2, /* ACL carrying L2CAP signaling or other channels */
	PS_ONLY_SMP = 1u << 3,
	PS_ONLY_ATT = 1u << 4,
	PS_ONLY_LE = 1u << 5,    /* LE commands (OGF 0x08) and LE meta events */
	PS_ONLY_LL = 1u << 6,    /* link-layer sniffer frames (PS_MON_LL) */
};

struct ps_print_opts {
	enum ps_print_mode mode;
	enum ps_print_time time;
	unsigned width;       /* columns (btmon: 80 when not a tty) */
	unsigned only;        /* 0 = everything, else PS_ONLY_* mask */
	bool color;
	bool legacy_names;    /* Master/Slave/White list */
	bool new_header;      /* btmon 5.86 "LE-ACL: Handle 64" ACL headers */
	uint16_t vendor;      /* default manufacturer (btmon -V), 0xffff = none */
};

struct ps_printer;
/* out is borrowed until ps_printer_free. NULL on out of memory. */
struct ps_printer *ps_printer_new(const struct ps_print_opts *opts, struct ps_out *out);
void ps_printer_free(struct ps_printer *p);
/* Print one frame. Returns 0, or 1 when the frame itself was damaged (malformed packet, L2CAP length
 * that lies, ...): the text says so and printing goes on. */
int ps_printer_frame(struct ps_printer *p, const struct ps_frame *f);
/* Damage found in frames so far (the CLI's exit code). */
unsigned ps_printer_damage(const struct ps_printer *p);
/* Why the last damaged frame was damaged (for the CLI's stderr diagnostics); "" when none. */
const char *ps_printer_last_problem(const struct ps_printer *p);

#endif
