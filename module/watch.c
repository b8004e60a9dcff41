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
 *
 * The table is shared by every user of the machine, so a user without
 * CAP_SYS_ADMIN gets at most watch_user_max slots (followed children
 * included), watch_admin_reserve slots are kept for administrators, and
 * such a user's watches end when the netlink socket that made them is
 * closed (a crashed tool leaves nothing behind) and when the watched
 * process execs into something the user could not read (setuid).
 */

#include <linux/binfmts.h>
#include <linux/hashtable.h>
#include <linux/llist.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/pid.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "fault_stats.h"
#include "genl.h"
#include "hooks.h"
#include "target.h"
#include "watch.h"

static unsigned int watch_max = 64;
module_param(watch_max, uint, 0444);
MODULE_PARM_DESC(watch_max, "Processes that can be watched at once (default 64)");

static unsigned int watch_user_max = 16;
module_param(watch_user_max, uint, 0644);
MODULE_PARM_DESC(watch_user_max,
		 "Watches one user without CAP_SYS_ADMIN may hold, followed children included (default 16)");

static unsigned int watch_admin_reserve = 8;
module_param(watch_admin_reserve, uint, 0644);
MODULE_PARM_DESC(watch_admin_reserve,
		 "Watch slots only CAP_SYS_ADMIN may take (default 8)");

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
	u32 portid;			/* its socket, for a non-admin's watch */
	bool admin;			/* made by CAP_SYS_ADMIN: no quota, no tie */
	bool child;			/* added by following a fork */
	bool starting;			/* WATCH_ADD still setting it up */
};

/* Who a watch belongs to, passed down to the slot (and to its children). */
struct watch_owner {
	kuid_t euid;
	u32 portid;
	bool admin;
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

/*
 * WATCH_ADD and WATCH_DEL sleep (socket scan, waiting for a release) and
 * the family runs its handlers in parallel: this keeps an add and a
 * delete from interleaving, as genl_mutex did.
 */
static DEFINE_MUTEX(watch_cmd_mutex);

static struct tracepoint *tp_fork, *tp_exit, *tp_exec;

/* The socket side of watches, above this table: see watch.h. */
static const struct procscope_watch_sock_ops *sock_ops;

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
 * Under watch_lock: may @o take one more slot? -EDQUOT past the user's
 * quota, -ENOSPC when only the administrators' reserve is left (or, for
 * them, nothing). Slots still being released count: they are not free.
 */
static int quota_check_locked(const struct watch_owner *o)
{
	unsigned int i, used = 0, mine = 0;

	for (i = 0; i < watch_max; i++) {
		const struct watch_slot *s = &slots[i];

		if (s->state == SLOT_FREE)
			continue;
		used++;
		if (!s->admin && uid_eq(s->owner, o->euid))
			mine++;
	}
	if (o->admin)
		return used < watch_max ? 0 : -ENOSPC;
	if (mine >= READ_ONCE(watch_user_max))
		return -EDQUOT;
	if (used + min(READ_ONCE(watch_admin_reserve), watch_max - 1) >= watch_max)
		return -ENOSPC;
	return 0;
}

/*
 * Take a free slot and publish a watch for @tgid; any context. Returns the
 * slot, or ERR_PTR(-EEXIST / -ENOSPC / -EDQUOT). @pid's reference passes
 * to the watch.
 */
