/* Every HCI command / return parameter / event / LE subevent / element / vendor layout, every L2CAP LE
 * signaling command and every ATT PDU: build the fields, encode, decode, and get the same fields back
 * (decode(encode(fields)) == fields); then bytes -> fields -> bytes. */
#include "testutil.h"
#include "proto/att.h"
#include "proto/hci.h"
#include "proto/l2cap.h"
#include <string.h>

static const uint8_t rest_bytes[] = { 0x02, 0x01, 0x06, 0x03, 0x09, 0x41, 0x42 };

/* Fill a record with a deterministic pattern. LIST fields get 2 elements built the same way; their
 * count field is set to match. bufs holds element octets (must outlive the record). */
static void fill(const struct ps_layout *l, void *rec, unsigned seed, uint8_t *bufs, size_t cap)
{
	memset(rec, 0, l->size);
	for (unsigned i = 0; i < l->nfields; i++) {
		const struct ps_field *f = &l->fields[i];
		uint8_t *m = (uint8_t *)rec + f->off;
		unsigned w = ps_wire_size(f->wire);
		switch (f->wire) {
		case PS_W_REST: {
			struct ps_bytes b = { rest_bytes, (uint16_t)(seed % sizeof rest_bytes) };
			memcpy(m, &b, sizeof b);
			break;
		}
		case PS_W_LIST: {
			const struct ps_list_aux *aux = f->aux;
			uint8_t erec[512];
			size_t off = 0;
			assert_true(aux->elem->size <= sizeof erec);
			for (unsigned k = 0; k < 2; k++) {
				fill(aux->elem, erec, seed + k + 1, NULL, 0);
				if (aux->len_field >= 0) {
					/* the element's length field must state its REST's length */
					const struct ps_field *lf = &aux->elem->fields[aux->len_field];
					for (unsigned r = 0; r < aux->elem->nfields; r++)
						if (aux->elem->fields[r].wire == PS_W_REST) {
							struct ps_bytes b;
							memcpy(&b, erec + aux->elem->fields[r].off, sizeof b);
							ps_field_set_uint(lf, erec, b.len);
						}
				}
				size_t n = 0;
				assert_int_equal(ps_layout_encode(aux->elem, erec, bufs + off, cap - off, &n), 0);
				off += n;
			}
			struct ps_list list = { 2, bufs, (uint16_t)off };
			memcpy(m, &list, sizeof list);
			ps_field_set_uint(&l->fields[aux->count_field], rec, 2);
			break;
		}
		case PS_W_U8: case PS_W_U16: case PS_W_U24: case PS_W_U32: case PS_W_U40: case PS_W_U48:
		case PS_W_U64: case PS_W_S8: {
			uint64_t v = 0;
			for (unsigned k = 0; k < w; k++)
				v |= (uint64_t)(uint8_t)(seed * 31 + i * 7 + k) << (8 * k);
			ps_field_set_uint(f, rec, v);
			break;
		}
		default:
			for (unsigned k = 0; k < w; k++)
				m[k] = (uint8_t)(seed + i * 13 + k);
			break;
		}
	}
	/* count fields of lists were set after other fields; keep them (second pass not needed) */
}

static void assert_same_fields(const struct ps_layout *l, const void *a, const void *b)
{
	for (unsigned i = 0; i < l->nfields; i++) {
		const struct ps_field *f = &l->fields[i];
		const uint8_t *ma = (const uint8_t *)a + f->off, *mb = (const uint8_t *)b + f->off;
		if (f->wire == PS_W_REST) {
			struct ps_bytes x, y;
			memcpy(&x, ma, sizeof x);
			memcpy(&y, mb, sizeof y);
			assert_int_equal(x.len, y.len);
			if (x.len)
				assert_memory_equal(x.p, y.p, x.len);
		} else if (f->wire == PS_W_LIST) {
			struct ps_list x, y;
			memcpy(&x, ma, sizeof x);
			memcpy(&y, mb, sizeof y);
			assert_int_equal(x.n, y.n);
			assert_int_equal(x.len, y.len);
			assert_memory_equal(x.p, y.p, x.len);
		} else if (ps_wire_size(f->wire) && (f->wire <= PS_W_S8)) {
			assert_true(ps_field_get_uint(f, a) == ps_field_get_uint(f, b));
		} else {
			assert_memory_equal(ma, mb, ps_wire_size(f->wire));
		}
	}
}

