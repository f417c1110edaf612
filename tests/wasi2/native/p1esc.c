/*
 * p1esc.c: preview1 path_open, path_filestat_get and path_create_directory
 * through "link" (a symlink out of the preopen "d") with a trailing "/",
 * "/." and friends; every one must fail.  Prints "PATH refused" or
 * "PATH ESCAPED" per attempt (tests/wasi2/native.py).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(const char *what, const char *path, int ok)
{
	printf("%s %s %s\n", what, path, ok ? "ESCAPED" : "refused");
	fflush(stdout);
}

int main(void)
{
	static const char *const paths[] = {
		"d/link/", "d/link/.", "d/link/./", "d/link/secret.txt", "d/link/..",
		"d/dir/../link/", "d/link/../link/secret.txt",
	};
	struct stat st;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int fd = open(paths[i], O_RDONLY);

		check("open", paths[i], fd >= 0);
		if (fd >= 0)
			close(fd);
		fd = open(paths[i], O_RDONLY | O_DIRECTORY);
		check("open O_DIRECTORY", paths[i], fd >= 0);
		if (fd >= 0)
			close(fd);
		check("stat", paths[i], stat(paths[i], &st) == 0);
	}
	check("mkdir", "d/link/new", mkdir("d/link/new", 0755) == 0);
	check("mkdir", "d/link/./new2", mkdir("d/link/./new2", 0755) == 0);
	check("mkdir", "d/link/new3/", mkdir("d/link/new3/", 0755) == 0);
	return 0;
}
