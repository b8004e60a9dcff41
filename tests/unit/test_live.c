// SPDX-License-Identifier: GPL-2.0
/* What faults and accept share: -d/-f/-q, the held child, a pid's parent. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/live.h"
#include "render/term.h"
#include "suites.h"
#include "testutil.h"

static void usage(FILE *f)
{
	fprintf(f, "usage\n");
}

static int getopt_live(struct live_opts *o, char **argv)
{
	static const struct option opts[] = {
		LIVE_LONGOPTS,
		CLI_COMMON_LONGOPTS
	};
	int argc = 0;

	while (argv[argc])
		argc++;
	return cli_getopt(argc, argv, "+" LIVE_SHORTOPTS "jh", opts, live_opt,
			  o, usage);
}

START_TEST(test_live_opts)
{
	char *argv[] = { "faults", "-d", "2.5", "-f", "--quiet", "--", "cmd",
			 "-d", NULL };
	char *argv2[] = { "accept", "--duration=500ms", "42", NULL };
	struct live_opts o = { .cmd = "faults" };

	ck_assert_int_eq(getopt_live(&o, argv), 6);
	ck_assert(o.duration > 2.49 && o.duration < 2.51);
	ck_assert(o.follow);
	ck_assert(o.quiet);

	o = (struct live_opts){ .cmd = "accept" };
	ck_assert_int_eq(getopt_live(&o, argv2), 2);
	ck_assert(o.duration > 0.49 && o.duration < 0.51);
	ck_assert(!o.follow);
	ck_assert(!o.quiet);
	ck_assert_int_eq(live_opt('x', NULL, &o), -1);
}
END_TEST

START_TEST(test_live_bad_duration)
{
	char *argv[] = { "accept", "-d", "xyz", "1", NULL };
	struct live_opts o = { .cmd = "accept" };
	char out[1024];

	CAPTURE_STDERR(out, ck_assert_int_eq(live_opt('d', "0", &o), -1));
	ck_assert_str_eq(out, "procscope: accept: bad duration '0' (try 5, 2.5s, 500ms)\n");
	CAPTURE_STDERR(out, ck_assert_int_eq(getopt_live(&o, argv), CLI_EXIT_USAGE));
	ck_assert_ptr_nonnull(strstr(out, "procscope: accept: bad duration 'xyz'"));
	ck_assert_ptr_nonnull(strstr(out, "usage\n"));
}
END_TEST

START_TEST(test_proc_parent)
{
	ck_assert_int_eq(proc_parent(getpid()), getppid());
	ck_assert_int_eq(proc_parent(1), 0);	/* init's parent: none */
	ck_assert_int_eq(proc_parent(INT_MAX), 0);	/* above pid_max */
}
END_TEST

/* Spawn @argv held, release it (or not) and return its wait status. */
static int spawn_and_wait(char **argv, bool release)
{
	int go_fd = -1, status;
	pid_t pid;

	pid = live_spawn_held("test", argv, &go_fd);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_ge(go_fd, 0);
	/* Held: it has not run yet. */
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
	if (release)
		ck_assert_int_eq(live_release(go_fd), 0);
	else
		close(go_fd);	/* EOF: it exits unexecuted */
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

START_TEST(test_live_spawn_release)
{
	char *argv_true[] = { "true", NULL };
	char *argv_false[] = { "sh", "-c", "exit 3", NULL };
	int status;

	status = spawn_and_wait(argv_true, true);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	status = spawn_and_wait(argv_false, true);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 3);
}
END_TEST

START_TEST(test_live_spawn_abandoned)
{
	char *argv[] = { "sh", "-c", "exit 0", NULL };
	int status = spawn_and_wait(argv, false);

	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 127);
}
END_TEST

START_TEST(test_live_spawn_no_exec)
{
	char *argv[] = { "/nonexistent/procscope-test", NULL };
	char out[1024];
	int status;

	CAPTURE_STDERR(out, status = spawn_and_wait(argv, true));
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 127);
	ck_assert_str_eq(out, "procscope: test: cannot run '/nonexistent/procscope-test': No such file or directory\n");
}
END_TEST

