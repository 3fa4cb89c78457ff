/* Packet layouts: the one definition of every PDU, command, event and return-parameter block.
 *
 * Each protocol has a table file src/proto/<proto>.def written with three macros:
 *
 *   PS_LAYOUT(smp, pairing_req, 0x01, "Pairing Request")
 *   PS_F(smp, pairing_req, U8,  io_cap,  "IO capability",         ENUM, ps_names_io_cap)
 *   PS_F(smp, pairing_req, U8,  max_key, "Max encryption key size", DEC, NULL)
 *   PS_END(smp, pairing_req)
 *   PS_EMPTY(smp, nothing, 0x42, "A PDU without parameters")
 *
 * and included several times with different meanings of the macros (see proto_gen.h):
 *  - as C structs   struct ps_smp_pairing_req { uint8_t io_cap; uint8_t max_key; };
 *  - as field descriptor arrays with offsetof() into those structs,
 *  - as a layout table indexed by code.
 * The generic codec (src/proto/codec.c) decodes wire bytes into the struct and encodes it back; the
 * printers (btmon text, summary, JSON), the text-log importer (text back to bytes), the doctor, the SMP
 * core and the virtual controller all use those same structs and descriptors. No layout is written twice.
 *
 * Wire types (the W argument):
 *   U8 U16 U24 U32 U40 U48 U64  little-endian unsigned, stored in the smallest uint*_t that holds it
 *   S8                          signed octet (RSSI, TX power), stored as int8_t
 *   ADDR                        6-octet address, uint8_t[6], wire order
 *   B3 B8 B12 B16 B31 B32 B64   fixed octet strings, uint8_t[n], wire order (keys, randoms, P-256 coords)
 *   REST                        the remaining octets, struct ps_bytes {p, len} pointing into the input
 *   LIST                        a counted list of sub-records; aux = const struct ps_list_aux *,
 *                               stored as struct ps_list (n + pointer to the first element's bytes);
 *                               elements are decoded on demand with ps_list_get()
 * The F (format) argument names how printers show the value; formats live in enum ps_fmt below.
 */
#ifndef PAIRSCOPE_LAYOUT_H
#define PAIRSCOPE_LAYOUT_H

#include <pairscope/base.h>

struct ps_bytes {
	const uint8_t *p;
	uint16_t len;
};

/* A counted list of fixed-size or self-delimited elements, decoded lazily. */
struct ps_list {
	uint16_t n;         /* element count as the packet states it */
	const uint8_t *p;   /* first element's bytes in the input */
	uint16_t len;       /* bytes available from p to the end of the list */
};

enum ps_wire {
	PS_W_U8, PS_W_U16, PS_W_U24, PS_W_U32, PS_W_U40, PS_W_U48, PS_W_U64,
	PS_W_S8,
	PS_W_ADDR,
	PS_W_B3, PS_W_B8, PS_W_B16, PS_W_B32, PS_W_B64,
	PS_W_B12, PS_W_B31, /* ATT signature; legacy advertising data */
	PS_W_REST,
	PS_W_LIST,
};

