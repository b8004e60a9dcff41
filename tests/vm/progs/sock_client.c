// SPDX-License-Identifier: GPL-2.0
/*
 * Test TCP client for the socket tests.
 *
 *   sock_client -p PORT -n N [-6] [-w BYTES] [-h SECS | -H] [-i US] [-o FILE]
 *
 * Starts N non-blocking connects to 127.0.0.1:PORT (or [::1]) without
 * waiting for each (a full accept queue must not serialize them), writes
 * BYTES to each once it is connected, keeps them open for SECS (default 0:
 * until all connected, 10 s at most) and prints how many connected. -H keeps them open until SIGTERM or
 * SIGINT instead (then prints and exits 0), so that a slow kernel cannot
 * close them before a test has looked. -i waits US microseconds between
 * connects. -o FILE is created once all connects were issued.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXC 4096

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	int port = 0, n = 1, v6 = 0, bytes = 0, gap_us = 0, opt, i, ok = 0;
	int forever = 0;
	static int fds[MAXC], sent[MAXC];
	const char *done = NULL;
	double hold = 0, end;
	struct timespec ts;
	static char buf[65536];

	while ((opt = getopt(argc, argv, "p:n:6w:h:Hi:o:")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'n': n = atoi(optarg); break;
		case '6': v6 = 1; break;
		case 'w': bytes = atoi(optarg); break;
		case 'h': hold = atof(optarg); break;
		case 'H': forever = 1; break;
		case 'i': gap_us = atoi(optarg); break;
		case 'o': done = optarg; break;
		default:
			fprintf(stderr, "usage: see the comment in sock_client.c\n");
			return 2;
		}
	}
	if (!port || n < 1 || n > MAXC || bytes > (int)sizeof(buf)) {
		fprintf(stderr, "sock_client: bad arguments\n");
		return 2;
	}
	memset(buf, 'x', sizeof(buf));
	if (forever) {
		struct sigaction sa = { .sa_handler = on_stop };

		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
	}
	for (i = 0; i < n; i++) {
		fds[i] = socket(v6 ? AF_INET6 : AF_INET,
				SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fds[i] < 0)
			return perror("socket"), 1;
		if (v6) {
			struct sockaddr_in6 a = { .sin6_family = AF_INET6,
						  .sin6_port = htons(port),
						  .sin6_addr = IN6ADDR_LOOPBACK_INIT };

			connect(fds[i], (struct sockaddr *)&a, sizeof(a));
		} else {
			struct sockaddr_in a = { .sin_family = AF_INET,
						 .sin_port = htons(port) };

			a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			connect(fds[i], (struct sockaddr *)&a, sizeof(a));
		}
		if (gap_us)
			usleep(gap_us);
	}
	if (done) {
		FILE *f = fopen(done, "w");

		if (f)
			fclose(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/*
	 * Wait for connects to finish: up to the hold time (at least 1 s), or
	 * without one up to 10 s (a safety net; on a slow kernel a burst of
	 * handshakes takes longer than a second).
	 */
	end = ts.tv_sec + ts.tv_nsec / 1e9 +
	      (hold <= 0 ? 10 : hold > 1 ? hold : 1);
	for (;;) {
		int pending = 0;

		for (i = 0; i < n; i++) {
			struct pollfd p = { .fd = fds[i], .events = POLLOUT };
			int err = 0;
			socklen_t l = sizeof(err);

			if (sent[i])
				continue;
			if (poll(&p, 1, 0) == 1 &&
			    !getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &l) &&
			    !err) {
				sent[i] = 1;
				ok++;
				if (bytes && write(fds[i], buf, bytes) != bytes)
					perror("write");
			} else {
				pending++;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (forever) {
			if (stop)
				break;
		} else if ((!pending && hold <= 0) ||
			   ts.tv_sec + ts.tv_nsec / 1e9 > end) {
			break;
		}
		usleep(10000);
	}
	printf("%d\n", ok);
	fflush(stdout);
	for (i = 0; i < n; i++)
		close(fds[i]);
	return 0;
}
