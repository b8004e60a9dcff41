/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_WATCH_H
#define PROCSCOPE_WATCH_H

#include <linux/rcupdate.h>
#include <linux/types.h>
#include <net/genetlink.h>

/*
 * A watched process (thread group). Watches are created by WATCH_ADD and
 * live until WATCH_DEL, the process's exit or module unload. Hooks find
 * them under RCU (any context) with procscope_watch_find(); the fault side
 * keeps its counters here (procscope_watch_fault_stats()), the socket side
 * hangs its state off sock_priv.
 */
struct procscope_watch {
	struct pid *pid;	/* the thread group, reference held */
	pid_t tgid;		/* in the initial pid namespace */
	u32 flags;		/* enum procscope_watch_flag */
	u64 since_ns;
	void *sock_priv;	/* owned by sock_watch.c */
	struct rcu_head rcu;
	u32 gen;		/* unique per watch: tells reused slots apart */
	u32 idx;		/* slot index, for procscope_watch_slot() */
};

/*
 * The socket side of watches (sock_watch.c) sits above the table, which
 * calls it through these for watches with PROCSCOPE_WATCH_F_SOCKETS, in
 * process context: start() by WATCH_ADD once the watch is visible to
 * procscope_watch_find(), stop() before the watch is freed (after an RCU
 * grace period), fill() to add its counters to an A_WATCH nest.
 */
struct procscope_watch_sock_ops {
	int (*start)(struct procscope_watch *w);
	void (*stop)(struct procscope_watch *w);
	int (*fill)(struct sk_buff *skb, const struct procscope_watch *w);
};

int procscope_watch_init(const struct procscope_watch_sock_ops *sock_ops);
void procscope_watch_exit(void);
unsigned int procscope_watch_count(void);
unsigned int procscope_watch_max(void);

/* RCU read side, any context: the watch for @tgid (init ns), or NULL. */
struct procscope_watch *procscope_watch_find(pid_t tgid);

/*
 * Cheap test for hooks, before anything else: false when no process at all
 * is watched (one read of a counter, no RCU, no hashing).
 */
extern unsigned int procscope_nr_watches;
static inline bool procscope_watch_any(void)
{
	return READ_ONCE(procscope_nr_watches);
}

/*
 * RCU read side, any context: the watch in slot @idx if it is still the one
 * numbered @gen, active or exited-but-lingering (its counters are readable
 * for a while after the process exited). For accounting deferred events.
 */
struct procscope_watch *procscope_watch_slot(u32 idx, u32 gen);

/* The fault counters of a watch (struct procscope_fault_stats). */
struct procscope_fault_stats *procscope_watch_fault_stats(struct procscope_watch *w);

int procscope_watch_add_doit(struct sk_buff *skb, struct genl_info *info);
int procscope_watch_del_doit(struct sk_buff *skb, struct genl_info *info);
int procscope_watch_get_start(struct netlink_callback *cb);
int procscope_watch_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int procscope_watch_get_done(struct netlink_callback *cb);

#endif
