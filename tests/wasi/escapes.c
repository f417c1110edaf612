/* Every way out of a granted directory is refused with ENOTCAPABLE:
 * "..", absolute paths, symlinks leading out (relative, absolute, chained,
 * through /proc), and every leaf operation aimed outside. Creating a
 * symlink with an absolute target is refused with EPERM.
 *! flags: --dir box::.
 *! setup: mkdir box box/sub outside && echo secret > outside/secret && ln -s ../outside box/rel_out && ln -s /etc box/abs_out && ln -s sub/../../outside box/chain_out && ln -s rel_out box/link_to_link && ln -s /proc/self/fd/3 box/proc_fd && echo in > box/sub/inside
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <wasi/api.h>

#include "common.h"

/* Absolute paths never reach wrun through the C library (it resolves
 * them against preopen names itself), so ask the WASI functions directly
 * on the preopened fd 3. */
static void raw_absolute(void)
{
	__wasi_fd_t fd;

	printf("raw path_open /etc/passwd: %s\n",
	       errname(__wasi_path_open(3, 0, "/etc/passwd", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd)));
	printf("raw path_open /: %s\n",
	       errname(__wasi_path_open(3, 0, "/", 0, 0, 0, 0, &fd)));
	printf("raw path_create_directory /tmp/x: %s\n",
	       errname(__wasi_path_create_directory(3, "/tmp/x")));
	printf("raw path_create_directory ..: %s\n",
	       errname(__wasi_path_create_directory(3, "..")));
	printf("raw path_create_directory sub/..: %s\n",
	       errname(__wasi_path_create_directory(3, "sub/..")));
	printf("raw path_unlink_file ../outside/secret: %s\n",
	       errname(__wasi_path_unlink_file(3, "../outside/secret")));
	printf("raw path_remove_directory .: %s\n",
	       errname(__wasi_path_remove_directory(3, ".")));
}

int main(void)
{
	struct stat st;
	char buf[64];

	TRY("open ../outside/secret", open("../outside/secret", O_RDONLY));
	TRY("open sub/../../outside/secret", open("sub/../../outside/secret", O_RDONLY));
	TRY("open sub/../sub/inside (stays in)", open("sub/../sub/inside", O_RDONLY));
	TRY("open rel_out/secret", open("rel_out/secret", O_RDONLY));
	TRY("open abs_out/passwd", open("abs_out/passwd", O_RDONLY));
	TRY("open chain_out/secret", open("chain_out/secret", O_RDONLY));
	TRY("open link_to_link/secret", open("link_to_link/secret", O_RDONLY));
	TRY("open proc_fd", open("proc_fd", O_RDONLY));
	TRY("stat ..", stat("..", &st));
	TRY("stat rel_out (follow)", stat("rel_out", &st));
	TRY("lstat rel_out (link itself)", lstat("rel_out", &st));
	TRY("readlink rel_out (text only)", readlink("rel_out", buf, sizeof(buf)));
	TRY("opendir ..", (long)(opendir("..") ? 0 : -1));
	TRY("mkdir ../x", mkdir("../x", 0755));
	TRY("mkdir rel_out/x", mkdir("rel_out/x", 0755));
	TRY("unlink ../outside/secret", unlink("../outside/secret"));
	TRY("unlink rel_out/secret", unlink("rel_out/secret"));
	TRY("rmdir ../outside", rmdir("../outside"));
	TRY("rmdir ..", rmdir(".."));
	TRY("rename sub/inside ../stolen", rename("sub/inside", "../stolen"));
	TRY("rename ../outside/secret mine", rename("../outside/secret", "mine"));
	TRY("rename into rel_out/", rename("sub/inside", "rel_out/stolen"));
	TRY("link ../outside/secret", link("../outside/secret", "mine"));
	TRY("link to ../x", link("sub/inside", "../x"));
	TRY("symlink at ../x", symlink("sub", "../x"));
	TRY("symlink absolute target", symlink("/etc/passwd", "pw"));
	TRY("symlink relative target out (allowed)", symlink("../outside/secret", "out2"));
	TRY("open the new out2", open("out2", O_RDONLY));
	TRY("creat through rel_out", open("rel_out/new", O_CREAT | O_WRONLY, 0644));
	TRY("creat ../new", open("../new", O_CREAT | O_WRONLY, 0644));
	TRY("truncate rel_out/secret", truncate("rel_out/secret", 0));
	TRY("utimensat rel_out/secret", utimensat(AT_FDCWD, "rel_out/secret", NULL, 0));
	TRY("access ../outside", access("../outside", F_OK));
	raw_absolute();
	return 0;
}
