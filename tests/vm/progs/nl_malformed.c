// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed requests to the procscope family, built byte by byte on
 * purpose (no libmnl: the point is to send what a library would refuse to
 * build). Every one must be refused with the right errno, and random
 * garbage must never be accepted as a valid request or hurt the kernel
 * (the VM run checks dmesg).
 *
 * Each command has its own policy: an attribute another command takes is
 * refused (extended ACK pointing at it), and a missing required one is
 * named (NLMSGERR_ATTR_MISS_TYPE and the message).
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

/* talk() that also reads the extended ACK. */
static int talk_ack(uint8_t cmd, uint16_t flags, const void *attrs,
		    size_t alen, struct nlr_ack *ack)
{
	return nlr_talk_ack(fd, &seq, family, cmd, flags, attrs, alen, NULL, 0,
			    ack);
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

/*
 * An attribute @cmd does not take, after a valid A_PID: refused with
 * EINVAL and an extended ACK whose offset points at it.
 */
static void expect_foreign(const char *name, uint8_t cmd, uint16_t flags,
			   uint32_t pid, uint16_t type, const void *v,
			   uint16_t len)
{
	unsigned char a[64];
	struct nlr_ack ack;
	size_t n = 0;
	long at;
	int r;

	if (pid)
		n = put_attr(a, PROCSCOPE_A_PID, &pid, 4);
	at = (long)(NLMSG_HDRLEN + GENL_HDRLEN + n);
	n += put_attr(a + n, type, v, len);
	r = talk_ack(cmd, flags, a, n, &ack);
	if (r == -EINVAL && ack.offs != at) {
		printf("FAIL %s: refused, but the extended ACK points at offset %ld, not %ld (\"%s\")\n",
		       name, ack.offs, at, ack.msg);
		failures++;
		return;
	}
	expect(name, r, -EINVAL);
}

/*
 * A request without the required attribute @type: EINVAL, the missing
 * type in the extended ACK (doit only: a dump's .start reports no
 * NLMSGERR_ATTR_MISS_TYPE on 6.1) and a message naming it.
 */
static void expect_missing(const char *name, uint8_t cmd, uint16_t flags,
			   const void *attrs, size_t alen, uint16_t type,
			   const char *msg)
{
	struct nlr_ack ack;
	int r = talk_ack(cmd, flags, attrs, alen, &ack);

	if (r == -EINVAL && strcmp(ack.msg, msg)) {
		printf("FAIL %s: message \"%s\", want \"%s\"\n", name,
		       ack.msg, msg);
		failures++;
		return;
	}
	if (r == -EINVAL && !(flags & NLM_F_DUMP) && ack.miss_type != type) {
		printf("FAIL %s: missing attribute type %ld in the extended ACK, want %u\n",
		       name, ack.miss_type, type);
		failures++;
		return;
	}
	expect(name, r, -EINVAL);
}

int main(int argc, char **argv)
{
	unsigned char a[256];
	uint32_t pid, zero = 0, u32;
	uint64_t u64;
	uint8_t u8 = 1;
	size_t n;
	int i, accepted = 0, one = 1;

	if (argc != 2)
		return 2;
	pid = (uint32_t)atoi(argv[1]);
	fd = nlr_socket();
	if (fd < 0)
		return fprintf(stderr, "netlink: %s\n", strerror(-fd)), 1;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
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

	/* Per-command policies: what another command takes is refused. */
	u64 = 0x1000;
	expect_foreign("PT_SUMMARY with TRANSLATE's A_VA", PROCSCOPE_CMD_PT_SUMMARY,
		       0, pid, PROCSCOPE_A_VA, &u64, 8);
	expect_foreign("GET_STATUS with an A_PID", PROCSCOPE_CMD_GET_STATUS, 0,
		       0, PROCSCOPE_A_PID, &pid, 4);
	expect_foreign("VMA_DUMP with PTE_DUMP's A_ADDR_START",
		       PROCSCOPE_CMD_VMA_DUMP, NLM_F_DUMP, pid,
		       PROCSCOPE_A_ADDR_START, &u64, 8);
	u32 = PROCSCOPE_WATCH_F_FAULTS;
	expect_foreign("WATCH_DEL with WATCH_ADD's A_WATCH_FLAGS",
		       PROCSCOPE_CMD_WATCH_DEL, 0, pid,
		       PROCSCOPE_A_WATCH_FLAGS, &u32, 4);
	/* Required attributes: missing ones are named. */
	expect_missing("PT_SUMMARY without A_PID", PROCSCOPE_CMD_PT_SUMMARY, 0,
		       NULL, 0, PROCSCOPE_A_PID, "missing PROCSCOPE_A_PID");
	n = put_attr(a, PROCSCOPE_A_PID, &pid, 4);
	expect_missing("TRANSLATE without A_VA", PROCSCOPE_CMD_TRANSLATE, 0,
		       a, n, PROCSCOPE_A_VA, "missing PROCSCOPE_A_VA");
	expect_missing("PTE_DUMP without A_PID", PROCSCOPE_CMD_PTE_DUMP,
		       NLM_F_DUMP, NULL, 0, PROCSCOPE_A_PID,
		       "missing PROCSCOPE_A_PID");

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