static struct watch_slot *watch_insert(struct pid *pid, pid_t tgid, u32 flags,
				       const struct watch_owner *o,
				       bool starting)
{
	struct watch_slot *s = NULL;
	unsigned long irqflags;
	unsigned int i;
	int ret;

	spin_lock_irqsave(&watch_lock, irqflags);
	if (find_locked(tgid)) {
		spin_unlock_irqrestore(&watch_lock, irqflags);
		return ERR_PTR(-EEXIST);
	}
	ret = quota_check_locked(o);
	if (ret) {
		spin_unlock_irqrestore(&watch_lock, irqflags);
		return ERR_PTR(ret);
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
	s->owner = o->euid;
	s->portid = o->admin ? 0 : o->portid;
	s->admin = o->admin;
	s->starting = starting;
	s->child = false;
	s->exit_ns = 0;
	procscope_fault_stats_reset(&s->fs);
	s->w.pid = pid;
	s->w.tgid = tgid;
	s->w.flags = flags;
	s->w.since_ns = ktime_get_ns();
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
 * it stay safe. A slot WATCH_ADD is still setting up (its socket side
 * scans the fd table, and may sleep) is only marked: releasing it then
 * would free what the scan is filling; WATCH_ADD releases it when done.
 */
static void watch_remove_locked(struct watch_slot *s)
{
	if (s->state == SLOT_ACTIVE)
		watch_unhash_locked(s);
	WRITE_ONCE(s->state, SLOT_DYING);
	if (s->starting)
		return;
	llist_add(&s->dying, &dying_list);
	schedule_work(&release_work);
}

/*
 * WATCH_ADD is done with @s: release it now if it was removed meanwhile
 * (the process exited, or a WATCH_DEL), or if @failed. True if it is gone.
 */
static bool watch_start_done(struct watch_slot *s, bool failed)
{
	bool gone;

	spin_lock_irq(&watch_lock);
	if (failed)
		watch_remove_locked(s);	/* only marks it: still starting */
	s->starting = false;
	gone = s->state == SLOT_DYING;
	if (gone) {
		llist_add(&s->dying, &dying_list);
		schedule_work(&release_work);
	}
	spin_unlock_irq(&watch_lock);
	return gone;
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
			sock_ops->stop(&s->w);
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
	struct watch_owner o = {};
	struct watch_slot *s;
	u32 flags = 0;

	if (!procscope_watch_any() || child->pid != child->tgid)
		return;		/* nothing watched, or a new thread */
	rcu_read_lock();
	w = procscope_watch_find(parent->tgid);
	if (w) {
		const struct watch_slot *ps = container_of(w, struct watch_slot, w);

		flags = READ_ONCE(w->flags);
		/* The child is the parent's owner's: same quota, same socket. */
		o.euid = ps->owner;
		o.portid = ps->portid;
		o.admin = ps->admin;
	}
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
	s = watch_insert(get_pid(task_tgid(child)), child->tgid, flags, &o,
			 false);
	if (IS_ERR(s))
		put_pid(task_tgid(child));	/* table or quota full: not followed */
	else
		s->child = true;
}

/*
 * sched_process_exec (fs/exec.c exec_binprm): after the new program's
 * credentials are committed and its dumpability set, in the task itself.
 * A non-admin's watch of a process that became setuid (or otherwise
 * undumpable) ends here: its counters and latencies would describe a
 * program its owner may not look at.
 */
static void probe_exec(void *data, struct task_struct *p, pid_t old_pid,
		       struct linux_binprm *bprm)
{
	struct watch_slot *s;
	unsigned long irqflags;

	if (!procscope_watch_any())
		return;
	if (!bprm->secureexec && p->mm &&
	    get_dumpable(p->mm) == SUID_DUMP_USER)
		return;
	spin_lock_irqsave(&watch_lock, irqflags);
	s = find_locked(p->tgid);
	if (s && !s->admin)
		watch_remove_locked(s);
	spin_unlock_irqrestore(&watch_lock, irqflags);
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
	     sock_ops->fill(skb, &s->w))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static void set_insert_error(struct netlink_ext_ack *extack, int err)
{
	switch (err) {
	case -EEXIST:
		NL_SET_ERR_MSG(extack,
			       "this process is already watched (WATCH_DEL it first; another user's watch only CAP_SYS_ADMIN may delete)");
		break;
	case -EDQUOT:
		NL_SET_ERR_MSG(extack,
			       "you hold as many watches as one user may (module parameter watch_user_max); CAP_SYS_ADMIN is not limited");
		break;
	default:
		NL_SET_ERR_MSG(extack,
			       "watch table full (raise the module parameter watch_max)");
	}
}

static int watch_add(struct sk_buff *skb, struct genl_info *info)
{
	struct procscope_target t;
	struct procscope_req req;
	struct watch_owner o;
	struct watch_slot *s;
	struct sk_buff *msg;
	struct pid *pid;
	pid_t tgid;
	void *hdr;
	u32 flags = PROCSCOPE_WATCH_F_FAULTS;
	int ret;

	if (PROCSCOPE_GENL_REQ_ATTR_CHECK(info, PROCSCOPE_A_PID))
		return -EINVAL;
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
	ret = procscope_req_get(&req, skb);
	if (ret)
		return ret;
	o.euid = req.sender->euid;
	o.portid = info->snd_portid;
	o.admin = req.admin;
	ret = procscope_target_from_attrs(&req, info->attrs, &t, info->extack);
	procscope_req_put(&req);
	if (ret)
		return ret;
	tgid = task_tgid_nr(t.task);
	pid = get_task_pid(t.task, PIDTYPE_TGID);

	/* Before the watch exists: once it does, nothing may fail. */
	msg = procscope_reply_new(info, PROCSCOPE_CMD_WATCH_ADD, &hdr);
	if (IS_ERR(msg)) {
		ret = PTR_ERR(msg);
		goto err_pid;
	}
	s = watch_insert(pid, tgid, flags, &o, true);
	if (IS_ERR(s)) {
		ret = PTR_ERR(s);
		set_insert_error(info->extack, ret);
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
		ret = sock_ops->start(&s->w);
		if (ret) {
			NL_SET_ERR_MSG(info->extack,
				       "could not start watching sockets");
			goto err_remove;
		}
	}
	if (watch_start_done(s, false)) {
		NL_SET_ERR_MSG(info->extack, "the process exited meanwhile");
		ret = -ESRCH;
		goto err_msg_only;
	}

	ret = procscope_reply_send(msg, hdr, info, fill_watch(msg, s, t.pid));
	procscope_target_put(&t);
	/* The watch exists: with no room for its counters, a bare ACK. */
	return ret == -EMSGSIZE ? 0 : ret;

err_remove:
	/* Its pid reference goes with the slot. */
	watch_start_done(s, true);
err_msg_only:
	nlmsg_free(msg);
	procscope_target_put(&t);
	return ret;
err_msg:
	nlmsg_free(msg);
err_pid:
	put_pid(pid);
	procscope_target_put(&t);
	return ret;
}

int procscope_watch_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	mutex_lock(&watch_cmd_mutex);
	ret = watch_add(skb, info);
	mutex_unlock(&watch_cmd_mutex);
	/*
	 * Slots of a closed socket or a deleted watch stay taken for a grace
	 * period (release_work). A user who closed a socket full of watches
	 * and opens another must get its quota back, not a transient EDQUOT:
	 * wait for pending releases (flush_work() is true only if it did) and
	 * try once more. Outside watch_cmd_mutex, so only this caller waits.
	 */
	if ((ret == -EDQUOT || ret == -ENOSPC) && flush_work(&release_work)) {
		info->extack->_msg = NULL;	/* the retry's verdict stands */
		mutex_lock(&watch_cmd_mutex);
		ret = watch_add(skb, info);
		mutex_unlock(&watch_cmd_mutex);
	}
	return ret;
}

/*
 * May the requester see this watch's counters? An active one: if it could
 * ptrace-read the process. An exited one: if it made it (same euid, not an
 * administrator's). No lock held: the LSM's capable hook may run.
 * noaudit: this probes every slot, it is not an access the user asked for.
 */
static bool may_see(const struct procscope_req *r, struct watch_slot *s,
		    struct pid *pid, bool exited)
{
	struct task_struct *task;
	bool ok;

	if (r->admin)
		return true;
	if (exited)
		return !s->admin && uid_eq(s->owner, r->sender->euid);
	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task)
		return false;
	ok = !procscope_req_may_read(r, task, true);
	put_task_struct(task);
	return ok;
}

