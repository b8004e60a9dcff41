// SPDX-License-Identifier: GPL-2.0
/*
 * procscope accept PID... | -- CMD: watch the listeners of processes and
 * print their accept-path events live (SYN in, handshake done, accept,
 * overflow, SYN cookie), then a summary: counts, time spent in the SYN
 * and accept queues, and how the SO_REUSEPORT shards shared the load.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "nl.h"
#include "sock_fmt.h"
#include "sock_summary.h"
#include "subcommands.h"

#define ACCEPT_MAX_PIDS 64

struct accept_opts {
	double duration;	/* 0: until Ctrl-C or the processes exit */
	bool follow;		/* also watch children they fork */
	bool quiet;		/* summary only */
};

struct accept_state {
	pid_t pids[ACCEPT_MAX_PIDS];
	unsigned int n_pids;
	bool follow;
	bool quiet;
	uint64_t t0;
	struct sock_summary sum;
	struct json j;
	bool header_done;
};

static volatile sig_atomic_t stop_now;

static void on_signal(int sig)
{
	(void)sig;
	stop_now = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope accept [-d SECONDS] [--follow] [-q] [--json] PID...\n"
		"       procscope accept [-d SECONDS] [--follow] [-q] [--json] -- CMD [ARG...]\n"
		"\n"
		"Watch the listening TCP sockets of the processes (or of CMD, started\n"
		"here) and print every accept-path event as it happens:\n"
		"  syn             a SYN created a request sock in the SYN queue\n"
		"  synack_retrans  the SYN-ACK was sent again (no third ACK yet)\n"
		"  handshake       the handshake completed: the connection moved to the\n"
		"                  accept queue, after WAITED in the SYN queue\n"
		"  accept          accept() took it out, after WAITED in the accept queue\n"
		"  overflow        accept queue full: a SYN or third ACK was dropped\n"
		"  syn_cookie      SYN queue full: answered with a SYN cookie\n"
		"  synq_full       SYN queue full and cookies off: SYN dropped\n"
		"SHARD is the listener's index in its SO_REUSEPORT group / group size.\n"
		"\n"
		"At the end (after -d SECONDS, Ctrl-C, or when the processes exit) a\n"
		"summary: accepted, overflows, cookies, time in the accept queue and in\n"
		"the SYN queue (p50/p99/max), and accepts per shard with an imbalance\n"
		"figure (busiest shard / mean; 1.00 is perfectly even).\n"
		"\n"
		"Options:\n"
		"  -d, --duration=SECONDS  stop after this long (e.g. 10, 500ms, 1m)\n"
		"  -f, --follow            also watch children the processes fork\n"
		"  -q, --quiet             no event lines, only the summary\n"
		"  -j, --json              one JSON object per event, the summary last:\n"
		"                          {\"summary\": {\"accepted\", \"overflows\", \"queue_wait_ns\":\n"
		"                          {\"p50\",\"p99\",\"max\"}, \"shards\": [...], \"dropped\"}}\n"
		"\n"
		"Examples:\n"
		"  procscope accept $(pidof nginx)            watch a server until Ctrl-C\n"
		"  procscope accept -d 10 -q 1234             10 s of statistics\n"
		"  procscope accept $(pgrep -d' ' worker)     every shard of a reuseport group\n"
		"  procscope accept -- ./server --port 8080   start a server and watch it\n"
		"\n"
		"Needs root (CAP_SYS_ADMIN) to receive events. Events are batched and\n"
		"counted: if any were lost the summary says how many.\n");
}

