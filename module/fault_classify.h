/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_FAULT_CLASSIFY_H
#define PROCSCOPE_FAULT_CLASSIFY_H

#include <linux/mm_types.h>
#include <linux/types.h>

#include <linux/procscope.h>

/* vm_fault_t bits as the plain u32 the ABI carries (sparse: __bitwise). */
#define VMF(bit) ((__force u32)(bit))

/* One leaf entry as seen by a lockless walk: a snapshot, nothing pinned. */
struct procscope_pte_snap {
	u64 raw;	/* raw entry, 0 when there is none */
	u64 pfn;	/* 0 unless present */
	u64 flags;	/* enum procscope_pte_flag */
	u8 state;	/* enum procscope_pte_state */
};

/*
 * Read the leaf entry mapping @addr in @mm without taking any lock, the way
 * gup-fast does (mm/gup.c gup_pgd_range): IRQs off so x86 cannot free the
 * tables under us (table pages are freed after an IPI or RCU-sched grace
 * period), every level read once with READ_ONCE, huge leaves handled.
 * Any context.
 */
void procscope_pte_snapshot(struct mm_struct *mm, unsigned long addr,
			    struct procscope_pte_snap *s);

/* What the classifier needs to know about one fault. */
struct procscope_fault_facts {
	u8 state_before;	/* enum procscope_pte_state */
	bool write;
	bool vma_anon;		/* vma_is_anonymous(): no vm_ops, no file */
	bool vma_shared;	/* VM_SHARED (shared file, shmem, memfd) */
	bool vma_growsdown;	/* VM_GROWSDOWN: a stack VMA */
	bool stack_grew;	/* expand_downwards() ran for this fault */
	bool tried;		/* FAULT_FLAG_TRIED: a retry */
	u32 vm_fault;		/* handle_mm_fault() result */
};

enum procscope_fault_class
procscope_fault_classify(const struct procscope_fault_facts *f);

/* Outcome of a handle_mm_fault() call from its result. */
enum procscope_fault_outcome procscope_fault_outcome(u32 vm_fault,
						     bool user_mode);

/* The rule of mm/memory.c mm_account_fault(). */
static inline bool procscope_fault_counted(u32 vm_fault)
{
	return !(vm_fault & (VMF(VM_FAULT_ERROR) | VMF(VM_FAULT_RETRY)));
}

static inline bool procscope_fault_major(u32 vm_fault, bool tried)
{
	return (vm_fault & VMF(VM_FAULT_MAJOR)) || tried;
}

#endif
