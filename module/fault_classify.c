// SPDX-License-Identifier: GPL-2.0
/*
 * Fault classification: which of the classes of ../docs/page-faults.md a
 * fault belongs to, decided from the state of its page-table entry just
 * before mm handled it, the VMA and the vm_fault_t result. The kernel
 * functions that do the work (do_anonymous_page, do_cow_fault,
 * do_shared_fault, do_read_fault) are inlined on 6.1 and cannot be probed,
 * but handle_pte_fault() picks between them from exactly these inputs, so
 * the same decision tree gives the same answer.
 */

#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/swap.h>
#include <linux/swapops.h>

#include "compat.h"
#include "fault_classify.h"

static u64 leaf_flags(unsigned long v, bool huge)
{
	u64 f = 0;

	if (v & _PAGE_PRESENT)
		f |= PROCSCOPE_PTE_F_PRESENT;
	if (v & _PAGE_RW)
		f |= PROCSCOPE_PTE_F_WRITE;
	if (v & _PAGE_USER)
		f |= PROCSCOPE_PTE_F_USER;
	if (v & _PAGE_ACCESSED)
		f |= PROCSCOPE_PTE_F_ACCESSED;
	if (v & _PAGE_DIRTY)
		f |= PROCSCOPE_PTE_F_DIRTY;
	if (huge)
		f |= PROCSCOPE_PTE_F_HUGE;
	if (v & _PAGE_GLOBAL)
		f |= PROCSCOPE_PTE_F_GLOBAL;
	if (v & _PAGE_NX)
		f |= PROCSCOPE_PTE_F_NX;
	if (v & _PAGE_SOFT_DIRTY)
		f |= PROCSCOPE_PTE_F_SOFT_DIRTY;
	if (v & _PAGE_SPECIAL)
		f |= PROCSCOPE_PTE_F_SPECIAL;
	if (v & _PAGE_PWT)
		f |= PROCSCOPE_PTE_F_PWT;
	if (v & _PAGE_PCD)
		f |= PROCSCOPE_PTE_F_PCD;
	return f;
}

/* Anon/shared/zero-page flags of a present leaf's page. */
static u64 page_flags(unsigned long pfn)
{
	struct page *page;
	u64 f = 0;

	if (is_zero_pfn(pfn))
		return PROCSCOPE_PTE_F_ZERO_PAGE;
	if (!pfn_valid(pfn))
		return 0;
	page = pfn_to_page(pfn);
	if (PageAnon(page))
		f |= PROCSCOPE_PTE_F_ANON;
	if (procscope_page_mapcount(page) > 1)
		f |= PROCSCOPE_PTE_F_SHARED;
	return f;
}

static void snap_pte(pte_t pte, struct procscope_pte_snap *s)
{
	s->raw = pte_val(pte);
	if (pte_none(pte))
		return;
	if (!pte_present(pte)) {
		swp_entry_t e = pte_to_swp_entry(pte);

		s->flags = PROCSCOPE_PTE_F_SWAP;
		if (is_migration_entry(e)) {
			s->state = PROCSCOPE_PTE_STATE_MIGRATION;
			s->flags = PROCSCOPE_PTE_F_MIGRATION;
		} else if (non_swap_entry(e)) {
			s->state = PROCSCOPE_PTE_STATE_OTHER;
			s->flags = 0;
		} else {
			s->state = PROCSCOPE_PTE_STATE_SWAP;
		}
		return;
	}
	s->flags = leaf_flags(pte_val(pte), false);
	if (pte_protnone(pte)) {
		s->state = PROCSCOPE_PTE_STATE_PROTNONE;
		s->flags |= PROCSCOPE_PTE_F_PROTNONE;
		return;
	}
	s->pfn = pte_pfn(pte);
	s->flags |= page_flags(s->pfn);
	s->state = pte_write(pte) ? PROCSCOPE_PTE_STATE_RW :
				    PROCSCOPE_PTE_STATE_RO;
}

static void snap_pmd_leaf(pmd_t pmd, struct procscope_pte_snap *s)
{
	s->raw = pmd_val(pmd);
	s->flags = leaf_flags(pmd_val(pmd), true);
	if (pmd_protnone(pmd)) {
		s->state = PROCSCOPE_PTE_STATE_PROTNONE;
		s->flags |= PROCSCOPE_PTE_F_PROTNONE;
		return;
	}
	s->pfn = pmd_pfn(pmd);
	s->flags |= page_flags(s->pfn);
	s->state = pmd_write(pmd) ? PROCSCOPE_PTE_STATE_RW :
				    PROCSCOPE_PTE_STATE_RO;
}

void procscope_pte_snapshot(struct mm_struct *mm, unsigned long addr,
			    struct procscope_pte_snap *s)
{
	unsigned long irqflags;
	pgd_t *pgdp, pgd;
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t pte;