/* Display formats: how a value is shown by every printer. The text printer follows btmon 5.66. */
enum ps_fmt {
	PS_FMT_DEC,       /* "Handle: 64" */
	PS_FMT_HEX,       /* "Mask: 0x3dbff807fffbffff" (width from the wire size) */
	PS_FMT_DECHEX,    /* "Connection latency: 0 (0x0000)" */
	PS_FMT_ENUM,      /* "Role: Central (0x00)", aux = const struct ps_name[]; hex width from the wire size */
	PS_FMT_BITS,      /* names of set bits, aux = const struct ps_name[] of bit masks */
	PS_FMT_HEXSTR,    /* octets as hex in wire order: "Long term key: 7689a6b5..." */
	PS_FMT_ADDR,      /* "D2:A7:4C:76:F3:E0 (Static)"; aux = NULL (public), the field name of the address
	                     type, or "=N" for a fixed type N ("=1": random) */
	PS_FMT_CUSTOM,    /* aux = const struct ps_custom_fmt *: the printer calls it */
	PS_FMT_HIDDEN,    /* not printed (reserved octets, counts shown through their list) */
	PS_FMT_SMP_AUTHREQ, /* "Bonding, MITM, Legacy, No Keypresses (0x05)" */
	PS_FMT_SMP_KEYDIST, /* "EncKey Sign (0x05)" */
	/* Formats the printers add go here, one per way of showing a value. */
	PS_FMT_SLOT625,   /* 0.625 ms slots: "Scan interval: 60.000 msec (0x0060)" */
	PS_FMT_INTV125,   /* 1.25 ms units: "Min connection interval: 50.00 msec (0x0028)" */
	PS_FMT_TIME10,    /* 10 ms units: "Supervision timeout: 420 msec (0x002a)" */
	PS_FMT_RSSI,      /* signed dBm: "RSSI: -62 dBm (0xc2)" */
	PS_FMT_DBM,       /* signed power level: "TX power: 43 dbm (0x2b)" (btmon's spelling) */
	PS_FMT_UNIT,      /* decimal then a unit: "Explicit baud rate: 3808482603 Mbps"; aux = unit text */
	PS_FMT_EVMASK,    /* "Mask: 0x..." then one line per set bit; aux = struct ps_name[] of bit numbers */
	PS_FMT_ENCRYPT,   /* Encryption Change: ENUM, value 1 named per link type (E0 / AES-CCM); aux = names */
	PS_FMT_HEXDUMP,   /* octets as btmon's 16-per-line hexdump (opaque payloads) */
	PS_FMT_DATA,      /* octets as one hex string one level deeper: "  Data: 0102" */
	PS_FMT_PK256,     /* P-256 key, 64 octets: "Label:" then "  X: <hex>" and "  Y: <hex>" */
	PS_FMT_AD,        /* advertising/EIR data: one line per AD structure (Flags, Name, Company, ...) */
	PS_FMT_COMMANDS,  /* Supported Commands bit map (B64): "Commands: N entries" (N set bits), then per set bit
	                     "  Name (Octet O - Bit B)" or "  Octet O - Bit B "; aux = names by bit number */
	PS_FMT_FEATURES,  /* feature bit map (B8): "Features: 0x01 0x02 ..." then "  Name" per named set bit and
	                     "  Unknown features (0x%016llx)" for the rest; aux = names by bit number */
	PS_FMT_STATES,    /* LE states (U64): "States: 0x%016llx" then per named set bit its lines ('\n' in a
	                     name starts a line indented 2 more), "  Unknown states (0x..)"; aux = names by bit */
	PS_FMT_JOIN,      /* printed on the line of the field named by aux (not on its own), styled by that
	                     field's format: after ENUM " - Label 4660 (0x1234)"; after DEC (then padded to
	                     4 columns) " Label: 8"; after HEX "-0xffff" (label not printed) */
	PS_FMT_COMPANY,   /* "Broadcom Corporation (15)": name from aux (else "not assigned"), decimal value */
	PS_FMT_UUID,      /* U16 or REST of 2/16 octets: "Primary Service (0x2800)", 128-bit as
	                     "Name (0000180f-0000-1000-8000-00805f9b34fb)"; names from ps_uuid16_name() */
	/* Link-layer formats (src/print/ll.c): the LL tables cannot see the HCI name tables. */
	PS_FMT_LL_ADDR,   /* ADDR whose type is a bit of the LL header: aux "tx" (TxAdd) or "rx" (RxAdd) */
	PS_FMT_LEHEX,     /* octet string sent least significant octet first, shown as one number:
	                     "SKDc: 0x1c7ae7d3e4a9b2f0" (B8 of wire octets f0 b2 .. 1c) */
	PS_FMT_LL_HOPSCA, /* CONNECT_IND Hop (5 bits) and SCA (3 bits): "Hop increment: 7, SCA: 251 ppm to
	                     500 ppm (0x07)" */
	PS_FMT_HCI_ERROR, /* ENUM over the HCI error codes (Vol 1 Part F), names from src/proto/hci */
	PS_FMT_BT_VERSION, /* ENUM over the version numbers (Assigned Numbers), names from src/proto/hci */
	/* btmon 5.66's decoded lists and units (src/print/bitmaps.c, read back by src/trace/textlog_bits.c) */
	PS_FMT_ELEMS,     /* REST as a run of elements, aux = const struct ps_list_aux * (count_field unused),
	                     each element's fields at the field's indent; element size: the element layout's,
	                     plus its len_field when >= 0 (printed first, as btmon does), else from the parent
	                     ("len": ATT attribute data length; "format": 1 -> 2+2, 2 -> 2+16 octets); a
	                     non-empty label heads the list as "Label: N entries"; octets left over: hexdump */
	PS_FMT_ENTRIES,   /* LIST: "Entry N" then the element's fields indented 2; REST (aux as ELEMS): one
	                     "Entry N: <PHY>" block per set bit of the previous field (HEX, aux = its bit names) */
	PS_FMT_TIME10_MS, /* 10 ms units, btmon's short form: "Duration: 5000 ms (0x1f4)" */
	PS_FMT_TIME1280,  /* 1.28 s units: "Period: 2.56 sec (0x0002)" */
	PS_FMT_ADV_PROPS, /* BITS, and the legacy bit names its PDU: "Use legacy advertising PDUs: ADV_IND" */
	PS_FMT_ATTR_VALUE, /* REST after an attribute type field named "type": Primary/Secondary Service ->
	                     "  UUID: ..." (indent 2), Include and Characteristic decoded, else "Value: <hex>" */
	PS_FMT_NAME,      /* ENUM without the hex: "Primary PHY: LE 1M" ("Reserved" when aux has no name) */
	PS_FMT_HEXNAME,   /* HEX, or "Name (0x0000)" when aux names the value: "Encoded baud rate: Not used (0x0000)" */
	PS_FMT_EXT_ADV_EVT, /* LE Extended Advertising Report event type (U16): "Event type: 0x0013", then
	                     "  Props: 0x0013" with the property names indented 4, "  Data status: Complete",
	                     and for legacy PDUs "Legacy PDU Type: ADV_IND (0x0013)" */
	PS_FMT_AD_DUMP,   /* AD, but first the octets as a hexdump (btmon's extended advertising report) */
	PS_FMT_NUMBERED,  /* REST of 16-bit values, one line each: "Connection Handle #0: 96" (btmon's print_list);
	                     aux = the name of the count field (not printed) that bounds the list, or NULL */
	/* BR/EDR (Core 5.4 Vol 4 Part E §7.1-7.7) */
	PS_FMT_NAME248,   /* REST of a NUL-padded UTF-8 name (248 octets on the wire): "Name: raspberrypi",
	                     the text up to the first NUL; read back padded with NULs to 248 octets */
	PS_FMT_PASSKEY,   /* decimal, 6 digits zero-padded: "Passkey: 001234" */
	PS_FMT_DEV_CLASS, /* Class of Device (U24): "Class: 0x5a010c", then indented 2 "Major class: ...",
	                     "Minor class: ..." and one line per service class (ps_dev_class_lines) */
	PS_FMT_PAGE,      /* feature page number, decimal; the JOIN field after it (max page) as "/N": "Page: 1/2" */
	PS_FMT_EXT_FEATURES, /* FEATURES (B8) of the page held by the field named by aux: page 0, 1, 2 names
	                     (ps_lmp_feature_names), other pages only the octets */
	PS_FMT_IAC_LAP,   /* inquiry access code (U24): "0x9e8b33 (General Inquiry)", "(Limited Inquiry)" for 0x9e8b00,
	                     else the hex alone */
	PS_FMT_INQ_LEN,   /* 1.28 s units: "Length: 10.24s (0x08)" */
	PS_FMT_VOICE,     /* Voice_Setting (U16): "Setting: 0x0060", then indented 2 "Input Coding: Linear" and the
	                     other parts btmon names (ps_voice_setting_lines) */
	PS_FMT_PKT_TYPE,  /* BITS, then the bits aux does not name as "Unknown packet types (0x00e1)" (BR/EDR
	                     Packet_Type, Vol 4 Part E §7.1.5) */
	PS_FMT_CODECS,    /* Read Local Supported Codecs after the count named by aux (Vol 4 Part E §7.4.8): one
	                     "  Codec: CVSD (0x02)" per standard codec, "Number of vendor codecs: N", then the
	                     vendor codecs as a hexdump (as btmon 5.66) */
	PS_FMT_EIR,       /* AD of extended inquiry response data (REST, 240 octets on the wire, zero-padded after
	                     the last structure): printed as AD; read back padded with zeros to the field's length */
};

