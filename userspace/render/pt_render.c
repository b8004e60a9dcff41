// SPDX-License-Identifier: GPL-2.0
/* The page-table summary as text and JSON (`procscope pt`). */
#include <inttypes.h>
#include <string.h>

#include "cmd/cli.h"
#include "render/pt_fmt.h"
#include "render/pt_render.h"

#define PAGE ((uint64_t)4096)

static const enum procscope_leaf used_leaf[__PROCSCOPE_LEVEL_LAST] = {
	[PROCSCOPE_LEVEL_PGD] = PROCSCOPE_LEAF_USED_PGD,
	[PROCSCOPE_LEVEL_P4D] = PROCSCOPE_LEAF_USED_P4D,
	[PROCSCOPE_LEVEL_PUD] = PROCSCOPE_LEAF_USED_PUD,
	[PROCSCOPE_LEVEL_PMD] = PROCSCOPE_LEAF_USED_PMD,
	[PROCSCOPE_LEVEL_PTE] = PROCSCOPE_LEAF_USED_PTE,
};

/* What one entry of a table at @level spans. */
static uint64_t entry_span(const struct pt_summary *s, int level)
{
	if (level == PROCSCOPE_LEVEL_PGD)
		return s->levels == 5 ? 1ULL << 48 : 1ULL << 39;
	return pt_level_size((uint32_t)level);
}

static const char *span_str(uint64_t bytes, char *buf, size_t len)
{
	static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	int i = 0;

	while (bytes >= 1024 && !(bytes % 1024) && i < 5) {
		bytes /= 1024;
		i++;
	}
	snprintf(buf, len, "%" PRIu64 " %s", bytes, u[i]);
	return buf;
}

/* TLB entries to map everything resident: one per leaf. */
static void tlb_numbers(const struct pt_summary *s, uint64_t *entries,
			uint64_t *small_only)
{
	const uint64_t *lv = s->leaves;

	*entries = lv[PROCSCOPE_LEAF_PTE] + lv[PROCSCOPE_LEAF_PMD] +
		   lv[PROCSCOPE_LEAF_PUD];
	*small_only = lv[PROCSCOPE_LEAF_PTE] + (lv[PROCSCOPE_LEAF_PMD] << 9) +
		      (lv[PROCSCOPE_LEAF_PUD] << 18);
}

