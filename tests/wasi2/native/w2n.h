/*
 * w2n.h: the WASI 0.2 imports of the native test components, declared by
 * hand with the canonical ABI's flattened signatures (wasm32): a resource
 * handle, a bool, an enum, flags and u8/u32 are i32, u64 is i64, a string
 * or list argument is (pointer, length), and a result that flattens to more
 * than one value is written through a last "return area" pointer.  WV is
 * the WASI version the imports name (0.2.0 unless the build says).
 */
#ifndef W2N_H
#define W2N_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef WV
#define WV "0.2.0"
#endif

#define IMP(iface, name) \
	__attribute__((import_module(iface "@" WV), import_name(name)))

typedef int32_t h32;	/* a resource handle */

/* wasi:io/error */
IMP("wasi:io/error", "[method]error.to-debug-string") void io_err_debug(h32, void *ret);
IMP("wasi:io/error", "[resource-drop]error") void io_err_drop(h32);

/* wasi:io/poll */
IMP("wasi:io/poll", "[method]pollable.ready") int32_t poll_ready(h32);
IMP("wasi:io/poll", "[method]pollable.block") void poll_block(h32);
IMP("wasi:io/poll", "poll") void poll_list(const h32 *in, size_t n, void *ret);
IMP("wasi:io/poll", "[resource-drop]pollable") void poll_drop(h32);

/* wasi:io/streams: results land in struct w2_res */
IMP("wasi:io/streams", "[method]input-stream.read") void in_read(h32, uint64_t, void *ret);
IMP("wasi:io/streams", "[method]input-stream.blocking-read") void in_bread(h32, uint64_t, void *ret);
IMP("wasi:io/streams", "[method]input-stream.skip") void in_skip(h32, uint64_t, void *ret);
IMP("wasi:io/streams", "[method]input-stream.blocking-skip") void in_bskip(h32, uint64_t, void *ret);
IMP("wasi:io/streams", "[method]input-stream.subscribe") h32 in_subscribe(h32);
IMP("wasi:io/streams", "[resource-drop]input-stream") void in_drop(h32);
IMP("wasi:io/streams", "[method]output-stream.check-write") void out_check(h32, void *ret);
IMP("wasi:io/streams", "[method]output-stream.write") void out_write(h32, const void *, size_t, void *ret);
IMP("wasi:io/streams", "[method]output-stream.blocking-write-and-flush")
void out_bwrite(h32, const void *, size_t, void *ret);
IMP("wasi:io/streams", "[method]output-stream.flush") void out_flush(h32, void *ret);
IMP("wasi:io/streams", "[method]output-stream.blocking-flush") void out_bflush(h32, void *ret);
IMP("wasi:io/streams", "[method]output-stream.subscribe") h32 out_subscribe(h32);
IMP("wasi:io/streams", "[method]output-stream.write-zeroes") void out_zeroes(h32, uint64_t, void *ret);
IMP("wasi:io/streams", "[method]output-stream.blocking-write-zeroes-and-flush")
void out_bzeroes(h32, uint64_t, void *ret);
IMP("wasi:io/streams", "[method]output-stream.splice") void out_splice(h32, h32, uint64_t, void *ret);
IMP("wasi:io/streams", "[method]output-stream.blocking-splice")
void out_bsplice(h32, h32, uint64_t, void *ret);
IMP("wasi:io/streams", "[resource-drop]output-stream") void out_drop(h32);

/* wasi:cli */
IMP("wasi:cli/environment", "get-environment") void cli_env(void *ret);
IMP("wasi:cli/environment", "get-arguments") void cli_args(void *ret);
IMP("wasi:cli/environment", "initial-cwd") void cli_cwd(void *ret);
IMP("wasi:cli/exit", "exit") void cli_exit(int32_t is_err);
IMP("wasi:cli/exit", "exit-with-code") void cli_exit_code(int32_t code);
IMP("wasi:cli/stdin", "get-stdin") h32 cli_stdin(void);
IMP("wasi:cli/stdout", "get-stdout") h32 cli_stdout(void);
IMP("wasi:cli/stderr", "get-stderr") h32 cli_stderr(void);
IMP("wasi:cli/terminal-stdin", "get-terminal-stdin") void cli_term_in(void *ret);
IMP("wasi:cli/terminal-stdout", "get-terminal-stdout") void cli_term_out(void *ret);
IMP("wasi:cli/terminal-stderr", "get-terminal-stderr") void cli_term_err(void *ret);
IMP("wasi:cli/terminal-input", "[resource-drop]terminal-input") void term_in_drop(h32);
IMP("wasi:cli/terminal-output", "[resource-drop]terminal-output") void term_out_drop(h32);

/* wasi:clocks */
IMP("wasi:clocks/monotonic-clock", "now") uint64_t mono_now(void);
IMP("wasi:clocks/monotonic-clock", "resolution") uint64_t mono_res(void);
IMP("wasi:clocks/monotonic-clock", "subscribe-instant") h32 mono_at(uint64_t);
IMP("wasi:clocks/monotonic-clock", "subscribe-duration") h32 mono_after(uint64_t);
IMP("wasi:clocks/wall-clock", "now") void wall_now(void *ret);
IMP("wasi:clocks/wall-clock", "resolution") void wall_res(void *ret);

