/*
 * outcome.c: the one mapping from how a run ended to wrun's message and
 * exit status.  The in-process path and the broker both end through it,
 * so the same event reads the same at every level.  Nothing here needs
 * the engine: the broker links it without one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

void run_vset(struct run_outcome *out, enum run_end end, const char *fmt, va_list ap)
{
	out->end = end;
	out->text[0] = '\0';
	if (fmt)
		vsnprintf(out->text, sizeof(out->text), fmt, ap);
}

void run_set(struct run_outcome *out, enum run_end end, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	run_vset(out, end, fmt, ap);
	va_end(ap);
}

/* ---- how a run ends, as the user sees it ---- */

int run_message(const struct run_outcome *o, const struct run_limits *l, char *msg,
		size_t size)
{
	const char *mod = l->module ? l->module : "module";
	unsigned long long v;

	msg[0] = '\0';
	switch (o->end) {
	case RUN_EXIT:
		return o->code & 0xff;
	case RUN_RESULTS:
		return 0;
	case RUN_TRAP:
		snprintf(msg, size, "trap: %s", o->text);
		return EXIT_TRAP;
	case RUN_FUEL:
		v = l->fuel;
		if (o->text[0])
			snprintf(msg, size, "limit reached: fuel exhausted in function %s "
				 "(--fuel %llu)", o->text, v);
		else
			snprintf(msg, size, "limit reached: fuel exhausted (--fuel %llu)", v);
		return EXIT_FUEL;
	case RUN_MEMORY:
		v = l->max_memory;
		if (strcmp(o->text, RUN_GC_FULL) == 0 && v)
			snprintf(msg, size, "limit reached: the GC heap is full: it and the linear "
				 "memories exceed --max-memory (%llu bytes)", v);
		else if (strcmp(o->text, RUN_GC_FULL) == 0)
			snprintf(msg, size, "limit reached: the GC heap is full (at most %u MiB)",
				 RUN_GC_MAX_MIB);
		else
			snprintf(msg, size, "limit reached: the module's initial memory exceeds "
			 "--max-memory (%llu bytes)", v);
		return EXIT_MEMORY;
	case RUN_TIMEOUT:
		v = l->timeout_ms;
		snprintf(msg, size, "limit reached: wall-clock timeout of %llu ms (--timeout)", v);
		return EXIT_TIMEOUT;
	case RUN_OPEN:
		snprintf(msg, size, "limit reached: more than %u open handles (--max-open)",
			 l->max_open);
		return EXIT_OPEN;
	case RUN_OUTPUT:
		v = l->max_output;
		snprintf(msg, size, "limit reached: more than %llu bytes of output "
			 "(--max-output)", v);
		return EXIT_OUTPUT;
	case RUN_LOAD:
		v = o->detail;
		snprintf(msg, size, "%s: %s at offset %llu", mod, o->text, v);
		return EXIT_WRUN_ERROR;
	case RUN_LINK:
		snprintf(msg, size, "%s: %s", mod, o->text);
		return EXIT_WRUN_ERROR;
	case RUN_NOSTART:
		if (o->text[0])	/* a component's own reason */
			snprintf(msg, size, "%s: %s", mod, o->text);
		else
			snprintf(msg, size, "%s: not a command (no _start export); use --invoke NAME",
				 mod);
		return EXIT_WRUN_ERROR;
	case RUN_USAGE:
		snprintf(msg, size, "%s", o->text);
		return EXIT_USAGE;
	case RUN_NOMEM:
		snprintf(msg, size, "out of memory");
		return EXIT_WRUN_ERROR;
	case RUN_CRASH:
		snprintf(msg, size, "%s", o->text);
		return EXIT_CRASH;
	case RUN_VIOLATION:
		snprintf(msg, size, "sandbox violation: %s", o->text);
		return EXIT_SANDBOX;
	default:
		snprintf(msg, size, "%s", o->text[0] ? o->text : "internal error");
		return EXIT_WRUN_ERROR;
	}
}

bool run_write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		s += n;
		len -= (size_t)n;
	}
	return true;
}

int run_line(const struct run_outcome *o, const struct run_limits *l, char *line,
	     size_t size)
{
	char msg[RUN_TEXT_MAX + 256];
	int code = run_message(o, l, msg, sizeof(msg));

	line[0] = '\0';
	if (msg[0])
		snprintf(line, size, "wrun: %s\n", msg);
	return code;
}

int run_report(const struct run_outcome *o, const struct run_limits *l)
{
	char line[RUN_TEXT_MAX + 264];
	int code = run_line(o, l, line, sizeof(line));

	fflush(stdout);
	if (o->end == RUN_RESULTS && !run_write_all(STDOUT_FILENO, o->text, strlen(o->text))) {
		struct run_outcome e;

		run_set(&e, RUN_ERROR, "--invoke: cannot print the results");
		return run_report(&e, l);
	}
	run_write_all(STDERR_FILENO, line, strlen(line));
	return code;
}
