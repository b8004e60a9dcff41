// SPDX-License-Identifier: GPL-2.0
/* The VMA list as rows of text (with residency bars) or JSON. */
#include <inttypes.h>
#include <string.h>

#include "cmd/cli.h"
#include "render/maps_render.h"
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

void maps_render_text(const struct vma_list *l, FILE *f)
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