struct ps_name {
	uint32_t v;
	const char *s;
};

struct ps_field {
	const char *label; /* btmon's label */
	const char *name;  /* C member and JSON key */
	uint16_t off;      /* offsetof(struct, member) */
	uint8_t wire;      /* enum ps_wire */
	uint16_t fmt;      /* enum ps_fmt or a printer-defined format */
	const void *aux;
};

struct ps_layout {
	uint32_t code;     /* PDU code, opcode, event code, subevent */
	const char *label; /* btmon's name */
	const char *name;  /* identifier, used in JSON */
	const struct ps_field *fields;
	uint16_t nfields;
	uint16_t size;     /* sizeof the decoded struct */
};

/* Octets the fixed-size fields take (LIST and REST count 0). */
PS_API unsigned ps_layout_min_len(const struct ps_layout *l);
/* True when the layout ends in REST or LIST (its length varies). */
PS_API bool ps_layout_variable(const struct ps_layout *l);

/* Describes a LIST field: the count comes from an earlier field of the same layout (count_field is
 * its index), each element is laid out by elem. Elements are fixed-size unless elem ends in REST; then
 * len_field names the element field that holds the REST part's length (and it must precede REST). */
struct ps_list_aux {
	const struct ps_layout *elem;
	uint8_t count_field;
	int8_t len_field; /* -1 for fixed-size elements */
};

