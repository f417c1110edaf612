/*
 * brk_json.h: the audit log's JSON line builder (brk_json.c).
 *
 * A struct jline appends into [p, p + cap) and counts every byte it was
 * asked for, stored or not: when n ends above cap the line did not fit
 * and nothing of it may be written (jl_fits).  With p NULL and cap 0 it
 * only measures.  Nothing here allocates or calls into stdio, so the
 * builder may run in a signal handler on a buffer of the handler's own.
 */
#ifndef WRUN_BRK_JSON_H
#define WRUN_BRK_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jline {
	char *p;
	size_t n, cap;
	char last;		/* the last byte asked for: '{' or '[' opens */
};

/* Worst-case bytes jl_field() writes for a value of len bytes and its key. */
#define JL_FIELD_MAX(len, keylen)	(8 * (size_t)(len) + 2 * (keylen) + 16)

void jl_raw(struct jline *l, const char *s, size_t len);
void jl_lit(struct jline *l, const char *s);
void jl_u64(struct jline *l, uint64_t v);
void jl_key(struct jline *l, const char *key);
void jl_kv_u64(struct jline *l, const char *key, uint64_t v);
void jl_kv_bool(struct jline *l, const char *key, bool v);
void jl_kv_lit(struct jline *l, const char *key, const char *ascii);
bool jl_str(struct jline *l, const uint8_t *s, size_t len);
void jl_hex(struct jline *l, const uint8_t *s, size_t len);
void jl_field(struct jline *l, const char *key, const uint8_t *s, size_t len);
void jl_field_c(struct jline *l, const char *key, const char *s);
bool jl_fits(const struct jline *l);

#endif
