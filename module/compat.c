// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-version differences that need a function (see compat.h): one
 * per difference.
 */

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/rcupdate.h>

#include "compat.h"

/*
 * The next open file of @task at or after *@fd (updated), with a
 * reference the caller drops with fput(); NULL past the last one;
 * ERR_PTR(-EAGAIN) for a file being closed right now (skip it).
 *
 * 6.7 made files SLAB_TYPESAFE_BY_RCU: a struct file seen under RCU may
 * be freed and reused for another file at any moment, so nothing of it may
 * be read before a reference is held and the fd table is seen to still
 * point to it, which task_lookup_next_fdget_rcu() does (it retries rather
 * than return a closing file). Before, task_lookup_next_fd_rcu() returned
 * the bare pointer, valid until rcu_read_unlock(), for get_file_rcu().
 */
struct file *procscope_next_file(struct task_struct *task, unsigned int *fd)
{
	struct file *f;

	rcu_read_lock();
#if PROCSCOPE_LINUX_AT_LEAST(6, 7)
	f = task_lookup_next_fdget_rcu(task, fd);
#else
	f = task_lookup_next_fd_rcu(task, fd);
	if (f && !get_file_rcu(f))
		f = ERR_PTR(-EAGAIN);
#endif
	rcu_read_unlock();
	return f;
}

struct file *procscope_fd_get_rcu(struct file __rcu **slot)
{
#if PROCSCOPE_LINUX_AT_LEAST(6, 7)
	return get_file_rcu(slot);
#else
	struct file *f = rcu_dereference(*slot);

	return f && get_file_rcu(f) ? f : NULL;
#endif
}

/* What __pte_offset_map() accepts: a PMD pointing to a PTE table. */
static bool pmd_is_table(pmd_t pmdval)
{
	return !pmd_none(pmdval) && pmd_present(pmdval) &&
	       !pmd_leaf(pmdval) && !pmd_devmap(pmdval) && !pmd_bad(pmdval);
}

/*
 * pte_offset_map_lock() as 6.12's __pte_offset_map_lock() does it, with
 * the caller holding mmap_read_lock. Why this is safe:
 *
 *  - Under the mmap read lock, tables above the PTE level are never freed
 *    (free_pgtables() needs the write lock or the VMAs gone).
 *  - A PTE table can go from under a reader of the mmap lock since 6.6:
 *    khugepaged's retract_page_tables() and collapse_pte_mapped_thp()
 *    clear a file or shmem PMD holding only the i_mmap or mmap read lock,
 *    under pmd_lock() and the table's own lock, and free the table with
 *    pte_free_defer(), after an RCU grace period. Holding rcu_read_lock()
 *    from reading the PMD keeps the table page, and its split lock, from
 *    being freed or reused while we look.
 *  - The table is ours once its lock is held and the PMD still points to
 *    it: retraction clears the PMD under that lock. Otherwise it changed
 *    (none, huge, or a new table): NULL, and the caller reads it again.
 *  - x86-64 has no highmem: the table is in the direct map, nothing to
 *    kmap; a 64-bit PMD is read in one load.
 *
 * On 6.1 tables are freed only under the mmap write lock; the same code
 * holds there, RCU and the re-check just never matter.
 */
pte_t *__procscope_pte_map_lock(struct mm_struct *mm, pmd_t *pmd,
				unsigned long addr, spinlock_t **ptlp)
{
	spinlock_t *ptl;	/* the page-table lock of this table */
	pmd_t pmdval;
	pte_t *pte;

	rcu_read_lock();
	pmdval = READ_ONCE(*pmd);
	if (!pmd_is_table(pmdval))
		goto nomap;
	pte = pte_offset_kernel(&pmdval, addr);
	ptl = pte_lockptr(mm, &pmdval);
	spin_lock(ptl);
	if (likely(pmd_same(pmdval, READ_ONCE(*pmd)))) {
		*ptlp = ptl;
		/* Held for the caller: sparse counts them at its call. */
		__release(ptl);
		__release(RCU);
		return pte;
	}
	spin_unlock(ptl);
nomap:
	rcu_read_unlock();
	return NULL;
}

/* Ends what procscope_pte_map_lock() began: the table's lock and RCU. */
void procscope_pte_unmap_unlock(pte_t *pte, spinlock_t *ptl)
	__releases(ptl)
{
	spin_unlock(ptl);
	rcu_read_unlock();
	__acquire(RCU);	/* taken with the lock: one count for sparse */
}

/* procscope_pte_read() inside an RCU reader. */
static bool pte_read_rcu(pmd_t *pmd, pmd_t pmdval, unsigned long addr,
			 pte_t *ptent)
{
	if (!pmd_same(pmdval, READ_ONCE(*pmd)))
		return false;
	*ptent = ptep_get_lockless(pte_offset_kernel(&pmdval, addr));
	smp_rmb();	/* the entry, then the PMD again */
	return pmd_same(pmdval, READ_ONCE(*pmd));
}

/*
 * Read the entry for @addr of the table @pmdval, read earlier from @pmd,
 * without its lock, as GUP-fast does. The PMD is checked under RCU to
 * still hold @pmdval before the table is touched (from then on it cannot
 * be freed until rcu_read_unlock(), and a freed page may have left the
 * direct map, e.g. for secretmem), and again after: false when it no
 * longer does (retracted, collapsed, replaced), and nothing was read.
 * With IRQs off (the fault hooks) the caller is already an RCU reader:
 * since 5.0 a grace period, and so pte_free_defer()'s call_rcu(), waits
 * for IRQ-disabled regions too; rcu_read_lock() is then skipped, being
 * two out-of-line calls under Debian's PREEMPT_RCU on every watched fault.
 */
bool procscope_pte_read(pmd_t *pmd, pmd_t pmdval, unsigned long addr,
			pte_t *ptent)
{
	bool same;

	if (!pmd_is_table(pmdval))
		return false;
	if (irqs_disabled())
		return pte_read_rcu(pmd, pmdval, addr, ptent);
	rcu_read_lock();
	same = pte_read_rcu(pmd, pmdval, addr, ptent);
	rcu_read_unlock();
	return same;
}
