// SPDX-License-Identifier: GPL-2.0
/*
 * The socket side of a watch: the set of watched listening sockets.
 *
 * TCP runs the accept path in softirq, where `current` is whoever was
 * interrupted (ksoftirqd, swapper, another process). Events are therefore
 * attributed by socket: a watch registers the listeners its process holds
 * (scanning its fds at start, and the listen() hook adds new ones), and
 * the hooks look the listener up in this RCU hash table. Each registered
 * listener holds a socket reference so the pointer cannot be reused for
 * another socket while it is a key here.
 *
 * Any user may watch its own processes, and a process may open listeners
 * up to its fd limit (SO_REUSEPORT, or a network namespace of its own),
 * so registrations are capped per watch and in all (module parameters,
 * checked on every add; a refused listener is counted on its watch and in
 * GET_STATUS and simply not watched), charged to the memory cgroup of the
 * process in whose context they are made (the WATCH_ADD requester for the
 * start scan, the listening process for a later listen()), and the hash
 * table is sized for the global cap so the softirq lookups stay short.
 */

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/hashtable.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <net/inet_connection_sock.h>

#include "compat.h"
#include "sock_watch.h"
#include "watch.h"

static unsigned int listeners_per_watch = 128;
module_param(listeners_per_watch, uint, 0644);
MODULE_PARM_DESC(listeners_per_watch,
		 "TCP listeners one socket watch may register (default 128)");

static unsigned int listeners_max = 1024;
module_param(listeners_max, uint, 0644);
MODULE_PARM_DESC(listeners_max,
		 "TCP listeners registered by all socket watches together (default 1024)");

/* Twice the default global cap in buckets: chains stay ~1 long. */
#define LISTENER_HASH_BITS 11

static DEFINE_HASHTABLE(listeners, LISTENER_HASH_BITS);
/* Writers only; taken with BHs off as the close hook may run anywhere. */
static DEFINE_SPINLOCK(listeners_lock);
static atomic_t listeners_count = ATOMIC_INIT(0);
static atomic64_t listeners_refused = ATOMIC64_INIT(0);

void procscope_sock_listener_stats(u32 *count, u32 *max, u64 *refused)
{
	*count = atomic_read(&listeners_count);
	*max = READ_ONCE(listeners_max);
	*refused = atomic64_read(&listeners_refused);
}

bool procscope_sock_any_watched(void)
{
	return atomic_read(&listeners_count) > 0;
}

struct procscope_listener *procscope_listener_find(const struct sock *sk)
{
	struct procscope_listener *l;

	hash_for_each_possible_rcu(listeners, l, node, (unsigned long)sk)
		if (l->sk == sk)
			return l;
	return NULL;
}

static void listener_free(struct procscope_listener *l)
{
	sock_put(l->sk);
	kfree(l->stamps);
	kfree(l);
}

static void listener_free_rcu(struct rcu_head *head)
{
	listener_free(container_of(head, struct procscope_listener, rcu));
}

/* A socket inode number, without sock_i_ino()'s callback lock. */
static unsigned long sk_ino(const struct sock *sk)
{
	const struct socket *sock = READ_ONCE(sk->sk_socket);

	return sock ? SOCK_INODE((struct socket *)sock)->i_ino : 0;
}

/* Whether @sw may register one more listener (listeners_lock held, or a hint). */
static bool listener_room(const struct procscope_sock_watch *sw)
{
	return READ_ONCE(sw->nr_listeners) < READ_ONCE(listeners_per_watch) &&
	       atomic_read(&listeners_count) < READ_ONCE(listeners_max);
}

static void listener_refused(struct procscope_sock_watch *sw)
{
	atomic64_inc(&sw->refused);
	atomic64_inc(&listeners_refused);
}

/*
 * Ring size for @sk: room for a full accept queue (backlog + 1, plus the
 * children other CPUs may add past the lockless full check), so that wait
 * times are exact up to PROCSCOPE_STAMPS_MAX without giving every
 * listener the largest ring.
 */
