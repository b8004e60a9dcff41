// SPDX-License-Identifier: GPL-2.0
/*
 * Timing for the page-table benchmark; prints the median of N runs in ms.
 *
 *   pt_timeit run N CMD [ARG...]   run CMD (stdout to /dev/null)
 *
 * (pagemap itself is timed in-process, beside the module, by pt_bench.)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void run_cmd(char **argv)
{
	pid_t p = fork();
	int st;

	if (p == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(p, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "pt_timeit: %s failed\n", argv[0]);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	double t[64];
	int i, n;

	if (argc < 4 || strcmp(argv[1], "run")) {
		fprintf(stderr, "usage: pt_timeit run N CMD...\n");
		return 2;
	}
	n = atoi(argv[2]);
	if (n < 1 || n > 64)
		return 2;
	for (i = 0; i < n; i++) {
		double t0 = now_ms();

		run_cmd(argv + 3);
		t[i] = now_ms() - t0;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp);
	printf("%.1f\n", t[n / 2]);
	return 0;
}