void pt_summary_render_text(const struct pt_summary *s, FILE *f)
{
	const uint64_t *lv = s->leaves;
	uint64_t entries, small, acc_small, total = pt_tree_bytes(s);
	uint64_t vmpte = s->mm[PROCSCOPE_MM_PGTABLES_BYTES];
	char b1[32], b2[32], b3[32];
	bool color = cli_use_color(f);
	int l;

	fprintf(f, "pid %d: %u-level paging, %u-bit virtual addresses, %" PRIu64
		" mappings\n\n", (int)s->pid, s->levels, pt_va_bits(s->levels),
		s->mm[PROCSCOPE_MM_MAP_COUNT]);
	fprintf(f, "%sLEVEL  TABLES  ENTRIES USED      BYTES  EACH ENTRY MAPS%s\n",
		color ? "\033[1m" : "", color ? "\033[0m" : "");
	for (l = PROCSCOPE_LEVEL_PGD; l <= PROCSCOPE_LEVEL_PTE; l++) {
		if (l == PROCSCOPE_LEVEL_P4D && s->levels < 5) {
			fprintf(f, "%-5s  %6s  %12s  %9s  (folded into the PGD with 4-level paging)\n",
				"P4D", "-", "-", "-");
			continue;
		}
		fprintf(f, "%-5s  %6" PRIu64 "  %12" PRIu64 "  %9s  %s\n",
			l == PROCSCOPE_LEVEL_PGD ? "PGD" :
			l == PROCSCOPE_LEVEL_P4D ? "P4D" :
			l == PROCSCOPE_LEVEL_PUD ? "PUD" :
			l == PROCSCOPE_LEVEL_PMD ? "PMD" : "PTE",
			s->tables[l], lv[used_leaf[l]],
			fmt_bytes(s->tables[l] * PAGE, b1, sizeof(b1)),
			span_str(entry_span(s, l), b2, sizeof(b2)));
	}
	fprintf(f, "%-5s  %6" PRIu64 "  %12" PRIu64 "  %9s  (%" PRIu64
		" of %" PRIu64 " entries in use: %.1f%%)\n", "total",
		total / PAGE, lv[PROCSCOPE_LEAF_USED_ENTRIES],
		fmt_bytes(total, b1, sizeof(b1)),
		lv[PROCSCOPE_LEAF_USED_ENTRIES], total / 8,
		total ? 100.0 * (double)lv[PROCSCOPE_LEAF_USED_ENTRIES] /
		(double)(total / 8) : 0.0);
	fprintf(f, "kernel VmPTE %s = PUD+PMD+PTE tables + %" PRIu64
		" PTE table(s) deposited under huge pages: %s\n",
		fmt_bytes(vmpte, b1, sizeof(b1)),
		lv[PROCSCOPE_LEAF_PT_DEPOSITED],
		vmpte == pt_vmpte_expected(s) ? "matches the walk" :
		"differs from the walk (the process changed its mappings meanwhile?)");

	fprintf(f, "\nLEAVES (what the tree maps)\n");
	fprintf(f, "  4 KiB pages      %10" PRIu64 "  %10s\n", lv[PROCSCOPE_LEAF_PTE],
		fmt_bytes(lv[PROCSCOPE_LEAF_PTE] * PAGE, b1, sizeof(b1)));
	fprintf(f, "  2 MiB huge pages %10" PRIu64 "  %10s  (anonymous THP: %s)\n",
		lv[PROCSCOPE_LEAF_PMD],
		fmt_bytes(lv[PROCSCOPE_LEAF_PMD] << 21, b1, sizeof(b1)),
		fmt_bytes(lv[PROCSCOPE_LEAF_ANON_HUGE], b2, sizeof(b2)));
	fprintf(f, "  1 GiB huge pages %10" PRIu64 "  %10s\n", lv[PROCSCOPE_LEAF_PUD],
		fmt_bytes(lv[PROCSCOPE_LEAF_PUD] << 30, b1, sizeof(b1)));
	fprintf(f, "  swapped out      %10" PRIu64 "  %10s\n", lv[PROCSCOPE_LEAF_SWAP],
		fmt_bytes(lv[PROCSCOPE_LEAF_SWAP] * PAGE, b1, sizeof(b1)));
	fprintf(f, "  other non-present%10" PRIu64 "  (migration, hwpoison, markers)\n",
		lv[PROCSCOPE_LEAF_NONPRESENT]);
	fprintf(f, "  in 4 KiB units: %" PRIu64 " writable, %" PRIu64 " dirty, %"
		PRIu64 " accessed, %" PRIu64 " no-exec, %" PRIu64
		" shared (mapped more than once), %" PRIu64 " zero page, %"
		PRIu64 " without struct page\n",
		lv[PROCSCOPE_LEAF_WRITABLE], lv[PROCSCOPE_LEAF_DIRTY],
		lv[PROCSCOPE_LEAF_ACCESSED], lv[PROCSCOPE_LEAF_NX],
		lv[PROCSCOPE_LEAF_SHARED], lv[PROCSCOPE_LEAF_ZERO],
		lv[PROCSCOPE_LEAF_SPECIAL]);

	tlb_numbers(s, &entries, &small);
	acc_small = lv[PROCSCOPE_LEAF_ACCESSED] -
		    (lv[PROCSCOPE_LEAF_ACCESSED_PMD] << 9) -
		    (lv[PROCSCOPE_LEAF_ACCESSED_PUD] << 18);
	fprintf(f, "\nTLB REACH\n");
	fprintf(f, "  mapping all %s takes %" PRIu64 " TLB entries (%" PRIu64
		" x 4 KiB + %" PRIu64 " x 2 MiB + %" PRIu64 " x 1 GiB);\n"
		"  with 4 KiB pages only it would take %" PRIu64 "%s\n",
		fmt_bytes(small * PAGE, b1, sizeof(b1)), entries,
		lv[PROCSCOPE_LEAF_PTE], lv[PROCSCOPE_LEAF_PMD],
		lv[PROCSCOPE_LEAF_PUD], small,
		entries && small > entries ? " (huge pages save the difference)" : "");
	fprintf(f, "  touched (accessed bit set): %" PRIu64 " x 4 KiB pages, %"
		PRIu64 " x 2 MiB, %" PRIu64 " x 1 GiB\n", acc_small,
		lv[PROCSCOPE_LEAF_ACCESSED_PMD], lv[PROCSCOPE_LEAF_ACCESSED_PUD]);

	fprintf(f, "\nFLAT TABLE VS RADIX TREE\n");
	fprintf(f, "  one flat table for this %s address space (one 8-byte entry per 4 KiB page): %s\n",
		fmt_bytes(s->mm[PROCSCOPE_MM_TASK_SIZE], b1, sizeof(b1)),
		fmt_bytes(pt_flat_bytes(s), b2, sizeof(b2)));
	fprintf(f, "  this radix tree: %s, %.3g times smaller\n",
		fmt_bytes(total, b3, sizeof(b3)),
		total ? (double)pt_flat_bytes(s) / (double)total : 0.0);
}

