// SPDX-License-Identifier: GPL-2.0
/* What faults and accept share: -d/-f/-q, the held child, a pid's parent. */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "live.h"
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

Suite *live_suite(void)
{
	return TEST_SUITE("live",
			  test_live_opts,
			  test_live_bad_duration,
			  test_proc_parent,
			  test_live_spawn_release,
			  test_live_spawn_abandoned,
			  test_live_spawn_no_exec);
}
