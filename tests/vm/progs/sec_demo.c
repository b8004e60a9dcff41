// SPDX-License-Identifier: GPL-2.0
/*
 * sec_demo: the attacks of the security review (docs/security.md), played
 * against the module so that t_17_sec_access can check they fail. Raw
 * netlink on purpose: an attacker uses no library's good manners.
 *
 *   sec_demo deputy PID|self
 *       A dump queued by uid 1000 and drained by a privileged reader (the
 *       socket passed by SCM_RIGHTS, as to a setuid program reading
 *       stdin). Run as root. Prints what each side read:
 *         reader: dump_msgs=N pfn_visible=V done_err=E
 *         requester: dump_msgs=N pfn_visible=V done_err=E
 *   sec_demo watchfill N [GATE]
 *       WATCH_ADD N fresh children of its own as the current user; prints
 *       "added=K first_err=E"; with GATE, keeps its socket (and watches)
 *       until the file GATE exists, then exits.
 *   sec_demo watchrefill N
 *       WATCH_ADD N children on one socket, close it, and at once WATCH_ADD
 *       them again on a new socket: the closed socket's quota must be
 *       back. Prints "first=K second=K2 err=E" (E: the second round's
 *       first error).
 *   sec_demo watchadd PID [GATE]   one WATCH_ADD; prints "err=E"; GATE as above
 *   sec_demo watchdel PID          one WATCH_DEL; prints "err=E"
 *   sec_demo watchget PID          WATCH_GET filtered on PID; prints "found=0|1"
 *   sec_demo pin PID GATE          start a PTE_DUMP of PID, read none of it,
 *                                  print "pinned", hold until GATE exists
 *   sec_demo futexfault            a pagefault_disable()d kernel access to an
 *                                  unmapped address (FUTEX_WAKE_OP), the path
 *                                  an NMI's user access takes
 *   sec_demo exec_gate GATE PROG [ARG...]
 *                                  wait for GATE, then exec PROG
 *   sec_demo vmread                process_vm_readv() of a child's pages (a
 *                                  fault in a foreign mm); prints "read=N"
 *   sec_demo hog MB GATE           MB of touched anonymous memory; prints
 *                                  "ready", holds until GATE exists
 *   sec_demo maplong DIR GATE      maps a file whose path below DIR is ~4000
 *                                  bytes long (a VMA record larger than a
 *                                  small reader's message); prints "ready",
 *                                  holds until GATE exists
 *   sec_demo vmadump PID           VMA_DUMP read with a 4 KiB buffer; prints
 *                                  "vmas=N done_err=E"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nl_raw.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static uint16_t family;
static uint32_t seq;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static int nl_open(void)
{
	int fd = nlr_socket();

	if (fd < 0) {
		errno = -fd;
		die("netlink socket");
	}
	return fd;
}

struct req {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	unsigned char attrs[256];
};

static void send_req(int fd, uint16_t type, uint8_t cmd, uint8_t version,
		     uint16_t flags, const void *attrs, size_t alen)
{
	struct req m;

	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + alen;
	m.nh.nlmsg_type = type;
	m.nh.nlmsg_flags = NLM_F_REQUEST | flags;
	m.nh.nlmsg_seq = ++seq;
	m.gh.cmd = cmd;
	m.gh.version = version;
	memcpy(m.attrs, attrs, alen);
	if (send(fd, &m, m.nh.nlmsg_len, 0) < 0)
		die("send");
}

static uint16_t resolve_family(int fd)
{
	uint16_t id = nlr_resolve_family(fd, PROCSCOPE_GENL_NAME);

	if (!id) {
		fprintf(stderr, "sec_demo: procscope family not found\n");
		exit(2);
	}
	return id;
}

static size_t pid_attrs(unsigned char *a, uint32_t pid, uint32_t wflags)
{
	size_t alen = nlr_put_attr(a, PROCSCOPE_A_PID, &pid, sizeof(pid));

	if (wflags)
		alen += nlr_put_attr(a + alen, PROCSCOPE_A_WATCH_FLAGS, &wflags,
				     sizeof(wflags));
	return alen;
}

/* Send without waiting for the answer (dumps read by their caller). */
static void pid_req(int fd, uint8_t cmd, uint16_t flags, uint32_t pid,
		    uint32_t wflags)
{
	unsigned char a[64];
	size_t alen = pid_attrs(a, pid, wflags);

	send_req(fd, family, cmd, PROCSCOPE_GENL_VERSION, flags, a, alen);
}

