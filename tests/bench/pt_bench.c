// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table benchmark, in one process so that only the mechanisms are
 * compared (no exec, no dynamic linking, no family lookup in the loop):
 *
 *   pt_bench N PID START END
 *
 * Alternates, N times each, and prints the median in ms of:
 *   summary        PT_SUMMARY of the whole mm (reply parsed)
 *   pagemap_all    pread() of /proc/PID/pagemap over every VMA
 *   dump           PTE_DUMP of [START, END), every entry parsed and counted
 *   pagemap_range  pread() of /proc/PID/pagemap over [START, END), every
 *                  entry looked at (present or swapped pages counted)
 * and the number of entries each returned, which must agree.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "model/pt_summary.h"
#include "model/pte_dump.h"
#include "model/vmas.h"
#include "nl/nl.h"

#define MAX_RUNS 64

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* User and system CPU time of this process so far, in ms. */
static void cpu_ms(double *user, double *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*user = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3;
	*sys = ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(t[0]), cmp);
	return t[n / 2];
}

/* pagemap's own chunking: 512 KiB reads, as a tool would do it. */
static uint64_t buf[(1 << 19) / sizeof(uint64_t)];

/*
 * Read pagemap over [lo, hi) and look at every entry, as a consumer of
 * the dump does: count the present and swapped pages.
 */
static int read_pagemap(int fd, uint64_t lo, uint64_t hi, uint64_t *mapped)
{
	off_t off = (off_t)(lo / 4096 * 8), end = (off_t)(hi / 4096 * 8);

	while (off < end) {
		size_t n = (size_t)(end - off) < sizeof(buf) ?
			   (size_t)(end - off) : sizeof(buf);
		ssize_t r = pread(fd, buf, n, off), i;

		if (r <= 0)
			return -1;
		for (i = 0; i < r / 8; i++)
			*mapped += buf[i] >> 62 != 0;	/* present or swapped */
		off += r;
	}
	return 0;
}

static int count_entry(const struct pte_entry *e, void *ctx)
{
	(void)e;
	(*(uint64_t *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	double t_sum[MAX_RUNS], t_pm_all[MAX_RUNS], t_dump[MAX_RUNS], t_pm[MAX_RUNS];
	double u0, s0, u1, s1, dump_user = 0, dump_sys = 0;
	struct vma_list vl = { 0 };
	struct pt_summary s;
	uint64_t lo, hi, entries = 0, mapped = 0;
	bool visible = false;
	struct ps_nl nl;
	char path[64];
	int n, pid, fd, i;
	size_t v;

	if (argc != 5) {
		fprintf(stderr, "usage: pt_bench N PID START END\n");
		return 2;
	}
	n = atoi(argv[1]);
	pid = atoi(argv[2]);
	lo = strtoull(argv[3], NULL, 0);
	hi = strtoull(argv[4], NULL, 0);
	if (n < 1 || n > MAX_RUNS || pid < 1 || hi <= lo)
		return 2;
	if (ps_nl_open(&nl) || vmas_fetch(&nl, pid, &vl)) {
		fprintf(stderr, "pt_bench: cannot reach the module or pid %d\n", pid);
		return 1;
	}
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (i = 0; i < n; i++) {
		double t0 = now_ms();

		if (pt_summary_fetch(&nl, pid, &s))
			return 1;
		t_sum[i] = now_ms() - t0;

		t0 = now_ms();
		for (v = 0; v < vl.n; v++)
			if (vl.v[v].end <= vl.mm.v[PROCSCOPE_MM_TASK_SIZE] &&
			    read_pagemap(fd, vl.v[v].start, vl.v[v].end, &mapped))
				return 1;
		t_pm_all[i] = now_ms() - t0;

		entries = 0;
		cpu_ms(&u0, &s0);
		t0 = now_ms();
		if (ptes_fetch(&nl, pid, lo, hi, &visible, count_entry, &entries))
			return 1;
		t_dump[i] = now_ms() - t0;
		cpu_ms(&u1, &s1);
		dump_user += u1 - u0;
		dump_sys += s1 - s0;

		mapped = 0;
		t0 = now_ms();
		if (read_pagemap(fd, lo, hi, &mapped))
			return 1;
		t_pm[i] = now_ms() - t0;
	}
	printf("summary %.1f\npagemap_all %.1f\ndump %.1f\npagemap_range %.1f\nentries %" PRIu64 "\n"
	       "dump_user %.1f\ndump_sys %.1f\npagemap_mapped %" PRIu64 "\n",
	       median(t_sum, n), median(t_pm_all, n), median(t_dump, n),
	       median(t_pm, n), entries, dump_user / n, dump_sys / n, mapped);
	close(fd);
	vmas_free(&vl);
	ps_nl_close(&nl);
	return 0;
}