static unsigned int stamps_for(const struct sock *sk)
{
	unsigned int want = READ_ONCE(sk->sk_max_ack_backlog) + 1 +
			    num_possible_cpus();

	if (want >= PROCSCOPE_STAMPS_MAX)
		return PROCSCOPE_STAMPS_MAX;
	return max_t(unsigned int, PROCSCOPE_STAMPS_MIN,
		     roundup_pow_of_two(want));
}

/*
 * @gfp carries __GFP_ACCOUNT from every caller: the memory is charged to
 * the process on whose behalf the listener is registered.
 */
static int listener_add(struct procscope_sock_watch *sw, struct sock *sk,
			gfp_t gfp)
{
	struct procscope_listener *l, *old;
	unsigned long flags;
	int ret = 0;

	/*
	 * Cheap early refusal, not counted for a listener that is already
	 * registered (the start scan meets those the listen() hook added);
	 * the caps are enforced under the lock below.
	 */
	if (!listener_room(sw)) {
		rcu_read_lock();
		ret = procscope_listener_find(sk) ? -EEXIST : -ENOSPC;
		rcu_read_unlock();
		if (ret == -ENOSPC)
			listener_refused(sw);
		return ret;
	}
	l = kzalloc(sizeof(*l), gfp);
	if (!l)
		return -ENOMEM;
	l->nstamps = stamps_for(sk);
	l->stamps = kcalloc(l->nstamps, sizeof(*l->stamps), gfp);
	if (!l->stamps) {
		kfree(l);
		return -ENOMEM;
	}
	l->sk = sk;
	l->ino = sk_ino(sk);
	l->sw = sw;
	spin_lock_init(&l->stamp_lock);

	spin_lock_irqsave(&sw->lock, flags);
	spin_lock(&listeners_lock);
	old = procscope_listener_find(sk);
	/*
	 * No state check: the CLOSE->LISTEN tracepoint fires before the new
	 * state is stored. A listen() that then fails goes LISTEN->CLOSE,
	 * which unregisters again.
	 */
	if (sw->stopping || old) {
		ret = old ? -EEXIST : -ESRCH;
	} else if (!listener_room(sw)) {
		listener_refused(sw);
		ret = -ENOSPC;
	} else {
		sock_hold(sk);
		hash_add_rcu(listeners, &l->node, (unsigned long)sk);
		list_add_tail_rcu(&l->wnode, &sw->listeners);
		WRITE_ONCE(sw->nr_listeners, sw->nr_listeners + 1);
		atomic_inc(&listeners_count);
		l = NULL;
	}
	spin_unlock(&listeners_lock);
	spin_unlock_irqrestore(&sw->lock, flags);
	if (l) {
		kfree(l->stamps);
		kfree(l);
	}
	return ret;
}

int procscope_listener_add_tgid(pid_t tgid, struct sock *sk, gfp_t gfp)
{
	struct procscope_sock_watch *sw = NULL;
	struct procscope_watch *w;
	int ret;

	rcu_read_lock();
	w = procscope_watch_find(tgid);
	if (w && (w->flags & PROCSCOPE_WATCH_F_SOCKETS))
		sw = READ_ONCE(w->sock_priv);
	/*
	 * sw is freed only after a grace period that follows stop(), and
	 * stop() sets ->stopping under sw->lock first, so using it inside
	 * this read section is safe and listener_add() refuses late adds.
	 */
	ret = sw ? listener_add(sw, sk, gfp) : -ENOENT;
	rcu_read_unlock();
	return ret;
}

void procscope_listener_del(struct sock *sk)
{
	struct procscope_listener *l;
	unsigned long flags;

	spin_lock_irqsave(&listeners_lock, flags);
	l = procscope_listener_find(sk);
	if (l) {
		hash_del_rcu(&l->node);
		list_del_rcu(&l->wnode);
		WRITE_ONCE(l->sw->nr_listeners, l->sw->nr_listeners - 1);
		atomic_dec(&listeners_count);
	}
	spin_unlock_irqrestore(&listeners_lock, flags);
	if (l)
		call_rcu(&l->rcu, listener_free_rcu);
}

