// SPDX-License-Identifier: GPL-2.0
/*
 * Attacker-side helpers for t_16_sec_sockets.sh. Each mode sets up its
 * sockets, creates READY and then sleeps until it is killed.
 *
 *   sec_sock raw N READY
 *	One UDP socket per family in the current network namespace, each
 *	with a 100-byte datagram queued to itself (the genuine UDP sockets:
 *	their 'unread' must still be reported); then unshare(CLONE_NEWUSER |
 *	CLONE_NEWNET), as any user may where user namespaces are allowed,
 *	and N raw IPv4 and N raw IPv6 sockets of protocol IPPROTO_UDP in the
 *	new namespace (CAP_NET_RAW there is all a raw socket needs). Exit 3
 *	if the namespace cannot be created.
 *
 *   sec_sock listen N EARLY READY GATE
 *	EARLY TCP listeners on 127.0.0.1 (ephemeral ports, backlog 8), then
 *	waits for GATE to exist, then N - EARLY more; writes the port of the
 *	first listener to READY; never accepts.
 *
 *   sec_sock kfault
 *	Page faults taken in kernel mode on its own behalf: read() from
 *	/dev/zero into 16 untouched anonymous pages (handled by mm), and
 *	write() from an unmapped page (a bad-area fault fixed up to EFAULT).
 *	Exits 0 when both happened as expected.
 *
 *   sec_sock watch PID FLAGS READY
 *	WATCH_ADD of PID with FLAGS (enum procscope_watch_flag bits), as
 *	whoever runs it; writes the result (0 or -errno) to READY and keeps
 *	the netlink socket open until killed (a watch may end with it).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nl_raw.h"

static void touch(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) || rename(tmp, path)) {
		perror(path);
		exit(1);
	}
}

/* A UDP socket of @family holding one 100-byte datagram it sent itself. */
static int udp_self(int family)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char buf[100];
	int fd;

	memset(&ss, 0, sizeof(ss));
	memset(buf, 'x', sizeof(buf));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
	}
	fd = socket(family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
		 sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) ||
	    sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, len) !=
	    (ssize_t)sizeof(buf)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int do_raw(int n, const char *ready)
{
	int i;

	if (udp_self(AF_INET) < 0) {
		perror("udp4");
		return 1;
	}
	udp_self(AF_INET6);	/* IPv6 may be off; the test checks */
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
		perror("unshare(CLONE_NEWUSER | CLONE_NEWNET)");
		return 3;
	}
	for (i = 0; i < n; i++) {
		if (socket(AF_INET, SOCK_RAW, IPPROTO_UDP) < 0) {
			perror("raw IPv4 socket");
			return 1;
		}
		if (socket(AF_INET6, SOCK_RAW, IPPROTO_UDP) < 0) {
			perror("raw IPv6 socket");
			return 1;
		}
	}
	touch(ready, "ok\n");
	for (;;)
		pause();
	return 0;
}

static int listener(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 8) || getsockname(fd, (struct sockaddr *)&a, &len)) {
		perror("listener");
		exit(1);
	}
	if (port)
		*port = ntohs(a.sin_port);
	return fd;
}

static int do_listen(int n, int early, const char *ready, const char *gate)
{
	int port, i;
	struct stat st;
	char text[32];

	listener(&port);
	for (i = 1; i < early; i++)
		listener(NULL);
	while (stat(gate, &st))
		usleep(20000);
	for (i = early > 0 ? early : 1; i < n; i++)
		listener(NULL);
	snprintf(text, sizeof(text), "%d\n", port);
	touch(ready, text);
	for (;;)
		pause();
	return 0;
}

static int do_watch(uint32_t pid, uint32_t flags, const char *ready)
{
	unsigned char a[64];
	uint16_t family;
	uint32_t seq = 0;
	char text[32];
	size_t len;
	int fd, ret;

	fd = nlr_socket();
	if (fd < 0)
		return fprintf(stderr, "netlink: %s\n", strerror(-fd)), 1;
	family = nlr_resolve_family(fd, PROCSCOPE_GENL_NAME);
	if (!family)
		return fprintf(stderr, "procscope family not found\n"), 1;
	len = nlr_put_attr(a, PROCSCOPE_A_PID, &pid, 4);
	len += nlr_put_attr(a + len, PROCSCOPE_A_WATCH_FLAGS, &flags, 4);
	ret = nlr_talk(fd, &seq, family, PROCSCOPE_CMD_WATCH_ADD, 0, a, len,
		       NULL, 0);
	snprintf(text, sizeof(text), "%d\n", ret);
	touch(ready, text);
	for (;;)
		pause();
	return 0;
}

static int do_kfault(void)
{
	size_t len = 16 * 4096;
	int zero, p[2];
	char *buf;

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	zero = open("/dev/zero", O_RDONLY);
	if (buf == MAP_FAILED || zero < 0 || pipe(p))
		return perror("kfault setup"), 1;
	if (read(zero, buf, len) != (ssize_t)len)
		return perror("read into untouched pages"), 1;
	if (munmap(buf, len))
		return perror("munmap"), 1;
	if (write(p[1], buf, 4096) >= 0 || errno != EFAULT)
		return fprintf(stderr, "write from unmapped memory did not fail with EFAULT\n"), 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "kfault"))
		return do_kfault();
	if (argc == 4 && !strcmp(argv[1], "raw"))
		return do_raw(atoi(argv[2]), argv[3]);
	if (argc == 6 && !strcmp(argv[1], "listen"))
		return do_listen(atoi(argv[2]), atoi(argv[3]), argv[4], argv[5]);
	if (argc == 5 && !strcmp(argv[1], "watch"))
		return do_watch((uint32_t)atoi(argv[2]),
				(uint32_t)strtoul(argv[3], NULL, 0), argv[4]);
	fprintf(stderr,
		"usage: sec_sock raw N READY | listen N EARLY READY GATE | kfault | watch PID FLAGS READY\n");
	return 2;
}
