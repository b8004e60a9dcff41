/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_CLI_H
#define PROCSCOPE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <getopt.h>
#include <sys/types.h>

#define PROCSCOPE_TOOL_VERSION "0.1.0"

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* Options every subcommand understands. */
struct cli_opts {
	bool json;
	enum color_mode color;
};

extern struct cli_opts cli;

struct subcommand {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *summary;
};

/* Print "procscope: CMD: message" to stderr; returns 1 (the exit status). */
int cli_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse helpers: 0 on success, -EINVAL with nothing printed otherwise. */
int parse_pid(const char *s, pid_t *pid);
int parse_u64(const char *s, uint64_t *v);
/* "0x7f..", "140737..", with optional K/M/G suffix for sizes. */
int parse_addr(const char *s, uint64_t *v);
/* "ADDR" or "ADDR-ADDR" or "ADDR+SIZE"; end exclusive. */
int parse_range(const char *s, uint64_t *start, uint64_t *end);
/* "5", "2.5", "500ms", "1m": seconds as a double. */
int parse_duration(const char *s, double *secs);

/* Handle the options every subcommand has. Returns true if consumed. */
bool cli_common_opt(int opt, const char *arg);

/* "12.5 MiB" style, into @buf. */
const char *fmt_bytes(uint64_t bytes, char *buf, size_t len);
/* Whether to use colour on @f (TTY, NO_COLOR, --color). */
bool cli_use_color(FILE *f);

/* Long options every subcommand accepts; put them at the end of its table. */
#define CLI_COMMON_LONGOPTS						\
	{ "json", no_argument, NULL, 'j' },				\
	{ "color", optional_argument, NULL, 'C' },			\
	{ "colour", optional_argument, NULL, 'C' },			\
	{ "help", no_argument, NULL, 'h' },				\
	{ NULL, 0, NULL, 0 }

/* A subcommand's own option: return 0 if handled, -1 for a usage error. */
typedef int (*cli_opt_fn)(int opt, const char *arg, void *ctx);

/*
 * Run getopt for a subcommand: common options (-j/--json, --color, -h)
 * are handled here, the rest go to @fn. @shortopts should include "jh".
 * Returns the index of the first operand, or CLI_EXIT_OK when --help was
 * printed, or CLI_EXIT_USAGE after printing a usage error.
 */
#define CLI_EXIT_OK	(-1)
#define CLI_EXIT_USAGE	(-2)
int cli_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts, cli_opt_fn fn, void *ctx,
	       void (*usage)(FILE *f));
/*
 * A cli_opt_fn for a subcommand whose only own option takes a string:
 * stores the argument in *(const char **)ctx.
 */
int cli_opt_store_arg(int opt, const char *arg, void *ctx);
/*
 * For a cli_opt_fn: a duration option's @arg (parse_duration(), above 0)
 * into *@secs. If it is bad, prints "procscope: CMD: bad duration 'ARG'
 * (try ...)" and returns -1 (a usage error); else 0.
 */
int cli_opt_duration(const char *cmd, const char *arg, double *secs);

/*
 * The one operand of a command that takes a single PID, at argv[@idx]
 * (cli_getopt()'s result), into *@pid. Returns 0, or 2 (the exit status)
 * after saying what is wrong: missing, followed by another argument, or
 * not a process id.
 */
int cli_pid_operand(const char *cmd, int argc, char **argv, int idx,
		    pid_t *pid);

/* The process exit status for a cli_getopt() result below 0. */
static inline int cli_exit_status(int r)
{
	return r == CLI_EXIT_OK ? 0 : 2;
}

#endif
