/*
 * seccomp_rules.h: the jailed child's filter as libseccomp rules, used at
 * build time only (gen/sec_gen.c); wrun loads the compiled program.
 */
#ifndef WRUN_SECCOMP_RULES_H
#define WRUN_SECCOMP_RULES_H

#include <seccomp.h>

int sec_build(scmp_filter_ctx ctx);

#endif