/* wasi:random */
IMP("wasi:random/random", "get-random-bytes") void rnd_bytes(uint64_t, void *ret);
IMP("wasi:random/random", "get-random-u64") uint64_t rnd_u64(void);
IMP("wasi:random/insecure", "get-insecure-random-bytes") void ins_bytes(uint64_t, void *ret);
IMP("wasi:random/insecure", "get-insecure-random-u64") uint64_t ins_u64(void);
IMP("wasi:random/insecure-seed", "insecure-seed") void ins_seed(void *ret);

/* wasi:filesystem */
#define FS "wasi:filesystem/types"
IMP("wasi:filesystem/preopens", "get-directories") void fs_preopens(void *ret);
IMP(FS, "[method]descriptor.read-via-stream") void fs_read_stream(h32, uint64_t, void *ret);
IMP(FS, "[method]descriptor.write-via-stream") void fs_write_stream(h32, uint64_t, void *ret);
IMP(FS, "[method]descriptor.append-via-stream") void fs_append_stream(h32, void *ret);
IMP(FS, "[method]descriptor.get-type") void fs_get_type(h32, void *ret);
IMP(FS, "[method]descriptor.get-flags") void fs_get_flags(h32, void *ret);
IMP(FS, "[method]descriptor.set-size") void fs_set_size(h32, uint64_t, void *ret);
IMP(FS, "[method]descriptor.read") void fs_read(h32, uint64_t len, uint64_t off, void *ret);
IMP(FS, "[method]descriptor.write") void fs_write(h32, const void *, size_t, uint64_t off, void *ret);
IMP(FS, "[method]descriptor.read-directory") void fs_readdir(h32, void *ret);
IMP(FS, "[method]descriptor.sync") void fs_sync(h32, void *ret);
IMP(FS, "[method]descriptor.sync-data") void fs_sync_data(h32, void *ret);
IMP(FS, "[method]descriptor.advise") void fs_advise(h32, uint64_t, uint64_t, int32_t, void *ret);
/* new-timestamp flattens to (case, seconds, nanoseconds) */
IMP(FS, "[method]descriptor.set-times")
void fs_set_times(h32, int32_t, uint64_t, int32_t, int32_t, uint64_t, int32_t, void *ret);
IMP(FS, "[method]descriptor.set-times-at")
void fs_set_times_at(h32, int32_t pf, const char *, size_t, int32_t, uint64_t, int32_t, int32_t,
		     uint64_t, int32_t, void *ret);
IMP(FS, "[method]descriptor.create-directory-at") void fs_mkdir(h32, const char *, size_t, void *ret);
IMP(FS, "[method]descriptor.stat") void fs_stat(h32, void *ret);
IMP(FS, "[method]descriptor.stat-at") void fs_stat_at(h32, int32_t pf, const char *, size_t, void *ret);
IMP(FS, "[method]descriptor.link-at")
void fs_link(h32, int32_t pf, const char *, size_t, h32, const char *, size_t, void *ret);
IMP(FS, "[method]descriptor.open-at")
void fs_open(h32, int32_t pf, const char *, size_t, int32_t of, int32_t df, void *ret);
IMP(FS, "[method]descriptor.readlink-at") void fs_readlink(h32, const char *, size_t, void *ret);
IMP(FS, "[method]descriptor.remove-directory-at") void fs_rmdir(h32, const char *, size_t, void *ret);
IMP(FS, "[method]descriptor.rename-at")
void fs_rename(h32, const char *, size_t, h32, const char *, size_t, void *ret);
IMP(FS, "[method]descriptor.symlink-at")
void fs_symlink(h32, const char *, size_t, const char *, size_t, void *ret);
IMP(FS, "[method]descriptor.unlink-file-at") void fs_unlink(h32, const char *, size_t, void *ret);
IMP(FS, "[method]descriptor.is-same-object") int32_t fs_same(h32, h32);
IMP(FS, "[method]descriptor.metadata-hash") void fs_hash(h32, void *ret);
IMP(FS, "[method]descriptor.metadata-hash-at") void fs_hash_at(h32, int32_t pf, const char *, size_t, void *ret);
IMP(FS, "[method]directory-entry-stream.read-directory-entry") void fs_next_entry(h32, void *ret);
IMP(FS, "filesystem-error-code") void fs_error_code(h32, void *ret);
IMP(FS, "[resource-drop]descriptor") void fs_drop(h32);
IMP(FS, "[resource-drop]directory-entry-stream") void fs_dir_drop(h32);

/* new-timestamp cases */
#define TS_NO_CHANGE 0
#define TS_NOW 1
#define TS_AT 2

/* path-flags, open-flags, descriptor-flags */
#define PF_FOLLOW 1
#define OF_CREATE 1
#define OF_DIRECTORY 2
#define OF_EXCLUSIVE 4
#define OF_TRUNCATE 8
#define DF_READ 1
#define DF_WRITE 2
#define DF_MUTATE_DIR 32

/* A return area big enough, and aligned, for every result above. */
typedef union {
	uint8_t b[128];
	uint64_t align;
} w2_ret;

#define R8(r, off) (*(uint8_t *)((r).b + (off)))
#define R32(r, off) (*(uint32_t *)((r).b + (off)))
#define R64(r, off) (*(uint64_t *)((r).b + (off)))

#endif