	memset(s, 0, sizeof(*s));
	s->state = PROCSCOPE_PTE_STATE_NONE;
	if (!mm || addr >= TASK_SIZE_MAX) {
		s->state = PROCSCOPE_PTE_STATE_UNKNOWN;
		return;
	}

	local_irq_save(irqflags);
	pgdp = pgd_offset(mm, addr);
	pgd = READ_ONCE(*pgdp);
	if (pgd_none(pgd) || pgd_bad(pgd))
		goto out;
	p4dp = p4d_offset_lockless(pgdp, pgd, addr);
	p4d = READ_ONCE(*p4dp);
	if (p4d_none(p4d) || p4d_bad(p4d))
		goto out;
	pudp = pud_offset_lockless(p4dp, p4d, addr);
	pud = READ_ONCE(*pudp);
	if (pud_none(pud))
		goto out;
	if (pud_leaf(pud)) {
		/* 1 GiB hugetlb page: same decoding as a huge PMD. */
		snap_pmd_leaf(__pmd(pud_val(pud)), s);
		goto out;
	}
	if (pud_bad(pud))
		goto out;
	pmdp = pmd_offset_lockless(pudp, pud, addr);
	pmd = READ_ONCE(*pmdp);	/* as gup_pmd_range() */
	if (pmd_none(pmd))
		goto out;
	if (!pmd_present(pmd)) {
		/* Only a PMD migration entry is non-present at this level. */
		s->raw = pmd_val(pmd);
		s->state = PROCSCOPE_PTE_STATE_MIGRATION;
		s->flags = PROCSCOPE_PTE_F_MIGRATION | PROCSCOPE_PTE_F_HUGE;
		goto out;
	}
	if (pmd_leaf(pmd) || pmd_devmap(pmd)) {
		snap_pmd_leaf(pmd, s);
		goto out;
	}
	if (pmd_bad(pmd))
		goto out;
	/* Retracted meanwhile (6.6+): not known, rather than a guess. */
	if (!procscope_pte_read(pmdp, pmd, addr, &pte)) {
		s->state = PROCSCOPE_PTE_STATE_UNKNOWN;
		goto out;
	}
	snap_pte(pte, s);
out:
	local_irq_restore(irqflags);
}

enum procscope_fault_class
procscope_fault_classify(const struct procscope_fault_facts *f)
{
	/* arch_vma_access_permitted() (protection keys) refused it. */
	if (f->vm_fault & VMF(VM_FAULT_SIGSEGV))
		return PROCSCOPE_FAULT_PERM;

	switch (f->state_before) {
	case PROCSCOPE_PTE_STATE_SWAP:
		return PROCSCOPE_FAULT_SWAP;
	case PROCSCOPE_PTE_STATE_RO:
		/* do_wp_page(): reuse or copy, or notify a shared mapping. */
		if (!f->write)
			return PROCSCOPE_FAULT_OTHER;
		return f->vma_shared ? PROCSCOPE_FAULT_SHARED_WRITE :
				       PROCSCOPE_FAULT_COW;
	case PROCSCOPE_PTE_STATE_NONE:
	case PROCSCOPE_PTE_STATE_UNKNOWN:
		break;
	default:
		/* Spurious (already fixed), NUMA hinting, migration wait. */
		return PROCSCOPE_FAULT_OTHER;
	}

	/* An empty entry: do_anonymous_page() or do_fault(). */
	if (f->stack_grew || (f->vma_anon && f->vma_growsdown))
		return PROCSCOPE_FAULT_STACK;
	if (f->vma_anon)
		return PROCSCOPE_FAULT_ANON;
	if (f->write)	/* do_shared_fault() / do_cow_fault() */
		return f->vma_shared ? PROCSCOPE_FAULT_SHARED_WRITE :
				       PROCSCOPE_FAULT_COW;
	/* do_read_fault(): major exactly when the kernel counts it major. */
	return procscope_fault_major(f->vm_fault, f->tried) ?
		PROCSCOPE_FAULT_FILE_MAJOR : PROCSCOPE_FAULT_FILE;
}

enum procscope_fault_outcome procscope_fault_outcome(u32 vm_fault,
						     bool user_mode)
{
	if (vm_fault & VMF(VM_FAULT_RETRY))
		return PROCSCOPE_OUTCOME_RETRY;
	if (!(vm_fault & VMF(VM_FAULT_ERROR)))
		return PROCSCOPE_OUTCOME_HANDLED;
	if (!user_mode)
		return PROCSCOPE_OUTCOME_KERNEL_FIXUP;
	if (vm_fault & VMF(VM_FAULT_OOM))
		return PROCSCOPE_OUTCOME_OOM;
	if (vm_fault & VMF(VM_FAULT_SIGSEGV))
		return PROCSCOPE_OUTCOME_SIGSEGV;
	return PROCSCOPE_OUTCOME_SIGBUS;
}
