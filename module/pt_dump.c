// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table dumps: VMA_DUMP (one message per VMA) and PTE_DUMP (every
 * entry of a range). Dumps take the target's mmap_lock once per dumpit
 * call and resume from an address, so the lock is never held while user
 * space reads.
 */

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "genl.h"
#include "pt_cmds.h"
#include "pt_dump.h"
#include "ptwalk.h"
#include "target.h"

/*
 * Dump state, allocated in .start and freed in .done. The target is
 * resolved and checked in .start, against the requester (see target.h);
 * a refusal is reported by the first dumpit, with its message.
 *
 * Between dumpit calls only the mm_struct is kept (mmgrab()), not the
 * address space (mmget()): an idle dump must not keep a killed process's
 * memory from being freed. Each call takes the address space again with
 * mmget_not_zero(), as /proc/PID/pagemap's reads do, and ends the dump
 * once the process is gone.
 */
struct pt_dump {
	struct procscope_target t;	/* t.mm set only inside a dumpit */
	struct mm_struct *mm;		/* mmgrab() reference */
	struct procscope_refusal refused;
	bool header_sent;
	bool finished;
	unsigned long next;	/* resume address */
	unsigned long end;	/* exclusive */
	char *path;		/* PATH_MAX buffer for d_path() (VMA dump) */
};

static struct pt_dump *pt_dump(struct netlink_callback *cb)
{
	return *(struct pt_dump **)cb->ctx;
}

static int pte_dump_range(struct nlattr **attrs, struct pt_dump *d,
			  struct netlink_ext_ack *extack);

static int pt_dump_start(struct netlink_callback *cb, bool vma_dump)
{
	struct nlattr **attrs = procscope_dump_attrs(cb);
	struct netlink_ext_ack ea = {};
	struct procscope_req req;
	struct pt_dump *d;
	int ret;

	BUILD_BUG_ON(sizeof(d) > sizeof(cb->ctx));
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	if (vma_dump) {
		d->path = kmalloc(PATH_MAX, GFP_KERNEL);
		if (!d->path) {
			kfree(d);
			return -ENOMEM;
		}
	}
	ret = procscope_req_get(&req, cb->skb);
	if (ret) {
		kfree(d->path);
		kfree(d);
		return ret;
	}
	ret = procscope_target_from_attrs(&req, attrs, &d->t, &ea);
	procscope_req_put(&req);
	if (!ret && !vma_dump)
		ret = pte_dump_range(attrs, d, &ea);
	if (ret) {
		procscope_refusal_set(&d->refused, ret, &ea);
		procscope_target_put(&d->t);
	} else {
		d->mm = d->t.mm;
		mmgrab(d->mm);
		mmput(d->t.mm);
		d->t.mm = NULL;
	}
	*(struct pt_dump **)cb->ctx = d;
	return 0;
}

static int pt_dump_done(struct netlink_callback *cb)
{
	struct pt_dump *d = pt_dump(cb);

	if (d) {
		procscope_target_put(&d->t);
		if (d->mm)
			mmdrop(d->mm);
		kfree(d->path);
		kfree(d);
	}
	return 0;
}

/* Take the address space and its lock for one dumpit call. */
static int pt_dump_lock(struct pt_dump *d, struct netlink_ext_ack *extack)
{
	int ret;

	if (d->refused.err)
		return procscope_refusal_report(&d->refused, extack);
	if (!mmget_not_zero(d->mm)) {
		NL_SET_ERR_MSG(extack,
			       "the process exited during the request");
		return -ESRCH;
	}
	d->t.mm = d->mm;
	ret = procscope_target_lock(&d->t, extack);
	if (ret) {
		mmput(d->mm);
		d->t.mm = NULL;
	}
	return ret;
}

static void pt_dump_unlock(struct pt_dump *d)
{
	mmap_read_unlock(d->mm);
	mmput(d->mm);
	d->t.mm = NULL;
}

/* ------------------------------------------------------------ VMA_DUMP */

int procscope_vma_dump_start(struct netlink_callback *cb)
{
	return pt_dump_start(cb, true);
}

int procscope_vma_dump_done(struct netlink_callback *cb)
{
	return pt_dump_done(cb);
}

static bool vma_is_tmpfs(struct vm_area_struct *vma)
{
	/* shmem_mapping() is not exported: tmpfs, memfd and SysV shm. */
	return vma->vm_file &&
	       file_inode(vma->vm_file)->i_sb->s_magic == TMPFS_MAGIC;
}

