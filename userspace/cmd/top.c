// SPDX-License-Identifier: GPL-2.0
/*
 * procscope top [-p PID]...: a live view across watched processes -
 * faults per second by class, accept-queue depth, overflows.
 *
 * On a terminal it takes the alternate screen and puts the keyboard in
 * non-canonical mode to read 'q'; every way out (q, Ctrl-C, SIGTERM,
 * SIGHUP, an error, exit()) restores both. Anywhere else it prints plain
 * lines (or JSON lines), one block per refresh.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/subcommands.h"
#include "nl/watch.h"
#include "render/top_render.h"

struct top_opts {
	pid_t pids[TOP_MAX_PIDS];
	unsigned int n;
	double interval;
	long count;		/* refreshes, 0: until q / Ctrl-C */
	bool bad;
};

/* Terminal state, global so that exit paths and signals can restore it. */
static struct termios saved_tio;
static bool tio_saved, screen_on;
static volatile sig_atomic_t quit_sig, resized, suspend_req;

static void on_quit(int sig)
{
	quit_sig = sig;
}

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

static void on_tstp(int sig)
{
	(void)sig;
	suspend_req = 1;
}

static void write_all(const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = write(STDOUT_FILENO, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void screen_leave(void)
{
	if (screen_on) {
		fflush(stdout);
		/* Cursor back, main screen back: the shell's text reappears. */
		write_all("\033[?25h\033[?1049l");
		screen_on = false;
	}
	if (tio_saved) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		tio_saved = false;
	}
}

static void screen_enter(void)
{
	struct termios t;

	if (isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved_tio)) {
		t = saved_tio;
		/*
		 * Keys arrive one at a time and are not echoed; ISIG stays on so
		 * Ctrl-C is still SIGINT (handled: we restore, then exit).
		 */
		t.c_lflag &= ~(ICANON | ECHO);
		t.c_cc[VMIN] = 0;
		t.c_cc[VTIME] = 0;
		if (!tcsetattr(STDIN_FILENO, TCSANOW, &t))
			tio_saved = true;
	}
	write_all("\033[?1049h\033[?25l\033[H\033[2J");
	screen_on = true;
}

static void term_size(unsigned int *w, unsigned int *h)
{
	struct winsize ws;

	*w = 80;
	*h = 24;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col && ws.ws_row) {
		*w = ws.ws_col;
		*h = ws.ws_row;
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope top [-p PID]... [-d SECONDS] [-n COUNT] [--json]\n"
		"\n"
		"A live view across watched processes, refreshed every SECONDS (default 1):\n"
		"  FAULTS/s   page faults per second, all classes, and under each process\n"
		"             the classes that moved (anon, stack, cow, swap, file, fmaj =\n"
		"             file_major, shwr = shared_write, perm, bad = badaddr, other)\n"
		"  MAJOR/s    faults the kernel counted as major (majflt)\n"
		"  ACCEPT-Q   the fullest listener's accept queue / backlog, with a gauge\n"
		"             (it holds backlog+1; red when full)\n"
		"  SYN-Q      half-open connections in the listeners' SYN queues\n"
		"  OVERFLOWS  connections dropped because the accept queue was full, since\n"
		"             the process was watched (+N: new since the last refresh)\n"
		"\n"
		"With -p, top watches those processes (counters only, no event stream)\n"
		"and stops watching them when it quits; without -p it shows every process\n"
		"already watched (by procscope faults, accept, show -d or another top).\n"
		"\n"
		"On a terminal: a full-screen view; q or Ctrl-C quits and gives the\n"
		"terminal back as it was. Piped or redirected: one line per process per\n"
		"refresh (with --json, one JSON object per refresh).\n"
		"\n"
		"Options:\n"
		"  -p, --pid=PID        watch PID (repeat for more, up to %d)\n"
		"  -d, --delay=SECONDS  refresh interval (e.g. 2, 0.5, 500ms)\n"
		"  -n, --iterations=N   stop after N refreshes\n"
		"  -j, --json           JSON lines: {\"time_s\", \"interval_s\", \"processes\":\n"
		"                       [{\"pid\", \"comm\", \"faults_per_s\", \"by_class_per_s\",\n"
		"                       \"major_per_s\", \"accept_queue\", \"backlog\", \"overflows\"...}]}\n"
		"      --color=WHEN     auto, always, never (NO_COLOR is honoured)\n"
		"\n"
		"Examples:\n"
		"  procscope top -p $(pidof nginx)             until q\n"
		"  procscope top -p 1234 -p 5678 -d 0.5\n"
		"  procscope top -p 1234 -n 10 > top.log       ten refreshes as lines\n",
		TOP_MAX_PIDS);
}

