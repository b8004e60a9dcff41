// SPDX-License-Identifier: GPL-2.0
/*
 * procscope show PID: one page per process - who it is, its address space
 * by kind, its page-table tree, its faults per class with their cost, its
 * sockets with their queues and buffers.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/subcommands.h"
#include "model/pt_summary.h"
#include "nl/watch.h"
#include "render/show_render.h"
#include "render/sock_render.h"
#include "render/term.h"

struct show_opts {
	double duration;	/* > 0: watch this long before showing */
};

static volatile sig_atomic_t stop_sampling;

static void on_signal(int sig)
{
	(void)sig;
	stop_sampling = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope show [-d TIME] [--json] PID\n"
		"\n"
		"Everything procscope knows about one process, on one page:\n"
		"  pid, command, executable, user, state, threads, and the minor/major\n"
		"     faults the kernel counted since it started;\n"
		"  MEMORY       the address space by kind of mapping (text, data, heap,\n"
		"               stack, anon, file, ...): size, resident, swapped, huge;\n"
		"  PAGE TABLES  the radix tree in one line (tables per level), its leaves\n"
		"               (4 KiB, 2 MiB, 1 GiB, swapped), what a flat table would cost;\n"
		"  PAGE FAULTS  faults per class (anon, cow, swap, file, ...) with latency\n"
		"               p50/p99/max, counted since the process was watched;\n"
		"  SOCKETS      listeners with SYN and accept queues against the backlog,\n"
		"               drops and SO_REUSEPORT group; connections with buffers.\n"
		"\n"
		"Faults are counted only while a watch exists (procscope top, faults or\n"
		"accept hold one while they run). With -d, show watches the process\n"
		"itself for TIME first, then removes its watch.\n"
		"\n"
		"Options:\n"
		"  -d, --duration=TIME  watch for TIME (5, 2.5s, 500ms) before showing\n"
		"  -j, --json           one JSON object merging the views: pid, identity,\n"
		"                       maps, memory_by_kind, pt, faults, watch, sockets,\n"
		"                       pfn_visible, live_events, errors (null: unavailable)\n"
		"      --color=WHEN     auto, always, never (NO_COLOR is honoured)\n"
		"\n"
		"Examples:\n"
		"  procscope show $$                     your shell\n"
		"  procscope show -d 5 $(pidof nginx)    five seconds of faults, then the page\n"
		"  procscope show --json 1234 | jq .pt.tables\n"
		"\n"
		"Without root you see your own processes; physical frames are hidden and no\n"
		"live events are delivered (the page says so).\n");
}

static int opt_cb(int opt, const char *arg, void *ctx)
{
	struct show_opts *o = ctx;

	if (opt != 'd')
		return -1;
	return cli_opt_duration("show", arg, &o->duration);
}

/* CAP_SYS_ADMIN (bit 21) in our effective set: PFNs and live events. */
static bool have_cap_sys_admin(void)
{
	unsigned long long eff = 0;
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			found = true;
			break;
		}
	fclose(f);
	return found && (eff & (1ull << 21));
}

static void keep_msg(struct show_data *d, enum show_part p,
		     const struct ps_nl *nl)
{
	snprintf(d->errmsg[p], sizeof(d->errmsg[p]), "%s", nl->errmsg);
}

static void sample(struct show_data *d, double secs)
{
	uint64_t t0 = term_now_ns(), end = t0 + (uint64_t)(secs * 1e9), t;
	struct term_progress p;
	struct sigaction sa;
	char detail[64];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	term_progress_start(&p, "show: watching", (uint64_t)(secs * 1000));
	while (!stop_sampling && (t = term_now_ns()) < end) {
		snprintf(detail, sizeof(detail), "(%.1f of %.1f s; Ctrl-C shows now)",
			 (double)(t - t0) / 1e9, secs);
		term_progress_update(&p, (t - t0) / 1000000, detail);
		usleep(50000);
	}
	term_progress_end(&p);
	d->sampled_s = (double)(term_now_ns() - t0) / 1e9;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

static void fetch_all(struct ps_nl *nl, struct show_data *d)
{
	d->maps_err = vmas_fetch(nl, d->pid, &d->maps);
	if (d->maps_err)
		keep_msg(d, SHOW_MAPS, nl);
	d->pt_err = pt_summary_fetch(nl, d->pid, &d->pt);
	if (d->pt_err)
		keep_msg(d, SHOW_PT, nl);
	d->socks_err = sockets_fetch(nl, d->pid, &d->socks);
	if (d->socks_err)
		keep_msg(d, SHOW_SOCKS, nl);
	d->watch_err = watch_get_one(nl, d->pid, &d->watch);
	if (d->watch_err && d->watch_err != -ENOENT)
		keep_msg(d, SHOW_WATCH, nl);
	d->now_ns = term_now_ns();
}

int show_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		CLI_COMMON_LONGOPTS
	};
	struct show_opts o = { 0 };
	struct show_data *d;
	bool added = false;
	struct ps_nl nl;
	char err[512];
	pid_t pid;
	int ret, rc = 0;

	ret = cli_getopt(argc, argv, "d:jh", opts, opt_cb, &o, usage);
	if (ret < 0)
		return cli_exit_status(ret);
	if (cli_pid_operand("show", argc, argv, ret, &pid))
		return 2;
	d = malloc(sizeof(*d));
	if (!d)
		return cli_error("show", "out of memory");
	show_data_init(d, pid);
	d->id_err = show_identity_read(pid, &d->id);
	if (d->id_err == -ENOENT || d->id_err == -ESRCH) {
		free(d);
		return cli_error("show", "pid %d: no such process", (int)pid);
	}
	if (!d->id_err && d->id.kernel_thread) {
		rc = cli_error("show", "pid %d (%s) is a kernel thread: it has no user address space to show",
			       (int)pid, d->id.comm);
		free(d);
		return rc;
	}
	d->admin = have_cap_sys_admin();

	if (ps_nl_open_cmd(&nl, "show")) {
		free(d);
		return 1;
	}
	if (o.duration > 0) {
		/* Counters only: show reads no event stream. */
		ret = watch_add(&nl, pid, PROCSCOPE_WATCH_F_FAULTS |
				PROCSCOPE_WATCH_F_SOCKETS |
				PROCSCOPE_WATCH_F_NO_EVENTS);
		if (ret && ret != -EEXIST) {
			rc = cli_error("show", "cannot watch pid %d: %s", (int)pid,
				       ps_nl_strerror(&nl, ret, err, sizeof(err)));
			goto out;
		}
		added = !ret;
		sample(d, o.duration);
		if (!added)
			d->sampled_s = 0;	/* someone else's watch: its age says */
	}
	if (o.duration > 0 && !d->id_err)
		d->id_err = show_identity_read(pid, &d->id);	/* counts moved */
	fetch_all(&nl, d);
	if (added)
		watch_del(&nl, pid);

	if (d->maps_err && d->pt_err && d->socks_err) {
		/* Nothing from the module: one clear reason, not a page of them. */
		memcpy(nl.errmsg, d->errmsg[SHOW_MAPS], sizeof(nl.errmsg));
		rc = cli_error("show", "pid %d: %s", (int)pid,
			       ps_nl_strerror(&nl, d->maps_err, err, sizeof(err)));
		goto out;
	}
	if (cli.json)
		show_render_json(d, stdout);
	else
		show_render_text(d, stdout);
out:
	ps_nl_close(&nl);
	show_data_free(d);
	free(d);
	return rc;
}
