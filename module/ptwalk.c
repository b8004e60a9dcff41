// SPDX-License-Identifier: GPL-2.0
/*
 * Walk a process's own page tables, PGD -> P4D -> PUD -> PMD -> PTE.
 *
 * walk_page_range() and friends are not exported on 6.1, so this is the
 * same walk by hand, with the locking of mm/pagewalk.c and
 * fs/proc/task_mmu.c:
 *
 *  - the caller holds mmap_read_lock and walks only inside VMAs: a page
 *    table above the PTE level is freed only by free_pgtables(), which
 *    runs under the mmap write lock or, in munmap, after the VMAs covering
 *    it were removed from the tree; so every such table reachable from a
 *    VMA's range stays allocated while we look at it;
 *  - a PTE table, though, can be retracted without the mmap lock since
 *    6.6 (khugepaged on file and shmem ranges, freed after RCU): it is
 *    mapped with procscope_pte_map_lock() (compat.c), and when that fails
 *    the PMD is read again and handled as what it now is, as
 *    mm/pagewalk.c does (ACTION_AGAIN); nothing is counted for a table
 *    that was not mapped;
 *  - a huge or non-present PMD is read again under pmd_lock(), the lock
 *    pmd_trans_huge_lock() takes (__pmd_trans_huge_lock() itself is not
 *    exported); a huge PUD under pud_lock();
 *  - a PTE table is read under its lock, which also keeps the pages it
 *    maps from being unmapped and freed while we read their mapcount;
 *  - cond_resched() once per PMD.
 */

#include <linux/hugetlb.h>
#include <linux/huge_mm.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/swapops.h>

#include "compat.h"
#include "ptwalk.h"

void procscope_walk_init(struct procscope_walk *w, struct mm_struct *mm)
{
	memset(w, 0, sizeof(*w));
	w->mm = mm;
	w->tables[PROCSCOPE_LEVEL_PGD] = 1;	/* mm->pgd, always there */
}

/* Count a table or entry covering [base, base + span) once per walk. */
static bool first_time(unsigned long *seen, unsigned long base)
{
	if (*seen == base + 1)
		return false;
	*seen = base + 1;
	return true;
}

/* Mask giving the first address an entry of level @lvl maps. */
static unsigned long level_mask(enum procscope_level lvl)
{
	switch (lvl) {
	case PROCSCOPE_LEVEL_PGD:
		return PGDIR_MASK;
	case PROCSCOPE_LEVEL_P4D:
		return P4D_MASK;
	case PROCSCOPE_LEVEL_PUD:
		return PUD_MASK;
	case PROCSCOPE_LEVEL_PMD:
		return PMD_MASK;
	default:
		return PAGE_MASK;
	}
}

static void count_entry(struct procscope_walk *w, enum procscope_level lvl,
			unsigned long base)
{
	static const enum procscope_leaf used[__PROCSCOPE_LEVEL_LAST] = {
		[PROCSCOPE_LEVEL_PGD] = PROCSCOPE_LEAF_USED_PGD,
		[PROCSCOPE_LEVEL_P4D] = PROCSCOPE_LEAF_USED_P4D,
		[PROCSCOPE_LEVEL_PUD] = PROCSCOPE_LEAF_USED_PUD,
		[PROCSCOPE_LEVEL_PMD] = PROCSCOPE_LEAF_USED_PMD,
		[PROCSCOPE_LEVEL_PTE] = PROCSCOPE_LEAF_USED_PTE,
	};

	if (first_time(&w->entry_seen[lvl], base & level_mask(lvl))) {
		w->leaves[used[lvl]]++;
		w->leaves[PROCSCOPE_LEAF_USED_ENTRIES]++;
	}
}

static void count_table(struct procscope_walk *w, enum procscope_level lvl,
			unsigned long base)
{
	if (first_time(&w->table_seen[lvl], base))
		w->tables[lvl]++;
}

