/*
 * inspect.h: `wrun inspect`, what a module or component asks for.
 *
 * inspect_describe() loads the bytes (a core module or a component) and
 * writes what they import and export, as text or as JSON (the schema is
 * in wrun(1)), into a growing buffer.  It runs where a run would load the
 * module: in-process at --sandbox=none, in the jailed child otherwise
 * (sandbox/sbx_inspect.c); the broker only copies the result out.
 */
#ifndef WRUN_INSPECT_H
#define WRUN_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run.h"

/* Output, grown on demand; oom once an allocation failed. */
struct inspect_buf {
	char *p;
	size_t len, cap;
	bool oom;
};

/*
 * Describe bytes (file: the path shown).  out->end is RUN_EXIT with code
 * 0 when b holds the description; RUN_LOAD (text and detail: the reason
 * and byte offset) for a malformed or invalid file; RUN_NOMEM.
 */
void inspect_describe(const uint8_t *bytes, size_t len, const char *file, bool json,
		      struct inspect_buf *b, struct run_outcome *out);

void inspect_buf_free(struct inspect_buf *b);

#endif
