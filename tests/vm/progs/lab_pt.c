// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 1 (docs/labs/01-page-tables.md): grow a page-table tree step by step.
 *
 *   lab_pt
 *
 * Prints its pid, then runs one stage each time it gets SIGUSR1
 * (`kill -USR1 PID`), printing what it did; look at `procscope pt PID`
 * between stages. SIGTERM or SIGINT ends it.
 *
 *   stage 0  map 64 MiB of anonymous memory, touch nothing
 *   stage 1  write the first 1 MiB (256 pages)
 *   stage 2  write one byte in each 2 MiB of the 64 MiB
 *   stage 3  map 8 MiB with MADV_HUGEPAGE and write it all
 *   stage 4  map 1 MiB above 128 TiB (needs 5-level paging) and write it
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB (1UL << 20)

static void *map(void *hint, size_t len)
{
	void *p = mmap(hint, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

/* Wait for SIGUSR1; SIGTERM/SIGINT end the program as usual. */
static void next_stage(sigset_t *set, int stage)
{
	int sig;

	printf("waiting: kill -USR1 %d runs stage %d\n", (int)getpid(), stage);
	fflush(stdout);
	if (sigwait(set, &sig))
		exit(1);
}

int main(void)
{
	char *big, *huge, *high;
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("lab_pt pid %d\n", (int)getpid());

	next_stage(&set, 0);
	big = map(NULL, 64 * MIB);
	/* 4 KiB pages only here: stage 3 shows the huge ones. */
	madvise(big, 64 * MIB, MADV_NOHUGEPAGE);
	printf("stage 0: mapped 64 MiB at %p-%p, nothing touched\n",
	       (void *)big, (void *)(big + 64 * MIB));

	next_stage(&set, 1);
	for (i = 0; i < MIB; i += 4096)
		big[i] = 1;
	printf("stage 1: wrote 256 pages at %p-%p\n", (void *)big,
	       (void *)(big + MIB));

	next_stage(&set, 2);
	for (i = 0; i < 64 * MIB; i += 2 * MIB)
		big[i + 4096 * 3] = 1;
	printf("stage 2: wrote one page in each 2 MiB of %p-%p\n",
	       (void *)big, (void *)(big + 64 * MIB));

	next_stage(&set, 3);
	/* 10 MiB mapped so that an aligned 8 MiB lies inside. */
	huge = map(NULL, 10 * MIB);
	huge = (char *)(((uintptr_t)huge + 2 * MIB - 1) & ~(2 * MIB - 1));
	if (madvise(huge, 8 * MIB, MADV_HUGEPAGE))
		perror("madvise(MADV_HUGEPAGE)");
	memset(huge, 1, 8 * MIB);
	printf("stage 3: wrote 8 MiB with MADV_HUGEPAGE at %p-%p\n",
	       (void *)huge, (void *)(huge + 8 * MIB));

	next_stage(&set, 4);
	/* A hint above 2^47: only granted with 5-level paging. */
	high = map((void *)(1UL << 52), MIB);
	memset(high, 1, MIB);
	printf("stage 4: wrote 1 MiB at %p-%p (%s 128 TiB)\n", (void *)high,
	       (void *)(high + MIB),
	       (uintptr_t)high >> 47 ? "above" : "below");

	next_stage(&set, 5);
	printf("done\n");
	return 0;
}
