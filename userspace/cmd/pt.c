// SPDX-License-Identifier: GPL-2.0
/* procscope pt: the page-table tree of a process, level by level. */
#include <string.h>

#include "cmd/cli.h"
#include "cmd/subcommands.h"
#include "model/pt_summary.h"
#include "nl/nl.h"
#include "render/pt_render.h"
#include "render/pt_svg.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope pt [--json] [--svg FILE] PID\n"
		"\n"
		"Walk the page tables of process PID in the kernel (not /proc/PID/pagemap)\n"
		"and show the radix tree level by level: how many table pages each level\n"
		"holds, how many of their entries are in use and what they cost; what the\n"
		"leaves map (4 KiB pages, 2 MiB and 1 GiB huge pages, swapped-out pages);\n"
		"how many TLB entries the resident memory needs; and what a single flat\n"
		"table for the whole address space would have cost instead.\n"
		"\n"
		"The kernel's own VmPTE (/proc/PID/status) is checked against the walk:\n"
		"it counts PUD, PMD and PTE table pages plus the PTE tables the kernel keeps\n"
		"deposited under anonymous huge pages, not the PGD (nor the P4D on 6.1).\n"
		"\n"
		"Options:\n"
		"  -s, --svg FILE  also draw the tree into FILE (SVG, '-' for stdout):\n"
		"                  one column per level, each table's 512 entries as a\n"
		"                  grid (used, pointing down, 4 KiB, huge, swapped)\n"
		"\n"
		"Examples:\n"
		"  procscope pt $$              the tree of your shell\n"
		"  procscope pt --json 1234     the same numbers as one JSON object\n"
		"  procscope pt 1234 --svg pt.svg && firefox pt.svg\n"
		"\n"
		"You may inspect processes you could ptrace (your own, or any as root).\n");
}

int pt_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "svg", required_argument, NULL, 's' },
		CLI_COMMON_LONGOPTS
	};
	const char *svg = NULL;
	struct pt_summary s;
	char err[512];
	struct ps_nl nl;
	struct json j;
	pid_t pid;
	int ret;

	ret = cli_getopt(argc, argv, "s:jh", opts, cli_opt_store_arg, &svg, usage);
	if (ret < 0)
		return cli_exit_status(ret);
	if (cli_pid_operand("pt", argc, argv, ret, &pid))
		return 2;
	if (ps_nl_open_cmd(&nl, "pt"))
		return 1;
	ret = svg ? pt_svg_save(&nl, pid, &s, svg) : pt_summary_fetch(&nl, pid, &s);
	if (ret > 0) {
		ps_nl_close(&nl);
		return 1;	/* pt_svg_save() said what went wrong */
	}
	if (ret) {
		cli_error("pt", "pid %d: %s", (int)pid,
			  ps_nl_strerror(&nl, ret, err, sizeof(err)));
		ps_nl_close(&nl);
		return 1;
	}
	ps_nl_close(&nl);
	if (svg && !strcmp(svg, "-"))
		return 0;
	if (cli.json) {
		json_init(&j, stdout);
		pt_summary_render_json(&s, &j);
	} else {
		pt_summary_render_text(&s, stdout);
	}
	return 0;
}
