/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_PTWALK_H
#define PROCSCOPE_PTWALK_H

#include <linux/mm_types.h>
#include <linux/pgtable.h>

#include <linux/procscope.h>

#include "pte_decode.h"

/* 5 when the kernel runs LA57 paging, else 4. */
static inline unsigned int procscope_paging_levels(void)
{
	return pgtable_l5_enabled() ? 5 : 4;
}

/* One non-empty leaf entry, decoded; PFNs here are real (mask on output). */
struct procscope_leaf_info {
	unsigned long va;		/* first address the entry maps */
	unsigned long size;		/* PAGE_SIZE, PMD_SIZE or PUD_SIZE */
	enum procscope_level level;
	u64 raw;
	u64 pfn;			/* present entries only */
	u64 flags;			/* enum procscope_pte_flag */
	u32 swp_type;			/* swap and migration entries */
	u64 swp_offset;
	u32 mapcount;			/* present entries with a struct page */
	enum procscope_entry_kind kind;
};

struct procscope_walk;
/*
 * Called for every non-empty leaf with the entry's page-table lock held:
 * it must not sleep. A nonzero return stops the walk at that leaf.
 */
typedef int (*procscope_leaf_fn)(struct procscope_walk *w,
				 const struct procscope_leaf_info *li);

/*
 * Optional fast path for dumps: present 4 KiB leaves at consecutive
 * addresses are stored straight into a run instead of going through the
 * leaf callback. The consumer provides the storage for the raw entries
 * (the message itself, so they are never copied again): @begin is called
 * for the first entry of a run and sets @raw and @cap (-EMSGSIZE: no room,
 * the walk stops at that entry); @flush is called when the next entry does
 * not continue the run or @cap is reached, and must set n = 0. Flags and
 * mapcounts are kept here, with whether they were the same for every
 * entry, so that a uniform run needs only one of each.
 */
struct procscope_pte_run {
	int (*begin)(struct procscope_walk *w, unsigned long va);
	int (*flush)(struct procscope_walk *w);
	bool mask_raw;			/* hide frame bits (no CAP_SYS_ADMIN) */
	unsigned long va;		/* address of entry 0 */
	unsigned int n;
	unsigned int cap;
	u64 *raw;			/* cap entries, in the consumer's buffer */
	bool flags_same, mapcount_same;
	u32 flags[PROCSCOPE_PTE_RUN_MAX_ENTRIES];
	u32 mapcount[PROCSCOPE_PTE_RUN_MAX_ENTRIES];
};

/*
 * State of a walk over one mm. Counters accumulate across calls, so a
 * caller walking VMA after VMA in address order counts every table once.
 */
struct procscope_walk {
	struct mm_struct *mm;
	struct vm_area_struct *vma;	/* the VMA being walked */
	procscope_leaf_fn leaf;		/* optional */
	struct procscope_pte_run *run;	/* optional, with @leaf */
	void *priv;
	unsigned long next;		/* where the walk stopped */
	u64 tables[__PROCSCOPE_LEVEL_LAST];
	u64 leaves[__PROCSCOPE_LEAF_LAST];
	/* Per level: 1 + base address of the last table/entry counted. */
	unsigned long table_seen[__PROCSCOPE_LEVEL_LAST];
	unsigned long entry_seen[__PROCSCOPE_LEVEL_LAST];
};

void procscope_walk_init(struct procscope_walk *w, struct mm_struct *mm);

/*
 * Walk [start, end) of @vma (both inside it) with mmap_read_lock held.
 * Returns 0 when the range is done (w->next == end) or the leaf
 * callback's value, with w->next at the leaf it refused.
 */
int procscope_walk_vma(struct procscope_walk *w, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end);

/*
 * What the struct page of a present (or PROT_NONE) leaf adds to its flags:
 * ZERO_PAGE, ANON and SHARED into *@flags, the page's mapcount into
 * *@mapcount. @vma_anon: the leaf is in an anonymous VMA, where a huge
 * PMD that maps no anonymous page is the huge zero page. Returns the
 * page, NULL for the zero page, special and device mappings.
 */
struct page *procscope_leaf_page(u64 pfn, enum procscope_level level,
				 bool vma_anon, u64 *flags, u32 *mapcount);

/* One entry read on the way down to an address. */
struct procscope_step {
	enum procscope_level level;
	u32 index;			/* in its table */
	u64 table_pa;			/* physical address of that table */
	u64 entry;			/* raw */
	bool leaf;			/* labelled by procscope_addr_walk.leaf */
};

/* The walk down to one address (translate, the fault snapshots). */
struct procscope_addr_walk {
	struct procscope_step step[PROCSCOPE_LEVEL_MAX];
	unsigned int n;
	enum procscope_stop stop;
	u64 pa;				/* PROCSCOPE_STOP_MAPPED */
	struct procscope_leaf_info leaf;	/* when step[n - 1].leaf */
};

/*
 * Walk down to @va's leaf in @mm reading each entry once, without a
 * page-table lock, as GUP-fast does: the decoded leaf is the snapshot of
 * a moment, nothing is pinned. The caller either holds the mmap lock and
 * @va is in a VMA (then above the PTE level no table can be freed), or
 * has IRQs off in its own mm (the TLB-flush IPI that precedes freeing a
 * table waits for it); a PTE table is read under RCU (compat.c). Outside
 * every VMA (!@in_vma) only the PGD entry is read. @vma_anon: see
 * procscope_leaf_page(). Returns 0, or -EAGAIN when the PTE table was
 * retracted meanwhile (6.6+) and nothing was decided: walk again, or
 * call it unknown. Does not sleep.
 */
int procscope_walk_addr(struct mm_struct *mm, unsigned long va, bool in_vma,
			bool vma_anon, struct procscope_addr_walk *aw);

/* The leaf mapping an address, as the fault hooks' snapshots keep it. */
struct procscope_leaf_snap {
	u64 raw;			/* 0: no entry */
	u64 pfn;			/* present entries only */
	u64 flags;			/* enum procscope_pte_flag */
	enum procscope_entry_kind kind;
};

/*
 * procscope_walk_addr() inside a VMA for the fault path: the same descent
 * and the same labels (procscope_entry_decode(), procscope_leaf_page()),
 * without recording the steps and the stop reason that only translate
 * shows. Same rules and return values; IRQs off in the caller. @page:
 * add what the struct page says (procscope_leaf_page()); without it the
 * flags are the entry's own, enough for the kind and write state.
 */
int procscope_leaf_snapshot(struct mm_struct *mm, unsigned long va,
			    bool vma_anon, bool page,
			    struct procscope_leaf_snap *ls);

#endif
