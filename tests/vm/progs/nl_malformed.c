// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed requests to the procscope family, built byte by byte on
 * purpose (no libmnl: the point is to send what a library would refuse to
 * build). Every one must be refused with the right errno, and random
 * garbage must never be accepted as a valid request or hurt the kernel
 * (the VM run checks dmesg).
 *
 *   nl_malformed PID      PID: a live process of the caller's
 *
 * Prints "ok NAME" / "FAIL NAME: ..." per case; exits 1 on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl_raw.h"

static int fd, failures;
static uint16_t family;
static uint32_t seq = 1;

#define put_attr nlr_put_attr

/* Send @cmd with @alen bytes of attributes; return the errno of the answer. */
static int talk(uint16_t type, uint8_t cmd, uint16_t flags, const void *attrs,
		size_t alen, void *reply, size_t rlen)
{
	return nlr_talk(fd, &seq, type, cmd, flags, attrs, alen, reply, rlen);
}

static void expect(const char *name, int got, int want)
{
	if (got == want) {
		printf("ok %s\n", name);
		return;
	}
	printf("FAIL %s: got %d (%s), want %d (%s)\n", name, got,
	       strerror(-got), want, strerror(-want));
	failures++;
}

int main(int argc, char **argv)
{
	unsigned char a[256];
	uint32_t pid, zero = 0, u32;
	uint64_t u64;
	uint8_t u8 = 1;
	size_t n;
	int i, accepted = 0;

	if (argc != 2)
		return 2;
	pid = (uint32_t)atoi(argv[1]);
	fd = nlr_socket();
	if (fd < 0)
		return fprintf(stderr, "netlink: %s\n", strerror(-fd)), 1;
	family = nlr_resolve_family(fd, PROCSCOPE_GENL_NAME);
	if (!family)
		return fprintf(stderr, "procscope family not found\n"), 1;

	/* Sanity: a well-formed request is accepted. */
	n = put_attr(a, PROCSCOPE_A_PID, &pid, 4);
	expect("valid PT_SUMMARY", talk(family, PROCSCOPE_CMD_PT_SUMMARY, 0, a, n, NULL, 0), 0);

	expect("no PID", talk(family, PROCSCOPE_CMD_PT_SUMMARY, 0, NULL, 0, NULL, 0), -EINVAL);
	n = put_attr(a, PROCSCOPE_A_PID, &u8, 1);
	expect("PID as u8", talk(family, PROCSCOPE_CMD_PT_SUMMARY, 0, a, n, NULL, 0), -EINVAL);
	n = put_attr(a, PROCSCOPE_A_PID, &zero, 4);
	expect("PID 0 (policy min 1)", talk(family, PROCSCOPE_CMD_PT_SUMMARY, 0, a, n, NULL, 0), -ERANGE);
	n = put_attr(a, PROCSCOPE_A_PID, &pid, 4);
	n += put_attr(a + n, PROCSCOPE_A_MAX + 5, &pid, 4);
	expect("unknown attribute", talk(family, PROCSCOPE_CMD_PT_SUMMARY, 0, a, n, NULL, 0), -EINVAL);
	n = put_attr(a, PROCSCOPE_A_PID, &pid, 4);
	u64 = 1;
	n += put_attr(a + n, PROCSCOPE_A_PT_BYTES, &u64, 8);
	expect("reply-only attribute", talk(family, PROCSCOPE_CMD_PT_SUMMARY, 0, a, n, NULL, 0), -EINVAL);
	n = put_attr(a, PROCSCOPE_A_PID, &pid, 4);
	((struct nlattr *)a)->nla_len = 200;	/* runs past the message */
	expect("truncated attribute", talk(family, PROCSCOPE_CMD_PT_SUMMARY, 0, a, n, NULL, 0), -EINVAL);
	n = put_attr(a, PROCSCOPE_A_PID, &pid, 4);
	expect("unknown command", talk(family, 200, 0, a, n, NULL, 0), -EOPNOTSUPP);
	n = put_attr(a, PROCSCOPE_A_PID, &pid, 4);
	u32 = 1U << 20;
	n += put_attr(a + n, PROCSCOPE_A_WATCH_FLAGS, &u32, 4);
	expect("unknown watch flag", talk(family, PROCSCOPE_CMD_WATCH_ADD, 0, a, n, NULL, 0), -EINVAL);
	n = put_attr(a, PROCSCOPE_A_PID, &pid, 4);
	u64 = 0x20000;
	n += put_attr(a + n, PROCSCOPE_A_ADDR_START, &u64, 8);
	u64 = 0x10000;
	n += put_attr(a + n, PROCSCOPE_A_ADDR_END, &u64, 8);
	expect("reversed dump range", talk(family, PROCSCOPE_CMD_PTE_DUMP, NLM_F_DUMP, a, n, NULL, 0), -EINVAL);

	/* Garbage attributes for every command: never accepted, never harmful. */
	srand(42);
	for (i = 0; i < 3000; i++) {
		uint8_t cmd = (uint8_t)(1 + rand() % PROCSCOPE_CMD_MAX);
		size_t len = 4 + (size_t)(rand() % 120), k;
		int r;

		for (k = 0; k < len; k++)
			a[k] = (unsigned char)rand();
		/* A plausible header so the garbage reaches the policy checks. */
		((struct nlattr *)a)->nla_len = (uint16_t)(4 + rand() % len);
		r = talk(family, cmd, (cmd == PROCSCOPE_CMD_VMA_DUMP ||
				      cmd == PROCSCOPE_CMD_PTE_DUMP ||
				      cmd == PROCSCOPE_CMD_WATCH_GET ||
				      cmd == PROCSCOPE_CMD_SOCK_DUMP) ? NLM_F_DUMP : 0,
			 a, len, NULL, 0);
		if (r == 0)
			accepted++;
	}
	/* Strict validation: not one garbage request gets through. */
	printf("%s garbage: %d of 3000 accepted\n", accepted ? "FAIL" : "ok", accepted);
	if (accepted)
		failures++;
	close(fd);
	return failures ? 1 : 0;
}