/*
 * The struct page of a present leaf, as vm_normal_page() would find it
 * (it is not exported): none for special entries (the zero page, PFN
 * maps, vDSO data) and device memory, none without a memmap.
 */
static struct page *leaf_page(u64 pfn, u64 flags)
{
	if (flags & (PROCSCOPE_PTE_F_SPECIAL | PROCSCOPE_PTE_F_DEVMAP))
		return NULL;
	if (!pfn_valid(pfn))
		return NULL;
	return pfn_to_page(pfn);
}

/*
 * What a present leaf maps: its struct page (NULL for the zero page and
 * special mappings), with ZERO_PAGE, ANON and SHARED added to *@flags and
 * the page's mapcount in *@mapcount.
 */
static struct page *present_page(u64 pfn, u64 *flags, u32 *mapcount)
{
	struct page *page;

	*mapcount = 0;
	if (is_zero_pfn(pfn)) {
		*flags |= PROCSCOPE_PTE_F_ZERO_PAGE;
		return NULL;
	}
	page = leaf_page(pfn, *flags);
	if (!page)
		return NULL;
	/* What smaps uses: a PMD-mapped THP's PMD mapping counts too. */
	*mapcount = max(procscope_page_mapcount(page), 0);
	if (PageAnon(page))
		*flags |= PROCSCOPE_PTE_F_ANON;
	if (*mapcount > 1)
		*flags |= PROCSCOPE_PTE_F_SHARED;
	return page;
}

struct page *procscope_leaf_page(u64 pfn, enum procscope_level level,
				 bool vma_anon, u64 *flags, u32 *mapcount)
{
	struct page *page = present_page(pfn, flags, mapcount);

	/*
	 * An anonymous VMA maps only anonymous pages with huge PMDs, except
	 * the huge zero page (is_huge_zero_pmd() needs the unexported
	 * huge_zero_pfn).
	 */
	if (page && level == PROCSCOPE_LEVEL_PMD && vma_anon && !PageAnon(page))
		*flags |= PROCSCOPE_PTE_F_ZERO_PAGE;
	return page;
}

/* Account a present leaf of @units 4 KiB pages; fill mapcount/flags. */
static void account_present(struct procscope_walk *w,
			    struct procscope_leaf_info *li, u64 units)
{
	bool vma_anon = vma_is_anonymous(w->vma);
	struct page *page;

	page = procscope_leaf_page(li->pfn, li->level, vma_anon, &li->flags,
				   &li->mapcount);
	if (li->flags & PROCSCOPE_PTE_F_ZERO_PAGE)
		w->leaves[PROCSCOPE_LEAF_ZERO] += units;
	else if (!page)
		w->leaves[PROCSCOPE_LEAF_SPECIAL] += units;
	if (li->flags & PROCSCOPE_PTE_F_SHARED)
		w->leaves[PROCSCOPE_LEAF_SHARED] += units;
	if (page && li->level == PROCSCOPE_LEVEL_PMD && vma_anon &&
	    PageAnon(page))
		w->leaves[PROCSCOPE_LEAF_ANON_HUGE] += PMD_SIZE;
	if (li->flags & PROCSCOPE_PTE_F_WRITE)
		w->leaves[PROCSCOPE_LEAF_WRITABLE] += units;
	if (li->flags & PROCSCOPE_PTE_F_DIRTY)
		w->leaves[PROCSCOPE_LEAF_DIRTY] += units;
	if (li->flags & PROCSCOPE_PTE_F_ACCESSED) {
		w->leaves[PROCSCOPE_LEAF_ACCESSED] += units;
		if (li->level == PROCSCOPE_LEVEL_PMD)
			w->leaves[PROCSCOPE_LEAF_ACCESSED_PMD]++;
		else if (li->level == PROCSCOPE_LEVEL_PUD)
			w->leaves[PROCSCOPE_LEAF_ACCESSED_PUD]++;
	}
	if (li->flags & PROCSCOPE_PTE_F_NX)
		w->leaves[PROCSCOPE_LEAF_NX] += units;
}