static int opt_cb(int opt, const char *arg, void *ctx)
{
	struct top_opts *o = ctx;
	uint64_t v;

	switch (opt) {
	case 'p':
		if (o->n == TOP_MAX_PIDS) {
			cli_error("top", "at most %d processes", TOP_MAX_PIDS);
			return -1;
		}
		if (parse_pid(arg, &o->pids[o->n])) {
			cli_error("top", "'%s' is not a process id", arg);
			return -1;
		}
		o->n++;
		return 0;
	case 'd':
		if (parse_duration(arg, &o->interval) || o->interval < 0.05) {
			cli_error("top", "bad interval '%s' (at least 0.05 s: try 1, 0.5, 500ms)", arg);
			return -1;
		}
		return 0;
	case 'n':
		if (parse_u64(arg, &v) || !v || v > 1000000000) {
			cli_error("top", "bad count '%s'", arg);
			return -1;
		}
		o->count = (long)v;
		return 0;
	}
	return -1;
}

struct top_run {
	struct top_opts o;
	struct ps_nl nl;
	bool added[TOP_MAX_PIDS];
	bool screen;
	struct top_snapshot snap[2];
	struct json j;
};

static void fill_view(const struct top_run *r, struct top_view *v)
{
	time_t t = time(NULL);
	struct tm tm;

	memset(v, 0, sizeof(*v));
	v->ts = term_style_for(stdout);
	v->interval = r->o.interval;
	if (localtime_r(&t, &tm))
		strftime(v->clock, sizeof(v->clock), "%H:%M:%S", &tm);
	if (r->screen)
		term_size(&v->width, &v->height);
}

enum wait_result { WAIT_TIMEOUT, WAIT_REDRAW, WAIT_QUIT };

/* Wait until @deadline_ns, reading keys on a terminal. */
static enum wait_result wait_keys(uint64_t deadline_ns)
{
	for (;;) {
		uint64_t now = term_now_ns();
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		int ms, n;
		char c;

		if (quit_sig)
			return WAIT_QUIT;
		if (suspend_req) {
			/* Ctrl-Z: give the terminal back while stopped. */
			suspend_req = 0;
			screen_leave();
			raise(SIGSTOP);
			screen_enter();
			return WAIT_REDRAW;
		}
		if (resized) {
			resized = 0;
			return WAIT_REDRAW;
		}
		if (now >= deadline_ns)
			return WAIT_TIMEOUT;
		ms = (int)((deadline_ns - now) / 1000000) + 1;
		if (ms > 100)
			ms = 100;	/* signals are checked at least this often */
		if (!tio_saved) {
			poll(NULL, 0, ms);
			continue;
		}
		n = poll(&pfd, 1, ms);
		if (n <= 0 || read(STDIN_FILENO, &c, 1) != 1)
			continue;
		if (c == 'q' || c == 'Q' || c == 3 /* ^C without ISIG */)
			return WAIT_QUIT;
		if (c == ' ' || c == '\f')
			return WAIT_REDRAW;
	}
}

static int add_watches(struct top_run *r)
{
	char err[512];
	unsigned int i;
	int ret;

	for (i = 0; i < r->o.n; i++) {
		ret = watch_add(&r->nl, r->o.pids[i], PROCSCOPE_WATCH_F_FAULTS |
				PROCSCOPE_WATCH_F_SOCKETS |
				PROCSCOPE_WATCH_F_NO_EVENTS);
		if (ret == -EEXIST)
			continue;	/* watched already: read, never remove */
		if (ret)
			return cli_error("top", "cannot watch pid %d: %s",
					 (int)r->o.pids[i],
					 ps_nl_strerror(&r->nl, ret, err, sizeof(err)));
		r->added[i] = true;
	}
	return 0;
}

