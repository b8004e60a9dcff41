// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve a pid to a task and mm the caller may read.
 *
 * ptrace_may_access() and mm_access() are not exported on 6.1, so this is
 * their PTRACE_MODE_READ_FSCREDS logic (kernel/ptrace.c
 * __ptrace_may_access, kernel/fork.c mm_access) minus the LSM hook, which
 * is not exported either. Yama, the LSM people usually run, restricts only
 * PTRACE_MODE_ATTACH, which /proc/PID/pagemap does not use either.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "target.h"
#include "uapi/procscope.h"

/*
 * @noaudit: a probing check (is this one of the processes the caller may
 * see?) rather than an access attempt, as PTRACE_MODE_NOAUDIT: a denial
 * must not be logged by an LSM.
 */
static bool has_ptrace_cap(struct user_namespace *ns, bool noaudit)
{
	return noaudit ? ns_capable_noaudit(ns, CAP_SYS_PTRACE) :
			 ns_capable(ns, CAP_SYS_PTRACE);
}

static bool task_still_dumpable(struct task_struct *task, bool noaudit)
{
	struct mm_struct *mm = task->mm;

	if (mm) {
		if (get_dumpable(mm) == SUID_DUMP_USER)
			return true;
		return has_ptrace_cap(mm->user_ns, noaudit);
	}
	if (task->user_dumpable)
		return true;
	return has_ptrace_cap(&init_user_ns, noaudit);
}

static int may_read(struct task_struct *task, bool noaudit)
{
	const struct cred *cred = current_cred(), *tcred;
	bool ok;

	if (same_thread_group(task, current))
		return 0;
	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (uid_eq(cred->fsuid, tcred->euid) &&
	      uid_eq(cred->fsuid, tcred->suid) &&
	      uid_eq(cred->fsuid, tcred->uid) &&
	      gid_eq(cred->fsgid, tcred->egid) &&
	      gid_eq(cred->fsgid, tcred->sgid) &&
	      gid_eq(cred->fsgid, tcred->gid)) ||
	     has_ptrace_cap(tcred->user_ns, noaudit);
	rcu_read_unlock();
	if (!ok)
		return -EPERM;
	/* Read dumpability after the creds; pairs with commit_creds(). */
	smp_rmb();
	return task_still_dumpable(task, noaudit) ? 0 : -EPERM;
}

int procscope_may_read(struct task_struct *task)
{
	return may_read(task, false);
}

int procscope_may_read_noaudit(struct task_struct *task)
{
	return may_read(task, true);
}

int procscope_target_get(pid_t pid, struct procscope_target *t,
			 struct netlink_ext_ack *extack)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *p;
	int ret;

	memset(t, 0, sizeof(*t));
	p = find_get_pid(pid);
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
	if (mm && mm != current->mm && procscope_may_read(task)) {
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
	t->pfn_visible = capable(CAP_SYS_ADMIN);
	return 0;

err_task:
	put_task_struct(task);
	return ret;
}

int procscope_target_from_attrs(struct nlattr **attrs,
				struct procscope_target *t,
				struct netlink_ext_ack *extack)
{
	if (!attrs[PROCSCOPE_A_PID]) {
		NL_SET_ERR_MSG(extack, "missing PROCSCOPE_A_PID");
		return -EINVAL;
	}
	return procscope_target_get(nla_get_u32(attrs[PROCSCOPE_A_PID]), t,
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