/* Describe the entry @raw of @level mapping [@addr, @addr + @size). */
static void leaf_init(struct procscope_leaf_info *li, enum procscope_level level,
		      unsigned long addr, unsigned long size, u64 raw)
{
	struct procscope_entry e;

	procscope_entry_decode(raw, level, &e);
	li->va = addr;
	li->size = size;
	li->level = level;
	li->raw = raw;
	li->pfn = e.pfn;
	li->flags = e.flags;
	li->swp_type = e.swp_type;
	li->swp_offset = e.swp_offset;
	li->mapcount = 0;
	li->kind = e.kind;
}

/* A present leaf: count it under @counter and account its pages. */
static void account_leaf(struct procscope_walk *w, struct procscope_leaf_info *li,
			 enum procscope_leaf counter)
{
	w->leaves[counter]++;
	account_present(w, li, li->size >> PAGE_SHIFT);
}

/* Account a non-present, non-empty leaf (swap format). */
static void account_swap(struct procscope_walk *w, enum procscope_entry_kind kind,
			 u64 units)
{
	if (kind == PROCSCOPE_ENTRY_SWAP)
		w->leaves[PROCSCOPE_LEAF_SWAP] += units;
	else
		w->leaves[PROCSCOPE_LEAF_NONPRESENT] += units;
}

static int emit(struct procscope_walk *w, struct procscope_leaf_info *li)
{
	return w->leaf ? w->leaf(w, li) : 0;
}

/*
 * Counting only (PT_SUMMARY): the same accounting as walk_pte_table() +
 * account_present(), straight from the entry bits, without building a
 * leaf_info per entry. Summaries of large address spaces spend nearly all
 * their time in this loop.
 *
 * Aligned so that the function (under 1 KiB) never straddles a 4 KiB page
 * of module text: QEMU's TCG, which the benchmarks and CI run on, chains
 * translated blocks directly only within a guest page, and the same code
 * summarised 1 GiB in 21 ms or 28 ms depending on where edits elsewhere
 * had moved it (docs/benchmarks.md, sixth pass). Its own section: padding
 * inside .text would make the assembler jump over it, after a noreturn
 * call, which objtool rejects. On hardware it costs nothing.
 */
static __section(".text.procscope_summary") __aligned(1024) void
count_pte_table(struct procscope_walk *w, pte_t *pte, unsigned long addr,
		unsigned long end)
{
	u64 nx_mask = __supported_pte_mask & _PAGE_NX;
	u64 present = 0, wr = 0, dirty = 0, acc = 0, nx = 0;
	u64 shared = 0, zero = 0, special = 0, used = 0;
	struct procscope_entry e;

	for (; addr < end; pte++, addr += PAGE_SIZE) {
		pte_t ptent = ptep_get(pte);
		u64 raw = pte_val(ptent), flags;
		struct page *page;
		u32 mapcount;

		if (pte_none(ptent))
			continue;
		/* Each PTE is visited once: VMAs do not overlap. */
		used++;
		if (!pte_present(ptent)) {
			procscope_entry_decode(raw, PROCSCOPE_LEVEL_PTE, &e);
			account_swap(w, e.kind, 1);
			continue;
		}
		present++;
		wr += !!(raw & _PAGE_RW);
		dirty += !!(raw & _PAGE_DIRTY);
		acc += !!(raw & _PAGE_ACCESSED);
		nx += !!(raw & nx_mask);
		/* All present_page() needs of the flags: is there a struct page. */
		flags = PROCSCOPE_MAP_BIT(raw, _PAGE_SPECIAL, PROCSCOPE_PTE_F_SPECIAL) |
			PROCSCOPE_MAP_BIT(raw, _PAGE_DEVMAP, PROCSCOPE_PTE_F_DEVMAP);
		page = present_page(pte_pfn(ptent), &flags, &mapcount);
		if (flags & PROCSCOPE_PTE_F_ZERO_PAGE)
			zero++;
		else if (!page)
			special++;
		shared += !!(flags & PROCSCOPE_PTE_F_SHARED);
	}
	w->leaves[PROCSCOPE_LEAF_USED_PTE] += used;
	w->leaves[PROCSCOPE_LEAF_USED_ENTRIES] += used;
	w->leaves[PROCSCOPE_LEAF_PTE] += present;
	w->leaves[PROCSCOPE_LEAF_WRITABLE] += wr;
	w->leaves[PROCSCOPE_LEAF_DIRTY] += dirty;
	w->leaves[PROCSCOPE_LEAF_ACCESSED] += acc;
	w->leaves[PROCSCOPE_LEAF_NX] += nx;
	w->leaves[PROCSCOPE_LEAF_SHARED] += shared;
	w->leaves[PROCSCOPE_LEAF_ZERO] += zero;
	w->leaves[PROCSCOPE_LEAF_SPECIAL] += special;
}

