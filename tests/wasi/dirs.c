/* Directories: create, list (many entries), remove; errors.
 *! flags: --dir .
 *! native
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Print the sorted listing of a directory and its entry count. */
static void list(const char *path)
{
	char *names[1000];
	int n = 0;
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		printf("opendir %s: %s\n", path, errname(errno));
		return;
	}
	while ((e = readdir(d)) && n < 1000)
		names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	printf("%s: %d entries:", path, n);
	for (int i = 0; i < n && i < 8; i++)
		printf(" %s", names[i]);
	printf("%s\n", n > 8 ? " ..." : "");
	for (int i = 0; i < n; i++)
		free(names[i]);
}

int main(void)
{
	char name[64];
	struct stat st;

	TRY("mkdir d", mkdir("d", 0755));
	TRY("mkdir d again", mkdir("d", 0755));
	TRY("mkdir d/sub/", mkdir("d/sub/", 0755));
	TRY("mkdir missing/x", mkdir("missing/x", 0755));
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "d/file-with-a-longish-name-%03d", i);
		close(open(name, O_CREAT | O_WRONLY, 0644));
	}
	list("d");
	list("d/sub");
	list("d/file-with-a-longish-name-000");
	TRY("stat d", stat("d", &st));
	printf("is dir: %d\n", S_ISDIR(st.st_mode));
	TRY("rmdir non-empty", rmdir("d"));
	TRY("rmdir file", rmdir("d/file-with-a-longish-name-000"));
	TRY("unlink dir", unlink("d/sub"));
	TRY("rmdir sub/", rmdir("d/sub/"));
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "d/file-with-a-longish-name-%03d", i);
		if (unlink(name) < 0)
			printf("unlink %s: %s\n", name, errname(errno));
	}
	list("d");
	TRY("rmdir d", rmdir("d"));
	TRY("rmdir missing", rmdir("d"));
	TRY("chdir-free listing of .", 0);
	list(".");
	return 0;
}