/*
 * The live loop without the module: a scripted event source. Each call
 * of fake_recv() is one poll of the events socket.
 */
struct fake_src {
	unsigned int calls;
	int ret[8];		/* what the first calls return (0: quiet) */
	unsigned int n_ret;
	unsigned int raise_at[2];	/* raise SIGINT at these calls (1-based) */
	unsigned int own_calls;	/* calls that bring one event of our own */
	uint64_t own;
};

static int fake_recv(struct live_loop *l, int timeout_ms)
{
	struct fake_src *f = l->data;
	unsigned int i;

	(void)timeout_ms;
	f->calls++;
	for (i = 0; i < 2; i++)
		if (f->raise_at[i] == f->calls)
			raise(SIGINT);
	usleep(20000);	/* a poll that waited */
	if (f->calls <= f->own_calls)
		f->own++;
	if (f->calls <= f->n_ret)
		return f->ret[f->calls - 1];
	return 0;
}

static void loop_init(struct live_loop *l, struct live_opts *o,
		      struct fake_src *f, const pid_t *pids)
{
	*l = (struct live_loop){
		.o = o, .go_fd = -1, .pids = pids, .n_pids = 1,
		.data = f, .own = &f->own, .recv = fake_recv,
	};
}

/* The held CMD is let go by the loop, reaped, and its status passed on. */
START_TEST(test_live_loop_child_exit)
{
	char *argv[] = { "sh", "-c", "exit 3", NULL };
	struct live_opts o = { .cmd = "test" };
	struct fake_src f = { 0 };
	struct live_loop l;
	pid_t pid;
	int go_fd;

	pid = live_spawn_held("test", argv, &go_fd);
	ck_assert_int_gt(pid, 0);
	loop_init(&l, &o, &f, &pid);
	l.child = pid;
	l.go_fd = go_fd;
	ck_assert_int_eq(live_run(&l), 0);
	ck_assert_int_eq(l.end, LIVE_END_EXIT);
	ck_assert_int_eq(l.start_err, 0);
	ck_assert(l.child_exited);
	ck_assert(WIFEXITED(l.child_status));
	ck_assert_int_eq(live_exit_status(&l, 0), 3);
	ck_assert_int_eq(live_exit_status(&l, 1), 1);	/* our error first */
	ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), -1);	/* reaped */
}
END_TEST

/* Without an events socket the loop only waits for the end. */
START_TEST(test_live_loop_no_events)
{
	char *argv[] = { "true", NULL };
	struct live_opts o = { .cmd = "test" };
	struct live_loop l;
	pid_t pid;
	int go_fd;

	pid = live_spawn_held("test", argv, &go_fd);
	ck_assert_int_gt(pid, 0);
	l = (struct live_loop){
		.o = &o, .child = pid, .go_fd = go_fd, .pids = &pid, .n_pids = 1,
	};
	ck_assert_int_eq(live_run(&l), 0);
	ck_assert_int_eq(l.end, LIVE_END_EXIT);
	ck_assert_int_eq(live_exit_status(&l, 0), 0);
}
END_TEST

/* A pid we did not start ends the run once kill(pid, 0) says ESRCH. */
START_TEST(test_live_loop_pid_gone)
{
	struct live_opts o = { .cmd = "test" };
	struct fake_src f = { 0 };
	struct live_loop l;
	pid_t pids[2];

	pids[0] = fork();
	ck_assert_int_ge(pids[0], 0);
	if (!pids[0])
		_exit(0);
	ck_assert_int_eq(waitpid(pids[0], NULL, 0), pids[0]);
	pids[1] = pids[0];
	loop_init(&l, &o, &f, pids);
	l.n_pids = 2;
	ck_assert_int_eq(live_run(&l), 0);
	ck_assert_int_eq(l.end, LIVE_END_EXIT);
	ck_assert(!l.child_exited);
	ck_assert_int_eq(live_exit_status(&l, 0), 0);
}
END_TEST

/*
 * After -d the events in flight are taken for LIVE_DRAIN_NS only, even if
 * ours keep coming (a busy target never goes quiet).
 */