/*
 * Dumps: a present 4 KiB leaf goes straight into the run arrays, with no
 * leaf_info and no indirect call per entry (a dense dump is bound by this
 * loop). Only the entry itself is reported; the walk's counters are for
 * summaries, which use count_pte_table().
 */
static int add_to_run(struct procscope_walk *w, pte_t ptent, unsigned long addr)
{
	struct procscope_pte_run *r = w->run;
	u64 raw = pte_val(ptent), flags;
	u32 mapcount;
	unsigned int n;
	int ret;

	if (r->n && (addr != r->va + r->n * PAGE_SIZE || r->n >= r->cap)) {
		ret = r->flush(w);
		if (ret)
			return ret;
	}
	if (!r->n) {
		ret = r->begin(w, addr);
		if (ret)
			return ret;
		r->va = addr;
	}
	flags = procscope_entry_flags(raw, PROCSCOPE_LEVEL_PTE);
	procscope_leaf_page(pte_pfn(ptent), PROCSCOPE_LEVEL_PTE, false, &flags,
			    &mapcount);
	/* The run keeps flags in 32 bits: every flag must fit. */
	BUILD_BUG_ON(PROCSCOPE_PTE_F_PCD > U32_MAX);
	n = r->n++;
	r->raw[n] = r->mask_raw ? procscope_mask_entry(raw, true) : raw;
	r->flags[n] = flags;
	r->mapcount[n] = mapcount;
	if (n) {
		r->flags_same &= r->flags[0] == (u32)flags;
		r->mapcount_same &= r->mapcount[0] == mapcount;
	} else {
		r->flags_same = true;
		r->mapcount_same = true;
	}
	return 0;
}

/*
 * -EAGAIN when @pmd no longer points to a table (only then: the leaf
 * callbacks never return it): the caller reads it again.
 */
static int walk_pte_table(struct procscope_walk *w, pmd_t *pmd,
			  unsigned long addr, unsigned long end)
{
	struct procscope_leaf_info li;
	spinlock_t *ptl;	/* the page-table lock of this entry */
	pte_t *start, *pte;
	int ret = 0;

	start = procscope_pte_map_lock(w->mm, pmd, addr, &ptl);
	if (!start)
		return -EAGAIN;
	count_entry(w, PROCSCOPE_LEVEL_PMD, addr);
	count_table(w, PROCSCOPE_LEVEL_PTE, addr & PMD_MASK);
	if (!w->leaf) {
		count_pte_table(w, start, addr, end);
		procscope_pte_unmap_unlock(start, ptl);
		return 0;
	}
	for (pte = start; addr < end; pte++, addr += PAGE_SIZE) {
		pte_t ptent = ptep_get(pte);

		if (pte_none(ptent))
			continue;
		if (w->run && (pte_val(ptent) & _PAGE_PRESENT)) {
			ret = add_to_run(w, ptent, addr);
			if (ret) {
				w->next = addr;
				break;
			}
			continue;
		}
		count_entry(w, PROCSCOPE_LEVEL_PTE, addr);
		leaf_init(&li, PROCSCOPE_LEVEL_PTE, addr, PAGE_SIZE,
			  pte_val(ptent));
		if (pte_present(ptent))
			account_leaf(w, &li, PROCSCOPE_LEAF_PTE);
		else
			account_swap(w, li.kind, 1);
		ret = emit(w, &li);
		if (ret) {
			w->next = addr;
			break;
		}
	}
	procscope_pte_unmap_unlock(start, ptl);
	return ret;
}

