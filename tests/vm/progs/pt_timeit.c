// SPDX-License-Identifier: GPL-2.0
/*
 * Timing for the page-table benchmark; prints the median of N runs in ms.
 *
 *   pt_timeit run N CMD [ARG...]          run CMD (stdout to /dev/null)
 *   pt_timeit pagemap N PID [START END]   read /proc/PID/pagemap over
 *                                         [START,END), or over every VMA
 */
#include <fcntl.h>
#include <inttypes.h>
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

static char buf[1 << 19];

static void read_range(int fd, uint64_t lo, uint64_t hi)
{
	off_t off = (off_t)(lo / 4096 * 8), end = (off_t)(hi / 4096 * 8);

	while (off < end) {
		size_t n = (size_t)(end - off) < sizeof(buf) ? (size_t)(end - off) : sizeof(buf);
		ssize_t r = pread(fd, buf, n, off);

		if (r <= 0) {
			perror("pread pagemap");
			exit(1);
		}
		off += r;
	}
}

static void read_pagemap(int pid, int argc, char **argv)
{
	char path[64], line[512];
	FILE *maps;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	if (argc >= 2) {
		read_range(fd, strtoull(argv[0], NULL, 0), strtoull(argv[1], NULL, 0));
	} else {
		snprintf(path, sizeof(path), "/proc/%d/maps", pid);
		maps = fopen(path, "r");
		if (!maps)
			exit(1);
		while (fgets(line, sizeof(line), maps)) {
			uint64_t lo, hi;

			if (!strstr(line, "[vsyscall]") &&
			    sscanf(line, "%" SCNx64 "-%" SCNx64, &lo, &hi) == 2)
				read_range(fd, lo, hi);
		}
		fclose(maps);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	double t[64];
	int i, n;

	if (argc < 4) {
		fprintf(stderr, "usage: pt_timeit run N CMD... | pagemap N PID [START END]\n");
		return 2;
	}
	n = atoi(argv[2]);
	if (n < 1 || n > 64)
		return 2;
	for (i = 0; i < n; i++) {
		double t0 = now_ms();

		if (!strcmp(argv[1], "run"))
			run_cmd(argv + 3);
		else
			read_pagemap(atoi(argv[3]), argc - 4, argv + 4);
		t[i] = now_ms() - t0;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp);
	printf("%.1f\n", t[n / 2]);
	return 0;
}
