// SPDX-License-Identifier: GPL-2.0
/* What the live commands faults and accept share: see live.h. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/live.h"
#include "render/term.h"

int live_opt(int opt, const char *arg, void *ctx)
{
	struct live_opts *o = ctx;

	switch (opt) {
	case 'd':
		return cli_opt_duration(o->cmd, arg, &o->duration);
	case 'f':
		o->follow = true;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	}
	return -1;
}

pid_t live_spawn_held(const char *cmd, char **argv, int *go_fd)
{
	int p[2], err;
	pid_t pid;
	char c;

	if (pipe(p))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(p[0]);
		close(p[1]);
		return -err;
	}
	if (pid == 0) {
		close(p[1]);
		/* Wait until the parent watches us; EOF means it gave up. */
		if (read(p[0], &c, 1) != 1)
			_exit(127);
		close(p[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "procscope: %s: cannot run '%s': %s\n",
			cmd, argv[0], strerror(errno));
		_exit(127);
	}
	close(p[0]);
	*go_fd = p[1];
	return pid;
}

int live_release(int go_fd)
{
	ssize_t n = write(go_fd, "g", 1);
	int ret = n == 1 ? 0 : n < 0 ? -errno : -EIO;

	close(go_fd);
	return ret;
}

pid_t proc_parent(pid_t pid)
{
	char path[64], buf[512], *p;
	pid_t ppid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	/* "pid (comm) state ppid ...": comm may hold spaces and ')'. */
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');
		if (p && sscanf(p + 1, " %*c %d", &ppid) != 1)
			ppid = 0;
	}
	fclose(f);
	return ppid;
}

void live_abandon(pid_t child, int go_fd)
{
	close(go_fd);	/* EOF: the child exits unexecuted */
	waitpid(child, NULL, 0);
}

static volatile sig_atomic_t live_signals;

static void on_signal(int sig)
{
	(void)sig;
	live_signals++;	/* a second Ctrl-C ends the drain too */
}

static int recv_default(struct live_loop *l, int timeout_ms)
{
	return ps_nl_recv_events(l->ev, timeout_ms, l->msg, l->data);
}

/* Whether every process that ends the run is gone; reaps @child. */
static bool all_gone(struct live_loop *l)
{
	unsigned int i;
	int st;

	for (i = 0; i < l->n_pids; i++) {
		if (l->child > 0 && l->pids[i] == l->child) {
			pid_t w;

			if (l->child_exited)
				continue;
			w = waitpid(l->child, &st, WNOHANG);
			if (w == l->child) {
				l->child_exited = true;
				l->child_status = st;
				continue;
			}
			if (w < 0)
				continue;	/* not ours to wait for: gone */
			return false;
		}
		if (!kill(l->pids[i], 0) || errno != ESRCH)
			return false;
	}
	return true;
}

int live_run(struct live_loop *l)
{
	struct sigaction sa;
	uint64_t deadline, drain_until = 0, own;
	int (*recv)(struct live_loop *, int) = l->recv ? l->recv : recv_default;
	bool gone = false;
	int ret = 0;

	l->overruns = 0;
	l->signals = 0;
	l->child_exited = false;
	l->child_status = 0;
	l->start_err = 0;
	live_signals = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (l->go_fd >= 0) {
		l->start_err = live_release(l->go_fd);
		l->go_fd = -1;
	}
	/* Kernel timestamps (ktime_get_ns()) are CLOCK_MONOTONIC too. */
	deadline = l->o->duration > 0 ?
		   term_now_ns() + (uint64_t)(l->o->duration * 1e9) : 0;
	for (;;) {
		uint64_t t = term_now_ns();

		if (!drain_until) {
			bool end = true;

			if (live_signals)
				l->end = LIVE_END_SIGNAL;
			else if (deadline && t >= deadline)
				l->end = LIVE_END_DURATION;
			else if ((gone = all_gone(l)))
				l->end = LIVE_END_EXIT;
			else
				end = false;
			if (end)
				drain_until = t + LIVE_DRAIN_NS;
		}
		if ((drain_until && t >= drain_until) || live_signals > 1)
			break;
		if (!l->ev && !l->recv) {
			usleep(50000);
			continue;
		}
		own = l->own ? *l->own : 0;
		ret = recv(l, 50);
		if (ret == -ENOBUFS) {
			/* Our socket overran: the module counts these as dropped. */
			l->overruns++;
			continue;
		}
		if (ret == -EINTR) {
			ret = 0;
			continue;
		}
		if (ret < 0)
			break;
		ret = 0;
		/*
		 * The processes are gone, so nothing new of them comes: take
		 * all that is queued, however far behind we are, until their
		 * events stop.
		 */
		if (gone && l->own && *l->own != own)
			drain_until = term_now_ns() + LIVE_DRAIN_NS;
	}
	l->signals = live_signals;
	return ret < 0 ? ret : 0;
}

int live_exit_status(const struct live_loop *l, int rc)
{
	if (!rc && l->child_exited && WIFEXITED(l->child_status))
		return WEXITSTATUS(l->child_status);
	return rc;
}
