/*
 * sbx_cli.c: the command-line options of the sandbox, parsed in one place
 * for the wrun command and the test driver.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

const char sbx_usage_text[] =
	"  --sandbox=LEVEL        full (default), seccomp or none; see wrun-sandbox(7)\n"
	"  --sandbox-fallback     let full become seccomp where user namespaces are refused\n"
	"  --max-memory=SIZE      linear memory limit (K, M, G suffixes); grow beyond fails\n"
	"  --timeout=TIME         wall-clock limit (ms, s suffixes; default s)\n"
	"  --fuel=N               instruction budget\n"
	"  --max-open=N           handles the guest may open beyond those it starts with\n"
	"  --max-output=SIZE      bytes the guest may write to stdout and stderr\n"
	"  --audit=FILE           append one JSON line per brokered call to FILE, with a\n"
	"                         first (module, grants) and a last (outcome) record\n"
	"  --audit-truncate       empty the --audit FILE first instead of appending\n";

void sbx_opts_init(struct sbx_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->level = JAIL_FULL;
	o->exe_fd = -1;
}

struct run_limits sbx_limits(const struct sbx_opts *o)
{
	return (struct run_limits){ .module = o->module, .fuel = o->fuel,
				    .max_memory = o->max_memory, .timeout_ms = o->timeout_ms,
				    .max_output = o->wasi.max_output, .max_open = o->wasi.max_open };
}

/* A decimal number with an optional unit from units[] ("K" -> 1024...). */
static int sbx_parse_num(const char *s, const char *const *units, const uint64_t *mult,
			 uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	for (size_t i = 0; units[i]; i++) {
		if (strcasecmp(end, units[i]) != 0)
			continue;
		if (mult[i] && v > UINT64_MAX / mult[i])
			return -1;
		*out = v * mult[i];
		return 0;
	}
	return -1;
}

static int sbx_parse_size(const char *s, uint64_t *out)
{
	static const char *const u[] = { "", "K", "KiB", "M", "MiB", "G", "GiB", NULL };
	static const uint64_t m[] = { 1, 1 << 10, 1 << 10, 1 << 20, 1 << 20, 1 << 30, 1 << 30 };

	return sbx_parse_num(s, u, m, out);
}

static int sbx_parse_ms(const char *s, uint64_t *out)
{
	static const char *const u[] = { "", "s", "ms", NULL };
	static const uint64_t m[] = { 1000, 1000, 1 };

	return sbx_parse_num(s, u, m, out);
}

/* Which option argv[i] is: its value (or "" for a flag) and entries used. */
static const char *sbx_value(int argc, char **argv, int i, const char *name, bool flag,
			     int *used)
{
	const char *a = argv[i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return NULL;
	if (flag && a[n] == 0) {
		*used = 1;
		return "";
	}
	if (!flag && a[n] == '=') {
		*used = 1;
		return a + n + 1;
	}
	if (!flag && a[n] == 0 && i + 1 < argc) {
		*used = 2;
		return argv[i + 1];
	}
	return NULL;
}

/* Apply a numeric option; -1 with a message when the value is bad. */
static int sbx_set_num(const char *name, const char *v, int (*parse)(const char *, uint64_t *),
		       uint64_t *dst, char *err, size_t errlen)
{
	if (parse(v, dst) < 0 || *dst == 0) {
		snprintf(err, errlen, "%s: bad value '%s'", name, v);
		return -1;
	}
	return 0;
}

/* The unit-less integer form for --fuel and --max-open. */
static int sbx_parse_count(const char *s, uint64_t *out)
{
	static const char *const u[] = { "", NULL };
	static const uint64_t m[] = { 1 };

	return sbx_parse_num(s, u, m, out);
}

int sbx_parse_opt(struct sbx_opts *o, int argc, char **argv, int i, char *err,
		  size_t errlen)
{
	const char *v;
	uint64_t n = 0;
	int used = 0, r = 0;

	if ((v = sbx_value(argc, argv, i, "--sandbox-fallback", true, &used))) {
		o->allow_fallback = true;
	} else if ((v = sbx_value(argc, argv, i, "--sandbox", false, &used))) {
		if (jail_level_parse(v, &o->level) < 0) {
			snprintf(err, errlen, "--sandbox: unknown level '%s' (full, seccomp "
				 "or none)", v);
			return -1;
		}
	} else if ((v = sbx_value(argc, argv, i, "--max-memory", false, &used))) {
		r = sbx_set_num("--max-memory", v, sbx_parse_size, &o->max_memory, err, errlen);
	} else if ((v = sbx_value(argc, argv, i, "--timeout", false, &used))) {
		r = sbx_set_num("--timeout", v, sbx_parse_ms, &o->timeout_ms, err, errlen);
	} else if ((v = sbx_value(argc, argv, i, "--fuel", false, &used))) {
		r = sbx_set_num("--fuel", v, sbx_parse_count, &o->fuel, err, errlen);
	} else if ((v = sbx_value(argc, argv, i, "--max-open", false, &used))) {
		r = sbx_set_num("--max-open", v, sbx_parse_count, &n, err, errlen);
		if (r == 0 && n > UINT32_MAX)
			n = UINT32_MAX;
		o->wasi.max_open = (uint32_t)n;
	} else if ((v = sbx_value(argc, argv, i, "--max-output", false, &used))) {
		r = sbx_set_num("--max-output", v, sbx_parse_size, &o->wasi.max_output, err, errlen);
	} else if ((v = sbx_value(argc, argv, i, "--audit-truncate", true, &used))) {
		o->audit_truncate = true;
	} else if ((v = sbx_value(argc, argv, i, "--audit", false, &used))) {
		o->audit = v;
	}
	return r < 0 ? -1 : used;
}
