/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one decoder of x86-64 page-table entries: a raw entry and its level
 * in, procscope flags, leaf kind, frame and swap slot out. Every consumer
 * (the walk's summary and dump, translate, the fault hooks' snapshots)
 * labels entries through it, so the same entry gets the same labels
 * everywhere. Only what the entry itself says is here; what its struct
 * page adds (anon, shared, zero page) is procscope_leaf_page() in
 * ptwalk.c. Pure functions of their arguments: the KUnit module tests
 * them as they are.
 */
#ifndef PROCSCOPE_PTE_DECODE_H
#define PROCSCOPE_PTE_DECODE_H

#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/swap.h>
#include <linux/swapops.h>

#include <linux/procscope.h>

/* What a non-empty leaf entry is. */
enum procscope_entry_kind {
	PROCSCOPE_ENTRY_NONE,		/* empty */
	PROCSCOPE_ENTRY_PRESENT,	/* the MMU uses it: a frame */
	PROCSCOPE_ENTRY_PROTNONE,	/* NUMA hinting / PROT_NONE: a frame */
	PROCSCOPE_ENTRY_SWAP,		/* a swap slot */
	PROCSCOPE_ENTRY_MIGRATION,	/* a page being migrated */
	/* Device-private, hwpoison, PTE marker, a PMD being split. */
	PROCSCOPE_ENTRY_OTHER,
};

struct procscope_entry {
	u64 flags;			/* enum procscope_pte_flag */
	u64 pfn;			/* PRESENT and PROTNONE */
	u64 swp_offset;			/* SWAP, MIGRATION, swap-format OTHER */
	u32 swp_type;
	enum procscope_entry_kind kind;
};

/*
 * Map x86 entry bits to a procscope flag; masks, not bit numbers, because
 * some are 0 when the kernel lacks the feature (soft-dirty, uffd-wp).
 */
#define PROCSCOPE_MAP_BIT(raw, mask, flag) (((raw) & (mask)) ? (u64)(flag) : 0)

/*
 * The flags an entry's own bits give, at @level. Above the PTE level
 * these are a leaf's flags only when the entry is one (PSE); for a table
 * entry they are its permission bits.
 */
static inline u64 procscope_entry_flags(u64 raw, enum procscope_level level)
{
	u64 flags;

	if (!(raw & (_PAGE_PRESENT | _PAGE_PROTNONE)) && raw) {
		/*
		 * Swap format (swap, migration, markers; a PMD being split
		 * keeps PSE): only soft-dirty and uffd-wp mean anything.
		 */
		return PROCSCOPE_MAP_BIT(raw, _PAGE_SWP_SOFT_DIRTY,
					 PROCSCOPE_PTE_F_SOFT_DIRTY) |
		       PROCSCOPE_MAP_BIT(raw, _PAGE_SWP_UFFD_WP,
					 PROCSCOPE_PTE_F_UFFD_WP);
	}
	flags = PROCSCOPE_MAP_BIT(raw, _PAGE_PRESENT, PROCSCOPE_PTE_F_PRESENT) |
		PROCSCOPE_MAP_BIT(raw, _PAGE_RW, PROCSCOPE_PTE_F_WRITE) |
		PROCSCOPE_MAP_BIT(raw, _PAGE_USER, PROCSCOPE_PTE_F_USER) |
		PROCSCOPE_MAP_BIT(raw, _PAGE_PWT, PROCSCOPE_PTE_F_PWT) |
		PROCSCOPE_MAP_BIT(raw, _PAGE_PCD, PROCSCOPE_PTE_F_PCD) |
		PROCSCOPE_MAP_BIT(raw, _PAGE_ACCESSED, PROCSCOPE_PTE_F_ACCESSED) |
		PROCSCOPE_MAP_BIT(raw, _PAGE_DIRTY, PROCSCOPE_PTE_F_DIRTY) |
		PROCSCOPE_MAP_BIT(raw, _PAGE_SOFT_DIRTY, PROCSCOPE_PTE_F_SOFT_DIRTY) |
		PROCSCOPE_MAP_BIT(raw, _PAGE_SPECIAL, PROCSCOPE_PTE_F_SPECIAL) |
		PROCSCOPE_MAP_BIT(raw, _PAGE_UFFD_WP, PROCSCOPE_PTE_F_UFFD_WP) |
		PROCSCOPE_MAP_BIT(raw, _PAGE_DEVMAP, PROCSCOPE_PTE_F_DEVMAP);
	/* Bit 7 is PSE above the PTE level but PAT in a PTE. */
	if (level != PROCSCOPE_LEVEL_PTE && (raw & _PAGE_PSE))
		flags |= PROCSCOPE_PTE_F_HUGE;
	/* Bit 8 is GLOBAL when present, PROTNONE (NUMA hinting) when not. */
	if (raw & _PAGE_PRESENT) {
		if (raw & _PAGE_GLOBAL)
			flags |= PROCSCOPE_PTE_F_GLOBAL;
	} else if (raw & _PAGE_PROTNONE) {
		flags |= PROCSCOPE_PTE_F_PROTNONE | PROCSCOPE_PTE_F_PRESENT;
	}
	if (raw & _PAGE_NX & __supported_pte_mask)
		flags |= PROCSCOPE_PTE_F_NX;
	return flags;
}

