// SPDX-License-Identifier: GPL-2.0
/*
 * Fault classification: which of the classes of ../docs/page-faults.md a
 * fault belongs to, decided from the state of its page-table entry just
 * before mm handled it, the VMA and the vm_fault_t result. The kernel
 * functions that do the work (do_anonymous_page, do_cow_fault,
 * do_shared_fault, do_read_fault) are inlined on 6.1 and cannot be probed,
 * but handle_pte_fault() picks between them from exactly these inputs, so
 * the same decision tree gives the same answer. The entry's state comes
 * from the one decoder (pte_decode.h, procscope_pte_state()). Pure
 * functions: the KUnit module compiles this file in.
 */

#include <linux/mm.h>

#include "fault_classify.h"

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