/* Under watch_lock: the active or exited watch of pid number @vpid. */
static struct watch_slot *find_vpid_locked(const struct procscope_req *r,
					   pid_t vpid)
{
	unsigned int i;

	for (i = 0; i < watch_max; i++) {
		struct watch_slot *s = &slots[i];

		if ((s->state == SLOT_ACTIVE || s->state == SLOT_EXITED) &&
		    pid_nr_ns(s->w.pid, r->pidns) == vpid)
			return s;
	}
	return NULL;
}

/*
 * An administrator may end any watch; anyone else only the watches they
 * made themselves (not one an administrator set up on their process).
 */
static int watch_del(struct sk_buff *skb, struct genl_info *info)
{
	struct procscope_req req;
	struct watch_slot *s;
	bool mine = false;
	pid_t vpid;
	int ret;

	if (PROCSCOPE_GENL_REQ_ATTR_CHECK(info, PROCSCOPE_A_PID))
		return -EINVAL;
	vpid = nla_get_u32(info->attrs[PROCSCOPE_A_PID]);
	ret = procscope_req_get(&req, skb);
	if (ret)
		return ret;
	spin_lock_irq(&watch_lock);
	s = find_vpid_locked(&req, vpid);
	if (s) {
		mine = req.admin ||
		       (!s->admin && uid_eq(s->owner, req.sender->euid));
		if (mine)
			watch_remove_locked(s);
	}
	spin_unlock_irq(&watch_lock);
	procscope_req_put(&req);
	if (!s) {
		NL_SET_ERR_MSG(info->extack, "this process is not watched");
		return -ENOENT;
	}
	if (!mine) {
		NL_SET_ERR_MSG(info->extack,
			       "not permitted: this watch is not yours (only CAP_SYS_ADMIN may end another user's or an administrator's watch)");
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

int procscope_watch_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	mutex_lock(&watch_cmd_mutex);
	ret = watch_del(skb, info);
	mutex_unlock(&watch_cmd_mutex);
	return ret;
}

/*
 * Dump state: the requester (taken in .start: see target.h), the next slot
 * and the pid number filter (0: all).
 */
struct watch_dump {
	struct procscope_req req;
	unsigned int next;
	pid_t filter;
};

int procscope_watch_get_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = procscope_dump_attrs(cb);
	struct watch_dump *d;
	int ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	ret = procscope_req_get(&d->req, cb->skb);
	if (ret) {
		kfree(d);
		return ret;
	}
	if (attrs[PROCSCOPE_A_PID])
		d->filter = nla_get_u32(attrs[PROCSCOPE_A_PID]);
	cb->args[0] = (long)d;
	return 0;
}

