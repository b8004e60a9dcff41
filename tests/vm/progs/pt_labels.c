// SPDX-License-Identifier: GPL-2.0
/*
 * Entries of many kinds for t_18_pt_labels: each is made, then faulted on
 * once more last of all, so that the last fault event at its address
 * carries the entry as it now is (a fault that ends in SIGSEGV changes
 * nothing; the signal is caught). Writes "NAME ADDR" lines to INFO (and
 * "pid PID"), renamed into place when all are made, then waits until the
 * file DONE exists and exits.
 *
 *   rw        anonymous, written
 *   ro        anonymous, written, mprotect(PROT_READ), write refused
 *   zero      anonymous, read: the shared zero page
 *   protnone  anonymous, written, mprotect(PROT_NONE), read refused
 *   nx        anonymous RW, written, executed: refused (NX)
 *   exec      anonymous RWX, written (a ret), executed
 *   thp       2 MiB MADV_HUGEPAGE, written (a huge PMD if THP can)
 *   thpzero   2 MiB MADV_HUGEPAGE, read (the huge zero page if THP can)
 *   swap      anonymous, written, MADV_PAGEOUT, PROT_READ, write refused
 *   uffdwp    anonymous, written, uffd write-protected, PROT_READ, write
 *             refused (left out without userfaultfd)
 *   file      shared file mapping of FILE, read
 *
 * Usage: pt_labels INFO DONE FILE
 */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGE 4096UL
#define HPAGE (2UL << 20)

static FILE *info;
static sigjmp_buf jb;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(jb, 1);
}

static char *map(size_t len, int prot, int advice)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	if (madvise(p, len, advice))
		die("madvise");
	return p;
}

/* A 2 MiB-aligned MADV_HUGEPAGE region. */
static char *map_huge(void)
{
	char *p = mmap(NULL, 2 * HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	p = (char *)(((uintptr_t)p + HPAGE - 1) & ~(HPAGE - 1));
	if (madvise(p, HPAGE, MADV_HUGEPAGE))
		die("madvise");
	return p;
}

static void show(const char *name, const void *p)
{
	fprintf(info, "%s 0x%lx\n", name, (unsigned long)p);
}

/* An access the kernel refuses: one fault event, then SIGSEGV (caught). */
static int refused_write(volatile char *p)
{
	if (sigsetjmp(jb, 1))
		return 0;
	*p = 1;
	return -1;
}

static int refused_read(volatile char *p)
{
	if (sigsetjmp(jb, 1))
		return 0;
	(void)*p;
	return -1;
}

static int refused_exec(void *p)
{
	if (sigsetjmp(jb, 1))
		return 0;
	((void (*)(void))p)();
	return -1;
}

/* Write-protect @p with userfaultfd; false when the kernel cannot. */
static int uffd_wp(char *p, size_t len)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)p, .len = len },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = {
		.range = { .start = (uintptr_t)p, .len = len },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (ioctl(fd, UFFDIO_API, &api) || ioctl(fd, UFFDIO_REGISTER, &reg) ||
	    ioctl(fd, UFFDIO_WRITEPROTECT, &wp)) {
		close(fd);
		return 0;
	}
	return 1;	/* the fd stays open: closing it would drop the wp */
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_segv, .sa_flags = SA_NODEFER };
	char tmp[4096], *p;
	volatile char sink;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: pt_labels INFO DONE FILE\n");
		return 2;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	info = fopen(tmp, "w");
	if (!info)
		die(tmp);
	if (sigaction(SIGSEGV, &sa, NULL))
		die("sigaction");
	fprintf(info, "pid %d\n", (int)getpid());

	p = map(PAGE, PROT_READ | PROT_WRITE, MADV_NOHUGEPAGE);
	p[0] = 1;
	show("rw", p);

	p = map(PAGE, PROT_READ | PROT_WRITE, MADV_NOHUGEPAGE);
	p[0] = 1;
	if (mprotect(p, PAGE, PROT_READ) || refused_write(p))
		die("ro");
	show("ro", p);

	p = map(PAGE, PROT_READ | PROT_WRITE, MADV_NOHUGEPAGE);
	sink = p[0];
	show("zero", p);

	p = map(PAGE, PROT_READ | PROT_WRITE, MADV_NOHUGEPAGE);
	p[0] = 1;
	if (mprotect(p, PAGE, PROT_NONE) || refused_read(p))
		die("protnone");
	show("protnone", p);

	p = map(PAGE, PROT_READ | PROT_WRITE, MADV_NOHUGEPAGE);
	p[0] = (char)0xc3;	/* ret */
	if (refused_exec(p))
		die("nx");
	show("nx", p);

	p = map(PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MADV_NOHUGEPAGE);
	p[0] = (char)0xc3;
	((void (*)(void))p)();
	show("exec", p);

	p = map_huge();
	p[0] = 1;
	show("thp", p);

	p = map_huge();
	sink = p[0];
	show("thpzero", p);

	p = map(PAGE, PROT_READ | PROT_WRITE, MADV_NOHUGEPAGE);
	p[0] = 1;
	if (!madvise(p, PAGE, MADV_PAGEOUT)) {
		if (mprotect(p, PAGE, PROT_READ) || refused_write(p))
			die("swap");
		show("swap", p);
	}

	p = map(PAGE, PROT_READ | PROT_WRITE, MADV_NOHUGEPAGE);
	p[0] = 1;
	if (uffd_wp(p, PAGE)) {
		if (mprotect(p, PAGE, PROT_READ) || refused_write(p))
			die("uffdwp");
		show("uffdwp", p);
	}

	fd = open(argv[3], O_RDONLY);
	if (fd < 0)
		die(argv[3]);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	sink = p[0];
	show("file", p);
	(void)sink;

	if (fclose(info) || rename(tmp, argv[1]))
		die(argv[1]);
	while (access(argv[2], F_OK))
		usleep(100000);
	return 0;
}
