/*
 * child_hook.c: the release build's test hooks in the jailed child and in
 * the confined broker, which do nothing.  The test driver links
 * tests/sandbox/child_hook_test.c instead, so no misbehaviour is reachable
 * from the release command line.
 */
#include "sbx_proto.h"

void sbx_child_hook(enum sbx_hook_point where, struct chan *c, const char *hook)
{
}

void sbx_broker_hook(const char *hook)
{
}
