/*
 * fuzz_inspect.c: `wrun inspect`'s description (src/run/inspect.c) of any
 * bytes, core module or component, as text and as JSON.  Besides what
 * the sanitizers see, every description must be printable ASCII ending
 * with a newline (every name from the file escaped), a JSON one a single
 * line from '{' to "}\n"; a failure must leave the outcome's text
 * NUL-terminated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"
#include "wrun.h"

static void fuzz_check(const struct inspect_buf *b, const struct run_outcome *out, bool json)
{
	if (out->end != RUN_EXIT) {
		if (strnlen(out->text, sizeof(out->text)) == sizeof(out->text))
			abort();
		return;
	}
	if (b->len == 0 || b->p[b->len - 1] != '\n')
		abort();
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->p[i];

		if ((c < 0x20 && c != '\n') || c >= 0x7f)
			abort();
		if (json && c == '\n' && i != b->len - 1)
			abort();
	}
	if (json && (b->p[0] != '{' || b->len < 3 || b->p[b->len - 2] != '}'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool inited;
	static struct run_outcome out;

	if (!inited) {
		wr_runtime_init();
		inited = true;
	}
	for (int json = 0; json < 2; json++) {
		struct inspect_buf b = { 0 };

		inspect_describe(data, size, "fuzz.wasm", json, &b, &out);
		fuzz_check(&b, &out, json);
		inspect_buf_free(&b);
	}
	return 0;
}
