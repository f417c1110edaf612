/*
** walk: walk a directory tree, statting every entry, several times.
**
**   walk DIR REPS
**
** Reads every directory with readdir (fd_readdir in WASI) and stats every
** entry by name relative to its directory (path_filestat_get), recursing
** into subdirectories. Prints the number of directories and files and the
** sum of the file sizes per pass; the order of entries does not matter.
*/
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long ndirs, nfiles;
static long long nbytes;

static int walk(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		perror(path);
		return -1;
	}
	ndirs++;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		char sub[4096];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			perror(e->d_name);
			closedir(d);
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= sizeof sub ||
			    walk(sub) < 0) {
				closedir(d);
				return -1;
			}
		} else {
			nfiles++;
			nbytes += st.st_size;
		}
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	int reps;

	if (argc != 3) {
		fprintf(stderr, "usage: walk DIR REPS\n");
		return 2;
	}
	reps = atoi(argv[2]);
	for (int r = 0; r < reps; r++) {
		ndirs = nfiles = 0;
		nbytes = 0;
		if (walk(argv[1]) < 0)
			return 1;
	}
	printf("%ld directories, %ld files, %lld bytes\n", ndirs, nfiles, nbytes);
	return 0;
}
