// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table workload: builds one mapping of each kind the page-table
 * tests check, prints "NAME START END" per mapping to stdout, writes
 * "ready" to the file named by argv[1], then sleeps until killed.
 *
 *   untouched  anonymous, never touched (no entries)
 *   touched    anonymous, every page written (4 KiB, THP disabled)
 *   zero       anonymous, every page only read (the shared zero page)
 *   thp        2 MiB-aligned MADV_HUGEPAGE region, written (PMD leaves)
 *   file       shared file mapping, read (page cache pages)
 *   swapped    anonymous, written then MADV_PAGEOUT (swap entries)
 *   high       above 128 TiB when the kernel runs 5-level paging
 *   forked     written before fork(): the child (pid on line "child")
 *              shares these pages copy-on-write
 *
 * Usage: pt_work READYFILE [FILEDIR] [BIG_MB]
 *   BIG_MB > 0 adds "big": BIG_MB written MiB inside a 4x larger mapping.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define MB (1UL << 20)
#define PAGE 4096UL

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static char *anon(size_t len, int advice)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	if (advice >= 0 && madvise(p, len, advice))
		die("madvise");
	return p;
}

static void show(const char *name, const void *p, size_t len)
{
	printf("%s 0x%lx 0x%lx\n", name, (unsigned long)p,
	       (unsigned long)p + len);
}

static void touch(char *p, size_t len, int write)
{
	volatile char sink = 0;
	size_t i;

	for (i = 0; i < len; i += PAGE) {
		if (write)
			p[i] = (char)(i / PAGE + 1);
		else
			sink += p[i];
	}
	(void)sink;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	unsigned long big = argc > 3 ? strtoul(argv[3], NULL, 0) : 0;
	char path[256], *p, *thp;
	pid_t child;
	FILE *f;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: pt_work READYFILE [FILEDIR] [BIG_MB]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	p = anon(MB, MADV_NOHUGEPAGE);
	show("untouched", p, MB);

	p = anon(MB, MADV_NOHUGEPAGE);
	touch(p, MB, 1);
	show("touched", p, MB);

	p = anon(256 * 1024, MADV_NOHUGEPAGE);
	touch(p, 256 * 1024, 0);
	show("zero", p, 256 * 1024);

	/* 2 MiB-aligned: map 6 MiB, use the aligned 4 MiB inside. */
	p = anon(6 * MB, -1);
	thp = (char *)(((uintptr_t)p + 2 * MB - 1) & ~(2 * MB - 1));
	if (madvise(thp, 4 * MB, MADV_HUGEPAGE))
		die("madvise(MADV_HUGEPAGE)");
	touch(thp, 4 * MB, 1);
	show("thp", thp, 4 * MB);

	snprintf(path, sizeof(path), "%s/pt_work.%d", dir, (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("open");
	p = anon(256 * 1024, -1);
	memset(p, 'x', 256 * 1024);
	if (write(fd, p, 256 * 1024) != 256 * 1024)
		die("write");
	munmap(p, 256 * 1024);
	p = mmap(NULL, 256 * 1024, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	touch(p, 128 * 1024, 0);
	show("file", p, 256 * 1024);
	close(fd);
	unlink(path);

	p = anon(MB, MADV_NOHUGEPAGE);
	touch(p, MB, 1);
	if (madvise(p, MB, MADV_PAGEOUT))
		die("madvise(MADV_PAGEOUT)");
	show("swapped", p, MB);

	/* A hint above 2^47 gets a high address only with LA57. */
	p = mmap((void *)(1UL << 50), 64 * 1024, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap high");
	touch(p, 64 * 1024, 1);
	show("high", p, 64 * 1024);

	if (big) {
		p = anon(4 * big * MB, MADV_NOHUGEPAGE);
		touch(p, big * MB, 1);
		show("big", p, 4 * big * MB);
	}

	p = anon(MB, MADV_NOHUGEPAGE);
	touch(p, MB, 1);
	show("forked", p, MB);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		for (;;)
			pause();
	}
	printf("child %d\n", (int)child);

	f = fopen(argv[1], "w");
	if (!f)
		die("ready file");
	fprintf(f, "ready\n");
	fclose(f);
	for (;;)
		pause();
}
