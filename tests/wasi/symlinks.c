/* Symlinks inside the granted tree: create, read, follow, stat the link
 * itself, dangling links, hard links.
 *! flags: --dir .
 *! native
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int main(void)
{
	char buf[64];
	struct stat st;
	ssize_t n;
	int fd;

	mkdir("sub", 0755);
	fd = open("sub/target.txt", O_CREAT | O_WRONLY, 0644);
	write(fd, "target data\n", 12);
	close(fd);
	TRY("symlink rel", symlink("sub/target.txt", "link"));
	TRY("symlink to dir", symlink("sub", "dirlink"));
	TRY("symlink dotdot inside", symlink("../target.txt", "sub/up"));
	TRY("symlink dangling", symlink("nowhere", "dangling"));
	TRY("symlink exists", symlink("x", "link"));
	n = readlink("link", buf, sizeof(buf));
	printf("readlink: %zd [%.*s]\n", n, (int)(n > 0 ? n : 0), buf);
	n = readlink("link", buf, 4);
	printf("readlink short: %zd [%.*s]\n", n, (int)(n > 0 ? n : 0), buf);
	TRY("readlink file", readlink("sub/target.txt", buf, sizeof(buf)));
	TRY("readlink missing", readlink("missing", buf, sizeof(buf)));
	fd = open("link", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	printf("read via link: %zd [%s]\n", read(fd, buf, sizeof(buf) - 1), buf);
	close(fd);
	fd = open("dirlink/target.txt", O_RDONLY);
	printf("open through dir link: %s\n", fd >= 0 ? "OK" : errname(errno));
	close(fd);
	TRY("open via sub/up (inside)", open("sub/up", O_RDONLY));
	TRY("open dangling", open("dangling", O_RDONLY));
	TRY("open nofollow", open("link", O_RDONLY | O_NOFOLLOW));
	TRY("lstat", lstat("link", &st));
	printf("lstat is link: %d size %ld\n", S_ISLNK(st.st_mode), (long)st.st_size);
	TRY("stat", stat("link", &st));
	printf("stat is reg: %d size %ld\n", S_ISREG(st.st_mode), (long)st.st_size);
	TRY("hard link", link("sub/target.txt", "hard"));
	stat("hard", &st);
	printf("nlink: %ld\n", (long)st.st_nlink);
	TRY("hard link exists", link("sub/target.txt", "hard"));
	TRY("hard link dir", link("sub", "subhard"));
	TRY("unlink link", unlink("link"));
	TRY("stat target still there", stat("sub/target.txt", &st));
	TRY("unlink dirlink", unlink("dirlink"));
	TRY("unlink dangling", unlink("dangling"));
	return 0;
}