/* One doit request; the errno of its answer. */
static int pid_talk(int fd, uint8_t cmd, uint32_t pid, uint32_t wflags)
{
	unsigned char a[64];
	size_t alen = pid_attrs(a, pid, wflags);

	return nlr_talk(fd, &seq, family, cmd, 0, a, alen, NULL, 0);
}

static void drop_to(uid_t id)
{
	if (setgroups(0, NULL) || setresgid(id, id, id) || setresuid(id, id, id))
		die("drop privileges");
}

static void wait_gate(const char *gate)
{
	struct stat st;

	while (stat(gate, &st))
		usleep(20000);
}

/* ------------------------------------------------------------- deputy */

struct tally {
	int dump_msgs, pfn_visible, done_err, other;
};

/* Read everything queued now (and what reading makes the dump produce). */
static void drain(int fd, struct tally *t)
{
	static char buf[65536];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *nh;

		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			return;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			struct genlmsghdr *gh = NLMSG_DATA(nh);
			struct nlattr *at;
			int left;

			if (nh->nlmsg_type == NLMSG_DONE) {
				t->done_err = *(int *)NLMSG_DATA(nh);
				continue;
			}
			if (nh->nlmsg_type != family ||
			    gh->cmd != PROCSCOPE_CMD_PTE_DUMP) {
				t->other++;
				continue;
			}
			t->dump_msgs++;
			at = (struct nlattr *)((char *)gh + GENL_HDRLEN);
			left = nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			while (left >= NLA_HDRLEN && at->nla_len >= NLA_HDRLEN) {
				if (at->nla_type == PROCSCOPE_A_PFN_VISIBLE &&
				    *((uint8_t *)at + NLA_HDRLEN))
					t->pfn_visible = 1;
				left -= NLA_ALIGN(at->nla_len);
				at = (struct nlattr *)((char *)at +
						       NLA_ALIGN(at->nla_len));
			}
		}
	}
}

