/*
 * embed.c: wrun as a library. Loads a module, links its imports of
 * "env" "print" (i32) -> () to a host function, instantiates it, calls one
 * exported function with i32 arguments and prints its i32 results.
 *
 *   cc embed.c $(pkg-config --cflags --libs wrun) -o embed
 *   ./embed fib.wasm fib 20          prints 6765
 *
 * Needs only the installed header, library and pkg-config file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wrun.h>

/* Read a whole file; NULL on failure. */
static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc(n ? (size_t)n : 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The host function behind "env" "print": one i32, no result. */
static wr_trapkind host_print(wr_hostcall *hc, uint64_t *slots, void *user)
{
	(void)hc;
	(void)user;
	printf("print: %d\n", (int32_t)slots[0]);
	return WR_OK;
}

/* An extern for each import: "env" "print" if its type fits, else fail. */
static int link(wr_store *s, const wr_module *m, wr_extern *ext)
{
	static const uint8_t p[] = { WR_I32 };
	const wr_functype type = { .params = p, .nparams = 1 };

	for (size_t i = 0; i < wr_module_import_count(m); i++) {
		wr_import imp;

		wr_module_import(m, i, &imp);
		if (strcmp(imp.module, "env") != 0 || strcmp(imp.name, "print") != 0) {
			fprintf(stderr, "embed: cannot satisfy import %s.%s\n", imp.module, imp.name);
			return -1;
		}
		ext[i].kind = WR_EXTERN_FUNC;
		ext[i].of.func = wr_func_new_host(s, &type, host_print, NULL, "print");
	}
	return 0;
}

/* Call export `name` with the i32 arguments in argv; print the results. */
static int call(wr_instance *inst, const char *name, int argc, char **argv)
{
	wr_value args[16], res[16];
	wr_functype t;
	wr_extern e;
	wr_trap trap;

	if (!wr_instance_export(inst, name, &e) || e.kind != WR_EXTERN_FUNC) {
		fprintf(stderr, "embed: no exported function %s\n", name);
		return 1;
	}
	wr_func_type(e.of.func, &t);
	if (t.nparams != (size_t)argc || t.nparams > 16 || t.nresults > 16) {
		fprintf(stderr, "embed: %s takes %u arguments\n", name, t.nparams);
		return 1;
	}
	for (int i = 0; i < argc; i++)
		args[i] = (wr_value){ .type = WR_I32, .of.i32 = (int32_t)strtol(argv[i], NULL, 0) };
	if (wr_call(e.of.func, args, t.nparams, res, t.nresults, &trap) != WR_OK) {
		fprintf(stderr, "embed: trap: %s\n", trap.message);
		return 1;
	}
	for (size_t i = 0; i < t.nresults; i++)
		printf("%d\n", res[i].of.i32);
	return 0;
}

int main(int argc, char **argv)
{
	wr_extern ext[64];
	wr_diag diag;
	wr_trap trap;
	size_t len;
	uint8_t *bytes;
	wr_module *m;
	wr_store *s;
	wr_instance *inst;
	int rc = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: embed MODULE.wasm FUNCTION [I32...]\n");
		return 2;
	}
	if (!(bytes = read_file(argv[1], &len))) {
		perror(argv[1]);
		return 1;
	}
	if (!(m = wr_module_load(bytes, len, &diag))) {
		fprintf(stderr, "embed: %s: %s (at byte %zu)\n", argv[1], diag.message, diag.offset);
		free(bytes);
		return 1;
	}
	s = wr_store_new();
	if (wr_module_import_count(m) <= 64 && link(s, m, ext) == 0) {
		inst = wr_instantiate(s, m, ext, wr_module_import_count(m), &trap);
		if (inst)
			rc = call(inst, argv[2], argc - 3, argv + 3);
		else
			fprintf(stderr, "embed: cannot instantiate: %s\n", trap.message);
	}
	wr_store_free(s);
	wr_module_free(m);
	free(bytes);
	return rc;
}
