/*
 * wasi_fns.h: the 46 functions of wasi_snapshot_preview1, one row each:
 * WASI_X(name, parameter signature). One letter per parameter: 'i' for an
 * i32 (pointers, lengths, fds, flags), 'l' for an i64. Every function
 * returns an i32 errno, except proc_exit, which returns nothing.
 *
 * Include this file with WASI_X defined; it generates the function numbers
 * (wasi.h), the names and signatures, the import types and the dispatch.
 *
 * After the 46 come wrun's own operations, which WASI 0.2 is built on: the
 * network ones (module "wrun:net", src/wasi/wasi_net.c) and the one that
 * makes a stream or pollable of a handle (module "wrun:res",
 * src/wasi/wasi_res.c).  The broker executes them as it does the preview1
 * calls.  Only the WASI 0.2 host's bridge imports them (run_link's ext); a
 * module cannot.
 */
WASI_X(args_get, "ii")
WASI_X(args_sizes_get, "ii")
WASI_X(environ_get, "ii")
WASI_X(environ_sizes_get, "ii")
WASI_X(clock_res_get, "ii")
WASI_X(clock_time_get, "ili")
WASI_X(fd_advise, "illi")
WASI_X(fd_allocate, "ill")
WASI_X(fd_close, "i")
WASI_X(fd_datasync, "i")
WASI_X(fd_fdstat_get, "ii")
WASI_X(fd_fdstat_set_flags, "ii")
WASI_X(fd_fdstat_set_rights, "ill")
WASI_X(fd_filestat_get, "ii")
WASI_X(fd_filestat_set_size, "il")
WASI_X(fd_filestat_set_times, "illi")
WASI_X(fd_pread, "iiili")
WASI_X(fd_prestat_get, "ii")
WASI_X(fd_prestat_dir_name, "iii")
WASI_X(fd_pwrite, "iiili")
WASI_X(fd_read, "iiii")
WASI_X(fd_readdir, "iiili")
WASI_X(fd_renumber, "ii")
WASI_X(fd_seek, "ilii")
WASI_X(fd_sync, "i")
WASI_X(fd_tell, "ii")
WASI_X(fd_write, "iiii")
WASI_X(path_create_directory, "iii")
WASI_X(path_filestat_get, "iiiii")
WASI_X(path_filestat_set_times, "iiiilli")
WASI_X(path_link, "iiiiiii")
WASI_X(path_open, "iiiiillii")
WASI_X(path_readlink, "iiiiii")
WASI_X(path_remove_directory, "iii")
WASI_X(path_rename, "iiiiii")
WASI_X(path_symlink, "iiiii")
WASI_X(path_unlink_file, "iii")
WASI_X(poll_oneoff, "iiii")
WASI_X(proc_exit, "i")
WASI_X(proc_raise, "i")
WASI_X(sched_yield, "")
WASI_X(random_get, "ii")
WASI_X(sock_accept, "iii")
WASI_X(sock_recv, "iiiiii")
WASI_X(sock_send, "iiiii")
WASI_X(sock_shutdown, "ii")
WASI_X(net_socket, "iii")
WASI_X(net_bind, "ii")
WASI_X(net_connect, "ii")
WASI_X(net_listen, "ii")
WASI_X(net_addr, "iii")
WASI_X(net_getopt, "iii")
WASI_X(net_setopt, "iil")
WASI_X(net_recvfrom, "iiiii")
WASI_X(net_sendto, "iiiii")
WASI_X(net_resolve, "iiiii")
WASI_X(res_derive, "iii")
