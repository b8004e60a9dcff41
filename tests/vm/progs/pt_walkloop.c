// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table walks of one process as fast as one thread can ask for them,
 * for t_14: PT_SUMMARY, PTE_DUMP of [START, END) and TRANSLATE of START +
 * 2 MiB + 4 KiB, in a loop for SECONDS, straight over generic netlink (no
 * exec per walk, so thousands of walks overlap the collapses). Every
 * request must succeed; the only error accepted is ESRCH once the process
 * is gone.
 *
 *   pt_walkloop PID START END SECONDS
 *
 * Prints "walks N" (complete rounds) and exits 0, or prints what failed and
 * exits 1.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nl_raw.h"

static int fd;
static uint16_t family;
static uint32_t seq;

static int talk(uint8_t cmd, uint16_t flags, const void *attrs, size_t alen)
{
	return nlr_talk(fd, &seq, family, cmd, flags, attrs, alen, NULL, 0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 0 to go on, 1 when the process is gone, else exit with the failure. */
static int check(const char *what, int err, unsigned long walks)
{
	if (!err)
		return 0;
	if (err == -ESRCH)
		return 1;
	printf("FAIL %s after %lu walks: %s\n", what, walks, strerror(-err));
	exit(1);
}

int main(int argc, char **argv)
{
	unsigned char a[128];
	uint64_t start, end, va;
	unsigned long walks = 0;
	uint32_t pid;
	double until;
	size_t n;

	if (argc != 5) {
		fprintf(stderr, "usage: pt_walkloop PID START END SECONDS\n");
		return 2;
	}
	pid = (uint32_t)strtoul(argv[1], NULL, 0);
	start = strtoull(argv[2], NULL, 0);
	end = strtoull(argv[3], NULL, 0);
	va = start + (2 << 20) + 4096;
	until = now() + atof(argv[4]);
	fd = nlr_socket();
	if (fd < 0)
		return fprintf(stderr, "netlink: %s\n", strerror(-fd)), 1;
	family = nlr_resolve_family(fd, PROCSCOPE_GENL_NAME);
	if (!family)
		return fprintf(stderr, "procscope family not found\n"), 1;

	while (now() < until) {
		n = nlr_put_attr(a, PROCSCOPE_A_PID, &pid, 4);
		if (check("PT_SUMMARY", talk(PROCSCOPE_CMD_PT_SUMMARY, 0, a, n), walks))
			break;
		n += nlr_put_attr(a + n, PROCSCOPE_A_ADDR_START, &start, 8);
		n += nlr_put_attr(a + n, PROCSCOPE_A_ADDR_END, &end, 8);
		if (check("PTE_DUMP", talk(PROCSCOPE_CMD_PTE_DUMP, NLM_F_DUMP, a, n), walks))
			break;
		n = nlr_put_attr(a, PROCSCOPE_A_PID, &pid, 4);
		n += nlr_put_attr(a + n, PROCSCOPE_A_VA, &va, 8);
		if (check("TRANSLATE", talk(PROCSCOPE_CMD_TRANSLATE, 0, a, n), walks))
			break;
		walks++;
	}
	printf("walks %lu\n", walks);
	return 0;
}