/* Decode len octets at p into the struct at out (which must be l->size bytes). Fixed layouts need
 * len == min_len exactly (-PS_EBADDATA otherwise, -PS_ETRUNC when short); REST takes what is left.
 * Pointers in the struct (REST, LIST) borrow p. */
PS_API int ps_layout_decode(const struct ps_layout *l, const uint8_t *p, size_t len, void *out);
/* Like decode but accepts extra trailing octets; *used gets the octets consumed. */
PS_API int ps_layout_decode_prefix(const struct ps_layout *l, const uint8_t *p, size_t len, void *out,
				   size_t *used);
/* Encode the struct back to wire octets. */
PS_API int ps_layout_encode(const struct ps_layout *l, const void *in, uint8_t *buf, size_t cap, size_t *len);
/* Decode element i of a LIST field into out (elem->size bytes). Elements are laid out one after the
 * other. Returns -PS_ETRUNC when the list's bytes run out. Linear in i for variable elements: iterate
 * with ps_list_next instead. */
PS_API int ps_list_get(const struct ps_list_aux *aux, const struct ps_list *list, unsigned i, void *out);
/* Iterate: *off starts at 0; decodes the element at *off into out and advances *off. */
PS_API int ps_list_next(const struct ps_list_aux *aux, const struct ps_list *list, size_t *off, void *out);

/* Look up a value name; NULL when not in the table (tables end with {0, NULL}). */
PS_API const char *ps_name_of(const struct ps_name *tab, uint32_t v);
/* Reverse: value for a name (exact match); -PS_ENOENT when absent. */
PS_API int ps_name_value(const struct ps_name *tab, const char *s, uint32_t *v);

/* Generic value access by field descriptor, for printers and the text importer. */
PS_API uint64_t ps_field_get_uint(const struct ps_field *f, const void *rec);
PS_API void ps_field_set_uint(const struct ps_field *f, void *rec, uint64_t v);
/* Octet width of a field's wire type (0 for REST/LIST). */
PS_API unsigned ps_wire_size(enum ps_wire w);
/* Find a layout by code in a table sorted or not (linear); NULL when absent. */
PS_API const struct ps_layout *ps_layout_find(const struct ps_layout *tab, size_t n, uint32_t code);
/* The same for a table written dense from code first (entry i has code first + i): a direct index,
 * with the search as the fallback should an entry be out of place. */
PS_API const struct ps_layout *ps_layout_find_dense(const struct ps_layout *tab, size_t n, uint32_t first,
						    uint32_t code);
/* Index of the field named name in l, or -PS_ENOENT. */
PS_API int ps_layout_field(const struct ps_layout *l, const char *name);

#endif
