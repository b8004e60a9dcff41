// SPDX-License-Identifier: GPL-2.0
/* One PTE_DUMP entry as a text line or a JSON object (`procscope ptes`). */
#include <inttypes.h>
#include <string.h>

#include "cmd/cli.h"
#include "render/pt_fmt.h"
#include "render/pte_render.h"

void pte_render_text_header(FILE *f)
{
	bool color = cli_use_color(f);

	fprintf(f, "%sVIRTUAL ADDRESS     LEVEL  RAW ENTRY           PFN          RWXUADH  MAP  DETAILS%s\n",
		color ? "\033[1m" : "", color ? "\033[0m" : "");
}

void pte_render_text(const struct pte_entry *e, bool pfn_visible, FILE *f)
{
	char sh[8], fl[256], pfn[20];
	bool present = e->flags & PROCSCOPE_PTE_F_PRESENT;

	if (present && pfn_visible)
		snprintf(pfn, sizeof(pfn), "0x%" PRIx64, e->pfn);
	else
		snprintf(pfn, sizeof(pfn), "%s", present ? "(hidden)" : "-");
	fprintf(f, "0x%016" PRIx64 "  %-5s  0x%016" PRIx64 "  %-11s  %s  %3u  ",
		e->va, pt_level_name(e->level), e->raw, pfn,
		pt_flags_short(e->flags, sh), e->mapcount);
	if (!present) {
		if (e->flags & PROCSCOPE_PTE_F_SWAP)
			fprintf(f, "swapped out: device %u", e->swp_type);
		else if (e->flags & PROCSCOPE_PTE_F_MIGRATION)
			fprintf(f, "migration entry");
		else
			fprintf(f, "non-present entry (type %u)", e->swp_type);
		if (e->has_swp_offset)
			fprintf(f, ", slot 0x%" PRIx64, e->swp_offset);
		fputc('\n', f);
		return;
	}
	/* The long names, minus what the short columns already say. */
	pt_flags_str(e->flags & ~(PROCSCOPE_PTE_F_PRESENT | PROCSCOPE_PTE_F_WRITE |
				  PROCSCOPE_PTE_F_USER | PROCSCOPE_PTE_F_ACCESSED |
				  PROCSCOPE_PTE_F_DIRTY | PROCSCOPE_PTE_F_HUGE |
				  PROCSCOPE_PTE_F_NX), fl, sizeof(fl));
	fprintf(f, "%s\n", fl);
}

void pte_render_json(const struct pte_entry *e, bool pfn_visible,
		     struct json *j)
{
	bool present = e->flags & PROCSCOPE_PTE_F_PRESENT;

	json_obj_begin(j, NULL);
	json_hex(j, "va", e->va);
	json_str(j, "level", pt_level_name(e->level));
	json_hex(j, "raw", e->raw);
	if (present && pfn_visible)
		json_hex(j, "pfn", e->pfn);
	else
		json_null(j, "pfn");
	json_bool(j, "present", present);
	json_bool(j, "swap", e->flags & PROCSCOPE_PTE_F_SWAP);
	if (!present) {
		json_u64(j, "swap_type", e->swp_type);
		if (e->has_swp_offset)
			json_hex(j, "swap_offset", e->swp_offset);
	}
	json_u64(j, "mapcount", e->mapcount);
	pt_flags_json(j, "flags", e->flags);
	json_obj_end(j);
}
