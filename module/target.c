// SPDX-License-Identifier: GPL-2.0
/*
 * Who asked, and may they: the requester (sender and socket opener) and
 * the process a request is about.
 *
 * ptrace_may_access() and mm_access() are not exported, so the check is
 * their PTRACE_MODE_READ_FSCREDS logic (kernel/ptrace.c
 * __ptrace_may_access, kernel/fork.c mm_access) evaluated for the
 * requester's credentials; capabilities go through ns_capable() with
 * those credentials installed (override_creds()), so the LSM's capable
 * hook runs as the kernel's own check would. The LSM's ptrace hook
 * (security_ptrace_access_check()) is not exported: see docs/security.md.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/coredump.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <net/sock.h>

#include "genl.h"
#include "target.h"

/* ns_capable() as @cred, not as whoever current happens to be. */
static bool cred_ns_capable(const struct cred *cred, struct user_namespace *ns,
			    int cap, bool noaudit)
{
	const struct cred *old = override_creds(cred);
	bool ok = noaudit ? ns_capable_noaudit(ns, cap) : ns_capable(ns, cap);

	revert_creds(old);
	return ok;
}

int procscope_req_get(struct procscope_req *r, const struct sk_buff *skb)
{
	const struct sock *sk = NETLINK_CB(skb).sk;
	const struct file *f = sk && sk->sk_socket ? sk->sk_socket->file : NULL;

	/* A kernel socket has no opener: nothing to inherit privilege from. */
	if (!f)
		return -EPERM;
	r->sender = get_current_cred();
	r->opener = get_cred(f->f_cred);
	r->pidns = get_pid_ns(task_active_pid_ns(current));
	r->self = get_pid(task_tgid(current));
	r->admin = netlink_capable(skb, CAP_SYS_ADMIN);
	return 0;
}

void procscope_req_put(struct procscope_req *r)
{
	if (!r->sender)
		return;
	put_cred(r->sender);
	put_cred(r->opener);
	put_pid_ns(r->pidns);
	put_pid(r->self);
	r->sender = NULL;
}

pid_t procscope_req_tgid(const struct procscope_req *r,
			 struct task_struct *task)
{
	return task_tgid_nr_ns(task, r->pidns);
}

/*
 * As __ptrace_may_access()'s dumpability test. task_lock() keeps task->mm
 * from being released under us (exit_mm() clears it under that lock): the
 * caller need not have pinned the mm, only the task.
 */
static bool task_dumpable_for(const struct cred *cred,
			      struct task_struct *task, bool noaudit)
{
	struct user_namespace *ns = NULL;
	struct mm_struct *mm;
	bool ok = false;

	task_lock(task);
	mm = task->mm;
	if (mm) {
		ok = get_dumpable(mm) == SUID_DUMP_USER;
		if (!ok)
			ns = get_user_ns(mm->user_ns);
	} else {
		ok = task->user_dumpable;
		if (!ok)
			ns = get_user_ns(&init_user_ns);
	}
	task_unlock(task);
	if (ns) {
		/* Not under task_lock: the LSM's capable hook may log. */
		ok = cred_ns_capable(cred, ns, CAP_SYS_PTRACE, noaudit);
		put_user_ns(ns);
	}
	return ok;
}

static bool cred_may_read(const struct cred *cred, struct task_struct *task,
			  bool noaudit)
{
	const struct cred *tcred;
	struct user_namespace *tns;
	bool same;

	rcu_read_lock();
	tcred = __task_cred(task);
	same = uid_eq(cred->fsuid, tcred->euid) &&
	       uid_eq(cred->fsuid, tcred->suid) &&
	       uid_eq(cred->fsuid, tcred->uid) &&
	       gid_eq(cred->fsgid, tcred->egid) &&
	       gid_eq(cred->fsgid, tcred->sgid) &&
	       gid_eq(cred->fsgid, tcred->gid);
	tns = get_user_ns(tcred->user_ns);
	rcu_read_unlock();
	if (!same)
		same = cred_ns_capable(cred, tns, CAP_SYS_PTRACE, noaudit);
	put_user_ns(tns);
	if (!same)
		return false;
	/* Read dumpability after the creds; pairs with commit_creds(). */
	smp_rmb();
	return task_dumpable_for(cred, task, noaudit);
}

