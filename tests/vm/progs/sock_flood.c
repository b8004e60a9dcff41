// SPDX-License-Identifier: GPL-2.0
/*
 * Connection flood for the overflow-race test.
 *
 *   sock_flood -p PORT -n N [-j JOBS]
 *
 * JOBS processes (default 2) each open N connections to 127.0.0.1:PORT
 * as fast as they can: a non-blocking connect, then close with an RST
 * (SO_LINGER 0: no TIME_WAIT, so the ephemeral ports last). On loopback
 * the SYN, SYN-ACK and ACK are handled inside connect(), so each job keeps
 * SYNs and third ACKs arriving at the listener while its accept queue is
 * at the edge of full. Prints "connects=C refused=R" summed over the jobs
 * (refused: connect() failed other than EINPROGRESS) and exits 0 when every
 * job finished.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int job(int port, int n, int out)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int counts[2] = { 0, 0 };
	int i, s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < n; i++) {
		s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (s < 0) {
			perror("socket");
			return 1;
		}
		setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		if (connect(s, (struct sockaddr *)&a, sizeof(a)) == 0 ||
		    errno == EINPROGRESS)
			counts[0]++;
		else
			counts[1]++;
		close(s);
	}
	if (write(out, counts, sizeof(counts)) != sizeof(counts))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int port = 0, n = 0, jobs = 2, opt, i, st, bad = 0, p[2];
	long connects = 0, refused = 0;
	int counts[2];

	while ((opt = getopt(argc, argv, "p:n:j:")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'n': n = atoi(optarg); break;
		case 'j': jobs = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: sock_flood -p PORT -n N [-j JOBS]\n");
			return 2;
		}
	}
	if (!port || n <= 0 || jobs <= 0 || jobs > 64) {
		fprintf(stderr, "sock_flood: -p PORT and -n N (> 0) are required, 1 <= JOBS <= 64\n");
		return 2;
	}
	if (pipe(p))
		return perror("pipe"), 1;
	for (i = 0; i < jobs; i++) {
		pid_t c = fork();

		if (c < 0)
			return perror("fork"), 1;
		if (c == 0)
			_exit(job(port, n, p[1]));
	}
	close(p[1]);
	for (i = 0; i < jobs; i++) {
		if (read(p[0], counts, sizeof(counts)) != sizeof(counts)) {
			bad = 1;
			break;
		}
		connects += counts[0];
		refused += counts[1];
	}
	for (i = 0; i < jobs; i++) {
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad = 1;
	}
	printf("connects=%ld refused=%ld\n", connects, refused);
	return bad;
}
