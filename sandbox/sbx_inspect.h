/*
 * sbx_inspect.h: `wrun inspect FILE [--json]` (src/run/inspect.h), parsed
 * where a run would parse it: in-process at --sandbox=none, else in a
 * jailed child at the level asked for, which writes the description into
 * a shared memfd that this side checks and copies to stdout.
 */
#ifndef WRUN_SBX_INSPECT_H
#define WRUN_SBX_INSPECT_H

/* argv[1] of the re-executed inspecting child. */
#define SBX_INSPECT_FLAG "--jail-inspect"

/* `wrun inspect ...` (argv[1] is "inspect"): wrun's exit status. exe_fd:
 * jail_open_self(), or -1. */
int sbx_inspect_main(int argc, char **argv, int exe_fd);
/* The jailed child (argv[1] is SBX_INSPECT_FLAG); does not return. */
int sbx_inspect_child(int argc, char **argv);

#endif
