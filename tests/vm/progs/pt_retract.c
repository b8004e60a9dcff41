// SPDX-License-Identifier: GPL-2.0
/*
 * PTE tables retracted under a page-table walk: khugepaged's collapse of a
 * shmem range, driven by MADV_COLLAPSE, frees the PTE tables that mapped
 * it with small pages, in this process and in every other one mapping the
 * range (since 6.6 without their mmap lock: retract_page_tables()).
 *
 * A memfd of REGION_MB MiB is mapped shared, 2 MiB-aligned, here and in a
 * forked child. The child reads every page again and again, so its PTE
 * tables keep coming back; this process loops: fill the range with small
 * pages (punch the range's pages out of the file, write them again; on odd
 * rounds only zap its own mapping and read it back, leaving the huge
 * pages in the file), then MADV_COLLAPSE it, which retracts the tables,
 * and leave it collapsed for as long as that took.
 *
 * Prints "pid PID", "child PID", "range START END", writes "ready" to
 * READYFILE, runs for SECONDS, then prints "collapses N" (successful
 * MADV_COLLAPSE calls) and "rounds N", and kills the child. Exits 77 when
 * MADV_COLLAPSE is not supported for shmem here.
 *
 * Usage: pt_retract READYFILE SECONDS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define MB (1UL << 20)
#define PMD_SZ (2 * MB)
#define PAGE 4096UL
#define REGION_MB 8UL

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *map_aligned(int fd, size_t len)
{
	char *p = mmap(NULL, len + PMD_SZ, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		die("mmap reserve");
	a = (char *)(((uintptr_t)p + PMD_SZ - 1) & ~(PMD_SZ - 1));
	if (mmap(a, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 fd, 0) == MAP_FAILED)
		die("mmap memfd");
	return a;
}

static void write_all(char *a, size_t len, unsigned char v)
{
	for (size_t off = 0; off < len; off += PAGE)
		((volatile char *)a)[off] = (char)v;
}

static unsigned long read_all(const char *a, size_t len)
{
	unsigned long sum = 0;

	for (size_t off = 0; off < len; off += PAGE)
		sum += ((const volatile char *)a)[off];
	return sum;
}

int main(int argc, char **argv)
{
	size_t len = REGION_MB * MB;
	unsigned long collapses = 0, rounds = 0;
	volatile unsigned long sink = 0;
	double end;
	pid_t child;
	FILE *ready;
	char *a;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: pt_retract READYFILE SECONDS\n");
		return 2;
	}
	fd = memfd_create("pt_retract", 0);
	if (fd < 0)
		die("memfd_create");
	if (ftruncate(fd, len))
		die("ftruncate");
	a = map_aligned(fd, len);
	write_all(a, len, 1);
	/* One probe first: no shmem collapse here means nothing to test. */
	if (madvise(a, len, MADV_COLLAPSE) && (errno == EINVAL ||
					      errno == ENOSYS)) {
		printf("MADV_COLLAPSE on shmem: %m\n");
		return 77;
	}

	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		for (;;) {
			sink += read_all(a, len);
			usleep(500);
		}
	}
	printf("pid %d\nchild %d\nrange %p %p\n", (int)getpid(), (int)child,
	       (void *)a, (void *)(a + len));
	fflush(stdout);
	ready = fopen(argv[1], "w");
	if (!ready || fputs("ready\n", ready) < 0 || fclose(ready))
		die("ready file");

	end = now() + atof(argv[2]);
	while (now() < end) {
		double t0 = now();

		if (rounds % 2 == 0) {
			/* Small pages again: drop the huge ones from the file. */
			if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				      0, len))
				die("fallocate punch");
			write_all(a, len, (unsigned char)rounds);
		} else {
			/* The file keeps its huge pages, mapped by PTEs. */
			if (madvise(a, len, MADV_DONTNEED))
				die("madvise dontneed");
			sink += read_all(a, len);
		}
		if (madvise(a, len, MADV_COLLAPSE) == 0)
			collapses++;
		rounds++;
		/*
		 * Stay collapsed as long as the round took: walks see both
		 * states about as often.
		 */
		usleep((useconds_t)((now() - t0) * 1e6));
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("collapses %lu\nrounds %lu\n", collapses, rounds);
	return 0;
}
