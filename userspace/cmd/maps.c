// SPDX-License-Identifier: GPL-2.0
/* procscope maps: one row per VMA, with what it is and what is resident. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/maps.h"
#include "cmd/subcommands.h"
#include "model/vmas.h"
#include "render/maps_svg.h"
#include "render/term.h"

#define PAGE ((uint64_t)4096)

static uint64_t swap_bytes(const struct vma_info *v)
{
	return v->leaves[PROCSCOPE_LEAF_SWAP] * PAGE;
}

static uint64_t huge_bytes(const struct vma_info *v)
{
	return (v->leaves[PROCSCOPE_LEAF_PMD] << 21) +
	       (v->leaves[PROCSCOPE_LEAF_PUD] << 30);
}

/* "####ss....": resident (#), swapped (s), not in memory (.). */
const char *maps_bar(uint64_t size, uint64_t resident, uint64_t swapped,
		     char *buf, size_t width)
{
	const struct term_bar_seg seg[] = {
		{ resident, '#', TERM_GLYPH_FULL }, { swapped, 's', TERM_GLYPH_MID },
	};

	return term_bar(buf, width + 1, size, seg, 2, (unsigned int)width, false);
}

static void maps_render_text(const struct vma_list *l, FILE *f)
{
	uint64_t tot_res = 0, tot_swap = 0, tot_size = 0;
	bool color = cli_use_color(f);
	char perms[5], b1[16], b2[16], b3[16], b4[16], bar[TERM_BAR_BUFSIZE(10)];
	bool unicode = term_style_for(f).unicode;
	size_t i;

	fprintf(f, "%s%-12s %-12s %-4s %-6s %9s %9s %9s %9s  %-10s  %s%s\n",
		color ? "\033[1m" : "", "START", "END", "PERM", "KIND", "SIZE",
		"RESIDENT", "SWAP", "HUGE", "RESIDENCY", "MAPPING",
		color ? "\033[0m" : "");
	for (i = 0; i < l->n; i++) {
		const struct vma_info *v = &l->v[i];
		uint64_t size = v->end - v->start, res = vma_resident_bytes(v);

		tot_size += size;
		tot_res += res;
		tot_swap += swap_bytes(v);
		fprintf(f, "%12" PRIx64 " %12" PRIx64 " %-4s %-6s %9s %9s %9s %9s  %-10s  %s\n",
			v->start, v->end, vma_perms(v->flags, perms),
			vma_kind_name(v->kind), fmt_bytes(size, b1, sizeof(b1)),
			fmt_bytes(res, b2, sizeof(b2)),
			fmt_bytes(swap_bytes(v), b3, sizeof(b3)),
			fmt_bytes(huge_bytes(v), b4, sizeof(b4)),
			term_bar(bar, sizeof(bar), size,
				 (const struct term_bar_seg[]){
					{ res, '#', TERM_GLYPH_FULL },
					{ swap_bytes(v), 's', TERM_GLYPH_MID } },
				 2, 10, unicode),
			v->path ? v->path : v->name ? v->name : "");
	}
	fprintf(f, "%d VMAs, %s mapped, %s resident, %s swapped out (%s)\n",
		(int)l->n, fmt_bytes(tot_size, b1, sizeof(b1)),
		fmt_bytes(tot_res, b2, sizeof(b2)), fmt_bytes(tot_swap, b3, sizeof(b3)),
		unicode ? TERM_GLYPH_FULL " resident, " TERM_GLYPH_MID " swapped, "
		TERM_GLYPH_EMPTY " not in memory" :
		"# resident, s swapped, . not in memory");
}

void maps_render_json(const struct vma_list *l, struct json *j)
{
	char perms[5];
	size_t i;

	json_obj_begin(j, NULL);
	json_u64(j, "pid", (uint64_t)l->pid);
	json_obj_begin(j, "mm");
	json_hex(j, "start_code", l->mm.v[PROCSCOPE_MM_START_CODE]);
	json_hex(j, "end_code", l->mm.v[PROCSCOPE_MM_END_CODE]);
	json_hex(j, "start_data", l->mm.v[PROCSCOPE_MM_START_DATA]);
	json_hex(j, "end_data", l->mm.v[PROCSCOPE_MM_END_DATA]);
	json_hex(j, "start_brk", l->mm.v[PROCSCOPE_MM_START_BRK]);
	json_hex(j, "brk", l->mm.v[PROCSCOPE_MM_BRK]);
	json_hex(j, "start_stack", l->mm.v[PROCSCOPE_MM_START_STACK]);
	json_obj_end(j);
	json_arr_begin(j, "vmas");
	for (i = 0; i < l->n; i++) {
		const struct vma_info *v = &l->v[i];

		json_obj_begin(j, NULL);
		json_hex(j, "start", v->start);
		json_hex(j, "end", v->end);
		json_str(j, "perms", vma_perms(v->flags, perms));
		json_str(j, "kind", vma_kind_name(v->kind));
		if (v->path)
			json_str(j, "path", v->path);
		else
			json_null(j, "path");
		if (v->name)
			json_str(j, "name", v->name);
		json_hex(j, "offset", v->pgoff);
		json_hex(j, "flags", v->flags);
		json_u64(j, "present", vma_resident_bytes(v));
		json_u64(j, "swap", swap_bytes(v));
		json_u64(j, "huge", huge_bytes(v));
		json_u64(j, "anon_huge", v->leaves[PROCSCOPE_LEAF_ANON_HUGE]);
		json_u64(j, "pte_leaves", v->leaves[PROCSCOPE_LEAF_PTE]);
		json_u64(j, "pmd_leaves", v->leaves[PROCSCOPE_LEAF_PMD]);
		json_u64(j, "zero_pages", v->leaves[PROCSCOPE_LEAF_ZERO]);
		json_u64(j, "shared_pages", v->leaves[PROCSCOPE_LEAF_SHARED]);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

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
