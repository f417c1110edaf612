/*
 * adapter_check.c: a preview1 program wrapped into a component by the
 * preview1 adapter (adapter.sh) decodes, validates and instantiates.
 *
 *   adapter_check COMPONENT.wasm...
 *
 * For each file: it loads; every import is a wasi: interface; an empty
 * linker cannot instantiate it and says which import is missing; a linker
 * in trap-unknown mode instantiates it; it exports wasi:cli/run with a
 * `run` function, and calling that traps at the first WASI call the
 * adapter makes, naming the wasi: function (no WASI host is linked).
 * Prints one line per check and `N passed, N failed, N skipped`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wrun.h"

static unsigned passed, failed;

static void check(bool ok, const char *file, const char *what, const char *detail)
{
	printf("%s: %s: %s%s%s\n", file, ok ? "ok" : "FAILED", what, detail ? ": " : "",
	       detail ? detail : "");
	if (ok)
		passed++;
	else
		failed++;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	*len = buf ? (size_t)n : 0;
	fclose(fp);
	return buf;
}

/* The name of the component's wasi:cli/run export, or NULL. */
static const char *run_export(const wr_cinstance *in)
{
	for (size_t i = 0; i < wr_cinstance_export_count(in); i++) {
		wr_cextern_info e;
		if (wr_cinstance_export(in, i, &e) && e.sort == WR_CSORT_INSTANCE &&
		    !strncmp(e.name, "wasi:cli/run@0.2.", 17))
			return e.name;
	}
	return NULL;
}

static void check_imports(const char *file, const wr_component *c)
{
	size_t n = wr_component_import_count(c), wasi = 0;
	char msg[64];
	for (size_t i = 0; i < n; i++) {
		wr_cextern_info e;
		if (wr_component_import(c, i, &e) && e.sort == WR_CSORT_INSTANCE &&
		    !strncmp(e.name, "wasi:", 5))
			wasi++;
	}
	snprintf(msg, sizeof(msg), "%zu imports, %zu wasi: instances", n, wasi);
	check(n > 0 && wasi == n, file, "imports", msg);
}

static void check_run(const char *file, wr_cinstance *in)
{
	const char *run = run_export(in);
	check(run != NULL, file, "exports wasi:cli/run@0.2.x", run);
	if (!run)
		return;
	char name[128];
	snprintf(name, sizeof(name), "%s#run", run);
	wr_trap t;
	wr_cval r;
	wr_trapkind k = wr_cinstance_call(in, name, NULL, 0, &r, &t);
	if (k == WR_OK)
		wr_cval_free(&r);
	check(k == WR_TRAP_HOST && strstr(t.message, "unknown import `wasi:") != NULL, file,
	      "run traps at its first WASI call", k == WR_OK ? "returned" : t.message);
}

static void check_file(const char *file)
{
	size_t len;
	unsigned char *bytes = slurp(file, &len);
	wr_diag d = { 0 };
	wr_component *c = bytes ? wr_component_load(bytes, len, &d) : NULL;
	free(bytes);
	check(c != NULL, file, "decodes and validates", c ? NULL : bytes ? d.message : "unreadable");
	if (!c)
		return;
	check_imports(file, c);
	wr_store *s = wr_store_new();
	wr_clinker *l = wr_clinker_new();
	wr_trap t;
	wr_cinstance *in = wr_component_instantiate(s, c, l, &t);
	check(!in && t.kind == WR_TRAP_LINK && strstr(t.message, "`wasi:"), file,
	      "an empty linker names a missing wasi: import", in ? "instantiated" : t.message);
	wr_cinstance_free(in);
	wr_clinker_trap_unknown(l, true);
	in = wr_component_instantiate(s, c, l, &t);
	check(in != NULL, file, "instantiates (unknown imports trap)", in ? NULL : t.message);
	if (in)
		check_run(file, in);
	wr_cinstance_free(in);
	wr_clinker_free(l);
	wr_store_free(s);
	wr_component_free(c);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		check_file(argv[i]);
	printf("%u passed, %u failed, 0 skipped\n", passed, failed);
	return failed || argc < 2;
}
