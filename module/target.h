/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_TARGET_H
#define PROCSCOPE_TARGET_H

#include <net/genetlink.h>

/*
 * Who made a request. Taken where the request arrives - a doit, or a
 * dump's .start, both of which run in the sender's sendmsg() - and kept
 * with the dump: a dump's later messages are built in the recvmsg() of
 * whoever reads the socket, which may be another process altogether (a
 * socket handed to a setuid program), so nothing there may consult
 * current. Like netlink_capable(), a request is only as privileged as
 * both the sender and the opener of the socket it came on.
 */
struct procscope_req {
	const struct cred *sender;	/* reference held */
	const struct cred *opener;	/* socket's f_cred, reference held */
	struct pid_namespace *pidns;	/* pid numbers are the sender's */
	struct pid *self;		/* sender's thread group */
	bool admin;			/* CAP_SYS_ADMIN, both of them */
};

int procscope_req_get(struct procscope_req *r, const struct sk_buff *skb);
void procscope_req_put(struct procscope_req *r);
/* 0 if both creds could ptrace-read @task (PTRACE_MODE_READ), else -EPERM. */
int procscope_req_may_read(const struct procscope_req *r,
			   struct task_struct *task, bool noaudit);
/* @task's tgid as the requester numbers it; 0 if not in its namespace. */
pid_t procscope_req_tgid(const struct procscope_req *r,
			 struct task_struct *task);

/*
 * A process a request is about: pinned task and mm, checked the way
 * /proc/PID/pagemap checks its reader.
 */
struct procscope_target {
	struct task_struct *task;	/* reference held */
	struct mm_struct *mm;		/* mmget() reference held */
	pid_t pid;			/* as the caller named it */
	bool pfn_visible;		/* requester has CAP_SYS_ADMIN */
};

/* The pid is the request's PROCSCOPE_A_PID (required). */
int procscope_target_from_attrs(const struct procscope_req *r,
				struct nlattr **attrs,
				struct procscope_target *t,
				struct netlink_ext_ack *extack);
void procscope_target_put(struct procscope_target *t);
/*
 * mmap_read_lock_killable() on the target's mm, refused (-ESRCH, with a
 * message) once the process exited, called exec or is being OOM-reaped.
 */
int procscope_target_lock(struct procscope_target *t,
			  struct netlink_ext_ack *extack);

/*
 * A refusal decided in a dump's .start, reported by its first dumpit: on
 * 6.1 .start has no extended ACK (cb->extack is NULL there), and the
 * message is worth keeping. The decision itself is never deferred.
 */
struct procscope_refusal {
	int err;
	const char *msg;	/* static string */
};

static inline void procscope_refusal_set(struct procscope_refusal *f, int err,
					 const struct netlink_ext_ack *ea)
{
	f->err = err;
	f->msg = ea->_msg;
}

static inline int procscope_refusal_report(const struct procscope_refusal *f,
					   struct netlink_ext_ack *extack)
{
	if (extack && f->msg)
		extack->_msg = f->msg;
	return f->err;
}

#endif