int procscope_watch_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct watch_dump *d = (struct watch_dump *)cb->args[0];
	unsigned int i;

	for (i = d->next; i < watch_max; i++) {
		struct watch_slot *s = &slots[i];
		enum slot_state st;
		struct pid *pid;
		pid_t vpid;
		void *hdr;
		u32 gen;
		bool ok;

		/* A stable view of the slot; its pid outlives the lock. */
		spin_lock_irq(&watch_lock);
		st = s->state;
		pid = get_pid(s->w.pid);
		gen = s->w.gen;
		spin_unlock_irq(&watch_lock);
		if ((st != SLOT_ACTIVE && st != SLOT_EXITED) || !pid) {
			put_pid(pid);
			continue;
		}
		vpid = pid_nr_ns(pid, d->req.pidns);
		ok = vpid && (!d->filter || vpid == d->filter) &&
		     may_see(&d->req, s, pid, st == SLOT_EXITED);
		put_pid(pid);
		if (!ok)
			continue;
		rcu_read_lock();
		/* Released and reused meanwhile: not the watch we checked. */
		if (READ_ONCE(s->w.gen) != gen) {
			rcu_read_unlock();
			continue;
		}
		hdr = procscope_genl_put_dump(skb, cb, PROCSCOPE_CMD_WATCH_GET);
		if (hdr && fill_watch(skb, s, vpid)) {
			genlmsg_cancel(skb, hdr);
			hdr = NULL;
		}
		rcu_read_unlock();
		if (!hdr)
			break;
		genlmsg_end(skb, hdr);
	}
	d->next = i;
	/* One watch that fits no message is an error, not the end. */
	if (i < watch_max && !skb->len)
		return -EMSGSIZE;
	return skb->len;
}

int procscope_watch_get_done(struct netlink_callback *cb)
{
	struct watch_dump *d = (struct watch_dump *)cb->args[0];

	if (d) {
		procscope_req_put(&d->req);
		kfree(d);
	}
	return 0;
}

/*
 * A non-admin's watches end with the netlink socket that made them:
 * NETLINK_URELEASE comes from netlink_release(), in process context, for
 * every netlink socket that had a port id. Followed children carry their
 * parent's port id and go too.
 */
static int watch_sock_release(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	const struct netlink_notify *n = ptr;
	unsigned int i;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid || !net_eq(n->net, &init_net))
		return NOTIFY_DONE;
	spin_lock_irq(&watch_lock);
	for (i = 0; i < watch_max; i++) {
		struct watch_slot *s = &slots[i];

		if ((s->state == SLOT_ACTIVE || s->state == SLOT_EXITED) &&
		    !s->admin && s->portid == n->portid)
			watch_remove_locked(s);
	}
	spin_unlock_irq(&watch_lock);
	return NOTIFY_DONE;
}

static struct notifier_block watch_sock_nb = {
	.notifier_call = watch_sock_release,
};

int __init procscope_watch_init(const struct procscope_watch_sock_ops *sops)
{
	int ret;

	sock_ops = sops;

	if (watch_max < 1 || watch_max > 4096) {
		pr_err("watch_max must be between 1 and 4096\n");
		return -EINVAL;
	}
	slots = kvcalloc(watch_max, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;
	tp_fork = procscope_tracepoint_find("sched_process_fork");
	tp_exit = procscope_tracepoint_find("sched_process_exit");
	tp_exec = procscope_tracepoint_find("sched_process_exec");
	if (!tp_fork || !tp_exit || !tp_exec) {
		pr_err("sched_process_fork/exit/exec tracepoints not found\n");
		ret = -ENOENT;
		goto err_free;
	}
	ret = tracepoint_probe_register(tp_exit, probe_exit, NULL);
	if (ret)
		goto err_free;
	ret = tracepoint_probe_register(tp_fork, probe_fork, NULL);
	if (ret)
		goto err_exit;
	ret = tracepoint_probe_register(tp_exec, probe_exec, NULL);
	if (ret)
		goto err_fork;
	ret = netlink_register_notifier(&watch_sock_nb);
	if (ret)
		goto err_exec;
	return 0;

err_exec:
	tracepoint_probe_unregister(tp_exec, probe_exec, NULL);
err_fork:
	tracepoint_probe_unregister(tp_fork, probe_fork, NULL);
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

	netlink_unregister_notifier(&watch_sock_nb);
	tracepoint_probe_unregister(tp_exec, probe_exec, NULL);
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
