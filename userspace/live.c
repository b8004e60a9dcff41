// SPDX-License-Identifier: GPL-2.0
/* What the live commands faults and accept share: see live.h. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "live.h"

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
