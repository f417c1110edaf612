/*
 * count_fds.h: the descriptors this process holds now, for the unit tests
 * that check a call gains or loses none (test_broker, test_wasi_res).
 */
#ifndef WRUN_TEST_COUNT_FDS_H
#define WRUN_TEST_COUNT_FDS_H

#include <dirent.h>

static inline int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

#endif
