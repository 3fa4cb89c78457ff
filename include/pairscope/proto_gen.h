/* Expansion helpers for the .def layout tables (see layout.h). A header that declares a protocol's
 * structs does:
 *     #include <pairscope/proto_gen.h>
 *     #define PS_GEN_STRUCTS
 *     #include "smp.def"            (from src/proto, through PS_DEF_PATH)
 * and the protocol's .c file includes the .def twice more with PS_GEN_FIELDS and PS_GEN_TABLE.
 * Members: struct ps_<proto>_<id>, descriptor arrays ps_f_<proto>_<id>, layouts ps_l_<proto>_<id>. */
#ifndef PAIRSCOPE_PROTO_GEN_H
#define PAIRSCOPE_PROTO_GEN_H

#include <pairscope/layout.h>
#include <stddef.h>

#define PS_MEMBER_U8(n) uint8_t n;
#define PS_MEMBER_U16(n) uint16_t n;
#define PS_MEMBER_U24(n) uint32_t n;
#define PS_MEMBER_U32(n) uint32_t n;
#define PS_MEMBER_U40(n) uint64_t n;
#define PS_MEMBER_U48(n) uint64_t n;
#define PS_MEMBER_U64(n) uint64_t n;
#define PS_MEMBER_S8(n) int8_t n;
#define PS_MEMBER_ADDR(n) uint8_t n[6];
#define PS_MEMBER_B3(n) uint8_t n[3];
#define PS_MEMBER_B8(n) uint8_t n[8];
#define PS_MEMBER_B12(n) uint8_t n[12];
#define PS_MEMBER_B16(n) uint8_t n[16];
#define PS_MEMBER_B31(n) uint8_t n[31];
#define PS_MEMBER_B32(n) uint8_t n[32];
#define PS_MEMBER_B64(n) uint8_t n[64];
#define PS_MEMBER_REST(n) struct ps_bytes n;
#define PS_MEMBER_LIST(n) struct ps_list n;

#endif

/* The three expansions. Not include-guarded: each use redefines the macros. */
#undef PS_LAYOUT
#undef PS_F
#undef PS_END
#undef PS_EMPTY

#if defined(PS_GEN_STRUCTS)
#define PS_LAYOUT(p, id, code, label) struct ps_##p##_##id {
#define PS_F(p, id, w, n, label, fmt, aux) PS_MEMBER_##w(n)
#define PS_END(p, id) };
#define PS_EMPTY(p, id, code, label) struct ps_##p##_##id { uint8_t unused_; };
#elif defined(PS_GEN_FIELDS)
#define PS_LAYOUT(p, id, code, label) static const struct ps_field ps_f_##p##_##id[] = {
#define PS_F(p, id, w, n, label, fmt, aux) \
	{ label, #n, (uint16_t)offsetof(struct ps_##p##_##id, n), PS_W_##w, PS_FMT_##fmt, aux },
#define PS_END(p, id) };
#define PS_EMPTY(p, id, code, label)
#elif defined(PS_GEN_TABLE)
#define PS_LAYOUT(p, id, code, label) \
	{ code, label, #id, ps_f_##p##_##id, PS_ARRAY_SIZE(ps_f_##p##_##id), sizeof(struct ps_##p##_##id) },
#define PS_F(p, id, w, n, label, fmt, aux)
#define PS_END(p, id)
#define PS_EMPTY(p, id, code, label) { code, label, #id, NULL, 0, sizeof(struct ps_##p##_##id) },
#elif defined(PS_GEN_CODES)
/* enum { ps_smp_pairing_req_code = 0x01, ... } */
#define PS_LAYOUT(p, id, code, label) ps_##p##_##id##_code = code,
#define PS_F(p, id, w, n, label, fmt, aux)
#define PS_END(p, id)
#define PS_EMPTY(p, id, code, label) ps_##p##_##id##_code = code,
#else
#error "define PS_GEN_STRUCTS, PS_GEN_FIELDS, PS_GEN_TABLE or PS_GEN_CODES before including proto_gen.h"
#endif
#undef PS_GEN_STRUCTS
#undef PS_GEN_FIELDS
#undef PS_GEN_TABLE
#undef PS_GEN_CODES