/* The name /proc/PID/maps shows for a VMA without a file, or NULL. */
static const char *vma_name(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_ops && vma->vm_ops->name)
		return vma->vm_ops->name(vma);	/* [vdso], [vvar] ... */
	if (vma->vm_file)
		return NULL;
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack &&
	    vma->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

static int put_vma(struct sk_buff *skb, struct netlink_callback *cb,
		   struct pt_dump *d, struct vm_area_struct *vma,
		   const struct procscope_walk *w)
{
	struct nlattr *nest;
	const char *name;
	void *hdr;

	hdr = procscope_genl_put_dump(skb, cb, PROCSCOPE_CMD_VMA_DUMP);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, PROCSCOPE_A_VMA);
	if (!nest)
		goto cancel;
	if (nla_put_u64_64bit(skb, PROCSCOPE_VMA_START, vma->vm_start,
			      PROCSCOPE_VMA_PAD) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_VMA_END, vma->vm_end,
			      PROCSCOPE_VMA_PAD) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_VMA_FLAGS, vma->vm_flags,
			      PROCSCOPE_VMA_PAD) ||
	    nla_put_u8(skb, PROCSCOPE_VMA_ANON, !!vma->anon_vma) ||
	    nla_put_u8(skb, PROCSCOPE_VMA_SHMEM, vma_is_tmpfs(vma)))
		goto cancel;
	if (vma->vm_file) {
		struct inode *inode = file_inode(vma->vm_file);
		char *p = d_path(&vma->vm_file->f_path, d->path, PATH_MAX);

		if (nla_put_u64_64bit(skb, PROCSCOPE_VMA_PGOFF,
				      (u64)vma->vm_pgoff << PAGE_SHIFT,
				      PROCSCOPE_VMA_PAD) ||
		    nla_put_u64_64bit(skb, PROCSCOPE_VMA_INODE, inode->i_ino,
				      PROCSCOPE_VMA_PAD) ||
		    nla_put_u32(skb, PROCSCOPE_VMA_DEV,
				new_encode_dev(inode->i_sb->s_dev)) ||
		    (!IS_ERR(p) && nla_put_string(skb, PROCSCOPE_VMA_PATH, p)))
			goto cancel;
	}
	name = vma_name(vma);
	if (name && nla_put_string(skb, PROCSCOPE_VMA_NAME, name))
		goto cancel;
	if (procscope_put_u64_nest(skb, PROCSCOPE_VMA_LEAVES, w->leaves,
				   __PROCSCOPE_LEAF_LAST, PROCSCOPE_LEAF_PAD,
				   false))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int put_vma_header(struct sk_buff *skb, struct netlink_callback *cb,
			  struct pt_dump *d)
{
	struct procscope_mm_snapshot s;
	void *hdr;

	procscope_mm_snapshot(d->mm, &s);
	hdr = procscope_genl_put_dump(skb, cb, PROCSCOPE_CMD_VMA_DUMP);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PROCSCOPE_A_PID, d->t.pid) ||
	    nla_put_u32(skb, PROCSCOPE_A_PAGING_LEVELS,
			procscope_paging_levels()) ||
	    nla_put_u8(skb, PROCSCOPE_A_PFN_VISIBLE, d->t.pfn_visible) ||
	    procscope_put_mm(skb, &s)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int procscope_vma_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pt_dump *d = pt_dump(cb);
	struct vm_area_struct *vma;
	struct procscope_walk *w;
	int ret;

	if (d->finished)
		return 0;
	w = kmalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	ret = pt_dump_lock(d, cb->extack);
	if (ret)
		goto out;
	if (!d->header_sent) {
		if (put_vma_header(skb, cb, d))
			goto unlock;
		d->header_sent = true;
	}
	{
		VMA_ITERATOR(vmi, d->mm, d->next);

		for_each_vma(vmi, vma) {
			procscope_walk_init(w, d->mm);
			procscope_walk_vma(w, vma, vma->vm_start, vma->vm_end);
			if (put_vma(skb, cb, d, vma, w))
				goto unlock;	/* next message, same VMA */
			d->next = vma->vm_end;
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				goto unlock;
			}
		}
	}
	d->finished = true;
unlock:
	pt_dump_unlock(d);
	/*
	 * Nothing fitted in an empty message (a VMA whose path is nearly
	 * PATH_MAX long): an error, not an end that would hide the rest.
	 */
	if (!ret && !d->finished && !skb->len)
		ret = -EMSGSIZE;
out:
	kfree(w);
	return ret ? ret : skb->len;
}

/* ------------------------------------------------------------ PTE_DUMP */

int procscope_pte_dump_start(struct netlink_callback *cb)
{
	return pt_dump_start(cb, false);
}