static int opt_cb(int opt, const char *arg, void *ctx)
{
	struct accept_opts *o = ctx;

	switch (opt) {
	case 'd':
		if (parse_duration(arg, &o->duration) || o->duration <= 0) {
			cli_error("accept", "bad duration '%s'", arg);
			return -1;
		}
		return 0;
	case 'f':
		o->follow = true;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	}
	return -1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	/* ktime_get_ns() in the kernel is CLOCK_MONOTONIC. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Parent pid of @pid from /proc, 0 if unknown. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	pid_t ppid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');
		if (p && sscanf(p + 1, " %*c %d", &ppid) != 1)
			ppid = 0;
	}
	fclose(f);
	return ppid;
}

static bool wanted(struct accept_state *st, pid_t pid)
{
	unsigned int i;
	pid_t pp;

	for (i = 0; i < st->n_pids; i++)
		if (st->pids[i] == pid)
			return true;
	/* A child forked after we started: adopt it once, if followed. */
	if (!st->follow || st->n_pids == ACCEPT_MAX_PIDS)
		return false;
	pp = parent_of(pid);
	for (i = 0; i < st->n_pids; i++) {
		if (pp && st->pids[i] == pp) {
			st->pids[st->n_pids++] = pid;
			return true;
		}
	}
	return false;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[PROCSCOPE_A_MAX + 1];
	struct accept_state *st = data;
	const struct nlattr *a;
	struct ps_sock_event e;

	if (g->cmd == PROCSCOPE_CMD_EVENTS_LOST) {
		if (attrs_parse_msg(nlh, &attrs_top, tb))
			return MNL_CB_OK;
		/* Lost events of other watches are none of our business. */
		if (!tb[PROCSCOPE_A_PID] ||
		    wanted(st, attr_u32(tb[PROCSCOPE_A_PID], 0)))
			st->sum.dropped +=
				attr_u64(tb[PROCSCOPE_A_EVENTS_DROPPED], 0);
		return MNL_CB_OK;
	}
	if (g->cmd != PROCSCOPE_CMD_SOCK_EVENT)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		if (mnl_attr_get_type(a) != PROCSCOPE_A_SOCK_EVENT)
			continue;
		if (sock_event_parse(a, &e)) {
			errno = EINVAL;
			return MNL_CB_ERROR;
		}
		if (!wanted(st, e.pid))
			continue;
		sock_summary_add(&st->sum, &e);
		if (st->quiet)
			continue;
		if (cli.json) {
			sock_event_render_json(&e, &st->j);
		} else {
			if (!st->header_done)
				sock_event_header_text(stdout);
			st->header_done = true;
			sock_event_render_text(&e, st->t0, stdout);
		}
	}
	if (!cli.json)
		fflush(stdout);
	return MNL_CB_OK;
}

static int no_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int watch_cmd(struct ps_nl *nl, uint8_t cmd, pid_t pid, uint32_t flags)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *req = ps_nl_request(nl, buf, cmd, 0);

	mnl_attr_put_u32(req, PROCSCOPE_A_PID, (uint32_t)pid);
	if (cmd == PROCSCOPE_CMD_WATCH_ADD)
		mnl_attr_put_u32(req, PROCSCOPE_A_WATCH_FLAGS, flags);
	return ps_nl_talk(nl, req, no_cb, NULL);
}

/* Fork CMD stopped at a pipe, so it is watched from its first listen(). */
static pid_t spawn(char **argv, int *go_fd)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(127);
		close(p[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "procscope: accept: cannot run '%s': %s\n",
			argv[0], strerror(errno));
		_exit(127);
	}
	close(p[0]);
	*go_fd = p[1];
	return pid;
}

static bool any_alive(const struct accept_state *st, pid_t child)
{
	unsigned int i;

	if (child > 0)
		return waitpid(child, NULL, WNOHANG) == 0;
	for (i = 0; i < st->n_pids; i++)
		if (kill(st->pids[i], 0) == 0 || errno == EPERM)
			return true;
	return false;
}

static int run(struct accept_state *st, const struct accept_opts *o,
	       pid_t child, struct ps_nl *ev)
{
	uint64_t deadline = o->duration > 0 ?
			    now_ns() + (uint64_t)(o->duration * 1e9) : 0;
	char err[512];
	int ret, idle = 0;

	while (!stop_now) {
		if (deadline && now_ns() >= deadline)
			break;
		ret = ps_nl_recv_events(ev, 100, event_cb, st);
		if (ret == -ENOBUFS) {
			st->sum.overruns++;
			continue;
		}
		if (ret == -EINTR)
			continue;
		if (ret < 0) {
			cli_error("accept", "receiving events: %s",
				  ps_nl_strerror(ev, ret, err, sizeof(err)));
			return 1;
		}
		/* Gone: give the module's batch delay time to deliver the rest. */
		if (ret == 0 && !any_alive(st, child) && ++idle > 2)
			break;
	}
	/* Drain what is still in flight (events are batched for ~5 ms). */
	while ((ret = ps_nl_recv_events(ev, 50, event_cb, st)) != 0) {
		if (ret == -ENOBUFS)
			st->sum.overruns++;
		else if (ret < 0)
			break;
	}
	return 0;
}

