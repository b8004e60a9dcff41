// SPDX-License-Identifier: GPL-2.0
/*
 * The watch table: which processes the hooks report on.
 *
 * Hooks run in fault context (IRQs off in the exceptions tracepoints) and
 * must decide "not watched" for free, so the table is a small RCU hash of
 * tgids behind a plain counter that is zero when nothing is watched. Watch
 * slots (with their fault counters) are preallocated at load time: a child
 * followed from the sched_process_fork tracepoint, where we may not sleep,
 * takes a free slot without allocating. A watch ends with WATCH_DEL, when
 * its process's last thread exits (sched_process_exit) or at unload; its
 * slot is reused only after an RCU grace period.
 */

#include <linux/hashtable.h>
#include <linux/llist.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "fault_hooks.h"
#include "fault_stats.h"
#include "genl.h"
#include "sock_watch.h"
#include "target.h"
#include "watch.h"

static unsigned int watch_max = 64;
module_param(watch_max, uint, 0444);
MODULE_PARM_DESC(watch_max, "Processes that can be watched at once (default 64)");

static unsigned int watch_linger_s = 30;
module_param(watch_linger_s, uint, 0644);
MODULE_PARM_DESC(watch_linger_s,
		 "Seconds an exited process's watch stays readable (default 30)");

enum slot_state {
	SLOT_FREE,
	SLOT_ACTIVE,	/* in watch_hash: hooks see it */
	SLOT_EXITED,	/* process gone: counters readable until reaped */
	SLOT_DYING,	/* on dying_list, released after a grace period */
};

struct watch_slot {
	struct procscope_watch w;
	struct procscope_fault_stats fs;
	struct hlist_node node;		/* in watch_hash while active */
	struct llist_node dying;	/* on dying_list until released */
	enum slot_state state;
	u64 exit_ns;
	kuid_t owner;			/* euid of the WATCH_ADD caller */
	bool child;			/* added by following a fork */
};

unsigned int procscope_nr_watches;
static struct watch_slot *slots;
static DEFINE_HASHTABLE(watch_hash, 8);
/* Writers only; taken from process context and preempt-off tracepoints. */
static DEFINE_SPINLOCK(watch_lock);
static u32 watch_gen;

static LLIST_HEAD(dying_list);
static void release_work_fn(struct work_struct *work);
static DECLARE_WORK(release_work, release_work_fn);
static void reap_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(reap_work, reap_work_fn);
static bool watch_stopping;

static struct tracepoint *tp_fork, *tp_exit;

unsigned int procscope_watch_count(void)
{
	return READ_ONCE(procscope_nr_watches);
}

unsigned int procscope_watch_max(void)
{
	return watch_max;
}

struct procscope_watch *procscope_watch_slot(u32 idx, u32 gen)
{
	struct watch_slot *s;

	if (idx >= watch_max)
		return NULL;
	s = &slots[idx];
	if (READ_ONCE(s->w.gen) != gen)
		return NULL;
	switch (READ_ONCE(s->state)) {
	case SLOT_ACTIVE:
	case SLOT_EXITED:
		return &s->w;
	default:
		return NULL;
	}
}

struct procscope_fault_stats *procscope_watch_fault_stats(struct procscope_watch *w)
{
	return &container_of(w, struct watch_slot, w)->fs;
}

struct procscope_watch *procscope_watch_find(pid_t tgid)
{
	struct watch_slot *s;

	if (!procscope_watch_any())
		return NULL;
	hash_for_each_possible_rcu(watch_hash, s, node, tgid)
		if (s->w.tgid == tgid)
			return &s->w;
	return NULL;
}

/* Under watch_lock. */
static struct watch_slot *find_locked(pid_t tgid)
{
	struct watch_slot *s;

	hash_for_each_possible(watch_hash, s, node, tgid)
		if (s->w.tgid == tgid)
			return s;
	return NULL;
}

/*
 * Take a free slot and publish a watch for @tgid; any context. Returns the
 * slot, or ERR_PTR(-EEXIST / -ENOSPC). @pid's reference passes to the watch.
 */