int procscope_pte_dump_done(struct netlink_callback *cb)
{
	return pt_dump_done(cb);
}

/* The range [start, end) of a PTE dump, checked against the target. */
static int pte_dump_range(struct nlattr **attrs, struct pt_dump *d,
			  struct netlink_ext_ack *extack)
{
	unsigned long limit;
	u64 start = 0, end = U64_MAX;

	limit = d->t.mm->task_size;
	if (attrs[PROCSCOPE_A_ADDR_START])
		start = nla_get_u64(attrs[PROCSCOPE_A_ADDR_START]);
	if (attrs[PROCSCOPE_A_ADDR_END])
		end = nla_get_u64(attrs[PROCSCOPE_A_ADDR_END]);
	if (start >= end) {
		NL_SET_ERR_MSG(extack,
			       "empty or reversed range: the end must be above the start");
		return -EINVAL;
	}
	if (start >= limit) {
		NL_SET_ERR_MSG(extack,
			       "the range starts above the end of this process's address space (its task size)");
		return -EINVAL;
	}
	d->next = start & PAGE_MASK;
	d->end = min_t(u64, end, limit);
	return 0;
}

/*
 * Present 4 KiB leaves at consecutive addresses are batched by the walker
 * into one A_PTE_RUN: the raw entries are written by the walker straight
 * into the message, and flags and mapcounts, nearly always the same for a
 * whole run, are sent once. A dense dump then moves 8 bytes an entry, as
 * /proc/PID/pagemap does, and never copies them twice.
 */
struct pte_emit {
	struct sk_buff *skb;
	bool visible;
	unsigned int count;
	struct nlattr *nest;		/* of the run being built */
	struct nlattr *raw;		/* its RUN_RAW, sized for run.cap */
	struct procscope_pte_run run;
};

/*
 * Fixed bytes after the raw entries: the headers of both u32 arrays (or
 * their single values) plus slack; each entry adds 4 bytes to each array.
 */
#define RUN_TAIL_BYTES (2 * nla_total_size(0) + NLA_HDRLEN)

static int run_begin(struct procscope_walk *w, unsigned long va)
{
	struct pte_emit *e = w->priv;
	struct sk_buff *skb = e->skb;
	int room;
	unsigned int cap;

	e->nest = nla_nest_start(skb, PROCSCOPE_A_PTE_RUN);
	if (!e->nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, PROCSCOPE_RUN_VA, va, PROCSCOPE_RUN_PAD) ||
	    (e->visible &&
	     nla_put_u64_64bit(skb, PROCSCOPE_RUN_PFN_MASK, PTE_PFN_MASK,
			       PROCSCOPE_RUN_PAD)))
		goto cancel;
	/* Entries this message can still take, raw array and tail included. */
	room = skb_tailroom(skb) - NLA_HDRLEN - RUN_TAIL_BYTES;
	cap = room > 0 ? room / (sizeof(u64) + 2 * sizeof(u32)) : 0;
	cap = min_t(unsigned int, cap, PROCSCOPE_PTE_RUN_MAX_ENTRIES);
	if (!cap)
		goto cancel;
	e->raw = nla_reserve(skb, PROCSCOPE_RUN_RAW, cap * sizeof(u64));
	if (!e->raw)
		goto cancel;
	e->run.raw = nla_data(e->raw);
	e->run.cap = cap;
	return 0;
cancel:
	nla_nest_cancel(skb, e->nest);
	return -EMSGSIZE;
}

/*
 * Finish the run being built: shrink RUN_RAW to the entries it got (it is
 * the last thing in the message), then flags and mapcounts, one value when
 * they are all the same. Room for both arrays was kept by run_begin(), so
 * a failure means that accounting is wrong: fail closed then.
 */
