/*
 * wave.h: WAVE, the WebAssembly Value Encoding: component values as text,
 * read and written the way `wasmtime run --invoke 'f(1, "x")'` does.
 *
 * The syntax (one value of a known type):
 *   bool          true, false
 *   integers      decimal: 42, -7 (no sign on unsigned types, no fraction or exponent)
 *   f32, f64      JSON numbers (3.5, -0, 6.02e23), nan, inf, -inf
 *   char          'x', '\n', '\u{1F44B}'
 *   string        "a\tb" or a multi-line """ string; escapes \' \" \\ \t \n \r \u{HEX}
 *                 (1 to 6 hex digits naming a Unicode scalar value)
 *   list          [1, 2, 3]            (a fixed-length list<T, N> takes exactly N)
 *   tuple         (1, "a")
 *   record        {name: "x", size: 3} fields in any order; option fields may be
 *                 left out (none); {:} is a record with every field left out
 *   variant       case or case(payload)
 *   enum          case
 *   option        some(x), none, or x itself when T is not an option or result
 *   result        ok, ok(x), err, err(e), or x itself for ok(x) when the ok type
 *                 is not an option or result
 *   flags         {read, write}, {}
 * Labels (fields, cases, flags) are kebab-case and may be written with a
 * leading %; a case named like a keyword (true false some none ok err inf
 * nan) must be: %none. Whitespace and // comments may separate tokens.
 * Trailing commas are allowed in lists, tuples, records and flags.
 *
 * Resource handles (own, borrow) have no WAVE form. Reading one is refused
 * with an error; they are printed as <own NAME REP> / <borrow NAME REP>
 * (the resource type's name and the handle's representation), which
 * wasmtime, refusing to print them at all, has no form for either, and
 * which no WAVE reader accepts back.
 *
 * Input is untrusted: it must be UTF-8, nesting is limited to
 * WAVE_MAX_DEPTH, and every error is a message that starts with the
 * position of the problem, "column C: ..." (or "line L, column C: ..." in
 * multi-line text; columns count characters from 1).
 */
#ifndef WRUN_COMPONENT_WAVE_H
#define WRUN_COMPONENT_WAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctype.h"
#include "wrun.h"

/* Values nest at most this deep (a list in a list is depth 2). */
#define WAVE_MAX_DEPTH 100

/*
 * Parse text[0..len) as one WAVE value of type into *out. On success *out
 * owns what it holds (free it with wr_cval_free). On failure *out holds
 * nothing to free, and err (when errlen > 0) holds a NUL-terminated message.
 * Values follow wr_cval's conventions (include/wrun.h); a NaN read is the
 * canonical NaN.
 */
bool wave_parse(const char *text, size_t len, const ctype *type, wr_cval *out,
		char *err, size_t errlen);

/* Find an exported function's type by name; NULL if there is none. */
typedef const cfunctype *(*wave_lookup_fn)(void *user, const char *name, size_t len);

/* A parsed invocation. */
typedef struct wave_call {
	char *name;               /* the function name as written, NUL-terminated */
	const cfunctype *type;    /* what lookup returned for it */
	uint32_t nargs;           /* == type->nparams */
	wr_cval *args;            /* nargs values (NULL when nargs is 0) */
} wave_call;

/*
 * Parse an invocation name(arg, ...), as wasmtime's --invoke takes it: the
 * name is what lookup is asked for (any run of printable ASCII other than
 * whitespace, quotes, parentheses and commas, so interface-qualified names
 * such as ns:pkg/iface.f@1.0.0 pass through), then each argument is read
 * with its parameter's type. Parentheses are required even with no
 * arguments (`f()`; a bare `f` is refused, as wasmtime refuses it).
 * Trailing option parameters may be left out and are none. On success the
 * caller frees *out with wave_call_free; on failure *out holds nothing and
 * err a message.
 */
bool wave_parse_call(const char *text, size_t len, wave_lookup_fn lookup, void *user,
		     wave_call *out, char *err, size_t errlen);
void wave_call_free(wave_call *c);

/* wave_print's result when v is not a value of type (or nests too deep). */
#define WAVE_PRINT_ERROR ((size_t)-1)

/*
 * Print v, a value of type, in WAVE as wasmtime prints results: ", "
 * between elements, option fields that are none left out of records,
 * some(x) and ok(x) always spelled out, floats as the shortest decimal
 * that reads back to the same value, written without an exponent
 * (1e21 prints as 1000000000000000000000, 1.5e-7 as 0.00000015), NaN as
 * nan; in chars and strings \t \n \r \\ \" \' are escaped, and control,
 * format, separator, private-use, unassigned and combining characters are
 * written \u{HEX} (Rust's escape_debug, on Unicode 14 data); a string
 * that is not valid UTF-8 shows U+FFFD for each bad byte.
 * Like snprintf: writes at most cap - 1 bytes and a NUL (when cap > 0) and
 * returns the length of the whole text, or WAVE_PRINT_ERROR.
 */
size_t wave_print(const wr_cval *v, const ctype *type, char *buf, size_t cap);

/* The same into a new NUL-terminated string (free it with free); *len (if
 * not NULL) gets its length. NULL on WAVE_PRINT_ERROR or out of memory. */
char *wave_to_string(const wr_cval *v, const ctype *type, size_t *len);

#endif