void pt_summary_render_json(const struct pt_summary *s, struct json *j)
{
	const uint64_t *lv = s->leaves;
	uint64_t entries, small;
	int l;

	json_obj_begin(j, NULL);
	json_u64(j, "pid", (uint64_t)s->pid);
	json_u64(j, "levels", s->levels);
	json_obj_begin(j, "tables");
	for (l = PROCSCOPE_LEVEL_PGD; l <= PROCSCOPE_LEVEL_PTE; l++)
		json_u64(j, pt_level_name((uint32_t)l), s->tables[l]);
	json_obj_end(j);
	json_obj_begin(j, "entries_used");
	for (l = PROCSCOPE_LEVEL_PGD; l <= PROCSCOPE_LEVEL_PTE; l++)
		json_u64(j, pt_level_name((uint32_t)l), lv[used_leaf[l]]);
	json_obj_end(j);
	json_u64(j, "table_bytes", pt_tree_bytes(s));
	json_u64(j, "pt_bytes_below_pgd", s->pt_bytes);
	json_u64(j, "deposited_tables", lv[PROCSCOPE_LEAF_PT_DEPOSITED]);
	json_u64(j, "vmpte_bytes", s->mm[PROCSCOPE_MM_PGTABLES_BYTES]);
	json_u64(j, "vmpte_expected", pt_vmpte_expected(s));
	json_obj_begin(j, "leaves");
	json_u64(j, "pte", lv[PROCSCOPE_LEAF_PTE]);
	json_u64(j, "pmd", lv[PROCSCOPE_LEAF_PMD]);
	json_u64(j, "pud", lv[PROCSCOPE_LEAF_PUD]);
	json_u64(j, "swap", lv[PROCSCOPE_LEAF_SWAP]);
	json_u64(j, "nonpresent", lv[PROCSCOPE_LEAF_NONPRESENT]);
	json_u64(j, "writable", lv[PROCSCOPE_LEAF_WRITABLE]);
	json_u64(j, "dirty", lv[PROCSCOPE_LEAF_DIRTY]);
	json_u64(j, "accessed", lv[PROCSCOPE_LEAF_ACCESSED]);
	json_u64(j, "nx", lv[PROCSCOPE_LEAF_NX]);
	json_u64(j, "shared", lv[PROCSCOPE_LEAF_SHARED]);
	json_u64(j, "zero", lv[PROCSCOPE_LEAF_ZERO]);
	json_u64(j, "special", lv[PROCSCOPE_LEAF_SPECIAL]);
	json_u64(j, "anon_huge_bytes", lv[PROCSCOPE_LEAF_ANON_HUGE]);
	json_obj_end(j);
	tlb_numbers(s, &entries, &small);
	json_obj_begin(j, "tlb");
	json_u64(j, "entries", entries);
	json_u64(j, "entries_4k_only", small);
	json_u64(j, "accessed_pmd", lv[PROCSCOPE_LEAF_ACCESSED_PMD]);
	json_u64(j, "accessed_pud", lv[PROCSCOPE_LEAF_ACCESSED_PUD]);
	json_obj_end(j);
	json_u64(j, "flat_table_bytes", pt_flat_bytes(s));
	json_hex(j, "task_size", s->mm[PROCSCOPE_MM_TASK_SIZE]);
	json_bool(j, "pfn_visible", s->pfn_visible);
	json_obj_end(j);
}
