/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_TARGET_H
#define PROCSCOPE_TARGET_H

#include <net/genetlink.h>

/*
 * A process a request is about: pinned task and mm, checked the way
 * /proc/PID/pagemap checks its reader.
 */
struct procscope_target {
	struct task_struct *task;	/* reference held */
	struct mm_struct *mm;		/* mmget() reference held */
	pid_t pid;			/* as the caller named it */
	bool pfn_visible;		/* caller has CAP_SYS_ADMIN */
};

int procscope_target_get(pid_t pid, struct procscope_target *t,
			 struct netlink_ext_ack *extack);
/* Same, taking the pid from the request's PROCSCOPE_A_PID. */
int procscope_target_from_attrs(struct nlattr **attrs,
				struct procscope_target *t,
				struct netlink_ext_ack *extack);
void procscope_target_put(struct procscope_target *t);

/* ptrace-read check alone, for callers that pin the task themselves. */
int procscope_may_read(struct task_struct *task);
/* The same for probing many tasks at once: denials are not audited. */
int procscope_may_read_noaudit(struct task_struct *task);

#endif