/*
 * A huge or non-present PMD: re-read and account it under pmd_lock(), as
 * pmd_trans_huge_lock() does. Returns 1 when it turned out to be a table
 * after all (the caller walks it), else 0 or the callback's value.
 */
static int walk_pmd_leaf(struct procscope_walk *w, pmd_t *pmd,
			 unsigned long addr)
{
	struct procscope_leaf_info li;
	spinlock_t *ptl;	/* the page-table lock of this entry */
	pmd_t pmdval;
	int ret = 0;

	ptl = pmd_lock(w->mm, pmd);
	pmdval = *pmd;
	if (pmd_none(pmdval))
		goto out;
	if (pmd_present(pmdval) && !pmd_leaf(pmdval) && !pmd_devmap(pmdval)) {
		ret = 1;
		goto out;
	}
	count_entry(w, PROCSCOPE_LEVEL_PMD, addr);
	leaf_init(&li, PROCSCOPE_LEVEL_PMD, addr, PMD_SIZE, pmd_val(pmdval));
	/* Anonymous THPs (and the huge zero page) keep a PTE table deposited. */
	if (vma_is_anonymous(w->vma))
		w->leaves[PROCSCOPE_LEAF_PT_DEPOSITED]++;
	if (pmd_present(pmdval)) {
		account_leaf(w, &li, PROCSCOPE_LEAF_PMD);
	} else {
		/* THP migration entries are the only non-present huge PMDs. */
		account_swap(w, li.kind, PMD_SIZE >> PAGE_SHIFT);
	}
	ret = emit(w, &li);
	if (ret)
		w->next = addr;
out:
	spin_unlock(ptl);
	return ret;
}

