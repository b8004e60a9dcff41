// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table commands answered in one message: PT_SUMMARY, TRANSLATE.
 * The dumps (VMA_DUMP, PTE_DUMP) are in pt_dump.c.
 *
 * Every command pins the target with procscope_target_from_attrs() (the
 * pagemap-like access check) and looks at its page tables only with
 * mmap_read_lock_killable() held (ptwalk.c explains why that is enough).
 */

#include <linux/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "genl.h"
#include "pt_cmds.h"
#include "ptwalk.h"
#include "target.h"

void procscope_mm_snapshot(struct mm_struct *mm,
			   struct procscope_mm_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->v[PROCSCOPE_MM_START_CODE] = mm->start_code;
	s->v[PROCSCOPE_MM_END_CODE] = mm->end_code;
	s->v[PROCSCOPE_MM_START_DATA] = mm->start_data;
	s->v[PROCSCOPE_MM_END_DATA] = mm->end_data;
	s->v[PROCSCOPE_MM_START_BRK] = mm->start_brk;
	s->v[PROCSCOPE_MM_BRK] = mm->brk;
	s->v[PROCSCOPE_MM_START_STACK] = mm->start_stack;
	s->v[PROCSCOPE_MM_MMAP_BASE] = mm->mmap_base;
	s->v[PROCSCOPE_MM_TASK_SIZE] = mm->task_size;
	s->v[PROCSCOPE_MM_MAP_COUNT] = mm->map_count;
	s->v[PROCSCOPE_MM_RSS_ANON] = get_mm_counter(mm, MM_ANONPAGES);
	s->v[PROCSCOPE_MM_RSS_FILE] = get_mm_counter(mm, MM_FILEPAGES);
	s->v[PROCSCOPE_MM_RSS_SHMEM] = get_mm_counter(mm, MM_SHMEMPAGES);
	s->v[PROCSCOPE_MM_SWAP_ENTS] = get_mm_counter(mm, MM_SWAPENTS);
	s->v[PROCSCOPE_MM_PGTABLES_BYTES] = mm_pgtables_bytes(mm);
}

int procscope_put_mm(struct sk_buff *skb,
		     const struct procscope_mm_snapshot *s)
{
	return procscope_put_u64_nest(skb, PROCSCOPE_A_MM, s->v,
				      __PROCSCOPE_MM_LAST, PROCSCOPE_MM_PAD,
				      true);
}

static u64 tree_bytes(const struct procscope_walk *w)
{
	return PAGE_SIZE * (w->tables[PROCSCOPE_LEVEL_P4D] +
			    w->tables[PROCSCOPE_LEVEL_PUD] +
			    w->tables[PROCSCOPE_LEVEL_PMD] +
			    w->tables[PROCSCOPE_LEVEL_PTE]);
}

static int put_summary(struct sk_buff *msg, const struct procscope_target *t,
		       const struct procscope_walk *w,
		       const struct procscope_mm_snapshot *mm)
{
	if (nla_put_u32(msg, PROCSCOPE_A_PID, t->pid) ||
	    nla_put_u32(msg, PROCSCOPE_A_PAGING_LEVELS,
			procscope_paging_levels()) ||
	    procscope_put_u64_nest(msg, PROCSCOPE_A_TABLES, w->tables,
				   __PROCSCOPE_LEVEL_LAST, 0, true) ||
	    procscope_put_u64_nest(msg, PROCSCOPE_A_LEAVES, w->leaves,
				   __PROCSCOPE_LEAF_LAST, PROCSCOPE_LEAF_PAD,
				   true) ||
	    procscope_put_mm(msg, mm) ||
	    nla_put_u64_64bit(msg, PROCSCOPE_A_PT_BYTES, tree_bytes(w),
			      PROCSCOPE_A_PAD) ||
	    nla_put_u8(msg, PROCSCOPE_A_PFN_VISIBLE, t->pfn_visible))
		return -EMSGSIZE;
	return 0;
}

int procscope_pt_summary_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct procscope_target t;
	struct vm_area_struct *vma;
	struct procscope_walk *w;
	struct procscope_req req;
	struct procscope_mm_snapshot mm;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (PROCSCOPE_GENL_REQ_ATTR_CHECK(info, PROCSCOPE_A_PID))
		return -EINVAL;
	ret = procscope_req_get(&req, skb);
	if (ret)
		return ret;
	ret = procscope_target_from_attrs(&req, info->attrs, &t, info->extack);
	procscope_req_put(&req);
	if (ret)
		return ret;
	w = kmalloc(sizeof(*w), GFP_KERNEL);
	if (!w) {
		ret = -ENOMEM;
		goto out_target;
	}
	procscope_walk_init(w, t.mm);

	ret = procscope_target_lock(&t, info->extack);
	if (ret)
		goto out_walk;
	{
		VMA_ITERATOR(vmi, t.mm, 0);

		for_each_vma(vmi, vma) {
			procscope_walk_vma(w, vma, vma->vm_start, vma->vm_end);
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				break;
			}
		}
	}
	procscope_mm_snapshot(t.mm, &mm);
	mmap_read_unlock(t.mm);
	if (ret)
		goto out_walk;

	msg = procscope_reply_new(info, PROCSCOPE_CMD_PT_SUMMARY, &hdr);
	if (IS_ERR(msg)) {
		ret = PTR_ERR(msg);
		goto out_walk;
	}
	ret = procscope_reply_send(msg, hdr, info,
				   put_summary(msg, &t, w, &mm));