static struct watch_slot *watch_insert(struct pid *pid, pid_t tgid, u32 flags,
				       kuid_t owner)
{
	struct watch_slot *s = NULL;
	unsigned long irqflags;
	unsigned int i;

	spin_lock_irqsave(&watch_lock, irqflags);
	if (find_locked(tgid)) {
		spin_unlock_irqrestore(&watch_lock, irqflags);
		return ERR_PTR(-EEXIST);
	}
	for (i = 0; i < watch_max; i++) {
		if (slots[i].state == SLOT_FREE) {
			s = &slots[i];
			break;
		}
	}
	if (!s) {
		spin_unlock_irqrestore(&watch_lock, irqflags);
		return ERR_PTR(-ENOSPC);
	}
	s->state = SLOT_ACTIVE;
	s->owner = owner;
	s->child = false;
	s->exit_ns = 0;
	procscope_fault_stats_reset(&s->fs);
	s->w.pid = pid;
	s->w.tgid = tgid;
	s->w.flags = flags;
	s->w.since_ns = ktime_get_ns();
	s->w.fault_priv = &s->fs;
	s->w.sock_priv = NULL;
	s->w.idx = i;
	WRITE_ONCE(s->w.gen, ++watch_gen);
	hash_add_rcu(watch_hash, &s->node, tgid);
	WRITE_ONCE(procscope_nr_watches, procscope_nr_watches + 1);
	spin_unlock_irqrestore(&watch_lock, irqflags);
	return s;
}

/* Under watch_lock: hooks stop seeing the watch. */
static void watch_unhash_locked(struct watch_slot *s)
{
	hash_del_rcu(&s->node);
	WRITE_ONCE(procscope_nr_watches, procscope_nr_watches - 1);
}

/*
 * End a watch, active or exited; any context, under watch_lock. The slot
 * is released by release_work after a grace period, so readers that found
 * it stay safe.
 */
static void watch_remove_locked(struct watch_slot *s)
{
	if (s->state == SLOT_ACTIVE)
		watch_unhash_locked(s);
	WRITE_ONCE(s->state, SLOT_DYING);
	llist_add(&s->dying, &dying_list);
	schedule_work(&release_work);
}

/* Reap exited watches nobody collected within watch_linger_s. */
static void reap_work_fn(struct work_struct *work)
{
	u64 now = ktime_get_ns(), linger;
	bool more = false;
	unsigned int i;

	linger = (u64)READ_ONCE(watch_linger_s) * NSEC_PER_SEC;
	spin_lock_irq(&watch_lock);
	for (i = 0; i < watch_max; i++) {
		struct watch_slot *s = &slots[i];

		if (s->state != SLOT_EXITED)
			continue;
		if (now - s->exit_ns >= linger)
			watch_remove_locked(s);
		else
			more = true;
	}
	if (more && !watch_stopping)
		schedule_delayed_work(&reap_work, HZ);
	spin_unlock_irq(&watch_lock);
}

static void release_work_fn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&dying_list);
	struct watch_slot *s, *tmp;

	if (!list)
		return;
	synchronize_rcu();
	llist_for_each_entry_safe(s, tmp, list, dying) {
		if (s->w.flags & PROCSCOPE_WATCH_F_SOCKETS)
			procscope_sock_watch_stop(&s->w);
		put_pid(s->w.pid);
		spin_lock_irq(&watch_lock);
		s->w.pid = NULL;
		WRITE_ONCE(s->state, SLOT_FREE);
		spin_unlock_irq(&watch_lock);
	}
}

/*
 * sched_process_fork (kernel/fork.c kernel_clone): fires after the child is
 * fully set up and before it is first woken, so a followed child is watched
 * from its first instruction. Preemption is off: no sleeping here.
 */
static void probe_fork(void *data, struct task_struct *parent,
		       struct task_struct *child)
{
	struct procscope_watch *w;
	struct watch_slot *s;
	kuid_t owner;
	u32 flags;

