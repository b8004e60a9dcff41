// SPDX-License-Identifier: GPL-2.0
/*
 * Page-fault workload for the VM tests: triggers each fault class a known
 * way and prints "phase NAME START END" (the address range it touched).
 *
 *   fault_workload [--wait] PHASE...
 *   PHASE: anon stack cow swap perm badaddr file:PATH shared:PATH
 *          loop:MIB:N (map, touch, unmap MIB MiB N times)
 *          touchlat:MIB:N (as loop, but times every first touch with the
 *          TSC and prints the median and quartiles in TSC cycles: one slow
 *          fault no longer hides in the total, nor does a vCPU the host
 *          descheduled for a while shift the result)
 *          readlat:MIB:N (as touchlat, reading: every fault maps the shared
 *          zero page, nothing to clear, so the hooks' share is largest)
 *          clock:N (N clock_gettime(CLOCK_MONOTONIC) calls: the cost of one
 *          clocksource read, which is what ktime_get_ns() pays in the kernel)
 *          fifo (from here on: SCHED_FIFO on CPU 0, so that nothing of lower
 *          priority on that CPU - a kworker draining procscope's event
 *          buffers - runs until the RT throttle (5 %) lets it: the overload
 *          test's way to fill the buffers for certain)
 * --wait: print "ready PID", wait for SIGUSR1, run, print "done", wait for
 * SIGUSR1 again: the test reads /proc/PID/stat while nothing runs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#define PG 4096UL

static sigjmp_buf jb;
static volatile uintptr_t fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_addr = (uintptr_t)si->si_addr;
	siglongjmp(jb, 1);
}

static void phase(const char *name, void *start, size_t len)
{
	printf("phase %s 0x%lx 0x%lx\n", name, (unsigned long)start,
	       (unsigned long)start + len);
	fflush(stdout);
}

static char *map_anon(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	/* 4 KiB faults, not one 2 MiB THP fault: the tests count pages. */
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

static void touch(volatile char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += PG)
		p[i] = 1;
}

static unsigned long read_pages(volatile char *p, size_t len)
{
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i < len; i += PG)
		sum += (unsigned char)p[i];
	return sum;
}

static void do_anon(void)
{
	size_t len = 64 * PG;
	char *p = map_anon(len);

	phase("anon", p, len);
	touch(p, len);
}

static unsigned long recurse(int depth, char **low)
{
	volatile char buf[8192];

	buf[0] = (char)depth;
	buf[sizeof(buf) - 1] = 0;
	if ((char *)buf < *low)
		*low = (char *)buf;
	return (depth ? recurse(depth - 1, low) : 0) + (unsigned char)buf[0];
}

static void do_stack(void)
{
	char here, *low = &here;

	/* 2 MiB: well past the initial stack VMA, so it must grow. */
	recurse(256, &low);
	phase("stack", low, (size_t)(&here - low));
}

static void do_cow(void)
{
	size_t len = 32 * PG;
	char *p = map_anon(len);
	pid_t pid;

	touch(p, len);
	pid = fork();
	if (pid == 0) {
		pause();	/* keeps the pages shared until killed */
		_exit(0);
	}
	phase("cow", p, len);
	touch(p, len);		/* write to pages shared with the child */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void do_swap(void)
{
	size_t len = 32 * PG;
	char *p = map_anon(len);

	memset(p, 0x5a, len);	/* not zero pages: real swap-out */
	if (madvise(p, len, MADV_PAGEOUT)) {
		perror("madvise(MADV_PAGEOUT)");
		exit(1);
	}
	phase("swap", p, len);
	if (read_pages(p, len) != 0x5a * (len / PG)) {
		fprintf(stderr, "swap: data lost\n");
		exit(1);
	}
}

static void do_file(const char *path, int shared)
{
	int fd = open(path, shared ? O_RDWR : O_RDONLY);
	struct stat st;
	char *p;

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		exit(1);
	}
	p = mmap(NULL, st.st_size, shared ? PROT_READ | PROT_WRITE : PROT_READ,
		 shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap file");
		exit(1);
	}
	close(fd);
	phase(shared ? "shared" : "file", p, st.st_size);
	if (shared)
		touch(p, st.st_size);
	else
		read_pages(p, st.st_size);
	munmap(p, st.st_size);
}

static void do_perm(void)
{
	char *p = map_anon(PG);
	volatile char *vp = p;

	touch(p, PG);
	mprotect(p, PG, PROT_READ);
	phase("perm", p, PG);
	if (!sigsetjmp(jb, 1))
		*vp = 2;
	if (fault_addr != (uintptr_t)p) {
		fprintf(stderr, "perm: no SIGSEGV at %p\n", (void *)p);
		exit(1);
	}
}

