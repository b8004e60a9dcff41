// SPDX-License-Identifier: GPL-2.0
/*
 * Loopback connect/accept/close loop for the sockets benchmark.
 *
 *   sock_bench -p PORT -n N [-R READY] [-g GATE]
 *
 * Listens on 127.0.0.1:PORT, creates READY, waits for GATE (if given),
 * then N times: connect (blocking), accept, close both. Prints
 * "conns=N secs=S rate=R cpu_us=C fast=F": connections per second, this
 * process's own CPU time (user + system) per connection in microseconds,
 * and the rate at the host's fast speed: the connections are timed in
 * chunks of CHUNK, and F is CHUNK over the first quartile of the chunk
 * times (under QEMU TCG on this host the guest runs ~1.8x slower for
 * stretches of tens of ms, which the total mixes in differently each run).
 * Loopback TCP runs its softirq work in the sending process, so C holds the
 * whole in-line cost of a connection, hooks included, and not the time
 * taken by other processes (an event reader, a worker) on other CPUs.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define CHUNK 25

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double cpu_secs(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	const char *ready = NULL, *gate = NULL;
	int port = 0, n = 1000, one = 1, opt, l, i, k = 0;
	double t0, c0, t, c, tc, *chunk, fast;

	while ((opt = getopt(argc, argv, "p:n:R:g:")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'n': n = atoi(optarg); break;
		case 'R': ready = optarg; break;
		case 'g': gate = optarg; break;
		default: return 2;
		}
	}
	if (n < CHUNK)
		return fprintf(stderr, "sock_bench: -n must be >= %d\n", CHUNK), 2;
	chunk = calloc(n / CHUNK, sizeof(*chunk));
	if (!chunk)
		return perror("calloc"), 1;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 128))
		return perror("listen"), 1;
	if (ready)
		fclose(fopen(ready, "w"));
	while (gate && access(gate, F_OK))
		usleep(10000);
	t0 = now();
	c0 = cpu_secs();
	tc = t0;
	for (i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0), s;
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
			return perror("connect"), 1;
		s = accept(l, NULL, NULL);
		if (s < 0)
			return perror("accept"), 1;
		/* RST instead of FIN: no TIME-WAIT pile-up over the run. */
		setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(c);
		close(s);
		if ((i + 1) % CHUNK == 0) {
			double e = now();

			chunk[k++] = e - tc;
			tc = e;
		}
	}
	t = now() - t0;
	c = cpu_secs() - c0;
	qsort(chunk, k, sizeof(*chunk), cmp_double);
	fast = CHUNK / chunk[k / 4];
	printf("conns=%d secs=%.3f rate=%.1f cpu_us=%.1f fast=%.1f\n", n, t,
	       n / t, c / n * 1e6, fast);
	free(chunk);
	return 0;
}