int accept_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "follow", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		CLI_COMMON_LONGOPTS
	};
	struct accept_opts o = { 0 };
	struct accept_state *st;
	struct ps_nl ctl, ev;
	int ret, first, go_fd = -1, status = 0;
	unsigned int i, added = 0;
	pid_t child = 0;
	char err[512];
	uint32_t flags;

	/* "+": stop at the first operand, so CMD keeps its own options. */
	first = cli_getopt(argc, argv, "+d:fqjh", opts, opt_cb, &o, usage);
	if (first < 0)
		return cli_exit_status(first);
	if (first >= argc) {
		cli_error("accept", "give PIDs or -- CMD (see 'procscope accept --help')");
		return 2;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return cli_error("accept", "out of memory");
	sock_summary_init(&st->sum);
	st->follow = o.follow;
	st->quiet = o.quiet;
	json_init(&st->j, stdout);
	if (strcmp(argv[first - 1], "--")) {
		for (i = first; i < (unsigned int)argc; i++) {
			if (st->n_pids == ACCEPT_MAX_PIDS ||
			    parse_pid(argv[i], &st->pids[st->n_pids])) {
				cli_error("accept", "'%s' is not a process id (to run a command: procscope accept -- CMD)",
					  argv[i]);
				free(st);
				return 2;
			}
			st->n_pids++;
		}
	}

	ret = ps_nl_open(&ctl);
	if (ret) {
		cli_error("accept", "%s", ps_nl_strerror(&ctl, ret, err, sizeof(err)));
		free(st);
		return 1;
	}
	ret = ps_nl_open(&ev);
	if (!ret)
		ret = ps_nl_join_events(&ev);
	if (ret) {
		if (ret == -EPERM || ret == -EACCES)
			cli_error("accept", "receiving events needs root (CAP_SYS_ADMIN)");
		else
			cli_error("accept", "%s", ps_nl_strerror(&ev, ret, err, sizeof(err)));
		ps_nl_close(&ctl);
		free(st);
		return 1;
	}
	if (!st->n_pids) {
		child = spawn(&argv[first], &go_fd);
		if (child < 0) {
			status = cli_error("accept", "fork: %s", strerror(errno));
			goto out;
		}
		st->pids[st->n_pids++] = child;
	}

	flags = PROCSCOPE_WATCH_F_SOCKETS |
		(o.follow ? PROCSCOPE_WATCH_F_CHILDREN : 0);
	for (i = 0; i < st->n_pids; i++) {
		ret = watch_cmd(&ctl, PROCSCOPE_CMD_WATCH_ADD, st->pids[i], flags);
		if (ret) {
			cli_error("accept", "pid %d: %s", (int)st->pids[i],
				  ret == -EEXIST ?
				  "already watched (by another procscope?)" :
				  ps_nl_strerror(&ctl, ret, err, sizeof(err)));
			status = 1;
			break;
		}
		added++;
	}
	st->t0 = now_ns();
	if (go_fd >= 0) {
		if (status || write(go_fd, "g", 1) != 1)
			kill(child, SIGKILL);
		close(go_fd);
	}
	if (!status) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		if (!cli.json && !o.quiet)
			fprintf(stderr, "watching %u process%s; Ctrl-C to stop\n",
				st->n_pids, st->n_pids == 1 ? "" : "es");
		status = run(st, &o, child, &ev);
	}
	for (i = 0; i < added; i++)
		watch_cmd(&ctl, PROCSCOPE_CMD_WATCH_DEL, st->pids[i], 0);
	if (!status) {
		if (cli.json)
			sock_summary_render_json(&st->sum, &st->j);
		else
			sock_summary_render_text(&st->sum, stdout);
	}
	if (child > 0 && status) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
out:
	ps_nl_close(&ev);
	ps_nl_close(&ctl);
	sock_summary_free(&st->sum);
	free(st);
	return status;
}
