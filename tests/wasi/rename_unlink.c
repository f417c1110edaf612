/* Rename and unlink: files, directories, replacing, errors.
 *! flags: --dir .
 *! native
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static void touch(const char *p, const char *text)
{
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	write(fd, text, strlen(text));
	close(fd);
}

static void show(const char *p)
{
	char buf[32] = { 0 };
	int fd = open(p, O_RDONLY);

	if (fd < 0) {
		printf("%s: %s\n", p, errname(errno));
		return;
	}
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	printf("%s: [%s]\n", p, buf);
}

int main(void)
{
	touch("a", "A");
	touch("b", "B");
	mkdir("dir", 0755);
	mkdir("dir2", 0755);
	TRY("rename a c", rename("a", "c"));
	show("a");
	show("c");
	TRY("rename c over b", rename("c", "b"));
	show("b");
	TRY("rename b dir/b", rename("b", "dir/b"));
	show("dir/b");
	TRY("rename dir dir3", rename("dir", "dir3"));
	show("dir3/b");
	TRY("rename file over dir", rename("dir3/b", "dir2"));
	TRY("rename dir over file", rename("dir2", "dir3/b"));
	TRY("rename missing", rename("nope", "x"));
	TRY("rename file/ x", rename("dir3/b/", "x"));
	TRY("unlink dir3/b", unlink("dir3/b"));
	TRY("unlink again", unlink("dir3/b"));
	TRY("unlink dir", unlink("dir3"));
	TRY("rmdir dir3", rmdir("dir3"));
	TRY("rmdir dir2", rmdir("dir2"));
	return 0;
}
