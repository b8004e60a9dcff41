// SPDX-License-Identifier: GPL-2.0
/*
 * Run a command on a pseudo-terminal, as if a person ran it in a terminal,
 * type keys after a while, and report how it left the terminal.
 *
 *   pty_run [-w SECS] [-u TEXT] [-k KEYS] [-s SIG] [-t SECS] [-o FILE]
 *           -- CMD [ARG...]
 *
 * CMD gets a new session with the pty (100x30) as its controlling
 * terminal on stdin/stdout/stderr. After -w SECS (default 2), and once
 * CMD has written TEXT if -u is given (so a slow machine cannot make the
 * keys arrive before CMD is ready for them), KEYS are written to the
 * terminal (C escapes: "q", "\003" for Ctrl-C) or signal SIG is sent to
 * CMD; the run ends when CMD exits, or after -t SECS (default 20: then
 * CMD is killed). Everything CMD wrote goes to FILE.
 * Prints:
 *   exit N | signal N | timeout
 *   termios restored | termios changed
 *   altscreen entered N left N
 * and exits 0 only if CMD exited 0 and left the terminal as it found it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "q\003" style: \ooo octal, \n, \\. */
static size_t unescape(const char *s, char *out, size_t len)
{
	size_t n = 0;

	while (*s && n < len) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7') {
			out[n++] = (char)strtol(s + 1, (char **)&s, 8);
			continue;
		}
		if (s[0] == '\\' && s[1] == 'n') {
			out[n++] = '\n';
			s += 2;
			continue;
		}
		if (s[0] == '\\' && s[1] == '\\')
			s++;
		out[n++] = *s++;
	}
	return n;
}

static size_t count(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle), i;

	for (i = 0; i + k <= len; i++)
		if (!memcmp(hay + i, needle, k))
			n++;
	return n;
}

int main(int argc, char **argv)
{
	const char *keys = NULL, *outpath = NULL, *until = NULL;
	double wait_s = 2, timeout = 20, t0, deadline;
	struct winsize ws = { .ws_row = 30, .ws_col = 100 };
	struct termios before, after;
	int master, slave, opt, sig = 0, status = 0, done = 0, typed = 0;
	static char out[4 << 20];
	size_t used = 0, enter, leave;
	char kbuf[64];
	pid_t pid;
	FILE *f;

	while ((opt = getopt(argc, argv, "w:u:k:s:t:o:")) != -1) {
		switch (opt) {
		case 'w': wait_s = atof(optarg); break;
		case 'u': until = optarg; break;
		case 'k': keys = optarg; break;
		case 's': sig = atoi(optarg); break;
		case 't': timeout = atof(optarg); break;
		case 'o': outpath = optarg; break;
		default:
			fprintf(stderr, "usage: see the comment in pty_run.c\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "pty_run: no command\n");
		return 2;
	}
	if (openpty(&master, &slave, NULL, NULL, &ws))
		return perror("openpty"), 2;
	tcgetattr(slave, &before);
	pid = fork();
	if (pid < 0)
		return perror("fork"), 2;
	if (pid == 0) {
		close(master);
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
		execvp(argv[optind], argv + optind);
		perror(argv[optind]);
		_exit(127);
	}
	t0 = now();
	deadline = t0 + timeout;
	while (!done) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (!typed && now() - t0 >= wait_s &&
		    (!until || count(out, used, until))) {
			typed = 1;
			if (keys) {
				size_t k = unescape(keys, kbuf, sizeof(kbuf));

				if (write(master, kbuf, k) != (ssize_t)k)
					perror("write keys");
			}
			if (sig)
				kill(pid, sig);
		}
		if (poll(&p, 1, 50) == 1) {
			n = read(master, out + used, sizeof(out) - 1 - used);
			if (n > 0)
				used += (size_t)n;
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			done = 1;
		else if (now() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			done = 2;
		}
	}
	/* What is still buffered in the pty. */
	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 100) != 1)
			break;
		n = read(master, out + used, sizeof(out) - 1 - used);
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	tcgetattr(slave, &after);
	if (outpath && (f = fopen(outpath, "w"))) {
		fwrite(out, 1, used, f);
		fclose(f);
	}
	if (done == 2)
		printf("timeout\n");
	else if (WIFEXITED(status))
		printf("exit %d\n", WEXITSTATUS(status));
	else
		printf("signal %d\n", WTERMSIG(status));
	/* The bits a full-screen program changes. */
	if (before.c_lflag == after.c_lflag && before.c_iflag == after.c_iflag &&
	    before.c_oflag == after.c_oflag &&
	    before.c_cc[VMIN] == after.c_cc[VMIN] &&
	    before.c_cc[VTIME] == after.c_cc[VTIME])
		printf("termios restored\n");
	else
		printf("termios changed (lflag %#x -> %#x)\n",
		       (unsigned int)before.c_lflag, (unsigned int)after.c_lflag);
	enter = count(out, used, "\033[?1049h");
	leave = count(out, used, "\033[?1049l");
	printf("altscreen entered %zu left %zu\n", enter, leave);
	return done == 1 && WIFEXITED(status) && !WEXITSTATUS(status) &&
	       enter == leave && !memcmp(&before.c_lflag, &after.c_lflag,
					 sizeof(before.c_lflag)) ? 0 : 1;
}
