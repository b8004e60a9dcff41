/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels procscope supports (Debian's 6.1
 * and 6.12, docs/kernels.md) lives here, each chosen by what the kernel
 * provides: a header that exists, a macro the kernel defines, or the
 * release that changed an interface (as LTTng-modules' include/wrapper/
 * and WireGuard's compat/ do). The rest of the module calls only the
 * procscope_* names below. A kernel outside the tested range builds with
 * the newest variant each check allows; one this file cannot serve fails
 * to build with a message naming what is missing.
 *
 * Where a signature differs, the function is in compat.c; what needs no
 * call is an inline here.
 */
#ifndef PROCSCOPE_COMPAT_H
#define PROCSCOPE_COMPAT_H

#include <linux/ftrace.h>
#include <linux/mm.h>
#include <linux/version.h>
#include <net/genetlink.h>
#include <net/tcp.h>

/*
 * Whether the kernel built for is @major.@minor or later. The module's
 * only version test, used only in this file and compat.c. (Not spelled
 * with LINUX_VERSION_CODE, which checkpatch flags at every use: a rule
 * for code merged into the kernel, which has one version.)
 */
#define PROCSCOPE_LINUX_AT_LEAST(major, minor) \
	(KERNEL_VERSION(LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL, 0) >= \
	 KERNEL_VERSION(major, minor, 0))

#if !PROCSCOPE_LINUX_AT_LEAST(6, 1)
#error "procscope needs Linux 6.1 or later"
#endif

/*
 * 6.12 moved the unaligned accessors from asm/ to linux/. (Not
 * __has_include(): sparse 0.6.4, Debian 12's, does not know it.)
 */
#if PROCSCOPE_LINUX_AT_LEAST(6, 12)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * How many page-table entries map @page, counting the PMD (or PUD) that
 * maps its whole folio: what /proc/PID/smaps divides PSS by and compares
 * with 1 for Shared_/Private_. 6.1 has page_mapcount() for that; 6.12
 * removed it, and smaps uses folio_precise_page_mapcount()
 * (fs/proc/internal.h), private to fs/proc but built only from public
 * accessors: the same computation is done here.
 */
static inline int procscope_page_mapcount(struct page *page)
{
#if !PROCSCOPE_LINUX_AT_LEAST(6, 12)
	return page_mapcount(page);
#else
	struct folio *folio = page_folio(page);
	int mapcount = atomic_read(&page->_mapcount) + 1;

	/* A page type (slab, page table...) overlays _mapcount. */
	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
#endif
}

/*
 * Where an ftrace callback's site returns to: renamed in 6.2. Without
 * DYNAMIC_FTRACE_WITH_ARGS both names are silent no-ops, and the
 * handle_mm_fault diversion would count calls that never arrive: refuse.
 */
#ifndef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
#error "procscope needs HAVE_DYNAMIC_FTRACE_WITH_ARGS (x86-64) to divert handle_mm_fault"
#endif
#if defined(ftrace_regs_set_instruction_pointer)
#define procscope_ftrace_set_ip(fregs, ip) \
	ftrace_regs_set_instruction_pointer(fregs, ip)
#elif defined(ftrace_instruction_pointer_set)
#define procscope_ftrace_set_ip(fregs, ip) \
	ftrace_instruction_pointer_set(fregs, ip)
#else
#error "no ftrace_regs_set_instruction_pointer() in this kernel"
#endif

/*
 * The VMA argument of bad_area_access_error(), from a kprobe at its entry
 * (valid: the fault path holds its lock). 6.4 added an mm before it.
 */
static inline struct vm_area_struct *
procscope_access_error_vma(struct pt_regs *regs)
{
#if PROCSCOPE_LINUX_AT_LEAST(6, 4)
	return (struct vm_area_struct *)regs_get_kernel_argument(regs, 4);
#else
	return (struct vm_area_struct *)regs_get_kernel_argument(regs, 3);
#endif
}

/* A dump's request attributes: 6.6 moved them into a struct genl_info. */
static inline struct nlattr **procscope_dump_attrs(struct netlink_callback *cb)
{
#if PROCSCOPE_LINUX_AT_LEAST(6, 6)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

struct file *procscope_next_file(struct task_struct *task, unsigned int *fd);

/*
 * The file in an fd table slot, pinned (put it with fput()), or NULL;
 * under rcu_read_lock(). From 6.7 files are SLAB_TYPESAFE_BY_RCU: a file
 * seen under RCU alone may be reused meanwhile, and get_file_rcu()
 * re-checks the slot after taking its reference.
 */
struct file *procscope_fd_get_rcu(struct file __rcu **slot);

/*
 * PTE tables. pte_offset_map() and pte_offset_map_lock() call helpers
 * that 6.5+ does not export (__pte_offset_map*), so the module maps
 * tables itself, the same way on every kernel (compat.c explains why it
 * is safe). A NULL map means the PMD no longer points to a table: re-read
 * it and decide again, as mm/pagewalk.c does (ACTION_AGAIN).
 */
pte_t *__procscope_pte_map_lock(struct mm_struct *mm, pmd_t *pmd,
				unsigned long addr, spinlock_t **ptlp);
void procscope_pte_unmap_unlock(pte_t *pte, spinlock_t *ptl)
	__releases(ptl);

/* Tells sparse the lock is held when a table is returned, as mm.h does. */
static inline pte_t *procscope_pte_map_lock(struct mm_struct *mm, pmd_t *pmd,
					    unsigned long addr,
					    spinlock_t **ptlp)
{
	pte_t *pte;

	__cond_lock(*ptlp, pte = __procscope_pte_map_lock(mm, pmd, addr, ptlp));
	return pte;
}

bool procscope_pte_read(pmd_t *pmd, pmd_t pmdval, unsigned long addr,
			pte_t *ptent);

#endif