static void send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'f';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &mh, 0) < 0)
		die("sendmsg SCM_RIGHTS");
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &mh, 0) <= 0)
		die("recvmsg SCM_RIGHTS");
	c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		die("no fd passed");
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static int deputy(const char *target)
{
	int sp[2], status;
	char byte = 'x';
	pid_t child;

	if (geteuid() != 0) {
		fprintf(stderr, "sec_demo deputy: run as root (it plays both sides)\n");
		return 2;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp))
		die("socketpair");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		struct tally t = { .done_err = 1 };
		int one = 1, small = 0, fd, i;
		uint32_t pid;

		drop_to(1000);
		pid = strcmp(target, "self") ? (uint32_t)atoi(target) : (uint32_t)getpid();
		fd = nl_open();
		family = resolve_family(fd);
		/* A full receive queue: the dump is not run at request time. */
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
		setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one));
		for (i = 0; i < 64; i++)
			send_req(fd, family, PROCSCOPE_CMD_GET_STATUS,
				 PROCSCOPE_GENL_VERSION, 0, NULL, 0);
		pid_req(fd, PROCSCOPE_CMD_PTE_DUMP, NLM_F_DUMP, pid, 0);
		send_fd(sp[1], fd);
		if (read(sp[1], &byte, 1) != 1)
			die("read");
		drain(fd, &t);
		printf("requester: dump_msgs=%d pfn_visible=%d done_err=%d\n",
		       t.dump_msgs, t.pfn_visible, t.done_err);
		fflush(stdout);
		_exit(0);
	}
	{
		struct tally t = { .done_err = 1 };
		int fd = recv_fd(sp[0]);
		int nfd = nl_open();

		family = resolve_family(nfd);
		close(nfd);
		drain(fd, &t);
		printf("reader: dump_msgs=%d pfn_visible=%d done_err=%d status_msgs=%d\n",
		       t.dump_msgs, t.pfn_visible, t.done_err, t.other);
		fflush(stdout);
		close(fd);
		if (write(sp[0], &byte, 1) != 1)
			die("write");
	}
	waitpid(child, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

/* ------------------------------------------------------------- watches */

static pid_t spawn_sleeper(void)
{
	pid_t p = fork();

	if (p < 0)
		die("fork");
	if (p == 0) {
		for (;;)
			pause();
	}
	return p;
}

static int watchfill(int n, const char *gate)
{
	int fd = nl_open(), added = 0, first_err = 0, i;
	pid_t *kids = calloc(n, sizeof(*kids));

	family = resolve_family(fd);
	for (i = 0; i < n; i++) {
		int err;

		kids[i] = spawn_sleeper();
		err = pid_talk(fd, PROCSCOPE_CMD_WATCH_ADD, kids[i],
			       PROCSCOPE_WATCH_F_FAULTS);
		if (!err)
			added++;
		else if (!first_err)
			first_err = err;
	}
	printf("added=%d first_err=%d\n", added, first_err);
	for (i = 0; i < n; i++)
		printf("pid %d\n", kids[i]);
	fflush(stdout);
	if (gate)
		wait_gate(gate);
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}

/* N WATCH_ADDs of @kids on a fresh socket, closed before returning. */
static int add_round(const pid_t *kids, int n, int *first_err)
{
	int fd = nl_open(), added = 0, i;

	family = resolve_family(fd);
	*first_err = 0;
	for (i = 0; i < n; i++) {
		int err = pid_talk(fd, PROCSCOPE_CMD_WATCH_ADD, kids[i],
				   PROCSCOPE_WATCH_F_FAULTS);

		if (!err)
			added++;
		else if (!*first_err)
			*first_err = err;
	}
	close(fd);
	return added;
}

static int watchrefill(int n)
{
	pid_t *kids = calloc(n, sizeof(*kids));
	int first, second, err, i;

	if (!kids)
		die("calloc");
	for (i = 0; i < n; i++)
		kids[i] = spawn_sleeper();
	first = add_round(kids, n, &err);
	second = add_round(kids, n, &err);
	printf("first=%d second=%d err=%d\n", first, second, err);
	fflush(stdout);
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	free(kids);
	return 0;
}

static int one_cmd(uint8_t cmd, uint32_t pid, const char *gate)
{
	int fd = nl_open(), err;

	family = resolve_family(fd);
	err = pid_talk(fd, cmd, pid,
		       cmd == PROCSCOPE_CMD_WATCH_ADD ? PROCSCOPE_WATCH_F_FAULTS : 0);
	printf("err=%d\n", err);
	fflush(stdout);
	if (gate)
		wait_gate(gate);
	return 0;
}

static int watchget(uint32_t pid)
{
	static char buf[65536];
	int fd = nl_open(), found = 0, done = 0;

	family = resolve_family(fd);
	pid_req(fd, PROCSCOPE_CMD_WATCH_GET, NLM_F_DUMP, pid, 0);
	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;

		if (n < 0)
			die("recv");
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_DONE ||
			    nh->nlmsg_type == NLMSG_ERROR)
				done = 1;
			else if (nh->nlmsg_type == family)
				found = 1;
		}
	}
	printf("found=%d\n", found);
	return 0;
}

static int pin(uint32_t pid, const char *gate)
{
	int fd = nl_open(), small = 0;

	family = resolve_family(fd);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	pid_req(fd, PROCSCOPE_CMD_PTE_DUMP, NLM_F_DUMP, pid, 0);
	printf("pinned\n");
	fflush(stdout);
	wait_gate(gate);
	return 0;
}

static int futexfault(void)
{
	/* A page-aligned address with nothing mapped: a fresh mapping, gone. */
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t word = 0;
	long r;

	if (p == MAP_FAILED)
		die("mmap");
	munmap(p, 4096);
	/*
	 * Private, so that no get_user_pages() of uaddr2 comes first: its
	 * atomic op runs with page faults disabled, faults and fails.
	 */
	r = syscall(SYS_futex, &word, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, NULL, p,
		    FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0));
	printf("futex=%ld errno=%d\n", r, r < 0 ? errno : 0);
	return 0;
}

static int vmread(void)
{
	size_t len = 64 * 4096;
	char *buf = malloc(len), *p;
	int sp[2], i, total = 0;
	pid_t child;

	if (pipe(sp))
		die("pipe");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED || !buf)
		die("mmap");
	child = fork();
	if (child == 0) {
		/* Its pages untouched: the parent's reads fault them in. */
		close(sp[1]);
		if (read(sp[0], buf, 1) < 0)
			_exit(1);
		_exit(0);
	}
	for (i = 0; i < 4; i++) {
		struct iovec local = { .iov_base = buf, .iov_len = len };
		struct iovec remote = { .iov_base = p, .iov_len = len };
		ssize_t n = process_vm_readv(child, &local, 1, &remote, 1, 0);

		if (n > 0)
			total += n;
	}
	close(sp[1]);
	waitpid(child, NULL, 0);
	printf("read=%d\n", total);
	return total > 0 ? 0 : 1;
}

