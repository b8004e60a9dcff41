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
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../../module/uapi/procscope.h"

static int fd, failures;
static uint16_t family;
static uint32_t seq = 1;

struct msg {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	unsigned char attrs[4096];
};

static size_t put_attr(unsigned char *p, uint16_t type, const void *v, uint16_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	memcpy(p, &a, sizeof(a));
	memcpy(p + NLA_HDRLEN, v, len);
	return NLA_ALIGN(NLA_HDRLEN + len);
}

/* Send @cmd with @alen bytes of attributes; return the errno of the answer. */
static int talk(uint16_t type, uint8_t cmd, uint16_t flags, const void *attrs,
		size_t alen, void *reply, size_t rlen)
{
	struct msg m;
	char buf[65536];
	ssize_t n;

	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + alen;
	m.nh.nlmsg_type = type;
	m.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m.nh.nlmsg_seq = ++seq;
	m.gh.cmd = cmd;
	m.gh.version = PROCSCOPE_GENL_VERSION;
	memcpy(m.attrs, attrs, alen);
	if (send(fd, &m, m.nh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *nh;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			if (nh->nlmsg_type == NLMSG_DONE)
				return *(int *)NLMSG_DATA(nh);
			if (reply && nh->nlmsg_len <= rlen)
				memcpy(reply, nh, nh->nlmsg_len);
		}
	}
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

static uint16_t resolve_family(void)
{
	unsigned char a[64], reply[4096];
	struct nlmsghdr *nh = (struct nlmsghdr *)reply;
	size_t len = put_attr(a, CTRL_ATTR_FAMILY_NAME, PROCSCOPE_GENL_NAME,
			      sizeof(PROCSCOPE_GENL_NAME));
	struct nlattr *at;
	int rem;

	memset(reply, 0, sizeof(reply));
	if (talk(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, a, len, reply, sizeof(reply)))
		return 0;
	at = (struct nlattr *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
	rem = (int)nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (rem >= NLA_HDRLEN && at->nla_len >= NLA_HDRLEN && at->nla_len <= rem) {
		if (at->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)((char *)at + NLA_HDRLEN);
		rem -= NLA_ALIGN(at->nla_len);
		at = (struct nlattr *)((char *)at + NLA_ALIGN(at->nla_len));
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	unsigned char a[256];
	uint32_t pid, zero = 0, u32;
	uint64_t u64;
	uint8_t u8 = 1;
	size_t n;
	int i, accepted = 0, one = 1;

	if (argc != 2)
		return 2;
	pid = (uint32_t)atoi(argv[1]);
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return perror("netlink"), 1;
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	family = resolve_family();
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