	if (!procscope_watch_any() || child->pid != child->tgid)
		return;		/* nothing watched, or a new thread */
	rcu_read_lock();
	w = procscope_watch_find(parent->tgid);
	flags = w ? READ_ONCE(w->flags) : 0;
	rcu_read_unlock();
	if (!(flags & PROCSCOPE_WATCH_F_CHILDREN))
		return;
	/*
	 * The socket side starts in process context only; a followed child
	 * is watched for faults (see docs/page-faults.md).
	 */
	flags &= ~PROCSCOPE_WATCH_F_SOCKETS;
	if (!(flags & PROCSCOPE_WATCH_F_FAULTS))
		return;
	rcu_read_lock();
	w = procscope_watch_find(parent->tgid);
	owner = w ? container_of(w, struct watch_slot, w)->owner : GLOBAL_ROOT_UID;
	rcu_read_unlock();
	s = watch_insert(get_pid(task_tgid(child)), child->tgid, flags, owner);
	if (IS_ERR(s))
		put_pid(task_tgid(child));	/* table full: not followed */
	else
		s->child = true;
}

/*
 * sched_process_exit (kernel/exit.c do_exit): after exit_mm(), so the
 * process takes no more faults. signal->live reached zero for the last
 * thread of the group: its watch goes, and the table does not fill with
 * dead pids.
 */
static void probe_exit(void *data, struct task_struct *p)
{
	struct watch_slot *s;
	unsigned long irqflags;

	if (!procscope_watch_any() || atomic_read(&p->signal->live))
		return;
	spin_lock_irqsave(&watch_lock, irqflags);
	s = find_locked(p->tgid);
	if (s) {
		/* Linger with its counters until collected or reaped. */
		watch_unhash_locked(s);
		s->exit_ns = ktime_get_ns();
		WRITE_ONCE(s->state, SLOT_EXITED);
		/*
		 * Followed children do not linger: a fork-heavy workload would
		 * fill the table with them. The socket side ends now too.
		 */
		if (s->child || (s->w.flags & PROCSCOPE_WATCH_F_SOCKETS))
			watch_remove_locked(s);
		else if (!watch_stopping)
			schedule_delayed_work(&reap_work, HZ);
	}
	spin_unlock_irqrestore(&watch_lock, irqflags);
}