/* The frame of a present or PROT_NONE leaf (L1TF inverts PROT_NONE's). */
static inline u64 procscope_entry_pfn(u64 raw, enum procscope_level level)
{
	switch (level) {
	case PROCSCOPE_LEVEL_PUD:
		return pud_pfn(__pud(raw));
	case PROCSCOPE_LEVEL_PMD:
		return pmd_pfn(__pmd(raw));
	default:
		return pte_pfn(__pte(raw));
	}
}

/* The swap entry of a swap-format leaf, without its soft-dirty/uffd bits. */
static inline swp_entry_t procscope_entry_swp(u64 raw,
					      enum procscope_level level)
{
	/* PUD: only hugetlb has such entries, in PTE format. */
	if (level == PROCSCOPE_LEVEL_PMD)
		return pmd_to_swp_entry(__pmd(raw));
	return pte_to_swp_entry(__pte(raw));
}

/*
 * Decode the leaf entry @raw of @level: everything its bits say. An entry
 * above the PTE level is a leaf when it is not present (swap format) or
 * has PSE; the caller decides that, this only decodes.
 */
static inline void procscope_entry_decode(u64 raw, enum procscope_level level,
					  struct procscope_entry *e)
{
	swp_entry_t swp;

	memset(e, 0, sizeof(*e));
	if (!raw)
		return;
	e->flags = procscope_entry_flags(raw, level);
	if (raw & _PAGE_PRESENT) {
		e->kind = PROCSCOPE_ENTRY_PRESENT;
		e->pfn = procscope_entry_pfn(raw, level);
		return;
	}
	if (raw & _PAGE_PROTNONE) {
		e->kind = PROCSCOPE_ENTRY_PROTNONE;
		e->pfn = procscope_entry_pfn(raw, level);
		return;
	}
	/* pmdp_invalidate() keeps PSE while a huge PMD is split: transient. */
	if (level != PROCSCOPE_LEVEL_PTE && (raw & _PAGE_PSE)) {
		e->kind = PROCSCOPE_ENTRY_OTHER;
		return;
	}
	swp = procscope_entry_swp(raw, level);
	e->swp_type = swp_type(swp);
	e->swp_offset = swp_offset(swp);
	if (is_migration_entry(swp)) {
		e->kind = PROCSCOPE_ENTRY_MIGRATION;
		e->flags |= PROCSCOPE_PTE_F_MIGRATION;
	} else if (!non_swap_entry(swp)) {
		e->kind = PROCSCOPE_ENTRY_SWAP;
		e->flags |= PROCSCOPE_PTE_F_SWAP;
	} else {
		e->kind = PROCSCOPE_ENTRY_OTHER;
	}
}

/*
 * What a caller without CAP_SYS_ADMIN may see of a raw entry: the flag
 * bits, not the frame or swap slot (as /proc/PID/pagemap hides them).
 */
static inline u64 procscope_mask_entry(u64 raw, bool present)
{
	if (present)
		return raw & ~(u64)PTE_PFN_MASK;
	/* Swap format: keep the low flag bits and the 5-bit type. */
	return raw & (GENMASK_ULL(SWP_OFFSET_FIRST_BIT - 1, 0) |
		      GENMASK_ULL(63, 64 - SWP_TYPE_BITS));
}

#endif
