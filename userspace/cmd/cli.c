// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"

struct cli_opts cli = { .json = false, .color = COLOR_AUTO };

int cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "procscope: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int parse_pid(const char *s, pid_t *pid)
{
	uint64_t v;

	if (parse_u64(s, &v) || v == 0 || v > 0x3fffffff)
		return -EINVAL;
	*pid = (pid_t)v;
	return 0;
}

int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

static int parse_num_prefix(const char *s, uint64_t *v, const char **rest)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	*rest = end;
	return 0;
}

static int apply_suffix(const char **p, uint64_t *v)
{
	unsigned int shift = 0;

	switch (**p) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case 't': case 'T':
		shift = 40;
		break;
	default:
		return 0;
	}
	(*p)++;
	if (**p == 'i' || **p == 'I')
		(*p)++;
	if (**p == 'b' || **p == 'B')
		(*p)++;
	if (*v > (UINT64_MAX >> shift))
		return -ERANGE;
	*v <<= shift;
	return 0;
}

int parse_addr(const char *s, uint64_t *v)
{
	const char *rest;

	if (parse_num_prefix(s, v, &rest) || apply_suffix(&rest, v) || *rest)
		return -EINVAL;
	return 0;
}

int parse_range(const char *s, uint64_t *start, uint64_t *end)
{
	const char *rest;
	uint64_t b;

	if (parse_num_prefix(s, start, &rest) || apply_suffix(&rest, start))
		return -EINVAL;
	if (!*rest) {
		*end = *start + 1;
		return 0;
	}
	if (*rest != '-' && *rest != '+')
		return -EINVAL;
	if (parse_addr(rest + 1, &b))
		return -EINVAL;
	if (*rest == '+') {
		if (b == 0 || *start + b < *start)
			return -EINVAL;
		*end = *start + b;
	} else {
		*end = b;
	}
	return *end > *start ? 0 : -ERANGE;
}

int parse_duration(const char *s, double *secs)
{
	char *end;
	double v;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -EINVAL;
	if (!strcmp(end, "ms"))
		v /= 1000.0;
	else if (!strcmp(end, "m") || !strcmp(end, "min"))
		v *= 60.0;
	else if (!strcmp(end, "h"))
		v *= 3600.0;
	else if (*end && strcmp(end, "s"))
		return -EINVAL;
	*secs = v;
	return 0;
}

bool cli_common_opt(int opt, const char *arg)
{
	switch (opt) {
	case 'j':
		cli.json = true;
		return true;
	case 'C':
		if (!arg || !strcmp(arg, "auto"))
			cli.color = COLOR_AUTO;
		else if (!strcmp(arg, "always"))
			cli.color = COLOR_ALWAYS;
		else if (!strcmp(arg, "never"))
			cli.color = COLOR_NEVER;
		else
			return false;
		return true;
	}
	return false;
}

const char *fmt_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	unsigned int u = 0;

	while (v >= 1024.0 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRIu64 " B", bytes);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}

bool cli_use_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	if (cli.color == COLOR_ALWAYS)
		return true;
	if (cli.color == COLOR_NEVER || (nc && *nc) || cli.json)
		return false;
	return isatty(fileno(f));
}

int cli_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts, cli_opt_fn fn, void *ctx,
	       void (*usage)(FILE *f))
{
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			return CLI_EXIT_OK;
		}
		if (cli_common_opt(opt, optarg))
			continue;
		if (opt == 'C') {
			cli_error(argv[0], "--color takes auto, always or never");
			return CLI_EXIT_USAGE;
		}
		if (opt == '?' || opt == ':' || !fn || fn(opt, optarg, ctx)) {
			fprintf(stderr, "\n");
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	return optind;
}

int cli_opt_store_arg(int opt, const char *arg, void *ctx)
{
	(void)opt;
	*(const char **)ctx = arg;
	return 0;
}

int cli_opt_duration(const char *cmd, const char *arg, double *secs)
{
	if (parse_duration(arg, secs) || *secs <= 0) {
		cli_error(cmd, "bad duration '%s' (try 5, 2.5s, 500ms)", arg);
		return -1;
	}
	return 0;
}

int cli_pid_operand(const char *cmd, int argc, char **argv, int idx,
		    pid_t *pid)
{
	if (idx >= argc) {
		cli_error(cmd, "missing PID (see 'procscope %s --help')", cmd);
		return 2;
	}
	if (idx + 1 < argc) {
		cli_error(cmd, "unexpected argument '%s'", argv[idx + 1]);
		return 2;
	}
	if (parse_pid(argv[idx], pid)) {
		cli_error(cmd, "'%s' is not a process id", argv[idx]);
		return 2;
	}
	return 0;
}