static int fill_watch(struct sk_buff *skb, struct watch_slot *s, pid_t vpid)
{
	struct nlattr *nest = nla_nest_start(skb, PROCSCOPE_A_WATCH);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PROCSCOPE_WATCH_PID, vpid) ||
	    nla_put_u32(skb, PROCSCOPE_WATCH_FLAGS, s->w.flags) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_WATCH_SINCE_NS, s->w.since_ns,
			      PROCSCOPE_WATCH_PAD) ||
	    nla_put_u8(skb, PROCSCOPE_WATCH_EXITED,
		       READ_ONCE(s->state) == SLOT_EXITED) ||
	    procscope_fault_stats_fill(skb, &s->fs) ||
	    ((s->w.flags & PROCSCOPE_WATCH_F_SOCKETS) &&
	     procscope_sock_watch_fill(skb, &s->w))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int procscope_watch_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct procscope_target t;
	struct watch_slot *s;
	struct sk_buff *msg;
	struct pid *pid;
	pid_t tgid;
	void *hdr;
	u32 flags = PROCSCOPE_WATCH_F_FAULTS;
	int ret;

	if (info->attrs[PROCSCOPE_A_WATCH_FLAGS])
		flags = nla_get_u32(info->attrs[PROCSCOPE_A_WATCH_FLAGS]);
	if (!(flags & (PROCSCOPE_WATCH_F_FAULTS | PROCSCOPE_WATCH_F_SOCKETS))) {
		NL_SET_ERR_MSG(info->extack,
			       "watch flags name nothing to watch (faults or sockets)");
		return -EINVAL;
	}
	if ((flags & PROCSCOPE_WATCH_F_FAULTS) && !procscope_fault_hooks_ready()) {
		NL_SET_ERR_MSG(info->extack,
			       "page-fault hooks are not attached on this kernel (see dmesg)");
		return -EOPNOTSUPP;
	}
	ret = procscope_target_from_attrs(info->attrs, &t, info->extack);
	if (ret)
		return ret;
	tgid = task_tgid_nr(t.task);
	pid = get_task_pid(t.task, PIDTYPE_TGID);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto err_pid;
	}
	s = watch_insert(pid, tgid, flags, current_euid());
	if (IS_ERR(s)) {
		ret = PTR_ERR(s);
		if (ret == -EEXIST)
			NL_SET_ERR_MSG(info->extack,
				       "this process is already watched (WATCH_DEL it first)");
		else
			NL_SET_ERR_MSG(info->extack,
				       "watch table full (raise the module parameter watch_max)");
		goto err_msg;
	}
	/*
	 * The process may have exited between the lookup and the insert,
	 * after its exit probe looked for a watch: check again, or the slot
	 * would stay taken by a dead pid.
	 */
	smp_mb();
	if (!atomic_read(&t.task->signal->live) || (t.task->flags & PF_EXITING)) {
		NL_SET_ERR_MSG(info->extack, "process is exiting");
		ret = -ESRCH;
		goto err_remove;
	}
	if (flags & PROCSCOPE_WATCH_F_SOCKETS) {
		ret = procscope_sock_watch_start(&s->w);
		if (ret) {
			NL_SET_ERR_MSG(info->extack,
				       "could not start watching sockets");
			s->w.flags &= ~PROCSCOPE_WATCH_F_SOCKETS;
			goto err_remove;
		}
	}

	hdr = procscope_genl_put(msg, info->snd_portid, info->snd_seq, 0,
				 PROCSCOPE_CMD_WATCH_ADD);
	if (!hdr || fill_watch(msg, s, t.pid)) {
		/* The watch exists; say so without its counters. */
		nlmsg_free(msg);
		procscope_target_put(&t);
		return 0;
	}
	genlmsg_end(msg, hdr);
	procscope_target_put(&t);
	return genlmsg_reply(msg, info);

err_remove:
	spin_lock_irq(&watch_lock);
	if (find_locked(tgid) == s)
		watch_remove_locked(s);
	spin_unlock_irq(&watch_lock);
	nlmsg_free(msg);
	procscope_target_put(&t);
	return ret;	/* the pid reference went with the slot */
err_msg:
	nlmsg_free(msg);
err_pid:
	put_pid(pid);
	procscope_target_put(&t);
	return ret;
}

/*
 * May the caller see this watch? An active one: if it could ptrace-read the
 * process. An exited one: if it added it (same euid) or is admin. Under RCU.
 */
static bool may_see(struct watch_slot *s, bool admin)
{
	struct task_struct *task;

	if (admin)
		return true;
	if (READ_ONCE(s->state) == SLOT_EXITED)
		return uid_eq(s->owner, current_euid());
	task = pid_task(s->w.pid, PIDTYPE_TGID);
	return task && !procscope_may_read(task);
}

/* Under watch_lock: the active or exited watch of pid number @vpid. */
static struct watch_slot *find_vpid_locked(pid_t vpid)
{
	unsigned int i;

	for (i = 0; i < watch_max; i++) {
		struct watch_slot *s = &slots[i];

		if ((s->state == SLOT_ACTIVE || s->state == SLOT_EXITED) &&
		    pid_vnr(s->w.pid) == vpid)
			return s;
	}
	return NULL;
}