static int hog(size_t mb, const char *gate)
{
	size_t len = mb << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 0x5a, len);
	printf("ready\n");
	fflush(stdout);
	wait_gate(gate);
	return 0;
}

static int maplong(const char *dir, const char *gate)
{
	char path[4096], comp[201];
	size_t len;
	void *p;
	int fd;

	memset(comp, 'd', 200);
	comp[200] = 0;
	snprintf(path, sizeof(path), "%s", dir);
	while ((len = strlen(path)) + 202 < 3990) {
		snprintf(path + len, sizeof(path) - len, "/%s", comp);
		if (mkdir(path, 0755) && errno != EEXIST)
			die("mkdir");
	}
	len = strlen(path);
	snprintf(path + len, sizeof(path) - len, "/%.*s", (int)(4040 - len), comp);
	fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0 || ftruncate(fd, 4096))
		die("long path file");
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	printf("ready %zu\n", strlen(path));
	fflush(stdout);
	wait_gate(gate);
	return 0;
}

static int vmadump(uint32_t pid)
{
	static char buf[4096];
	int rfd = nl_open(), fd = nl_open(), vmas = 0, done_err = 1;

	/* A socket that never read more than 4 KiB: the kernel sizes to it. */
	family = resolve_family(rfd);
	pid_req(fd, PROCSCOPE_CMD_VMA_DUMP, NLM_F_DUMP, pid, 0);
	while (done_err == 1) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;

		if (n < 0)
			die("recv");
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			struct genlmsghdr *gh = NLMSG_DATA(nh);
			struct nlattr *at = (struct nlattr *)((char *)gh + GENL_HDRLEN);

			if (nh->nlmsg_type == NLMSG_DONE)
				done_err = *(int *)NLMSG_DATA(nh);
			else if (nh->nlmsg_type == NLMSG_ERROR)
				done_err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			else if (nh->nlmsg_type == family &&
				 nh->nlmsg_len > NLMSG_HDRLEN + GENL_HDRLEN &&
				 (at->nla_type & NLA_TYPE_MASK) == PROCSCOPE_A_VMA)
				vmas++;
		}
	}
	printf("vmas=%d done_err=%d\n", vmas, done_err);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "deputy") && argc == 3)
		return deputy(argv[2]);
	if (!strcmp(cmd, "watchfill") && argc >= 3)
		return watchfill(atoi(argv[2]), argc > 3 ? argv[3] : NULL);
	if (!strcmp(cmd, "watchrefill") && argc == 3)
		return watchrefill(atoi(argv[2]));
	if (!strcmp(cmd, "watchadd") && argc >= 3)
		return one_cmd(PROCSCOPE_CMD_WATCH_ADD, atoi(argv[2]),
			       argc > 3 ? argv[3] : NULL);
	if (!strcmp(cmd, "watchdel") && argc == 3)
		return one_cmd(PROCSCOPE_CMD_WATCH_DEL, atoi(argv[2]), NULL);
	if (!strcmp(cmd, "watchget") && argc == 3)
		return watchget(atoi(argv[2]));
	if (!strcmp(cmd, "pin") && argc == 4)
		return pin(atoi(argv[2]), argv[3]);
	if (!strcmp(cmd, "futexfault"))
		return futexfault();
	if (!strcmp(cmd, "maplong") && argc == 4)
		return maplong(argv[2], argv[3]);
	if (!strcmp(cmd, "vmadump") && argc == 3)
		return vmadump(atoi(argv[2]));
	if (!strcmp(cmd, "hog") && argc == 4)
		return hog(strtoul(argv[2], NULL, 0), argv[3]);
	if (!strcmp(cmd, "vmread"))
		return vmread();
	if (!strcmp(cmd, "exec_gate") && argc >= 4) {
		wait_gate(argv[2]);
		execv(argv[3], argv + 3);
		die(argv[3]);
	}
	fprintf(stderr, "usage: see the comment at the top of sec_demo.c\n");
	return 2;
}
