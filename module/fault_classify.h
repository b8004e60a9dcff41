/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_FAULT_CLASSIFY_H
#define PROCSCOPE_FAULT_CLASSIFY_H

#include <linux/mm_types.h>
#include <linux/types.h>

#include <linux/procscope.h>

#include "pte_decode.h"

/* vm_fault_t bits as the plain u32 the ABI carries (sparse: __bitwise). */
#define VMF(bit) ((__force u32)(bit))

/*
 * The state of a fault's entry the classifier decides from, given its
 * decoding (pte_decode.h): present entries split by their write bit.
 */
static inline u8 procscope_pte_state(enum procscope_entry_kind kind, u64 flags)
{
	switch (kind) {
	case PROCSCOPE_ENTRY_NONE:
		return PROCSCOPE_PTE_STATE_NONE;
	case PROCSCOPE_ENTRY_PRESENT:
		return (flags & PROCSCOPE_PTE_F_WRITE) ? PROCSCOPE_PTE_STATE_RW :
							 PROCSCOPE_PTE_STATE_RO;
	case PROCSCOPE_ENTRY_PROTNONE:
		return PROCSCOPE_PTE_STATE_PROTNONE;
	case PROCSCOPE_ENTRY_SWAP:
		return PROCSCOPE_PTE_STATE_SWAP;
	case PROCSCOPE_ENTRY_MIGRATION:
		return PROCSCOPE_PTE_STATE_MIGRATION;
	default:
		return PROCSCOPE_PTE_STATE_OTHER;
	}
}

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
