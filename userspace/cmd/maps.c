// SPDX-License-Identifier: GPL-2.0
/* procscope maps: one row per VMA, with what it is and what is resident. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/subcommands.h"
#include "model/vmas.h"
#include "render/maps_render.h"
#include "render/maps_svg.h"
#include "render/term.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope maps [--json] [--svg FILE] PID\n"
		"\n"
		"One row per mapping (VMA) of process PID, like /proc/PID/maps, with what\n"
		"it holds and what of it is in memory, counted from the page tables:\n"
		"  KIND       text, rodata, data, bss (from the ELF program headers),\n"
		"             heap (brk), stack, anon, file, shm, vdso, vvar\n"
		"  RESIDENT   bytes mapped by present entries (as smaps' Rss: the shared\n"
		"             zero page does not count)\n"
		"  SWAP       bytes swapped out; HUGE: bytes mapped by 2 MiB/1 GiB pages\n"
		"\n"
		"\n"
		"Options:\n"
		"  -s, --svg FILE  also draw the address space into FILE (SVG, '-' for\n"
		"                  stdout): a row per VMA with the holes between them,\n"
		"                  and a strip showing where its pages are resident,\n"
		"                  in huge pages, the zero page or swapped out\n"
		"\n"
		"Examples:\n"
		"  procscope maps $$\n"
		"  procscope maps --json 1234\n"
		"  procscope maps 1234 --svg maps.svg && firefox maps.svg\n");
}

int maps_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "svg", required_argument, NULL, 's' },
		CLI_COMMON_LONGOPTS
	};
	const char *svg = NULL;
	struct vma_list l;
	struct ps_nl nl;
	struct json j;
	char err[512];
	pid_t pid;
	int ret;

	ret = cli_getopt(argc, argv, "s:jh", opts, cli_opt_store_arg, &svg, usage);
	if (ret < 0)
		return cli_exit_status(ret);
	if (cli_pid_operand("maps", argc, argv, ret, &pid))
		return 2;
	if (ps_nl_open_cmd(&nl, "maps"))
		return 1;
	ret = vmas_fetch(&nl, pid, &l);
	if (!ret && svg) {
		ret = maps_svg_save(&nl, &l, svg);
		if (ret)
			vmas_free(&l);
	}
	if (ret > 0) {
		ps_nl_close(&nl);
		return 1;	/* maps_svg_save() said what went wrong */
	}
	if (ret) {
		cli_error("maps", "pid %d: %s", (int)pid,
			  ps_nl_strerror(&nl, ret, err, sizeof(err)));
		ps_nl_close(&nl);
		return 1;
	}
	ps_nl_close(&nl);
	if (svg && !strcmp(svg, "-")) {
		vmas_free(&l);
		return 0;
	}
	if (cli.json) {
		json_init(&j, stdout);
		maps_render_json(&l, &j);
	} else {
		maps_render_text(&l, stdout);
	}
	vmas_free(&l);
	return 0;
}
