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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/procscope.h>

static int fd;
static uint16_t family;
static uint32_t seq = 1;

struct msg {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	unsigned char attrs[256];
};

static size_t put_attr(unsigned char *p, uint16_t type, const void *v, uint16_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	memcpy(p, &a, sizeof(a));
	memcpy(p + NLA_HDRLEN, v, len);
	return NLA_ALIGN(NLA_HDRLEN + len);
}

/*
 * Send @cmd; read every answer up to its ACK, error or NLMSG_DONE; return
 * the error (0: success). The first reply message is copied to @reply.
 */
static int talk(uint16_t type, uint8_t cmd, uint16_t flags, const void *attrs,
		size_t alen, void *reply, size_t rlen)
{
	static char buf[1 << 17];
	struct msg m;
	ssize_t n;

	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + alen;
	m.nh.nlmsg_type = type;
	m.nh.nlmsg_flags = NLM_F_REQUEST | flags | (flags & NLM_F_DUMP ? 0 : NLM_F_ACK);
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
			if (reply && nh->nlmsg_len <= rlen) {
				memcpy(reply, nh, nh->nlmsg_len);
				reply = NULL;
			}
		}
	}
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
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	unsigned char a[128];
	uint64_t start, end, va;
	unsigned long walks = 0;
	uint32_t pid;
	double until;
	size_t n;
	int one = 1;

	if (argc != 5) {
		fprintf(stderr, "usage: pt_walkloop PID START END SECONDS\n");
		return 2;
	}
	pid = (uint32_t)strtoul(argv[1], NULL, 0);
	start = strtoull(argv[2], NULL, 0);
	end = strtoull(argv[3], NULL, 0);
	va = start + (2 << 20) + 4096;
	until = now() + atof(argv[4]);
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return perror("netlink"), 1;
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	family = resolve_family();
	if (!family)
		return fprintf(stderr, "procscope family not found\n"), 1;

	while (now() < until) {
		n = put_attr(a, PROCSCOPE_A_PID, &pid, 4);
		if (check("PT_SUMMARY", talk(family, PROCSCOPE_CMD_PT_SUMMARY, 0,
					     a, n, NULL, 0), walks))
			break;
		n += put_attr(a + n, PROCSCOPE_A_ADDR_START, &start, 8);
		n += put_attr(a + n, PROCSCOPE_A_ADDR_END, &end, 8);
		if (check("PTE_DUMP", talk(family, PROCSCOPE_CMD_PTE_DUMP,
					   NLM_F_DUMP, a, n, NULL, 0), walks))
			break;
		n = put_attr(a, PROCSCOPE_A_PID, &pid, 4);
		n += put_attr(a + n, PROCSCOPE_A_VA, &va, 8);
		if (check("TRANSLATE", talk(family, PROCSCOPE_CMD_TRANSLATE, 0,
					    a, n, NULL, 0), walks))
			break;
		walks++;
	}
	printf("walks %lu\n", walks);
	return 0;
}
