// SPDX-License-Identifier: GPL-2.0
/*
 * procscope accept PID... | -- CMD: watch the listeners of processes and
 * print their accept-path events live (SYN in, handshake done, accept,
 * overflow, SYN cookie), then a summary: counts, time spent in the SYN
 * and accept queues, and how the SO_REUSEPORT shards shared the load.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/live.h"
#include "cmd/subcommands.h"
#include "model/sock.h"
#include "nl/nl.h"
#include "nl/watch.h"
#include "render/sock_render.h"
#include "render/term.h"

#define ACCEPT_MAX_PIDS 64

struct accept_state {
	pid_t pids[ACCEPT_MAX_PIDS];
	unsigned int n_pids;
	bool follow;
	bool quiet;
	uint64_t t0;
	struct accept_summary sum;
	struct json j;
	bool header_done;
	uint64_t own;		/* events of our processes received */
};

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
	pp = proc_parent(pid);
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
		st->own++;
		accept_summary_add(&st->sum, &e);
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

int accept_main(int argc, char **argv)
{
	static const struct option opts[] = {
		LIVE_LONGOPTS,
		CLI_COMMON_LONGOPTS
	};
	struct live_opts o = { .cmd = "accept" };
	struct accept_state *st;
	struct live_loop loop;
	struct ps_nl ctl, ev;
	int ret, first, go_fd = -1, status = 0;
	unsigned int i, n_named, added = 0;
	bool ran = false;
	pid_t child = 0;
	char err[512];
	uint32_t flags;

	/* "+": stop at the first operand, so CMD keeps its own options. */
	first = cli_getopt(argc, argv, "+" LIVE_SHORTOPTS "jh", opts, live_opt,
			   &o, usage);
	if (first < 0)
		return cli_exit_status(first);
	if (first >= argc) {
		cli_error("accept", "give PIDs or -- CMD (see 'procscope accept --help')");
		return 2;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return cli_error("accept", "out of memory");
	accept_summary_init(&st->sum);
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

	if (ps_nl_open_cmd(&ctl, "accept")) {
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
		/* Held before exec, so it is watched from its first listen(). */
		child = live_spawn_held("accept", &argv[first], &go_fd);
		if (child < 0) {
			status = cli_error("accept", "fork: %s", strerror(-child));
			goto out;
		}
		st->pids[st->n_pids++] = child;
	}

	flags = PROCSCOPE_WATCH_F_SOCKETS |
		(o.follow ? PROCSCOPE_WATCH_F_CHILDREN : 0);
	for (i = 0; i < st->n_pids; i++) {
		ret = watch_add(&ctl, st->pids[i], flags);
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
	n_named = st->n_pids;	/* followed children join later */
	st->t0 = term_now_ns();
	if (status && go_fd >= 0)
		live_abandon(child, go_fd);
	if (!status) {
		if (!cli.json && !o.quiet)
			fprintf(stderr, "watching %u process%s; Ctrl-C to stop\n",
				st->n_pids, st->n_pids == 1 ? "" : "es");
		loop = (struct live_loop){
			.o = &o, .ev = &ev, .child = child, .go_fd = go_fd,
			.pids = st->pids, .n_pids = n_named,
			.msg = event_cb, .data = st, .own = &st->own,
		};
		ret = live_run(&loop);
		ran = true;
		st->sum.overruns = loop.overruns;
		if (loop.start_err)
			status = cli_error("accept", "cannot start the command");
		if (ret)
			status = cli_error("accept", "receiving events: %s",
					   ps_nl_strerror(&ev, ret, err, sizeof(err)));
	}
	for (i = 0; i < added; i++) {
		struct fault_watch w;

		/* Listeners past the module's caps had no events: say so. */
		if (!watch_get_one(&ctl, st->pids[i], &w) && w.listeners_refused)
			fprintf(stderr,
				"procscope: accept: pid %d: %llu listener%s not watched: the module's listeners_per_watch or listeners_max was reached\n",
				(int)st->pids[i],
				(unsigned long long)w.listeners_refused,
				w.listeners_refused == 1 ? " was" : "s were");
		watch_del(&ctl, st->pids[i]);
	}
	if (ran) {
		/* What was received is true even if reading ended in error. */
		if (cli.json)
			accept_summary_render_json(&st->sum, &st->j);
		else
			accept_summary_render_text(&st->sum, stdout);
		status = live_exit_status(&loop, status);
	}
out:
	ps_nl_close(&ev);
	ps_nl_close(&ctl);
	accept_summary_free(&st->sum);
	free(st);
	return status;
}
