// SPDX-License-Identifier: GPL-2.0
/*
 * Socket churn for the dump tests.
 *
 *   sock_churn -k KEEP -t SECS [-R READY]
 *
 * Holds KEEP UDP sockets open for the whole run (so a dump of this process
 * spans several netlink messages), and for SECS seconds keeps opening and
 * closing TCP listeners and UDP sockets, so sockets close while a dump is
 * walking the fd table. SECS 0: until killed. Creates READY once the KEEP sockets are open.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int keep = 0, opt, i, fds[64];
	const char *ready = NULL;
	double secs = 5;
	time_t end;

	while ((opt = getopt(argc, argv, "k:t:R:")) != -1) {
		switch (opt) {
		case 'k': keep = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'R': ready = optarg; break;
		default:
			return 2;
		}
	}
	for (i = 0; i < keep; i++)
		if (socket(AF_INET, SOCK_DGRAM, 0) < 0)
			return perror("socket"), 1;
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}
	end = time(NULL) + (time_t)(secs + 0.5);
	while (secs <= 0 || time(NULL) < end) {
		for (i = 0; i < 64; i++) {
			fds[i] = socket(i & 1 ? AF_INET6 : AF_INET,
					i & 2 ? SOCK_DGRAM : SOCK_STREAM, 0);
			if (fds[i] >= 0 && !(i & 2))
				listen(fds[i], 8);
		}
		for (i = 0; i < 64; i++)
			if (fds[i] >= 0)
				close(fds[i]);
	}
	return 0;
}
