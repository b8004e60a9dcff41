/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SOCK_WATCH_H
#define PROCSCOPE_SOCK_WATCH_H

#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include <linux/procscope.h>

#include "watch.h"

/* Its start, stop and fill for the watch table (see watch.h). */
extern const struct procscope_watch_sock_ops procscope_sock_watch_ops;

/* The socket side of one watch: w->sock_priv. */
struct procscope_sock_watch {
	spinlock_t lock;	/* serializes listener adds against stop */
	bool stopping;
	pid_t tgid;
	bool no_events;		/* PROCSCOPE_WATCH_F_NO_EVENTS */
	/* Its registered listeners; writers hold listeners_lock. */
	struct list_head listeners;
	unsigned int nr_listeners;	/* under listeners_lock */
	atomic64_t refused;		/* listeners not watched: a cap was hit */
	struct rcu_head rcu;
};

/*
 * Children waiting in one listener's accept queue, stamped when they
 * entered it. The queue is FIFO, so a ring suffices; it is sized from the
 * listener's backlog (power of two, PROCSCOPE_STAMPS_MIN..MAX) when the
 * listener is registered. When more children wait than it holds (a larger
 * backlog set later, or more than MAX), the oldest stamps are overwritten
 * and those accepts report no wait time rather than a wrong one.
 */
#define PROCSCOPE_STAMPS_MIN 16
#define PROCSCOPE_STAMPS_MAX 256

struct procscope_stamp {
	const struct sock *child;
	u64 ts;
};

/*
 * A watched listening socket. Found by socket pointer under RCU from the
 * TCP hooks (softirq), which is how events are attributed to the owning
 * process instead of to whatever `current` happens to be.
 */
struct procscope_listener {
	struct hlist_node node;
	struct list_head wnode;		/* on sw->listeners */
	struct sock *sk;		/* sock_hold() while registered */
	unsigned long ino;		/* socket inode, the event's A_LISTENER */
	struct procscope_sock_watch *sw;
	atomic64_t drops[__PROCSCOPE_DROP_LAST];
	spinlock_t stamp_lock;		/* protects stamp_head and stamps */
	unsigned int stamp_head;
	unsigned int nstamps;		/* power of two */
	struct procscope_stamp *stamps;
	struct list_head dead;		/* stop()'s private free list */
	struct rcu_head rcu;
};

/* Watched listeners now, the global cap, and listeners refused by a cap. */
void procscope_sock_listener_stats(u32 *count, u32 *max, u64 *refused);

/* Whether any listener is registered: the hooks' fast path. */
bool procscope_sock_any_watched(void);

/* RCU read side, any context. */
struct procscope_listener *procscope_listener_find(const struct sock *sk);

/*
 * Register @sk (a TCP listener) for the watch of @tgid if that watch wants
 * socket events. Any context that may take a BH spinlock; allocates with
 * @gfp.
 */
int procscope_listener_add_tgid(pid_t tgid, struct sock *sk, gfp_t gfp);
/* Unregister @sk if it is registered (it stopped listening). */
void procscope_listener_del(struct sock *sk);

void procscope_listener_count_drop(struct procscope_listener *l,
				   enum procscope_drop drop);
void procscope_listener_stamp(struct procscope_listener *l,
			      const struct sock *child, u64 ts);
/* The stamp of @child, removed; 0 if unknown. */
u64 procscope_listener_take_stamp(struct procscope_listener *l,
				  const struct sock *child);

/* listen() backlogs as the process asked for them, before somaxconn. */
void procscope_sock_note_backlog(const struct sock *sk, unsigned long ino,
				 u32 requested);
bool procscope_sock_requested_backlog(const struct sock *sk,
				      unsigned long ino, u32 *requested);

/* Drops of a registered listener (dump): false if @sk is not watched. */
bool procscope_listener_drops(const struct sock *sk,
			      u64 drops[__PROCSCOPE_DROP_LAST]);

/*
 * Process context, after the hooks are gone: drop whatever is still
 * registered and wait for pending frees (module unload).
 */
void procscope_sock_watch_exit(void);

#endif