START_TEST(test_live_loop_duration)
{
	struct live_opts o = { .cmd = "test", .duration = 0.1 };
	struct fake_src f = { .own_calls = 1000 };
	pid_t self = getpid();
	struct live_loop l;
	uint64_t t0 = term_now_ns(), dt;

	loop_init(&l, &o, &f, &self);
	ck_assert_int_eq(live_run(&l), 0);
	dt = term_now_ns() - t0;
	ck_assert_int_eq(l.end, LIVE_END_DURATION);
	ck_assert_uint_ge(dt, 100000000ull + LIVE_DRAIN_NS);
	ck_assert_uint_lt(dt, 100000000ull + LIVE_DRAIN_NS + 400000000ull);
	ck_assert_uint_eq(l.signals, 0);
}
END_TEST

/*
 * Once the processes are gone, everything of theirs still queued is
 * read, however long that takes, until none of it has come for
 * LIVE_DRAIN_NS.
 */
START_TEST(test_live_loop_drain_after_exit)
{
	struct live_opts o = { .cmd = "test" };
	struct fake_src f = { .own_calls = 25 };	/* 25 polls of 20 ms */
	struct live_loop l;
	uint64_t t0 = term_now_ns(), dt;
	pid_t pid;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	loop_init(&l, &o, &f, &pid);
	ck_assert_int_eq(live_run(&l), 0);
	dt = term_now_ns() - t0;
	ck_assert_int_eq(l.end, LIVE_END_EXIT);
	ck_assert_uint_eq(f.own, 25);	/* all of it, past LIVE_DRAIN_NS */
	ck_assert_uint_ge(dt, 25 * 20000000ull + LIVE_DRAIN_NS - 20000000ull);
}
END_TEST

/* Ctrl-C ends the run, a second one ends the drain at once. */
START_TEST(test_live_loop_signal)
{
	struct live_opts o = { .cmd = "test" };
	struct fake_src f = { .raise_at = { 2, 0 }, .own_calls = 1000 };
	pid_t self = getpid();
	struct live_loop l;
	uint64_t t0, dt;

	loop_init(&l, &o, &f, &self);
	t0 = term_now_ns();
	ck_assert_int_eq(live_run(&l), 0);
	dt = term_now_ns() - t0;
	ck_assert_int_eq(l.end, LIVE_END_SIGNAL);
	ck_assert_uint_eq(l.signals, 1);
	ck_assert_uint_ge(dt, LIVE_DRAIN_NS);	/* drained in full */

	f = (struct fake_src){ .raise_at = { 2, 4 }, .own_calls = 1000 };
	t0 = term_now_ns();
	ck_assert_int_eq(live_run(&l), 0);
	dt = term_now_ns() - t0;
	ck_assert_int_eq(l.end, LIVE_END_SIGNAL);
	ck_assert_uint_eq(l.signals, 2);
	ck_assert_uint_eq(f.calls, 4);	/* no poll after the second */
	ck_assert_uint_lt(dt, LIVE_DRAIN_NS);
}
END_TEST

/* Overruns are counted, EINTR retried, other receive errors end it. */
START_TEST(test_live_loop_errors)
{
	struct live_opts o = { .cmd = "test" };
	struct fake_src f = {
		.ret = { -ENOBUFS, -EINTR, 0, -ENOBUFS, -EBADMSG },
		.n_ret = 5,
	};
	pid_t self = getpid();
	struct live_loop l;

	loop_init(&l, &o, &f, &self);
	ck_assert_int_eq(live_run(&l), -EBADMSG);
	ck_assert_uint_eq(l.overruns, 2);
	ck_assert_uint_eq(f.calls, 5);
}
END_TEST

Suite *live_suite(void)
{
	return TEST_SUITE("live",
			  test_live_opts,
			  test_live_bad_duration,
			  test_proc_parent,
			  test_live_spawn_release,
			  test_live_spawn_abandoned,
			  test_live_spawn_no_exec,
			  test_live_loop_child_exit,
			  test_live_loop_no_events,
			  test_live_loop_pid_gone,
			  test_live_loop_duration,
			  test_live_loop_drain_after_exit,
			  test_live_loop_signal,
			  test_live_loop_errors);
}
