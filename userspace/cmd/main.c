// SPDX-License-Identifier: GPL-2.0
/*
 * procscope: show what the kernel holds for a live process - page tables,
 * page faults, listening sockets' queues.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include <linux/procscope.h>
#include "cmd/subcommands.h"

static const struct subcommand subcommands[] = {
	{ "status", status_main, "Show the module's version, hooks and event counters" },
	{ "load", load_main, "Load the procscope kernel module" },
	{ "unload", unload_main, "Unload the procscope kernel module" },
	{ "pt", pt_main, "Page-table tree of a process: tables per level, leaves, TLB reach" },
	{ "maps", maps_main, "Mappings of a process with kind (text, heap, ...) and residency" },
	{ "ptes", ptes_main, "Leaf page-table entries over an address range" },
	{ "translate", translate_main, "Walk one virtual address down to its physical address" },
	{ "faults", faults_main, "Every page fault of a process, live: class, cost, code site; then a summary" },
	{ "sockets", sockets_main, "A process's sockets: SYN/accept queues, drops, reuseport, buffers" },
	{ "accept", accept_main, "Live accept-path events of a process's listeners, then a summary" },
	{ "show", show_main, "One page per process: identity, memory, page tables, faults, sockets" },
	{ "top", top_main, "Live view of watched processes: faults/s by class, accept queues, overflows" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: procscope [--json] [--color=WHEN] COMMAND [ARGS...]\n"
		"\n"
		"See what the kernel really holds for one live process: its page tables,\n"
		"the page faults it takes, and its listening sockets' SYN and accept queues.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name,
			subcommands[i].summary);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -j, --json          machine-readable output (one JSON document per line)\n"
		"      --color=WHEN    auto (default), always or never; NO_COLOR is honoured\n"
		"  -V, --version       print the tool's version and netlink ABI version\n"
		"  -h, --help          this help; 'procscope COMMAND --help' for a command\n"
		"\n"
		"Examples:\n"
		"  procscope load                 load the module (libkmod, needs root)\n"
		"  procscope status               is it loaded, what is hooked\n"
		"  procscope show 1234            everything about process 1234 on one page\n"
		"  procscope pt 1234              its page-table tree; maps, ptes, translate go deeper\n"
		"  procscope faults -d 5 1234     its page faults for 5 seconds, classified and timed\n"
		"  procscope faults -- ./prog     a program's faults from its first instruction\n"
		"  procscope sockets 1234         its listeners' SYN and accept queues, its buffers\n"
		"  procscope accept -d 10 1234    accept-queue events for 10 seconds\n"
		"\n"
		"Most commands need the module loaded and read another process only if you\n"
		"could ptrace it; physical frame numbers are shown to root (CAP_SYS_ADMIN) only.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "color", optional_argument, NULL, 'C' },
		{ "colour", optional_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int opt;

	/* Stop at the first non-option: the rest belongs to the command. */
	while ((opt = getopt_long(argc, argv, "+jVh", opts, NULL)) != -1) {
		if (cli_common_opt(opt, optarg))
			continue;
		switch (opt) {
		case 'V':
			printf("procscope %s (netlink ABI %d)\n",
			       PROCSCOPE_TOOL_VERSION, PROCSCOPE_GENL_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		case 'C':
			return cli_error(NULL, "--color takes auto, always or never");
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!strcmp(argv[optind], subcommands[i].name)) {
			/* Each command parses its own argv from its name on. */
			argc -= optind;
			argv += optind;
			optind = 0;
			return subcommands[i].main(argc, argv);
		}
	}
	cli_error(NULL, "unknown command '%s'; see 'procscope --help'",
		  argv[optind]);
	return 2;
}
