/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_LIVE_H
#define PROCSCOPE_LIVE_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * What the live commands faults and accept share: their -d/-f/-q options,
 * running CMD held before exec until its watch exists, and a process's
 * parent (to adopt the children a followed process forks).
 */

struct live_opts {
	const char *cmd;	/* "faults", "accept": errors name it */
	double duration;	/* seconds; 0: until Ctrl-C or the process exits */
	bool follow;		/* also watch the children it forks */
	bool quiet;		/* no live lines, only the summary */
};

/* The short and long options live_opt() takes, for cli_getopt(). */
/*
 * After the end (-d, Ctrl-C), how long a live view still takes the events
 * in flight: the module batches them for ~5 ms, and a busy target never
 * goes quiet, so the wait is bounded. Once the target is gone nothing new
 * of it comes: then a view reads all that is queued, until no event of its
 * own has come for this long (other watches' events may stream on).
 */
#define LIVE_DRAIN_NS 300000000ull

#define LIVE_SHORTOPTS "d:fq"
#define LIVE_LONGOPTS							\
	{ "duration", required_argument, NULL, 'd' },			\
	{ "follow", no_argument, NULL, 'f' },				\
	{ "quiet", no_argument, NULL, 'q' }

/*
 * A cli_opt_fn for -d/--duration, -f/--follow and -q/--quiet; @ctx is a
 * struct live_opts with cmd set. A bad duration prints
 * "procscope: CMD: bad duration ..." and returns -1.
 */
int live_opt(int opt, const char *arg, void *ctx);

/*
 * Fork @argv (argv[0] looked up in PATH) held before exec: the child waits
 * on a pipe, so it is watched from its first instruction. Returns its pid
 * and the pipe's write end in *@go_fd, or -errno. live_release() lets it
 * exec; closing @go_fd instead makes it exit 127 unexecuted. If exec fails
 * it prints "procscope: CMD: cannot run 'X': ..." and exits 127.
 */
pid_t live_spawn_held(const char *cmd, char **argv, int *go_fd);
/* Let the child of live_spawn_held() exec; closes @go_fd. 0 or -errno. */
int live_release(int go_fd);

/* The parent of @pid from /proc/PID/stat, 0 if unknown. */
pid_t proc_parent(pid_t pid);

#endif