void procscope_listener_count_drop(struct procscope_listener *l,
				   enum procscope_drop drop)
{
	atomic64_inc(&l->drops[drop]);
}

void procscope_listener_stamp(struct procscope_listener *l,
			      const struct sock *child, u64 ts)
{
	unsigned long flags;

	spin_lock_irqsave(&l->stamp_lock, flags);
	l->stamps[l->stamp_head].child = child;
	l->stamps[l->stamp_head].ts = ts;
	l->stamp_head = (l->stamp_head + 1) & (l->nstamps - 1);
	spin_unlock_irqrestore(&l->stamp_lock, flags);
}

u64 procscope_listener_take_stamp(struct procscope_listener *l,
				  const struct sock *child)
{
	unsigned long flags;
	unsigned int i, n;
	u64 ts = 0;

	spin_lock_irqsave(&l->stamp_lock, flags);
	/* Newest first: a reused child pointer must match its latest stamp. */
	for (n = 1; n <= l->nstamps; n++) {
		i = (l->stamp_head + l->nstamps - n) & (l->nstamps - 1);
		if (l->stamps[i].child == child) {
			ts = l->stamps[i].ts;
			l->stamps[i].child = NULL;
			break;
		}
	}
	spin_unlock_irqrestore(&l->stamp_lock, flags);
	return ts;
}

/*
 * listen() backlogs as requested, keyed by socket and inode so that a
 * recycled socket pointer never inherits another socket's value. Small
 * and overwritten round robin: listen() is rare.
 */
#define BACKLOG_SLOTS 256
static struct {
	const struct sock *sk;
	unsigned long ino;
	u32 requested;
} backlogs[BACKLOG_SLOTS];
static unsigned int backlog_next;
static DEFINE_SPINLOCK(backlog_lock);

void procscope_sock_note_backlog(const struct sock *sk, unsigned long ino,
				 u32 requested)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&backlog_lock, flags);
	for (i = 0; i < BACKLOG_SLOTS; i++)
		if (backlogs[i].sk == sk)
			break;
	if (i == BACKLOG_SLOTS) {
		i = backlog_next;
		backlog_next = (backlog_next + 1) % BACKLOG_SLOTS;
	}
	backlogs[i].sk = sk;
	backlogs[i].ino = ino;
	backlogs[i].requested = requested;
	spin_unlock_irqrestore(&backlog_lock, flags);
}