static int flush_run(struct procscope_walk *w)
{
	struct pte_emit *e = w->priv;
	struct procscope_pte_run *r = &e->run;
	struct sk_buff *skb = e->skb;
	unsigned int n = r->n;
	int ret;

	if (!n)
		return 0;
	r->n = 0;
	e->raw->nla_len = nla_attr_size(n * sizeof(u64));
	skb_trim(skb, (unsigned char *)e->raw + nla_total_size(n * sizeof(u64)) -
		 skb->data);
	if (r->flags_same)
		ret = nla_put_u32(skb, PROCSCOPE_RUN_FLAGS_ALL, r->flags[0]);
	else
		ret = nla_put(skb, PROCSCOPE_RUN_FLAGS, n * sizeof(u32), r->flags);
	if (!ret && r->mapcount_same)
		ret = nla_put_u32(skb, PROCSCOPE_RUN_MAPCOUNT_ALL, r->mapcount[0]);
	else if (!ret)
		ret = nla_put(skb, PROCSCOPE_RUN_MAPCOUNT, n * sizeof(u32),
			      r->mapcount);
	if (ret) {
		nla_nest_cancel(skb, e->nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, e->nest);
	e->count += n;
	return 0;
}

/* Everything but present 4 KiB leaves: one A_PTE nest each. */
static int put_pte(struct procscope_walk *w,
		   const struct procscope_leaf_info *li)
{
	struct pte_emit *e = w->priv;
	struct sk_buff *skb = e->skb;
	bool present = li->flags & PROCSCOPE_PTE_F_PRESENT;
	bool swp = !present;
	struct nlattr *nest;
	int ret;

	/* Keep address order: the pending run goes first. */
	ret = flush_run(w);
	if (ret)
		return ret;
	nest = nla_nest_start(skb, PROCSCOPE_A_PTE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, PROCSCOPE_PTE_VA,
			      li->va & ~(u64)(li->size - 1), PROCSCOPE_PTE_PAD) ||
	    nla_put_u32(skb, PROCSCOPE_PTE_LEVEL, li->level) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_PTE_RAW,
			      e->visible ? li->raw :
			      procscope_mask_entry(li->raw, present),
			      PROCSCOPE_PTE_PAD) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_PTE_FLAGS, li->flags,
			      PROCSCOPE_PTE_PAD) ||
	    (present && e->visible &&
	     nla_put_u64_64bit(skb, PROCSCOPE_PTE_PFN, li->pfn,
			       PROCSCOPE_PTE_PAD)) ||
	    (swp && nla_put_u32(skb, PROCSCOPE_PTE_SWP_TYPE, li->swp_type)) ||
	    (swp && e->visible &&
	     nla_put_u64_64bit(skb, PROCSCOPE_PTE_SWP_OFFSET, li->swp_offset,
			       PROCSCOPE_PTE_PAD)) ||
	    (li->mapcount &&
	     nla_put_u32(skb, PROCSCOPE_PTE_MAPCOUNT, li->mapcount))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	e->count++;
	return 0;
}

int procscope_pte_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pt_dump *d = pt_dump(cb);
	struct vm_area_struct *vma;
	struct procscope_walk *w;
	struct pte_emit *e;
	void *hdr;
	int ret;

	if (d->finished)
		return 0;
	/* Both are too big for the stack (the run buffer is 14 KiB). */
	w = kmalloc(sizeof(*w), GFP_KERNEL);
	e = kmalloc(sizeof(*e), GFP_KERNEL);
	if (!w || !e) {
		ret = -ENOMEM;
		goto out;
	}
	e->skb = skb;
	e->visible = d->t.pfn_visible;
	e->count = 0;
	e->run.n = 0;
	e->run.begin = run_begin;
	e->run.flush = flush_run;
	e->run.mask_raw = !d->t.pfn_visible;
	procscope_walk_init(w, d->mm);
	w->leaf = put_pte;
	w->run = &e->run;
	w->priv = e;

	hdr = procscope_genl_put_dump(skb, cb, PROCSCOPE_CMD_PTE_DUMP);
	if (!hdr ||
	    nla_put_u32(skb, PROCSCOPE_A_PID, d->t.pid) ||
	    nla_put_u8(skb, PROCSCOPE_A_PFN_VISIBLE, d->t.pfn_visible)) {
		ret = -EMSGSIZE;
		goto out;
	}
	ret = pt_dump_lock(d, cb->extack);
	if (ret)
		goto cancel;
	{
		VMA_ITERATOR(vmi, d->mm, d->next);

		for_each_vma_range(vmi, vma, d->end) {
			unsigned long s = max(d->next, vma->vm_start);
			unsigned long end = min(d->end, vma->vm_end);

			if (procscope_walk_vma(w, vma, s, end)) {
				d->next = w->next;
				break;
			}
			d->next = end;
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				break;
			}
		}
		if (!vma && !ret)
			d->finished = true;
	}
	pt_dump_unlock(d);
	/* Room for the pending run was kept by run_begin(). */
	if (!ret)
		ret = flush_run(w);
	if (ret)
		goto cancel;
	if (!e->count && d->header_sent) {
		/* Nothing more: no empty trailing message. */
		genlmsg_cancel(skb, hdr);
		goto out;
	}
	d->header_sent = true;
	genlmsg_end(skb, hdr);
	goto out;
cancel:
	genlmsg_cancel(skb, hdr);
out:
	kfree(e);
	kfree(w);
	return ret ? ret : skb->len;
}
