/*
 * oci_signal.c: signal names and numbers as engines give them to kill
 * ("SIGTERM", "TERM", "15", "RTMIN+3").
 */
#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "oci.h"

static const struct { const char *name; int sig; } oci_sigs[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
	{ "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "IO", SIGIO }, { "POLL", SIGPOLL }, { "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

/* A decimal number in [lo, hi], or -1. */
static int oci_num(const char *s, int lo, int hi)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	return *end || v < lo || v > hi ? -1 : (int)v;
}

int oci_signal_parse(const char *s)
{
	int n = oci_num(s, 1, SIGRTMAX);

	if (n > 0)
		return n;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(oci_sigs) / sizeof(oci_sigs[0]); i++)
		if (strcasecmp(s, oci_sigs[i].name) == 0)
			return oci_sigs[i].sig;
	if (strncasecmp(s, "RTMIN", 5) == 0) {
		n = s[5] ? (s[5] == '+' ? oci_num(s + 6, 0, SIGRTMAX - SIGRTMIN) : -1) : 0;
		return n < 0 ? -1 : SIGRTMIN + n;
	}
	if (strncasecmp(s, "RTMAX", 5) == 0) {
		n = s[5] ? (s[5] == '-' ? oci_num(s + 6, 0, SIGRTMAX - SIGRTMIN) : -1) : 0;
		return n < 0 ? -1 : SIGRTMAX - n;
	}
	return -1;
}