int procscope_req_may_read(const struct procscope_req *r,
			   struct task_struct *task, bool noaudit)
{
	/*
	 * A process may always read itself (as ptrace's same_thread_group()
	 * rule), dumpable or not - unless the socket came from someone else:
	 * a setuid program made to send a request about itself on a socket
	 * its unprivileged caller opened is still refused for that caller.
	 */
	if (task_tgid(task) == r->self) {
		if (uid_eq(r->opener->fsuid, r->sender->fsuid) &&
		    gid_eq(r->opener->fsgid, r->sender->fsgid))
			return 0;
	} else if (!cred_may_read(r->sender, task, noaudit)) {
		return -EPERM;
	}
	return cred_may_read(r->opener, task, noaudit) ? 0 : -EPERM;
}

static int target_get(const struct procscope_req *r, pid_t pid,
		      struct procscope_target *t,
		      struct netlink_ext_ack *extack)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *p;
	int ret;

	memset(t, 0, sizeof(*t));
	rcu_read_lock();
	p = get_pid(find_pid_ns(pid, r->pidns));
	rcu_read_unlock();
	task = p ? get_pid_task(p, PIDTYPE_PID) : NULL;
	put_pid(p);
	if (!task) {
		NL_SET_ERR_MSG(extack, "no such process");
		return -ESRCH;
	}
	if (task->flags & PF_KTHREAD) {
		NL_SET_ERR_MSG(extack,
			       "kernel thread: it has no user address space");
		ret = -EINVAL;
		goto err_task;
	}

	/* As mm_access(): hold off exec so the mm we check is the one we pin. */
	ret = down_read_killable(&task->signal->exec_update_lock);
	if (ret)
		goto err_task;
	mm = get_task_mm(task);
	if (mm && procscope_req_may_read(r, task, false)) {
		mmput(mm);
		up_read(&task->signal->exec_update_lock);
		NL_SET_ERR_MSG(extack,
			       "not permitted: you may only inspect processes you could ptrace-read (same user and dumpable, or CAP_SYS_PTRACE)");
		ret = -EPERM;
		goto err_task;
	}
	up_read(&task->signal->exec_update_lock);
	if (!mm) {
		NL_SET_ERR_MSG(extack, "process is exiting or has no address space");
		ret = -ESRCH;
		goto err_task;
	}

	t->task = task;
	t->mm = mm;
	t->pid = pid;
	t->pfn_visible = r->admin;
	return 0;

err_task:
	put_task_struct(task);
	return ret;
}

int procscope_target_from_attrs(const struct procscope_req *r,
				struct nlattr **attrs,
				struct procscope_target *t,
				struct netlink_ext_ack *extack)
{
	if (PROCSCOPE_REQ_ATTR_CHECK(extack, attrs, PROCSCOPE_A_PID))
		return -EINVAL;
	return target_get(r, nla_get_u32(attrs[PROCSCOPE_A_PID]), t,
				    extack);
}

void procscope_target_put(struct procscope_target *t)
{
	if (t->mm)
		mmput(t->mm);
	if (t->task)
		put_task_struct(t->task);
	t->mm = NULL;
	t->task = NULL;
}

/* The lock, plus the two ways an address space stops being walkable. */
int procscope_target_lock(struct procscope_target *t,
			  struct netlink_ext_ack *extack)
{
	int ret;

	/* exit_mm() clears task->mm; exec replaces it. */
	if (READ_ONCE(t->task->mm) != t->mm) {
		NL_SET_ERR_MSG(extack,
			       "the process exited or called exec during the request");
		return -ESRCH;
	}
	ret = mmap_read_lock_killable(t->mm);
	if (ret)
		return ret;
	/* As check_stable_address_space(): the OOM reaper is tearing it down. */
	if (test_bit(MMF_UNSTABLE, &t->mm->flags)) {
		mmap_read_unlock(t->mm);
		NL_SET_ERR_MSG(extack,
			       "the process is being killed by the OOM killer");
		return -ESRCH;
	}
	return 0;
}