int procscope_watch_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool admin = capable(CAP_SYS_ADMIN), allowed = false;
	struct watch_slot *s;
	pid_t vpid;

	if (!info->attrs[PROCSCOPE_A_PID]) {
		NL_SET_ERR_MSG(info->extack, "missing PROCSCOPE_A_PID");
		return -EINVAL;
	}
	vpid = nla_get_u32(info->attrs[PROCSCOPE_A_PID]);
	rcu_read_lock();
	spin_lock_irq(&watch_lock);
	s = find_vpid_locked(vpid);
	if (s) {
		allowed = may_see(s, admin);
		if (allowed)
			watch_remove_locked(s);
	}
	spin_unlock_irq(&watch_lock);
	rcu_read_unlock();
	if (!s) {
		NL_SET_ERR_MSG(info->extack, "this process is not watched");
		return -ENOENT;
	}
	if (!allowed) {
		NL_SET_ERR_MSG(info->extack,
			       "not permitted: not your process (same user and dumpable, or CAP_SYS_PTRACE)");
		return -EPERM;
	}
	/*
	 * Reply only once the watch is gone, listeners included: a WATCH_ADD
	 * right after would otherwise find the old watch's listeners still
	 * registered and not get them (seen as "shard never watched" in t_50).
	 */
	flush_work(&release_work);
	return 0;
}

/* Dump state: cb->args[0] next slot, args[1] pid number filter (0: all). */
int procscope_watch_get_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = procscope_dump_attrs(cb);

	cb->args[0] = 0;
	cb->args[1] = 0;
	if (attrs[PROCSCOPE_A_PID])
		cb->args[1] = nla_get_u32(attrs[PROCSCOPE_A_PID]);
	return 0;
}

int procscope_watch_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	bool admin = capable(CAP_SYS_ADMIN);
	unsigned int i;

	rcu_read_lock();
	for (i = cb->args[0]; i < watch_max; i++) {
		struct watch_slot *s = &slots[i];
		enum slot_state st = READ_ONCE(s->state);
		struct pid *pid = READ_ONCE(s->w.pid);
		pid_t vpid;
		void *hdr;

		if ((st != SLOT_ACTIVE && st != SLOT_EXITED) || !pid)
			continue;
		vpid = pid_vnr(pid);
		if (!vpid)
			continue;	/* not in the caller's namespace */
		if (cb->args[1] && vpid != (pid_t)cb->args[1])
			continue;
		if (!may_see(s, admin))
			continue;
		hdr = procscope_genl_put_dump(skb, cb, PROCSCOPE_CMD_WATCH_GET);
		if (!hdr)
			break;
		if (fill_watch(skb, s, vpid)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

int procscope_watch_get_done(struct netlink_callback *cb)
{
	return 0;
}

int __init procscope_watch_init(void)
{
	int ret;

	if (watch_max < 1 || watch_max > 4096) {
		pr_err("watch_max must be between 1 and 4096\n");
		return -EINVAL;
	}
	slots = kvcalloc(watch_max, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;
	tp_fork = procscope_tracepoint_find("sched_process_fork");
	tp_exit = procscope_tracepoint_find("sched_process_exit");
	if (!tp_fork || !tp_exit) {
		pr_err("sched_process_fork/exit tracepoints not found\n");
		ret = -ENOENT;
		goto err_free;
	}
	ret = tracepoint_probe_register(tp_exit, probe_exit, NULL);
	if (ret)
		goto err_free;
	ret = tracepoint_probe_register(tp_fork, probe_fork, NULL);
	if (ret)
		goto err_exit;
	return 0;

err_exit:
	tracepoint_probe_unregister(tp_exit, probe_exit, NULL);
	tracepoint_synchronize_unregister();
err_free:
	kvfree(slots);
	slots = NULL;
	return ret;
}

/* After the genl family is gone: no request can add a watch any more. */
void procscope_watch_exit(void)
{
	unsigned int i;

	tracepoint_probe_unregister(tp_fork, probe_fork, NULL);
	tracepoint_probe_unregister(tp_exit, probe_exit, NULL);
	tracepoint_synchronize_unregister();

	spin_lock_irq(&watch_lock);
	watch_stopping = true;
	spin_unlock_irq(&watch_lock);
	cancel_delayed_work_sync(&reap_work);

	spin_lock_irq(&watch_lock);
	for (i = 0; i < watch_max; i++)
		if (slots[i].state == SLOT_ACTIVE || slots[i].state == SLOT_EXITED)
			watch_remove_locked(&slots[i]);
	spin_unlock_irq(&watch_lock);
	flush_work(&release_work);
	kvfree(slots);
	slots = NULL;
}
