// SPDX-License-Identifier: GPL-2.0
/*
 * A sample server for `make demo` and the show/top tests: a process with a
 * bit of everything procscope shows.
 *
 *   demo_server [-p PORT] [-b BACKLOG] [-a ACCEPTS] [-f FILE] [-m MIB]
 *               [-g GATE] [-R READY] [-D DONE] [-t SECS] [-l]
 *
 * Listens on 127.0.0.1:PORT (default 8080) with BACKLOG (default 4), creates
 * READY, then waits for the file GATE (if given) so that a watch can be in
 * place before anything happens. Then, in order:
 *   anon   touches MIB (default 16) MiB of fresh anonymous memory
 *   huge   touches a 4 MiB region with MADV_HUGEPAGE (2 MiB pages if THP allows)
 *   file   maps FILE (if given) and reads every page of it
 *   swap   pushes the first half of the anonymous memory out with
 *          MADV_PAGEOUT, then reads a quarter of it back (swap-ins)
 *   cow    forks a child that sleeps; writes 256 pages the two now share
 *   stack  grows the stack by 256 KiB
 *   accept accepts ACCEPTS (default 3) connections and keeps them open
 *          without reading, so what clients send stays in their buffers;
 *          later connections wait in the accept queue
 * creates DONE with the page counts it expects, and stays until SECS
 * (default 60; 0: no time limit, the test stops it) pass or GATE.stop
 * exists. With -l it repeats the anon/file
 * touches every second (load for `procscope top`).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGE 4096UL

static volatile unsigned long sink;

static int exists(const char *p)
{
	return p && access(p, F_OK) == 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* -t 0: no deadline; a slow kernel must not end the server early. */
static double end;

static int in_time(void)
{
	return end == 0 || now() < end;
}

static void touch(char *p, size_t len, int write)
{
	size_t i;

	for (i = 0; i < len; i += PAGE) {
		if (write)
			p[i] = (char)i;
		else
			sink += (unsigned char)p[i];
	}
}

static void create(const char *path, const char *text)
{
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

/* Each frame takes about 4 KiB: the stack VMA grows page by page. */
static unsigned long grow_stack(int depth)
{
	volatile char pad[4000];

	pad[0] = (char)depth;
	pad[sizeof(pad) - 1] = (char)depth;
	if (depth <= 0)
		return pad[0];
	return grow_stack(depth - 1) + pad[sizeof(pad) - 1];
}

int main(int argc, char **argv)
{
	const char *gate = NULL, *ready = NULL, *done = NULL, *file = NULL;
	int port = 8080, backlog = 4, accepts = 3, one = 1, loop = 0, opt, fd;
	size_t anon_len = 16UL << 20, huge_len = 4UL << 20, file_len = 0, i;
	double secs = 60;
	char stop[256] = "", msg[512];
	char *anon, *huge = NULL, *fmap = NULL, *hraw;
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int conns[64], nconn = 0;
	pid_t child;

	while ((opt = getopt(argc, argv, "p:b:a:f:m:g:R:D:t:l")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'b': backlog = atoi(optarg); break;
		case 'a': accepts = atoi(optarg); break;
		case 'f': file = optarg; break;
		case 'm': anon_len = strtoul(optarg, NULL, 0) << 20; break;
		case 'g': gate = optarg; break;
		case 'R': ready = optarg; break;
		case 'D': done = optarg; break;
		case 't': secs = atof(optarg); break;
		case 'l': loop = 1; break;
		default:
			fprintf(stderr, "usage: see the comment in demo_server.c\n");
			return 2;
		}
	}
	if (accepts < 0 || accepts > 64 || !anon_len) {
		fprintf(stderr, "demo_server: bad arguments\n");
		return 2;
	}
	if (gate)
		snprintf(stop, sizeof(stop), "%s.stop", gate);
	end = secs > 0 ? now() + secs : 0;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_port = htons(port);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, backlog)) {
		perror("demo_server: listen");
		return 1;
	}
	create(ready, "listening\n");
	while (gate && !exists(gate) && !exists(stop) && in_time())
		usleep(20000);

	/* anon: plain 4 KiB pages, so that the page-out below is exact. */
	anon = mmap(NULL, anon_len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED)
		return perror("mmap"), 1;
	madvise(anon, anon_len, MADV_NOHUGEPAGE);
	touch(anon, anon_len, 1);

	/* huge: a 2 MiB-aligned region the kernel may back with huge pages. */
	hraw = mmap(NULL, huge_len + (2UL << 20), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hraw != MAP_FAILED) {
		huge = (char *)(((uintptr_t)hraw + (2UL << 20) - 1) &
				~((uintptr_t)(2UL << 20) - 1));
		madvise(huge, huge_len, MADV_HUGEPAGE);
		touch(huge, huge_len, 1);
	}

	/* file: every page read through a private mapping. */
	if (file) {
		struct stat st;
		int ffd = open(file, O_RDONLY);

		if (ffd < 0 || fstat(ffd, &st))
			return perror(file), 1;
		file_len = (size_t)st.st_size;
		fmap = mmap(NULL, file_len, PROT_READ, MAP_PRIVATE, ffd, 0);
		close(ffd);
		if (fmap == MAP_FAILED)
			return perror("mmap file"), 1;
		touch(fmap, file_len, 0);
	}

	/* swap: half of anon out to zram, a quarter read back. */
	if (madvise(anon, anon_len / 2, MADV_PAGEOUT))
		perror("madvise(MADV_PAGEOUT)");
	touch(anon, anon_len / 4, 0);

	/* cow: after fork both share every private page read-only. */
	child = fork();
	if (child == 0) {
		sleep(2);
		_exit(0);
	}
	touch(anon + anon_len / 2, anon_len / 2 < 256 * PAGE ? anon_len / 2 : 256 * PAGE, 1);
	if (child > 0)
		waitpid(child, NULL, 0);

	/* stack: about 64 frames of 4 KiB below the current stack. */
	sink += grow_stack(64);

	snprintf(msg, sizeof(msg),
		 "anon_pages %zu\nswapped_out_pages %zu\nfile_pages %zu\nhuge_bytes %zu\n",
		 anon_len / PAGE, anon_len / 2 / PAGE - anon_len / 4 / PAGE,
		 file_len / PAGE, huge ? huge_len : 0);
	/* accept: a few, never read; the rest wait in the accept queue. */
	while (nconn < accepts && !exists(stop) && in_time()) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 100) == 1) {
			int c = accept(fd, NULL, NULL);

			if (c >= 0)
				conns[nconn++] = c;
		}
	}
	create(done, msg);
	while (!exists(stop) && in_time()) {
		if (loop) {
			touch(anon + anon_len / 2, anon_len / 2, 1);
			madvise(anon + anon_len / 2, anon_len / 2, MADV_DONTNEED);
			if (fmap) {
				madvise(fmap, file_len, MADV_DONTNEED);
				touch(fmap, file_len, 0);
			}
		}
		usleep(loop ? 200000 : 50000);
	}
	for (i = 0; i < (size_t)nconn; i++)
		close(conns[i]);
	close(fd);
	return 0;
}
