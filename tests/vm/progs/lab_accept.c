// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 3 (docs/labs/03-accept-queue.md): a TCP server whose accept queue you
 * can fill, and which can shard its port with SO_REUSEPORT.
 *
 *   lab_accept PORT BACKLOG SHARDS hold|accept
 *
 * Listens on 127.0.0.1:PORT with listen(fd, BACKLOG). SHARDS > 1 starts
 * SHARDS processes (this one and SHARDS-1 children), each with its own
 * SO_REUSEPORT socket on the same port. "hold" never calls accept(), so
 * the accept queue fills up; "accept" accepts and closes every connection.
 * Prints one line per shard, then "ready"; runs until SIGTERM/SIGINT.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int listener(int port, int backlog, int reuseport)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuseport &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one))) {
		perror("SO_REUSEPORT");
		exit(1);
	}
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, backlog)) {
		perror("bind/listen");
		exit(1);
	}
	return fd;
}

static void serve(int fd, int hold)
{
	for (;;) {
		int c;

		if (hold) {
			pause();	/* never accept: the queue fills */
			continue;
		}
		c = accept(fd, NULL, NULL);
		if (c >= 0)
			close(c);
	}
}

int main(int argc, char **argv)
{
	int port, backlog, shards, hold, i, fd;

	if (argc != 5 || (strcmp(argv[4], "hold") && strcmp(argv[4], "accept"))) {
		fprintf(stderr, "usage: lab_accept PORT BACKLOG SHARDS hold|accept\n");
		return 2;
	}
	port = atoi(argv[1]);
	backlog = atoi(argv[2]);
	shards = atoi(argv[3]);
	hold = !strcmp(argv[4], "hold");
	if (port <= 0 || port > 65535 || backlog < 0 || shards < 1 || shards > 64) {
		fprintf(stderr, "lab_accept: bad PORT, BACKLOG or SHARDS\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = listener(port, backlog, shards > 1);
	printf("shard 0: pid %d listening on 127.0.0.1:%d backlog %d\n",
	       (int)getpid(), port, backlog);
	for (i = 1; i < shards; i++) {
		int ready[2];
		char c;

		if (pipe(ready)) {
			perror("pipe");
			return 1;
		}
		if (fork() == 0) {
			/* Children go when the parent does. */
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			close(fd);	/* the parent's shard is not ours */
			fd = listener(port, backlog, 1);
			printf("shard %d: pid %d listening on 127.0.0.1:%d backlog %d\n",
			       i, (int)getpid(), port, backlog);
			close(ready[0]);
			if (write(ready[1], "x", 1) != 1)
				return 1;
			close(ready[1]);
			serve(fd, hold);
		}
		close(ready[1]);
		/* One at a time: shard numbers follow the join order. */
		if (read(ready[0], &c, 1) != 1)
			return 1;
		close(ready[0]);
	}
	printf("ready\n");
	serve(fd, hold);
	return 0;
}
