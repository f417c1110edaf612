/* Files: create, write, read, seek and tell, pread/pwrite, append,
 * truncate, stat, sync, advise, allocate; errors for missing files.
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
	char buf[64] = { 0 };
	struct stat st;
	int fd = open("data.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);

	printf("open: %s\n", fd >= 0 ? "OK" : errname(errno));
	printf("write: %zd\n", write(fd, "hello, world\n", 13));
	printf("tell: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	printf("seek set: %ld\n", (long)lseek(fd, 7, SEEK_SET));
	printf("read: %zd [%.5s]\n", read(fd, buf, 5), buf);
	printf("seek end: %ld\n", (long)lseek(fd, -6, SEEK_END));
	printf("seek cur: %ld\n", (long)lseek(fd, 2, SEEK_CUR));
	printf("pwrite: %zd\n", pwrite(fd, "WORLD", 5, 7));
	memset(buf, 0, sizeof(buf));
	printf("pread: %zd [%s]\n", pread(fd, buf, sizeof(buf) - 1, 0), buf);
	printf("tell after pread: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	TRY("seek negative", lseek(fd, -100, SEEK_SET));
	TRY("fsync", fsync(fd));
	TRY("fdatasync", fdatasync(fd));
	printf("fadvise: %d\n", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
	printf("fallocate: %d\n", posix_fallocate(fd, 0, 100));
	fstat(fd, &st);
	printf("size after allocate: %ld\n", (long)st.st_size);
	TRY("ftruncate", ftruncate(fd, 5));
	fstat(fd, &st);
	printf("size: %ld regular: %d\n", (long)st.st_size, S_ISREG(st.st_mode));
	close(fd);

	fd = open("data.txt", O_WRONLY | O_APPEND);
	printf("append write: %zd\n", write(fd, "++", 2));
	close(fd);
	fd = open("data.txt", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	printf("read all: %zd [%s]\n", read(fd, buf, sizeof(buf)), buf);
	TRY("write to read-only", write(fd, "x", 1));
	close(fd);
	TRY("read closed fd", read(fd, buf, 1));
	TRY("open missing", open("missing.txt", O_RDONLY));
	TRY("open excl existing", open("data.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
	TRY("open dir for writing", open(".", O_WRONLY));
	TRY("open file as dir", open("data.txt", O_RDONLY | O_DIRECTORY));
	TRY("stat", stat("data.txt", &st));
	printf("stat size: %ld\n", (long)st.st_size);
	TRY("truncate by path", truncate("data.txt", 0));
	stat("data.txt", &st);
	printf("size: %ld\n", (long)st.st_size);

	FILE *f = fopen("lines.txt", "w");
	for (int i = 0; i < 1000; i++)
		fprintf(f, "line %d\n", i);
	fclose(f);
	f = fopen("lines.txt", "r");
	int n = 0;
	long sum = 0;
	while (fgets(buf, sizeof(buf), f)) {
		n++;
		sum += strlen(buf);
	}
	fclose(f);
	printf("lines: %d bytes: %ld\n", n, sum);
	return 0;
}