out_walk:
	kfree(w);
out_target:
	procscope_target_put(&t);
	return ret;
}

/* ------------------------------------------------------------ TRANSLATE */

/*
 * One address, top to bottom, with mmap_read_lock held: the walk the
 * fault snapshots use, so the leaf is labelled as the dump and the fault
 * events label it. A PTE table retracted meanwhile (6.6+) makes the walk
 * start again.
 */
static void translate(struct mm_struct *mm, unsigned long va,
		      struct vm_area_struct *vma, struct procscope_addr_walk *x)
{
	while (procscope_walk_addr(mm, va, vma, vma && vma_is_anonymous(vma), x))
		cond_resched();
}

/* @leaf_flags: the leaf's labels, for the step that is the leaf. */
static int put_step(struct sk_buff *msg, const struct procscope_step *s,
		    u64 leaf_flags, bool visible)
{
	bool present = s->entry & _PAGE_PRESENT;
	struct nlattr *nest;
	u64 flags;

	flags = s->leaf ? leaf_flags : procscope_entry_flags(s->entry, s->level);

	nest = nla_nest_start(msg, PROCSCOPE_A_STEP);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, PROCSCOPE_STEP_LEVEL, s->level) ||
	    nla_put_u32(msg, PROCSCOPE_STEP_INDEX, s->index) ||
	    nla_put_u64_64bit(msg, PROCSCOPE_STEP_TABLE_PA,
			      visible ? s->table_pa : 0, PROCSCOPE_STEP_PAD) ||
	    nla_put_u64_64bit(msg, PROCSCOPE_STEP_ENTRY,
			      visible ? s->entry :
			      procscope_mask_entry(s->entry, present || !s->leaf),
			      PROCSCOPE_STEP_PAD) ||
	    nla_put_u64_64bit(msg, PROCSCOPE_STEP_FLAGS, flags,
			      PROCSCOPE_STEP_PAD) ||
	    nla_put_u8(msg, PROCSCOPE_STEP_PRESENT, present) ||
	    nla_put_u8(msg, PROCSCOPE_STEP_LEAF, s->leaf)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int put_translation(struct sk_buff *msg,
			   const struct procscope_target *t, unsigned long va,
			   const struct procscope_addr_walk *x)
{
	unsigned int i;

	if (nla_put_u32(msg, PROCSCOPE_A_PID, t->pid) ||
	    nla_put_u64_64bit(msg, PROCSCOPE_A_VA, va, PROCSCOPE_A_PAD) ||
	    nla_put_u32(msg, PROCSCOPE_A_PAGING_LEVELS,
			procscope_paging_levels()))
		return -EMSGSIZE;
	for (i = 0; i < x->n; i++)
		if (put_step(msg, &x->step[i], x->leaf.flags, t->pfn_visible))
			return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, PROCSCOPE_A_PA, t->pfn_visible ? x->pa : 0,
			      PROCSCOPE_A_PAD) ||
	    nla_put_u32(msg, PROCSCOPE_A_STOP, x->stop) ||
	    nla_put_u8(msg, PROCSCOPE_A_PFN_VISIBLE, t->pfn_visible))
		return -EMSGSIZE;
	return 0;
}

int procscope_translate_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vm_area_struct *vma;
	struct procscope_target t;
	struct procscope_addr_walk x;
	struct procscope_req req;
	struct sk_buff *msg;
	unsigned long va;
	void *hdr;
	int ret;

	if (PROCSCOPE_GENL_REQ_ATTR_CHECK(info, PROCSCOPE_A_PID) ||
	    PROCSCOPE_GENL_REQ_ATTR_CHECK(info, PROCSCOPE_A_VA))
		return -EINVAL;
	va = nla_get_u64(info->attrs[PROCSCOPE_A_VA]);
	ret = procscope_req_get(&req, skb);
	if (ret)
		return ret;
	ret = procscope_target_from_attrs(&req, info->attrs, &t, info->extack);
	procscope_req_put(&req);
	if (ret)
		return ret;
	if (va >= t.mm->task_size) {
		NL_SET_ERR_MSG(info->extack,
			       "not a user address: above the end of this process's address space (its task size)");
		ret = -EINVAL;
		goto out;
	}
	ret = procscope_target_lock(&t, info->extack);
	if (ret)
		goto out;
	vma = vma_lookup(t.mm, va);
	translate(t.mm, va, vma, &x);
	mmap_read_unlock(t.mm);

	msg = procscope_reply_new(info, PROCSCOPE_CMD_TRANSLATE, &hdr);
	if (IS_ERR(msg)) {
		ret = PTR_ERR(msg);
		goto out;
	}
	ret = procscope_reply_send(msg, hdr, info,
				   put_translation(msg, &t, va, &x));
out:
	procscope_target_put(&t);
	return ret;
}

