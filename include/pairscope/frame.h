/* A frame: one record of a capture, whatever its container, normalised to the Linux monitor's
 * opcodes (BlueZ btsnoop datalink 2001), so printers and the doctor see one model. */
#ifndef PAIRSCOPE_FRAME_H
#define PAIRSCOPE_FRAME_H

#include <pairscope/base.h>

/* Linux monitor opcodes (btsnoop datalink 2001 flags & 0xffff, DLT 254). */
enum ps_mon_op {
	PS_MON_NEW_INDEX = 0,
	PS_MON_DEL_INDEX = 1,
	PS_MON_COMMAND = 2,
	PS_MON_EVENT = 3,
	PS_MON_ACL_TX = 4,
	PS_MON_ACL_RX = 5,
	PS_MON_SCO_TX = 6,
	PS_MON_SCO_RX = 7,
	PS_MON_OPEN_INDEX = 8,
	PS_MON_CLOSE_INDEX = 9,
	PS_MON_INDEX_INFO = 10,
	PS_MON_VENDOR_DIAG = 11,
	PS_MON_SYSTEM_NOTE = 12,
	PS_MON_USER_LOGGING = 13,
	PS_MON_CTRL_OPEN = 14,
	PS_MON_CTRL_CLOSE = 15,
	PS_MON_CTRL_COMMAND = 16,
	PS_MON_CTRL_EVENT = 17,
	PS_MON_ISO_TX = 18,
	PS_MON_ISO_RX = 19,
	/* Not monitor opcodes: pairscope's own kinds for sniffer captures. */
	PS_MON_LL = 0x1000,      /* link-layer PDU from a sniffer: data = AA + header + PDU (+CRC) */
	PS_MON_UNKNOWN = 0xfffe, /* record of a kind the container defines but we do not model */
};

#define PS_INDEX_NONE 0xffff

/* Frame flags. */
enum {
	PS_FRAME_TRUNCATED = 1u << 0, /* len < orig_len: the capture kept only part */
	PS_FRAME_REBUILT = 1u << 1,   /* rebuilt from text with assumed fields (see trace notes) */
	PS_FRAME_NO_INDEX = 1u << 2,  /* container has no controller index (H4/HCI files): print no [hciN] */
	PS_FRAME_DIR_UNKNOWN = 1u << 3, /* DLT 187: no direction in the container; guessed from the type */
};

/* Link-layer metadata for PS_MON_LL frames (sniffer pseudo-headers). */
struct ps_ll_meta {
	uint8_t channel;
	int8_t rssi;
	uint8_t phy;          /* 0 1M, 1 2M, 2 Coded */
	uint8_t dir;          /* 1 central->peripheral, 0 peripheral->central, 0xff unknown */
	uint16_t flags;       /* PS_LL_* */
	uint32_t ref_aa;
};
enum {
	PS_LL_CRC_CHECKED = 1u << 0,
	PS_LL_CRC_OK = 1u << 1,
	PS_LL_MIC_CHECKED = 1u << 2,
	PS_LL_MIC_OK = 1u << 3,
	PS_LL_DECRYPTED = 1u << 4, /* payload is plaintext already (sniffer decrypted it) */
	PS_LL_ENCRYPTED = 1u << 5, /* sniffer says the link was encrypted */
	PS_LL_HAS_CRC = 1u << 6,   /* data ends with the 3-byte CRC */
	PS_LL_DIR_VALID = 1u << 7,
};

struct ps_frame {
	uint64_t ts_us;       /* microseconds since the Unix epoch (btsnoop epoch converted) */
	uint16_t index;       /* controller index, PS_INDEX_NONE for system records */
	uint16_t opcode;      /* enum ps_mon_op */
	uint32_t flags;       /* PS_FRAME_* */
	uint32_t orig_len;    /* length on the wire */
	uint32_t len;         /* bytes in data */
	const uint8_t *data;  /* HCI packet without the H4 type byte; borrowed until the next read */
	uint64_t offset;      /* byte offset of the record in the input (or line number for text) */
	uint64_t number;      /* 1-based record number in the input */
	uint32_t dlt;         /* pcap DLT or btsnoop datalink the frame came from */
	struct ps_ll_meta ll; /* PS_MON_LL only */
};

#endif
