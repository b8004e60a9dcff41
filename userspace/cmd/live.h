/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_LIVE_H
#define PROCSCOPE_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>

#include "nl/nl.h"

/*
 * What the live commands faults and accept share: their -d/-f/-q options,
 * running CMD held before exec until its watch exists, a process's parent
 * (to adopt the children a followed process forks), and the one event loop
 * (live_run()) that reads the events group until the run ends.
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

/*
 * Give up a child of live_spawn_held() that was never released: it exits
 * 127 unexecuted, and is reaped here.
 */
void live_abandon(pid_t child, int go_fd);

/* Why live_run() stopped reading. */
enum live_end {
	LIVE_END_SIGNAL,	/* SIGINT or SIGTERM */
	LIVE_END_DURATION,	/* -d ran out */
	LIVE_END_EXIT,		/* the watched processes are gone */
};

/*
 * One run of a live view. The command fills in the part above "results",
 * the loop the rest. The command owns everything the module is told
 * (WATCH_ADD before, WATCH_GET/DEL after) and what is printed; the loop
 * owns reading the events group, SIGINT/SIGTERM, -d, the started CMD and
 * the end-of-stream rules:
 *
 * - The run ends at the first of: a signal, -d running out, or every
 *   process in @pids gone (@child reaped, any other pid: kill(pid, 0)
 *   saying ESRCH). Children adopted with -f do not keep it going, nor do
 *   other watches' events, which may stream on.
 * - Then the events in flight are still taken: after a signal or -d for
 *   LIVE_DRAIN_NS; after the processes are gone, until none of their own
 *   (*@own not rising) has come for LIVE_DRAIN_NS. A second signal ends
 *   the drain at once.
 * - Our socket overrunning (ENOBUFS) is counted in @overruns and reading
 *   goes on; EINTR is retried; any other receive error ends the run.
 */
struct live_loop {
	const struct live_opts *o;	/* -d */
	struct ps_nl *ev;	/* events group; NULL: none, just wait */
	pid_t child;		/* > 0: CMD started by live_spawn_held() */
	int go_fd;		/* >= 0: let @child exec when the loop starts */
	const pid_t *pids;	/* the processes named (or CMD): they end the run */
	unsigned int n_pids;
	mnl_cb_t msg;		/* each message: decode, count, render */
	void *data;		/* for @msg */
	const uint64_t *own;	/* events of our processes received so far */
	/* How events are read (tests); default ps_nl_recv_events() on @ev. */
	int (*recv)(struct live_loop *l, int timeout_ms);

	/* results */
	enum live_end end;
	unsigned int signals;	/* SIGINT/SIGTERM received */
	uint64_t overruns;	/* ENOBUFS: our socket overflowed */
	int start_err;		/* -errno: @child could not be let go */
	bool child_exited;	/* @child was reaped: @child_status is set */
	int child_status;	/* its wait status */
};

/*
 * Run the loop of @l (see struct live_loop). SIGINT and SIGTERM are
 * caught (sigaction) from the start, before the held child is let go,
 * and stay caught after the return, so that a late Ctrl-C does not cut
 * the summary or the command's WATCH_DEL short. If the child cannot be let go
 * (@start_err) the run goes on: it ends when the child is reaped. Returns
 * 0 or the receive error that ended the run (-errno).
 */
int live_run(struct live_loop *l);

/*
 * The exit status of a live command that would otherwise return @rc: a
 * started CMD that exited non-zero by itself during the run passes its
 * status on when @rc is 0. A CMD left running (-d, Ctrl-C) is not waited
 * for: it goes on without us.
 */
int live_exit_status(const struct live_loop *l, int rc);

#endif