static void round_trip_table(const char *what, const struct ps_layout *tab, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ps_layout *l = &tab[i];
		uint8_t rec[1024], back[1024], wire[1024], wire2[1024], bufs[512];
		assert_true(l->size <= sizeof rec);
		fill(l, rec, (unsigned)i + 3, bufs, sizeof bufs);
		size_t len = 0, len2 = 0;
		if (ps_layout_encode(l, rec, wire, sizeof wire, &len) != 0)
			fail_msg("%s %s: encode failed", what, l->name);
		int rc = ps_layout_decode(l, wire, len, back);
		if (rc != 0)
			fail_msg("%s %s: decode of %zu octets failed: %d", what, l->name, len, rc);
		assert_same_fields(l, rec, back);
		assert_int_equal(ps_layout_encode(l, back, wire2, sizeof wire2, &len2), 0);
		assert_int_equal(len, len2);
		assert_memory_equal(wire, wire2, len);
		if (!ps_layout_variable(l))
			assert_int_equal(len, ps_layout_min_len(l));
		/* every field has a JSON name and the code finds the layout back */
		for (unsigned k = 0; k < l->nfields; k++)
			assert_non_null(l->fields[k].name);
		/* display formats that need their aux have it: a joined field names an earlier field of
		 * the same layout, bit maps and names point at a table */
		for (unsigned k = 0; k < l->nfields; k++) {
			const struct ps_field *f = &l->fields[k];
			if (f->fmt == PS_FMT_JOIN) {
				int owner = f->aux ? ps_layout_field(l, f->aux) : -1;
				if (owner < 0 || (unsigned)owner >= k)
					fail_msg("%s %s: %s joins no earlier field", what, l->name, f->name);
			}
			if ((f->fmt == PS_FMT_COMMANDS || f->fmt == PS_FMT_FEATURES || f->fmt == PS_FMT_STATES ||
			     f->fmt == PS_FMT_COMPANY || f->fmt == PS_FMT_ENUM) && !f->aux)
				fail_msg("%s %s: %s has no name table", what, l->name, f->name);
		}
	}
}

static void test_hci_cmd_every_entry(void **state)
{
	(void)state;
	round_trip_table("hci_cmd", ps_hci_cmd_layouts, ps_hci_cmd_nlayouts);
	for (size_t i = 0; i < ps_hci_cmd_nlayouts; i++)
		assert_ptr_equal(ps_hci_cmd_layout((uint16_t)ps_hci_cmd_layouts[i].code), &ps_hci_cmd_layouts[i]);
}

static void test_hci_rsp_every_entry(void **state)
{
	(void)state;
	round_trip_table("hci_rsp", ps_hci_rsp_layouts, ps_hci_rsp_nlayouts);
	for (size_t i = 0; i < ps_hci_rsp_nlayouts; i++) {
		/* every return-parameter block belongs to a known command and starts with Status */
		assert_non_null(ps_hci_cmd_layout((uint16_t)ps_hci_rsp_layouts[i].code));
		assert_string_equal(ps_hci_rsp_layouts[i].fields[0].name, "status");
	}
}

static void test_hci_evt_every_entry(void **state)
{
	(void)state;
	round_trip_table("hci_evt", ps_hci_evt_layouts, ps_hci_evt_nlayouts);
	for (size_t i = 0; i < ps_hci_evt_nlayouts; i++)
		assert_ptr_equal(ps_hci_evt_layout((uint8_t)ps_hci_evt_layouts[i].code), &ps_hci_evt_layouts[i]);
}

static void test_le_evt_every_entry(void **state)
{
	(void)state;
	round_trip_table("le_evt", ps_le_evt_layouts, ps_le_evt_nlayouts);
	for (size_t i = 0; i < ps_le_evt_nlayouts; i++)
		assert_ptr_equal(ps_le_evt_layout((uint8_t)ps_le_evt_layouts[i].code), &ps_le_evt_layouts[i]);
}