static int walk_pmd_table(struct procscope_walk *w, pud_t *pud,
			  unsigned long addr, unsigned long end)
{
	unsigned long next;
	pmd_t *pmd;
	int ret;

	pmd = pmd_offset(pud, addr);
	for (; addr < end; pmd++, addr = next) {
		pmd_t pmdval = READ_ONCE(*pmd);

		next = pmd_addr_end(addr, end);
again:
		if (pmd_none(pmdval))
			continue;
		if (!pmd_present(pmdval) || pmd_leaf(pmdval) ||
		    pmd_devmap(pmdval)) {
			ret = walk_pmd_leaf(w, pmd, addr);
			if (ret <= 0) {
				if (ret)
					return ret;
				continue;
			}
		} else if (pmd_bad(pmdval)) {
			/* Never "fix" it as pmd_clear_bad() would: just skip. */
			continue;
		}
		/*
		 * A table, unless khugepaged retracted it since (6.6+): then
		 * what replaced it (none, a huge PMD, a new table) is walked.
		 */
		ret = walk_pte_table(w, pmd, addr, next);
		if (ret == -EAGAIN) {
			pmdval = READ_ONCE(*pmd);
			cond_resched();
			goto again;
		}
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static int walk_pud_leaf(struct procscope_walk *w, pud_t *pud,
			 unsigned long addr)
{
	struct procscope_leaf_info li;
	spinlock_t *ptl;	/* the page-table lock of this entry */
	pud_t pudval;
	int ret = 0;

	ptl = pud_lock(w->mm, pud);
	pudval = *pud;
	if (pud_none(pudval))
		goto out;
	if (pud_present(pudval) && !pud_leaf(pudval) && !pud_devmap(pudval)) {
		ret = 1;
		goto out;
	}
	count_entry(w, PROCSCOPE_LEVEL_PUD, addr);
	leaf_init(&li, PROCSCOPE_LEVEL_PUD, addr, PUD_SIZE, pud_val(pudval));
	if (pud_present(pudval)) {
		account_leaf(w, &li, PROCSCOPE_LEAF_PUD);
	} else {
		/* hugetlb 1 GiB migration/hwpoison: no swap of PUD leaves. */
		w->leaves[PROCSCOPE_LEAF_NONPRESENT] += PUD_SIZE >> PAGE_SHIFT;
	}
	ret = emit(w, &li);
	if (ret)
		w->next = addr;
out:
	spin_unlock(ptl);
	return ret;
}

static int walk_pud_table(struct procscope_walk *w, p4d_t *p4d,
			  unsigned long addr, unsigned long end)
{
	unsigned long next;
	pud_t *pud;
	int ret;

	pud = pud_offset(p4d, addr);
	for (; addr < end; pud++, addr = next) {
		pud_t pudval = READ_ONCE(*pud);

		next = pud_addr_end(addr, end);
		if (pud_none(pudval))
			continue;
		if (!pud_present(pudval) || pud_leaf(pudval) ||
		    pud_devmap(pudval)) {
			ret = walk_pud_leaf(w, pud, addr);
			if (ret <= 0) {
				if (ret)
					return ret;
				continue;
			}
		} else if (pud_bad(pudval)) {
			continue;
		}
		count_entry(w, PROCSCOPE_LEVEL_PUD, addr);
		count_table(w, PROCSCOPE_LEVEL_PMD, addr & PUD_MASK);
		ret = walk_pmd_table(w, pud, addr, next);
		if (ret)
			return ret;
	}
	return 0;
}

static int walk_p4d_table(struct procscope_walk *w, pgd_t *pgd,
			  unsigned long addr, unsigned long end)
{
	unsigned long next;
	p4d_t *p4d;
	int ret;

	p4d = p4d_offset(pgd, addr);
	for (; addr < end; p4d++, addr = next) {
		p4d_t p4dval = READ_ONCE(*p4d);

		next = p4d_addr_end(addr, end);
		if (p4d_none(p4dval) || p4d_bad(p4dval))
			continue;
		/* With 4 levels the P4D entry is the PGD entry (folded). */
		count_entry(w, pgtable_l5_enabled() ? PROCSCOPE_LEVEL_P4D :
			    PROCSCOPE_LEVEL_PGD, addr);
		count_table(w, PROCSCOPE_LEVEL_PUD, addr & P4D_MASK);
		ret = walk_pud_table(w, p4d, addr, next);
		if (ret)
			return ret;
	}
	return 0;
}

int procscope_walk_vma(struct procscope_walk *w, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end)
{
	unsigned long addr = start, next;
	pgd_t *pgd;
	int ret;

	/*
	 * Not mmap_assert_locked(): with CONFIG_DEBUG_VM its VM_BUG_ON_MM()
	 * calls dump_mm(), which 6.1 does not export, and the module would not
	 * link against a debug kernel.
	 */
	lockdep_assert_held(&w->mm->mmap_lock);
	VM_WARN_ON_ONCE(!rwsem_is_locked(&w->mm->mmap_lock));
	w->vma = vma;
	pgd = pgd_offset(w->mm, addr);
	for (; addr < end; pgd++, addr = next) {
		pgd_t pgdval = READ_ONCE(*pgd);

		next = pgd_addr_end(addr, end);
		/* pgd_none() is always false with 4 levels: see the P4D. */
		if (pgd_none(pgdval) || pgd_bad(pgdval))
			continue;
		if (pgtable_l5_enabled()) {
			count_entry(w, PROCSCOPE_LEVEL_PGD, addr);
			count_table(w, PROCSCOPE_LEVEL_P4D, addr & PGDIR_MASK);
		}
		ret = walk_p4d_table(w, pgd, addr, next);
		if (ret)
			return ret;
	}
	w->next = end;
	return 0;
}

/* ------------------------------------------------------- one address */

static void add_step(struct procscope_addr_walk *aw, enum procscope_level level,
		     u32 index, u64 table_pa, u64 entry)
{
	struct procscope_step *s = &aw->step[aw->n++];

	s->level = level;
	s->index = index;
	s->table_pa = table_pa;
	s->entry = entry;
	s->leaf = false;
}

/* The last step is @va's leaf, at @level: decode it, page included. */
static void addr_leaf(struct procscope_addr_walk *aw, unsigned long va,
		      bool vma_anon)
{
	struct procscope_step *s = &aw->step[aw->n - 1];
	struct procscope_leaf_info *li = &aw->leaf;
	unsigned long mask = level_mask(s->level);

	s->leaf = true;
	leaf_init(li, s->level, va & mask, ~mask + 1, s->entry);
	/* pte_none() ignores the bits a KNL erratum may leave behind. */
	if (s->level == PROCSCOPE_LEVEL_PTE && pte_none(__pte(s->entry)))
		li->kind = PROCSCOPE_ENTRY_NONE;
	switch (li->kind) {
	case PROCSCOPE_ENTRY_NONE:
		li->flags = 0;
		aw->stop = PROCSCOPE_STOP_NONE;
		return;
	case PROCSCOPE_ENTRY_PRESENT:
		aw->pa = (li->pfn << PAGE_SHIFT) + (va & ~mask);
		aw->stop = PROCSCOPE_STOP_MAPPED;
		break;
	case PROCSCOPE_ENTRY_PROTNONE:
		aw->stop = PROCSCOPE_STOP_NONPRESENT;
		break;
	case PROCSCOPE_ENTRY_SWAP:
		aw->stop = PROCSCOPE_STOP_SWAP;
		break;
	case PROCSCOPE_ENTRY_MIGRATION:
		aw->stop = PROCSCOPE_STOP_MIGRATION;
		break;
	default:
		aw->stop = PROCSCOPE_STOP_NONPRESENT;
		break;
	}
	if (li->kind == PROCSCOPE_ENTRY_PRESENT ||
	    li->kind == PROCSCOPE_ENTRY_PROTNONE)
		procscope_leaf_page(li->pfn, li->level, vma_anon, &li->flags,
				    &li->mapcount);
}

/*
 * The descent shared by translate and the fault snapshots. With @aw, every
 * entry read is recorded as a step (translate shows them); the fault
 * snapshot passes NULL, and being always inlined, the recording compiles
 * away from its hot path. Returns 1 with the leaf entry and its level in
 * *@raw and *@level, 0 when no leaf was reached (empty or bad entry above
 * it, or outside every VMA), or -EAGAIN (see procscope_walk_addr()).
 */
static __always_inline int descend(struct mm_struct *mm, unsigned long va,
				   bool in_vma, struct procscope_addr_walk *aw,
				   u64 *raw, enum procscope_level *level)
{
	pgd_t *pgdp, pgd;
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t pte;

	pgdp = pgd_offset(mm, va);
	pgd = READ_ONCE(*pgdp);
	if (aw)
		add_step(aw, PROCSCOPE_LEVEL_PGD, pgd_index(va), __pa(mm->pgd),
			 pgd_val(pgd));
	/* Outside every VMA the tables below the PGD may be being freed. */
	if (!in_vma) {
		if (aw)
			aw->stop = PROCSCOPE_STOP_NO_VMA;
		return 0;
	}
	/* With 4 levels the PGD entry is the P4D entry (folded). */
	if (pgd_none(pgd))
		return 0;
	if (pgd_bad(pgd))
		goto bad;
	p4dp = p4d_offset_lockless(pgdp, pgd, va);
	p4d = READ_ONCE(*p4dp);
	if (aw && pgtable_l5_enabled())
		add_step(aw, PROCSCOPE_LEVEL_P4D, p4d_index(va),
			 pgd_val(pgd) & PTE_PFN_MASK, p4d_val(p4d));
	if (p4d_none(p4d))
		return 0;
	if (p4d_bad(p4d))
		goto bad;

	pudp = pud_offset_lockless(p4dp, p4d, va);
	pud = READ_ONCE(*pudp);
	if (aw)
		add_step(aw, PROCSCOPE_LEVEL_PUD, pud_index(va),
			 p4d_val(p4d) & PTE_PFN_MASK, pud_val(pud));
	if (pud_none(pud))
		return 0;
	if (!pud_present(pud) || pud_leaf(pud) || pud_devmap(pud)) {
		*raw = pud_val(pud);
		*level = PROCSCOPE_LEVEL_PUD;
		return 1;
	}
	if (pud_bad(pud))
		goto bad;

	pmdp = pmd_offset_lockless(pudp, pud, va);
	pmd = READ_ONCE(*pmdp);	/* as gup_pmd_range() */
	if (aw)
		add_step(aw, PROCSCOPE_LEVEL_PMD, pmd_index(va),
			 pud_val(pud) & PTE_PFN_MASK, pmd_val(pmd));
	if (pmd_none(pmd))
		return 0;
	/* Not pmd_present(), true for a huge PMD being split. */
	if (!(pmd_val(pmd) & _PAGE_PRESENT) || pmd_leaf(pmd) ||
	    pmd_devmap(pmd)) {
		*raw = pmd_val(pmd);
		*level = PROCSCOPE_LEVEL_PMD;
		return 1;
	}
	if (pmd_bad(pmd))
		goto bad;

	if (!procscope_pte_read(pmdp, pmd, va, &pte))
		return -EAGAIN;
	if (aw)
		add_step(aw, PROCSCOPE_LEVEL_PTE, pte_index(va),
			 pmd_val(pmd) & PTE_PFN_MASK, pte_val(pte));
	*raw = pte_val(pte);
	*level = PROCSCOPE_LEVEL_PTE;
	return 1;
bad:
	if (aw)
		aw->stop = PROCSCOPE_STOP_BAD;
	return 0;
}

int procscope_walk_addr(struct mm_struct *mm, unsigned long va, bool in_vma,
			bool vma_anon, struct procscope_addr_walk *aw)
{
	enum procscope_level level;
	u64 raw;
	int ret;

	aw->n = 0;
	aw->pa = 0;
	aw->stop = PROCSCOPE_STOP_NONE;
	aw->leaf.kind = PROCSCOPE_ENTRY_NONE;
	aw->leaf.raw = 0;
	aw->leaf.pfn = 0;
	aw->leaf.flags = 0;
	ret = descend(mm, va, in_vma, aw, &raw, &level);
	if (ret <= 0)
		return ret;
	addr_leaf(aw, va, vma_anon);
	return 0;
}

int procscope_leaf_snapshot(struct mm_struct *mm, unsigned long va,
			    bool vma_anon, bool page,
			    struct procscope_leaf_snap *ls)
{
	struct procscope_entry e;
	enum procscope_level level;
	u32 mapcount;
	u64 raw;
	int ret;

	ls->raw = 0;
	ls->pfn = 0;
	ls->flags = 0;
	ls->kind = PROCSCOPE_ENTRY_NONE;
	ret = descend(mm, va, true, NULL, &raw, &level);
	if (ret <= 0)
		return ret;
	/* As addr_leaf(): pte_none() ignores a KNL erratum's leftover bits. */
	if (level == PROCSCOPE_LEVEL_PTE && pte_none(__pte(raw)))
		return 0;
	procscope_entry_decode(raw, level, &e);
	ls->raw = raw;
	ls->flags = e.flags;
	ls->kind = e.kind;
	if (e.kind == PROCSCOPE_ENTRY_PRESENT)
		ls->pfn = e.pfn;
	if (page && (e.kind == PROCSCOPE_ENTRY_PRESENT ||
		     e.kind == PROCSCOPE_ENTRY_PROTNONE))
		procscope_leaf_page(e.pfn, level, vma_anon, &ls->flags,
				    &mapcount);
	return 0;
}
