/* Timestamps: set exact times on files, through links and on the link
 * itself; read them back.
 *! flags: --dir .
 *! native
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void show(const char *what, const char *path, int follow)
{
	struct stat st;

	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) {
		printf("%s: %s\n", what, errname(errno));
		return;
	}
	printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", what, (long long)st.st_atim.tv_sec,
	       st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(void)
{
	struct timespec ts[2] = { { 1000000000, 123456789 }, { 1234567890, 5 } };
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 2000000000, 0 } };
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	struct stat st;
	int fd = open("f", O_CREAT | O_WRONLY, 0644);

	TRY("futimens", futimens(fd, ts));
	show("after futimens", "f", 1);
	TRY("futimens omit atime", futimens(fd, omit));
	show("after omit", "f", 1);
	TRY("futimens bad nsec", futimens(fd, bad));
	close(fd);
	symlink("f", "l");
	TRY("utimensat follow", utimensat(AT_FDCWD, "l", ts, 0));
	show("file via link", "f", 1);
	TRY("utimensat nofollow", utimensat(AT_FDCWD, "l", omit, AT_SYMLINK_NOFOLLOW));
	lstat("l", &st);
	printf("link itself: mtime %lld\n", (long long)st.st_mtim.tv_sec);
	show("file unchanged", "f", 1);
	TRY("utimensat missing", utimensat(AT_FDCWD, "missing", ts, 0));
	return 0;
}
