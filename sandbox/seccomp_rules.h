/*
 * seccomp_rules.h: the jailed child's filter (seccomp_rules.c) and the
 * broker's own (seccomp_broker_rules.c) as libseccomp rules, used at build
 * time only (gen/sec_gen.c); wrun loads the compiled programs.
 */
#ifndef WRUN_SECCOMP_RULES_H
#define WRUN_SECCOMP_RULES_H

#include <seccomp.h>

int sec_build(scmp_filter_ctx ctx);
int sec_build_broker(scmp_filter_ctx ctx);		/* -S inherit-network */
int sec_build_broker_local(scmp_filter_ctx ctx);	/* without: no bind, connect, listen */

#endif