bool procscope_sock_requested_backlog(const struct sock *sk,
				      unsigned long ino, u32 *requested)
{
	unsigned long flags;
	bool found = false;
	unsigned int i;

	spin_lock_irqsave(&backlog_lock, flags);
	for (i = 0; i < BACKLOG_SLOTS; i++) {
		if (backlogs[i].sk == sk && backlogs[i].ino == ino) {
			*requested = backlogs[i].requested;
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&backlog_lock, flags);
	return found;
}

/*
 * Register every TCP listener @task holds. One fd at a time: the fd table
 * is read under RCU and the file pinned before anything else is done.
 */
static void scan_fds(struct task_struct *task, struct procscope_sock_watch *sw)
{
	unsigned int fd = 0;

	for (;; fd++) {
		struct socket *sock;
		struct file *f;

		f = procscope_next_file(task, &fd);
		if (!f)
			break;
		if (IS_ERR(f))
			continue;	/* closing right now */
		sock = sock_from_file(f);
		if (sock && sock->sk && sock->sk->sk_protocol == IPPROTO_TCP &&
		    sock->sk->sk_type == SOCK_STREAM &&
		    (sock->sk->sk_family == AF_INET ||
		     sock->sk->sk_family == AF_INET6) &&
		    READ_ONCE(sock->sk->sk_state) == TCP_LISTEN)
			listener_add(sw, sock->sk, GFP_KERNEL_ACCOUNT);
		fput(f);
		cond_resched();
	}
}

static int sock_watch_start(struct procscope_watch *w)
{
	struct procscope_sock_watch *sw;
	struct task_struct *task;

	sw = kzalloc(sizeof(*sw), GFP_KERNEL);
	if (!sw)
		return -ENOMEM;
	spin_lock_init(&sw->lock);
	INIT_LIST_HEAD(&sw->listeners);
	sw->tgid = w->tgid;
	sw->no_events = w->flags & PROCSCOPE_WATCH_F_NO_EVENTS;
	/* Publish before the scan so the listen() hook can add in parallel. */
	WRITE_ONCE(w->sock_priv, sw);
	task = get_pid_task(w->pid, PIDTYPE_TGID);
	if (task) {
		scan_fds(task, sw);
		put_task_struct(task);
	}
	return 0;
}

static void sock_watch_stop(struct procscope_watch *w)
{
	struct procscope_sock_watch *sw = w->sock_priv;
	struct procscope_listener *l;
	struct procscope_listener *n;
	LIST_HEAD(dead);

	if (!sw)
		return;
	spin_lock_irq(&sw->lock);
	sw->stopping = true;
	spin_unlock_irq(&sw->lock);

	/* Its own listeners only: bounded by listeners_per_watch. */
	spin_lock_irq(&listeners_lock);
	list_for_each_entry_safe(l, n, &sw->listeners, wnode) {
		hash_del_rcu(&l->node);
		list_del_rcu(&l->wnode);
		atomic_dec(&listeners_count);
		list_add(&l->dead, &dead);
	}
	sw->nr_listeners = 0;
	spin_unlock_irq(&listeners_lock);
	/*
	 * Free synchronously: stop() may be the last thing the module does
	 * before unloading, so no RCU callback of ours may still be pending.
	 */
	synchronize_rcu();
	list_for_each_entry_safe(l, n, &dead, dead)
		listener_free(l);
	WRITE_ONCE(w->sock_priv, NULL);
	kfree_rcu(sw, rcu);
}

bool procscope_listener_drops(const struct sock *sk,
			      u64 drops[__PROCSCOPE_DROP_LAST])
{
	struct procscope_listener *l;
	int i;

	rcu_read_lock();
	l = procscope_listener_find(sk);
	if (l)
		for (i = 0; i < __PROCSCOPE_DROP_LAST; i++)
			drops[i] = atomic64_read(&l->drops[i]);
	rcu_read_unlock();
	return l;
}

static int sock_watch_fill(struct sk_buff *skb,
			   const struct procscope_watch *w)
{
	struct procscope_sock_watch *sw;
	u32 nr;
	u64 refused;

	rcu_read_lock();
	sw = READ_ONCE(w->sock_priv);
	if (!sw) {
		rcu_read_unlock();
		return 0;
	}
	nr = READ_ONCE(sw->nr_listeners);
	refused = atomic64_read(&sw->refused);
	rcu_read_unlock();

	if (nla_put_u32(skb, PROCSCOPE_WATCH_LISTENERS, nr) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_WATCH_LISTENERS_REFUSED, refused,
			      PROCSCOPE_WATCH_PAD))
		return -EMSGSIZE;
	return 0;
}

const struct procscope_watch_sock_ops procscope_sock_watch_ops = {
	.start	= sock_watch_start,
	.stop	= sock_watch_stop,
	.fill	= sock_watch_fill,
};

void procscope_sock_watch_exit(void)
{
	struct procscope_listener *l;
	struct hlist_node *tmp;
	unsigned int bkt;

	spin_lock_irq(&listeners_lock);
	hash_for_each_safe(listeners, bkt, tmp, l, node) {
		hash_del_rcu(&l->node);
		list_del_rcu(&l->wnode);
		atomic_dec(&listeners_count);
		call_rcu(&l->rcu, listener_free_rcu);
	}
	spin_unlock_irq(&listeners_lock);
	/* Every listener_free_rcu() of ours has run before the module goes. */
	rcu_barrier();
}