static void do_badaddr(void)
{
	volatile char *wild = (volatile char *)0x10000;

	phase("badaddr", (void *)wild, PG);
	if (!sigsetjmp(jb, 1))
		(void)*wild;
	if (fault_addr != (uintptr_t)wild) {
		fprintf(stderr, "badaddr: no SIGSEGV\n");
		exit(1);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static void op_touch(char *p, size_t len)
{
	touch(p, len);
}

static void op_unmap(char *p, size_t len)
{
	munmap(p, len);
}

/* @op on each of the @per chunks at @p, timed into out[0..room). */
static void time_chunks(char *p, size_t chunk, unsigned long per,
			void (*op)(char *, size_t), uint64_t *out,
			unsigned long room)
{
	unsigned long j;

	for (j = 0; j < per; j++) {
		uint64_t a = now_ns();

		op(p + j * chunk, chunk);
		if (j < room)
			out[j] = now_ns() - a;
	}
}

/*
 * The benchmark's loop. Besides its wall-clock time it times every 2 MiB
 * chunk of touching (512 faults, one page-table page) and of unmapping,
 * and prints the first quartile of each: under QEMU TCG on this host the
 * whole guest runs ~1.8x slower for stretches of tens of ms (a pure
 * user-space loop shows it too), so the loop's total mixes fast and slow
 * stretches differently from run to run. loop_fast_ns, the chunk count
 * times the two quartiles, is the loop at the host's fast speed.
 */
static void do_loop(const char *arg)
{
	unsigned long mib = 256, n = 1, i, k = 0, per, cap;
	const size_t chunk = 2UL << 20;
	uint64_t t0, t1, *tc, *uc;
	size_t len;

	sscanf(arg, "%lu:%lu", &mib, &n);
	len = mib << 20;
	if (len < chunk || len % chunk) {
		fprintf(stderr, "loop: MIB must be a multiple of 2\n");
		exit(2);
	}
	per = len / chunk;
	/* Endless loops (the stress tests) keep the first 64k chunks. */
	cap = n * per < 65536 ? n * per : 65536;
	tc = calloc(cap, sizeof(*tc));
	uc = calloc(cap, sizeof(*uc));
	if (!tc || !uc) {
		perror("calloc");
		exit(1);
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		unsigned long at = k < cap ? k : cap;
		char *p = map_anon(len);

		time_chunks(p, chunk, per, op_touch, tc + at, cap - at);
		time_chunks(p, chunk, per, op_unmap, uc + at, cap - at);
		k += per;
	}
	t1 = now_ns();
	/* For the benchmark: the loop's own time, nothing else. */
	printf("loop_ns %llu faults %lu\n", (unsigned long long)(t1 - t0),
	       n * (len / PG));
	qsort(tc, cap, sizeof(*tc), cmp_u64);
	qsort(uc, cap, sizeof(*uc), cmp_u64);
	printf("loop_chunks %lu touch_p25_ns %llu unmap_p25_ns %llu\n", k,
	       (unsigned long long)tc[cap / 4], (unsigned long long)uc[cap / 4]);
	printf("loop_fast_ns %llu\n",
	       (unsigned long long)(k * (tc[cap / 4] + uc[cap / 4])));
	fflush(stdout);
	free(tc);
	free(uc);
}

static void do_touchlat(const char *arg, int write)
{
	unsigned long mib = 256, n = 1, i, k = 0, per;
	uint64_t *cyc;
	size_t len, j;

	sscanf(arg, "%lu:%lu", &mib, &n);
	len = mib << 20;
	per = len / PG;
	cyc = calloc(n * per, sizeof(*cyc));
	if (!cyc) {
		perror("calloc");
		exit(1);
	}
	for (i = 0; i < n; i++) {
		volatile char *p = map_anon(len);

		for (j = 0; j < len; j += PG) {
			uint64_t t0 = __rdtsc();

			if (write)
				p[j] = 1;
			else
				(void)p[j];
			cyc[k++] = __rdtsc() - t0;
		}
		munmap((void *)p, len);
	}
	qsort(cyc, k, sizeof(*cyc), cmp_u64);
	printf("%s_cycles p25 %llu p50 %llu p75 %llu faults %lu\n",
	       write ? "touch" : "read", (unsigned long long)cyc[k / 4], (unsigned long long)cyc[k / 2],
	       (unsigned long long)cyc[3 * k / 4], k);
	fflush(stdout);
	free(cyc);
}

static void do_clock(const char *arg)
{
	unsigned long n = 100000, i;
	struct timespec t0, t1, t;

	sscanf(arg, "%lu", &n);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		clock_gettime(CLOCK_MONOTONIC, &t);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("clock_ns_per_read %.0f\n",
	       ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
		(double)(t1.tv_nsec - t0.tv_nsec)) / (double)(n ? n : 1));
	fflush(stdout);
}

static void wait_usr1(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigwait(&set, &sig);
}

static void do_fifo(void)
{
	struct sched_param sp = { .sched_priority = 10 };
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus) ||
	    sched_setscheduler(0, SCHED_FIFO, &sp)) {
		perror("fifo");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t set;
	int i = 1, wait = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	if (argc > 1 && !strcmp(argv[1], "--wait")) {
		wait = 1;
		i++;
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		printf("ready %d\n", (int)getpid());
		fflush(stdout);
		wait_usr1();
	}
	for (; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "anon"))
			do_anon();
		else if (!strcmp(a, "stack"))
			do_stack();
		else if (!strcmp(a, "cow"))
			do_cow();
		else if (!strcmp(a, "swap"))
			do_swap();
		else if (!strcmp(a, "perm"))
			do_perm();
		else if (!strcmp(a, "badaddr"))
			do_badaddr();
		else if (!strncmp(a, "file:", 5))
			do_file(a + 5, 0);
		else if (!strncmp(a, "shared:", 7))
			do_file(a + 7, 1);
		else if (!strncmp(a, "loop:", 5))
			do_loop(a + 5);
		else if (!strncmp(a, "touchlat:", 9))
			do_touchlat(a + 9, 1);
		else if (!strncmp(a, "readlat:", 8))
			do_touchlat(a + 8, 0);
		else if (!strncmp(a, "clock:", 6))
			do_clock(a + 6);
		else if (!strcmp(a, "fifo"))
			do_fifo();
		else {
			fprintf(stderr, "unknown phase %s\n", a);
			return 2;
		}
	}
	if (wait) {
		printf("done\n");
		fflush(stdout);
		wait_usr1();
	}
	return 0;
}