static void del_watches(struct top_run *r)
{
	unsigned int i;

	for (i = 0; i < r->o.n; i++)
		if (r->added[i])
			watch_del(&r->nl, r->o.pids[i]);
}

static bool all_gone(const struct top_snapshot *s, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!s->p[i].gone)
			return false;
	return n > 0;
}

static void draw_screen(struct top_run *r, const struct top_snapshot *prev,
			const struct top_snapshot *cur)
{
	struct top_view v;

	fill_view(r, &v);
	fputs("\033[H", stdout);	/* draw over the last frame: no flicker */
	top_render_screen(prev, cur, &v, stdout);
	fputs("\033[J", stdout);
	fflush(stdout);
}

static int loop(struct top_run *r)
{
	struct top_snapshot *prev = &r->snap[0], *cur = &r->snap[1], *t;
	bool have_pp = false;	/* cur still holds the snapshot before prev */
	enum wait_result w;
	struct top_view v;
	char err[512];
	long frames = 0;
	uint64_t next;
	int ret;

	ret = top_snapshot_take(&r->nl, r->o.pids, r->o.n, prev);
	if (ret)
		goto fail;
	if (!r->o.n && !prev->n && !r->screen) {
		cli_error("top", "no process is watched; give one with -p PID");
		return 1;
	}
	for (;;) {
		next = prev->t_ns + (uint64_t)(r->o.interval * 1e9);
		do {
			if (r->screen)
				draw_screen(r, have_pp ? cur : NULL, prev);
			w = wait_keys(next);
			if (w == WAIT_QUIT)
				return 0;
		} while (w == WAIT_REDRAW);
		ret = top_snapshot_take(&r->nl, r->o.pids, r->o.n, cur);
		if (ret)
			goto fail;
		if (!r->screen) {
			fill_view(r, &v);
			if (cli.json)
				top_render_json(prev, cur, &r->j);
			else
				top_render_lines(prev, cur, &v, frames == 0, stdout);
		}
		frames++;
		if (r->o.count && frames >= r->o.count) {
			if (r->screen)
				draw_screen(r, prev, cur);
			return 0;
		}
		if (all_gone(cur, r->o.n)) {
			screen_leave();
			fprintf(stderr, "procscope: top: the watched process%s exited\n",
				r->o.n == 1 ? "" : "es");
			return 0;
		}
		t = prev;
		prev = cur;
		cur = t;
		have_pp = true;
	}
fail:
	screen_leave();
	return cli_error("top", "%s", ps_nl_strerror(&r->nl, ret, err, sizeof(err)));
}

int top_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		CLI_COMMON_LONGOPTS
	};
	struct sigaction sa;
	struct top_run *r;
	int ret, rc;

	r = calloc(1, sizeof(*r));
	if (!r)
		return cli_error("top", "out of memory");
	r->o.interval = 1.0;
	ret = cli_getopt(argc, argv, "p:d:n:jh", opts, opt_cb, &r->o, usage);
	if (ret < 0) {
		free(r);
		return cli_exit_status(ret);
	}
	if (ret < argc) {
		cli_error("top", "unexpected argument '%s' (processes go with -p PID)",
			  argv[ret]);
		free(r);
		return 2;
	}
	if (ps_nl_open_cmd(&r->nl, "top")) {
		free(r);
		return 1;
	}
	rc = add_watches(r);
	if (rc)
		goto out;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_quit;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	r->screen = isatty(STDOUT_FILENO) && !cli.json;
	json_init(&r->j, stdout);
	if (r->screen) {
		sa.sa_handler = on_winch;
		sigaction(SIGWINCH, &sa, NULL);
		sa.sa_handler = on_tstp;
		sigaction(SIGTSTP, &sa, NULL);
		atexit(screen_leave);
		screen_enter();
	}
	rc = loop(r);
	screen_leave();
out:
	del_watches(r);
	ps_nl_close(&r->nl);
	free(r);
	return rc;
}
