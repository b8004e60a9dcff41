// SPDX-License-Identifier: GPL-2.0
/*
 * Test TCP server for the socket tests.
 *
 *   sock_server -p PORT [-b BACKLOG] [-6] [-r] [-g GATE] [-s MS] [-n N]
 *               [-t SECS] [-o FILE] [-R READY] [-c] [-k]
 *
 * Listens on 127.0.0.1:PORT (or [::1] with -6), SO_REUSEPORT with -r,
 * creates READY when listening, waits for file GATE (if given) before the
 * first accept, sleeps MS before each accept, stops after N accepts or
 * SECS seconds (default 30; 0: no time limit, the test stops it) or when
 * GATE.stop exists, and writes the
 * number it accepted to FILE (and stdout). Accepted sockets are kept open
 * until exit unless -c (close at once); -k keeps running (and holding
 * them) after N accepts until GATE.stop exists or SECS pass.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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

int main(int argc, char **argv)
{
	const char *gate = NULL, *out = NULL, *ready = NULL;
	int port = 0, backlog = 128, v6 = 0, reuse = 0, sleep_ms = 0;
	int max = -1, close_now = 0, keep = 0, one = 1, fd, c, opt, accepted = 0;
	double secs = 30;
	char stop[256] = "";
	FILE *f;

	while ((opt = getopt(argc, argv, "p:b:6rg:s:n:t:o:R:ck")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'b': backlog = atoi(optarg); break;
		case '6': v6 = 1; break;
		case 'r': reuse = 1; break;
		case 'g': gate = optarg; break;
		case 's': sleep_ms = atoi(optarg); break;
		case 'n': max = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'o': out = optarg; break;
		case 'R': ready = optarg; break;
		case 'c': close_now = 1; break;
		case 'k': keep = 1; break;
		default:
			fprintf(stderr, "usage: see the comment in sock_server.c\n");
			return 2;
		}
	}
	if (!port) {
		fprintf(stderr, "sock_server: -p PORT is required\n");
		return 2;
	}
	if (gate)
		snprintf(stop, sizeof(stop), "%s.stop", gate);
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return perror("socket"), 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)))
		return perror("SO_REUSEPORT"), 1;
	if (v6) {
		struct sockaddr_in6 a = { .sin6_family = AF_INET6,
					  .sin6_port = htons(port),
					  .sin6_addr = IN6ADDR_LOOPBACK_INIT };

		if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
			return perror("bind"), 1;
	} else {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(port) };

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
			return perror("bind"), 1;
	}
	if (listen(fd, backlog))
		return perror("listen"), 1;
	if (ready) {
		f = fopen(ready, "w");
		if (f)
			fclose(f);
	}
	end = secs > 0 ? now() + secs : 0;
	while (gate && !exists(gate) && !exists(stop) && in_time())
		usleep(20000);
	while ((max < 0 || accepted < max) && in_time() && !exists(stop)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 50) <= 0)
			continue;
		if (sleep_ms)
			usleep(sleep_ms * 1000);
		c = accept(fd, NULL, NULL);
		if (c < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			perror("accept");
			break;
		}
		accepted++;
		if (close_now)
			close(c);
	}
	while (keep && in_time() && !exists(stop))
		usleep(20000);
	printf("%d\n", accepted);
	if (out) {
		f = fopen(out, "w");
		if (f) {
			fprintf(f, "%d\n", accepted);
			fclose(f);
		}
	}
	return 0;
}