static void test_hci_elem_and_vendor_every_entry(void **state)
{
	(void)state;
	round_trip_table("hci_elem", ps_hci_elem_layouts, ps_hci_elem_nlayouts);
	round_trip_table("hci_vnd", ps_hci_vnd_layouts, ps_hci_vnd_nlayouts);
	assert_non_null(ps_hci_vnd_cmd_layout(15, 0xfc18));
	assert_null(ps_hci_vnd_cmd_layout(2, 0xfc18));
}

static void test_l2cap_every_entry(void **state)
{
	(void)state;
	round_trip_table("l2cap", ps_l2cap_layouts, ps_l2cap_nlayouts);
	/* every LE signaling code of Core 5.4 Vol 3 Part A Table 4.2 */
	static const uint8_t codes[] = { 0x01, 0x06, 0x07, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a };
	for (size_t i = 0; i < sizeof codes; i++)
		assert_non_null(ps_l2cap_layout(codes[i]));
}

static void test_att_every_entry(void **state)
{
	(void)state;
	round_trip_table("att", ps_att_layouts, ps_att_nlayouts);
	static const uint8_t codes[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
					 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x16, 0x17, 0x18,
					 0x19, 0x1b, 0x1d, 0x1e, 0x20, 0x21, 0x23, 0x52, 0xd2 };
	for (size_t i = 0; i < sizeof codes; i++)
		assert_non_null(ps_att_layout(codes[i]));
	assert_null(ps_att_layout(0xf0));
	assert_string_equal(ps_name_of(ps_names_att_opcode, 0x1b), "Handle Value Notification");
}

/* The seed's LE Connection Complete (frame #13) decodes into the generated struct. */
static void test_seed_le_conn_complete(void **state)
{
	(void)state;
	const uint8_t b[] = { 0x00, 0x40, 0x00, 0x00, 0x01, 0xe0, 0xf3, 0x76, 0x4c, 0xa7, 0xd2,
			      0x36, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x00 };
	struct ps_le_evt_conn_complete e;
	assert_int_equal(ps_layout_decode(ps_le_evt_layout(0x01), b, sizeof b, &e), 0);
	assert_int_equal(e.handle, 64);
	assert_int_equal(e.peer_addr_type, 1);
	assert_int_equal(e.peer_addr[5], 0xd2);
	assert_int_equal(e.interval, 0x36);
	assert_int_equal(e.supv_timeout, 0x2a);
	assert_string_equal(ps_name_of(ps_names_role, e.role), "Central");
}

/* Number of Completed Packets with two interleaved handle/count pairs (§7.7.19). */
static void test_nocp_two_handles(void **state)
{
	(void)state;
	const uint8_t b[] = { 0x02, 0x40, 0x00, 0x01, 0x00, 0x41, 0x00, 0x02, 0x00 };
	struct ps_hci_evt_num_completed_packets e;
	struct ps_hci_elem_nocp x;
	assert_int_equal(ps_layout_decode(ps_hci_evt_layout(0x13), b, sizeof b, &e), 0);
	assert_int_equal(e.entries.n, 2);
	assert_int_equal(ps_list_get(&ps_list_nocp, &e.entries, 1, &x), 0);
	assert_int_equal(x.handle, 0x41);
	assert_int_equal(x.count, 2);
	/* a count that promises more than the packet holds is refused */
	assert_int_not_equal(ps_layout_decode(ps_hci_evt_layout(0x13), b, 5, &e), 0);
}

static void test_names_shared(void **state)
{
	(void)state;
	assert_string_equal(ps_name_of(ps_names_hci_error, 0x13), "Remote User Terminated Connection");
	assert_string_equal(ps_company_name(15), "Broadcom Corporation");
	assert_string_equal(ps_company_name(4242), "not assigned");
	assert_string_equal(ps_legacy_name("Central"), "Master");
	assert_null(ps_legacy_name("Reset"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hci_cmd_every_entry),
		cmocka_unit_test(test_hci_rsp_every_entry),
		cmocka_unit_test(test_hci_evt_every_entry),
		cmocka_unit_test(test_le_evt_every_entry),
		cmocka_unit_test(test_hci_elem_and_vendor_every_entry),
		cmocka_unit_test(test_l2cap_every_entry),
		cmocka_unit_test(test_att_every_entry),
		cmocka_unit_test(test_seed_le_conn_complete),
		cmocka_unit_test(test_nocp_two_handles),
		cmocka_unit_test(test_names_shared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
