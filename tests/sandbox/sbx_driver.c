/*
 * sbx_driver.c: a test-only command that runs a module through sbx_run(),
 * with the same sandbox options as wrun, until src/main.c calls the
 * sandbox itself.  It links the test hooks (child_hook_test.c), so it is
 * never installed.
 *
 *   sbx_driver [--dir H[::G]] [--env N=V] [--tcplisten H:P] [--plain]
 *              [--test-hook NAME] [sandbox options] MODULE.wasm [ARGS...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

#define DRV_MAX 64

/* --env NAME=VALUE, or --env NAME: the host's value if it has one. */
static void drv_env(struct sbx_opts *o, char **env, char *v)
{
	const char *host = getenv(v);
	char *s = v;

	if (!strchr(v, '=')) {
		if (!host || asprintf(&s, "%s=%s", v, host) < 0)
			return;
	}
	env[o->wasi.nenv++] = s;
}

/* Parse one driver-only option; returns entries used or 0. */
static int drv_opt(struct sbx_opts *o, int argc, char **argv, int i, wasi_dir *dirs,
		   char **env, const char **listen)
{
	const char *a = argv[i];
	char *v = i + 1 < argc ? argv[i + 1] : NULL, *sep;

	if (strcmp(a, "--plain") == 0) {
		o->force_plain = true;
		return 1;
	}
	if (!v)
		return 0;
	if (strcmp(a, "--test-hook") == 0)
		o->test_hook = v;
	else if (strcmp(a, "--env") == 0 && o->wasi.nenv < DRV_MAX)
		drv_env(o, env, v);
	else if (strcmp(a, "--tcplisten") == 0 && o->wasi.nlisten < DRV_MAX)
		listen[o->wasi.nlisten++] = v;
	else if (strcmp(a, "--dir") == 0 && o->wasi.ndirs < DRV_MAX) {
		dirs[o->wasi.ndirs].host = dirs[o->wasi.ndirs].guest = v;
		if ((sep = strstr(v, "::"))) {
			*sep = 0;
			dirs[o->wasi.ndirs].guest = sep + 2;
		}
		o->wasi.ndirs++;
	} else
		return 0;
	return 2;
}

int main(int argc, char **argv)
{
	static wasi_dir dirs[DRV_MAX];
	static char *env[DRV_MAX];
	static const char *listen[DRV_MAX];
	struct sbx_opts o;
	char err[256];
	int i, n, exe;

	exe = jail_open_self();
	if (argc > 1 && strcmp(argv[1], SBX_CHILD_FLAG) == 0)
		return sbx_child_main(argc, argv);
	sbx_opts_init(&o);
	o.exe_fd = exe;
	for (i = 1; i < argc && argv[i][0] == '-'; i += n) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		n = sbx_parse_opt(&o, argc, argv, i, err, sizeof(err));
		if (n == 0)
			n = drv_opt(&o, argc, argv, i, dirs, env, listen);
		if (n <= 0) {
			fprintf(stderr, "sbx_driver: %s\n", n < 0 ? err : "bad option");
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "sbx_driver: no module\n");
		return 2;
	}
	o.module = argv[i];
	o.wasi.argc = argc - i;
	o.wasi.argv = argv + i;
	o.wasi.dirs = dirs;
	o.wasi.env = env;
	o.wasi.listen = listen;
	if (o.level == JAIL_NONE) {
		fprintf(stderr, "sbx_driver: --sandbox=none is wrun's own\n");
		return 2;
	}
	return sbx_run(&o);
}
