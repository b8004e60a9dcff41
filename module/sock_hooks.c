// SPDX-License-Identifier: GPL-2.0
/*
 * Accept-path events of watched listeners.
 *
 * 6.1 has no listen/accept tracepoints, so the SYN queue and the accept
 * queue are followed with kprobes on the functions that move a connection
 * from one to the next (verified in net/ipv4/tcp_input.c,
 * inet_connection_sock.c, tcp_ipv4.c, tcp_ipv6.c of 6.1). Every handler
 * first checks that some listener is watched, then finds the listener by
 * socket pointer: these run in softirq, where `current` is not the owner.
 *
 * Every probe is attached from load to unload. Arming the per-connection
 * ones only while a socket watch exists (they cost every SYN, handshake and
 * accept on the machine an ftrace trampoline and the kprobe dispatch even
 * when the handler returns at once) was tried: enabling or disabling an
 * ftrace kprobe live-patches the function's entry, and doing that while
 * other CPUs run through the function crashed the QEMU TCG guest the tests
 * use ("RIP: 0x0" called from tcp_check_req(); see docs/sockets.md). So
 * text is patched only at load and unload.
 *
 * Nothing here sleeps or allocates beyond GFP_ATOMIC; events go through
 * the per-CPU buffers of events.c. The handlers run with preemption off
 * (kprobes, tracepoints) and read the listener table under
 * rcu_read_lock_sched(), which synchronize_rcu() and call_rcu() wait for as
 * for rcu_read_lock(), without PREEMPT_RCU's two out-of-line calls.
 */

#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/tracepoint.h>
#include <net/inet_connection_sock.h>
#include <net/request_sock.h>
#include <net/sock_reuseport.h>
#include <net/tcp.h>

#include "compat.h"
#include "events.h"
#include "hooks.h"
#include "sock_hooks.h"
#include "sock_watch.h"

/* The event record copied through the per-CPU buffers. */
struct sock_event {
	u64 ts;
	u64 wait_ns;
	u64 listener;		/* socket inode */
	u32 type;
	u32 pid;
	u32 tid;
	u32 queue_len;
	u32 backlog;
	u32 shard;
	u32 shards;
	u16 family;
	u16 lport;
	u16 rport;
	u8 has_wait;
	u8 has_tid;
	u8 laddr[16];
	u8 raddr[16];
};

static int sev_fill(struct sk_buff *skb, const void *payload)
{
	const struct sock_event *e = payload;
	int alen = e->family == AF_INET6 ? 16 : 4;
	struct nlattr *nest;

	nest = nla_nest_start(skb, PROCSCOPE_A_SOCK_EVENT);
	if (!nest)
		return -EMSGSIZE;
	if (procscope_ev_put_u32(skb, PROCSCOPE_SEV_A_TYPE, e->type) ||
	    procscope_ev_put_u64(skb, PROCSCOPE_SEV_A_TS_NS, e->ts,
				 PROCSCOPE_SEV_A_PAD) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_SEV_A_PID, e->pid) ||
	    procscope_ev_put_u16(skb, PROCSCOPE_SEV_A_FAMILY, e->family) ||
	    nla_put(skb, PROCSCOPE_SEV_A_LOCAL_ADDR, alen, e->laddr) ||
	    procscope_ev_put_u16(skb, PROCSCOPE_SEV_A_LOCAL_PORT, e->lport) ||
	    nla_put(skb, PROCSCOPE_SEV_A_REMOTE_ADDR, alen, e->raddr) ||
	    procscope_ev_put_u16(skb, PROCSCOPE_SEV_A_REMOTE_PORT, e->rport) ||
	    procscope_ev_put_u64(skb, PROCSCOPE_SEV_A_LISTENER, e->listener,
				 PROCSCOPE_SEV_A_PAD) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_SEV_A_QUEUE_LEN, e->queue_len) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_SEV_A_BACKLOG, e->backlog) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_SEV_A_SHARD, e->shard) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_SEV_A_SHARDS, e->shards) ||
	    (e->has_wait &&
	     procscope_ev_put_u64(skb, PROCSCOPE_SEV_A_WAIT_NS, e->wait_ns,
				  PROCSCOPE_SEV_A_PAD)) ||
	    (e->has_tid && procscope_ev_put_u32(skb, PROCSCOPE_SEV_A_TID, e->tid))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static const struct procscope_event_kind sock_event_kind = {
	.cmd = PROCSCOPE_CMD_SOCK_EVENT,
	.fill = sev_fill,
};

/* This listener's place in its SO_REUSEPORT group: which shard it is. */
static void event_shard(const struct sock *sk, struct sock_event *e)
{
	const struct sock_reuseport *reuse;
	unsigned int i, n;

	e->shard = 0;
	e->shards = 1;
	/*
	 * Every caller holds rcu_read_lock_sched() (the accept kretprobe runs in
	 * process context with no rcu_read_lock() of the stack's around it), so
	 * the _sched flavour is the annotation lockdep checks; the group is
	 * freed by call_rcu(), which waits for sched sections too.
	 */
	reuse = rcu_dereference_sched(sk->sk_reuseport_cb);
	if (!reuse)
		return;
	n = READ_ONCE(reuse->num_socks);
	e->shards = n;
	for (i = 0; i < n; i++) {
		if (READ_ONCE(reuse->socks[i]) == sk) {
			e->shard = i;
			break;
		}
	}
}

/* Start an event on listener @l; the caller adds the peer. */
static void event_init_at(struct sock_event *e,
			  const struct procscope_listener *l, u32 type, u64 ts)
{
	const struct sock *sk = l->sk;

	memset(e, 0, sizeof(*e));
	e->ts = ts;
	e->type = type;
	e->pid = l->sw->tgid;
	e->listener = l->ino;
	e->family = sk->sk_family;
	e->lport = sk->sk_num;
	e->queue_len = READ_ONCE(sk->sk_ack_backlog);
	e->backlog = READ_ONCE(sk->sk_max_ack_backlog);
	event_shard(sk, e);
}

/*
 * The clock is read once per event, and only for a watched listener: the
 * VM's clocksource (HPET under QEMU) makes each read an emulated MMIO.
 */
static void event_init(struct sock_event *e, const struct procscope_listener *l,
		       u32 type)
{
	event_init_at(e, l, type, ktime_get_ns());
}

/* Peer and local address of a connection being set up (request sock). */
static void event_req_addrs(struct sock_event *e, const struct request_sock *req)
{
	const struct inet_request_sock *ireq = inet_rsk(req);

	e->family = req->rsk_ops->family;
	e->lport = ireq->ir_num;
	e->rport = ntohs(ireq->ir_rmt_port);
#if IS_ENABLED(CONFIG_IPV6)
	if (e->family == AF_INET6) {
		memcpy(e->laddr, &ireq->ir_v6_loc_addr, 16);
		memcpy(e->raddr, &ireq->ir_v6_rmt_addr, 16);
		return;
	}
#endif
	memcpy(e->laddr, &ireq->ir_loc_addr, 4);
	memcpy(e->raddr, &ireq->ir_rmt_addr, 4);
}

/* ... of an established child socket. */
static void event_sk_addrs(struct sock_event *e, const struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

	e->family = sk->sk_family;
	e->lport = sk->sk_num;
	e->rport = ntohs(inet->inet_dport);
#if IS_ENABLED(CONFIG_IPV6)
	if (e->family == AF_INET6) {
		memcpy(e->laddr, &sk->sk_v6_rcv_saddr, 16);
		memcpy(e->raddr, &sk->sk_v6_daddr, 16);
		return;
	}
#endif
	memcpy(e->laddr, &inet->inet_rcv_saddr, 4);
	memcpy(e->raddr, &inet->inet_daddr, 4);
}

/* ... of a SYN still in its skb (no request sock exists for a drop). */
static void event_skb_addrs(struct sock_event *e, const struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);

	e->lport = ntohs(th->dest);
	e->rport = ntohs(th->source);
	if (skb->protocol == htons(ETH_P_IP)) {
		e->family = AF_INET;
		memcpy(e->laddr, &ip_hdr(skb)->daddr, 4);
		memcpy(e->raddr, &ip_hdr(skb)->saddr, 4);
	} else {
		e->family = AF_INET6;
		memcpy(e->laddr, &ipv6_hdr(skb)->daddr, 16);
		memcpy(e->raddr, &ipv6_hdr(skb)->saddr, 16);
	}
}

static void emit(const struct procscope_listener *l, const struct sock_event *e)
{
	if (!l->sw->no_events)
		procscope_event_emit(&sock_event_kind, e, sizeof(*e));
}

/* Time since the first SYN-ACK (tcp_clock_us() microseconds). */
static bool synq_wait(const struct request_sock *req, u64 now, u64 *wait)
{
	u64 sent = tcp_rsk(req)->snt_synack * NSEC_PER_USEC;

	if (!sent || sent > now)
		return false;
	*wait = now - sent;
	return true;
}

/*
 * Whether @sk is a watched listener: the first test of every return
 * probe's entry, which returns 1 (do not follow this call) when not.
 */
static bool listener_watched(const struct sock *sk)
{
	bool found;

	if (!procscope_sock_any_watched())
		return false;
	rcu_read_lock_sched();
	found = procscope_listener_find(sk);
	rcu_read_unlock_sched();
	return found;
}

/*
 * The drops of a SYN or of a handshake's last ACK, as the kernel counts
 * them. Whether the accept or SYN queue is full can change between any
 * probe's reading and the kernel's own (listeners are lockless: accept()
 * and other CPUs' handshakes move the queue meanwhile), so no probe at a
 * function's entry can tell whether the kernel will drop. What it can read
 * is the kernel's verdict: the function that drops also counts the drop,
 * once, in this CPU's share of the netns's SNMP counters (NET_INC_STATS is
 * this_cpu_inc). These functions run with BHs off (softirq, or the
 * loopback and backlog paths under local_bh_disable()), so nothing else on
 * this CPU can count a drop between the entry and the return handler: a
 * rise of this CPU's counter across the call is this call's drop.
 */
enum drop_mib { DROP_MIB_OVERFLOW, DROP_MIB_COOKIE, DROP_MIB_SYNQ, DROP_MIBS };

static const u8 drop_mib_field[DROP_MIBS] = {
	[DROP_MIB_OVERFLOW] = LINUX_MIB_LISTENOVERFLOWS,
	[DROP_MIB_COOKIE] = LINUX_MIB_TCPREQQFULLDOCOOKIES,
	[DROP_MIB_SYNQ] = LINUX_MIB_TCPREQQFULLDROP,
};

struct drop_data {
	struct sock *sk;
	struct sk_buff *skb;
	unsigned int cpu;
	unsigned long mib[DROP_MIBS];
};

static unsigned long drop_mib_read(const struct sock *sk, enum drop_mib m)
{
	return this_cpu_read(sock_net(sk)->mib.net_statistics->mibs[drop_mib_field[m]]);
}

/*
 * Entry of a drop-counting function whose arguments @sk_arg and @skb_arg
 * are the listener and the packet: 0 to follow the call to its return.
 */
static int drop_entry(struct kretprobe_instance *ri, struct pt_regs *regs,
		      unsigned int sk_arg, unsigned int skb_arg,
		      unsigned int nmibs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, sk_arg);
	struct drop_data *d = (struct drop_data *)ri->data;
	unsigned int m;

	if (!listener_watched(sk))
		return 1;
	d->sk = sk;
	d->skb = (struct sk_buff *)regs_get_kernel_argument(regs, skb_arg);
	d->cpu = raw_smp_processor_id();
	for (m = 0; m < nmibs; m++)
		d->mib[m] = drop_mib_read(sk, m);
	return 0;
}

/* Whether the call counted @m; see above for why this is exact. */
static bool drop_counted(const struct drop_data *d, enum drop_mib m)
{
	return drop_mib_read(d->sk, m) != d->mib[m];
}

static void drop_event(const struct drop_data *d, u32 type, u32 drop)
{
	struct procscope_listener *l;
	struct sock_event e;

	rcu_read_lock_sched();
	l = procscope_listener_find(d->sk);
	if (l) {
		event_init(&e, l, type);
		/* The caller frees the skb after the call returns. */
		event_skb_addrs(&e, d->skb);
		procscope_listener_count_drop(l, drop);
		emit(l, &e);
	}
	rcu_read_unlock_sched();
}

/*
 * kretprobe tcp_conn_request(rsk_ops, af_ops, sk, skb): every SYN to a
 * listener. It decides both SYN drops (net/ipv4/tcp_input.c): SYN queue
 * full (or syncookies=2) -> a cookie (TCPReqQFullDoCookies) or a drop
 * (TCPReqQFullDrop), then accept queue full -> a drop (ListenOverflows).
 */
static int conn_request_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	return drop_entry(ri, regs, 2, 3, DROP_MIBS);
}

static int conn_request_ret(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	const struct drop_data *d = (const struct drop_data *)ri->data;

	/* Fail closed: BHs off keeps a call on its CPU; if not, count nothing. */
	if (d->cpu != raw_smp_processor_id())
		return 0;
	if (drop_counted(d, DROP_MIB_COOKIE))
		drop_event(d, PROCSCOPE_SEV_COOKIE, PROCSCOPE_DROP_SYN_COOKIE);
	if (drop_counted(d, DROP_MIB_SYNQ))
		drop_event(d, PROCSCOPE_SEV_SYNQ_FULL, PROCSCOPE_DROP_SYNQ_FULL);
	if (drop_counted(d, DROP_MIB_OVERFLOW))
		drop_event(d, PROCSCOPE_SEV_OVERFLOW,
			   PROCSCOPE_DROP_SYN_ACCEPTQ_FULL);
	return 0;
}

/*
 * kprobe inet_csk_reqsk_queue_hash_add(sk, req, timeout): the request
 * sock enters the SYN queue (not called for cookies, which keep none).
 */
static int hash_add_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	struct request_sock *req =
		(struct request_sock *)regs_get_kernel_argument(regs, 1);
	struct procscope_listener *l;
	struct sock_event e;

	if (!procscope_sock_any_watched())
		return 0;
	rcu_read_lock_sched();
	l = procscope_listener_find(sk);
	if (l) {
		event_init(&e, l, PROCSCOPE_SEV_SYN);
		event_req_addrs(&e, req);
		/* The SYN queue length including this one. */
		e.queue_len = inet_csk_reqsk_queue_len(sk) + 1;
		emit(l, &e);
	}
	rcu_read_unlock_sched();
	return 0;
}

/*
 * kretprobe tcp_v4_syn_recv_sock / tcp_v6_syn_recv_sock(sk, skb, ...): the
 * third ACK (or a valid cookie) arrived; an accept queue found full drops
 * it (ListenOverflows), the other NULL returns are failures to allocate or
 * route. The v6 one hands v4-mapped packets to the v4 one: counted there.
 */
static int syn_recv_v4_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	return drop_entry(ri, regs, 0, 1, DROP_MIB_OVERFLOW + 1);
}

static int syn_recv_v6_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 1);

	if (!procscope_sock_any_watched() || skb->protocol == htons(ETH_P_IP))
		return 1;
	return syn_recv_v4_entry(ri, regs);
}

static int syn_recv_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const struct drop_data *d = (const struct drop_data *)ri->data;

	if (d->cpu == raw_smp_processor_id() &&
	    drop_counted(d, DROP_MIB_OVERFLOW))
		drop_event(d, PROCSCOPE_SEV_OVERFLOW,
			   PROCSCOPE_DROP_ACK_OVERFLOW);
	return 0;
}

/*
 * Handshake done: child into the accept queue of @sk. @pre->ts is when
 * that started (the hashdance entry, microseconds earlier).
 */
static void handshake(struct sock *sk, struct sock *child,
		      const struct sock_event *pre)
{
	struct procscope_listener *l;
	struct sock_event e;

	rcu_read_lock_sched();
	l = procscope_listener_find(sk);
	if (l) {
		event_init_at(&e, l, PROCSCOPE_SEV_HANDSHAKE, pre->ts);
		e.has_wait = pre->has_wait;
		e.wait_ns = pre->wait_ns;
		event_sk_addrs(&e, child);
		procscope_listener_stamp(l, child, e.ts);
		emit(l, &e);
	}
	rcu_read_unlock_sched();
}

/*
 * kretprobe inet_csk_complete_hashdance(sk, child, req, own_req): moves
 * the child into the accept queue (the queue add is inlined here); it
 * returns the child on success. The request sock may be freed by then, so
 * its SYN-ACK time is read on entry.
 */
struct hashdance_data {
	struct sock *sk;
	struct sock *child;
	struct sock_event pre;
};

static int hashdance_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct hashdance_data *d = (struct hashdance_data *)ri->data;
	struct request_sock *req;

	d->sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	d->child = (struct sock *)regs_get_kernel_argument(regs, 1);
	req = (struct request_sock *)regs_get_kernel_argument(regs, 2);
	if (!listener_watched(d->sk) || !regs_get_kernel_argument(regs, 3))
		return 1;	/* not ours, or not own_req: nothing is queued */
	d->pre.ts = ktime_get_ns();
	d->pre.has_wait = synq_wait(req, d->pre.ts, &d->pre.wait_ns);
	return 0;
}

static int hashdance_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct hashdance_data *d = (struct hashdance_data *)ri->data;

	if ((struct sock *)regs_return_value(regs) == d->child && d->child)
		handshake(d->sk, d->child, &d->pre);
	return 0;
}

/*
 * kprobe inet_csk_reqsk_queue_add(sk, req, child): out of line only on
 * the SYN-cookie path (tcp_get_cookie_sock); elsewhere it is inlined into
 * complete_hashdance. A cookie connection never waited in the SYN queue.
 */
static int queue_add_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	struct sock *child = (struct sock *)regs_get_kernel_argument(regs, 2);
	struct sock_event pre = { .has_wait = 0 };

	if (!procscope_sock_any_watched() || !child)
		return 0;
	pre.ts = ktime_get_ns();
	handshake(sk, child, &pre);
	return 0;
}

/* kretprobe inet_csk_accept(sk, ...): returns the child it dequeued. */
static int accept_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);

	if (!listener_watched(sk))
		return 1;
	*(struct sock **)ri->data = sk;
	return 0;
}

static int accept_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sock *child = (struct sock *)regs_return_value(regs);
	struct sock *sk = *(struct sock **)ri->data;
	struct procscope_listener *l;
	struct sock_event e;
	u64 stamp;

	if (!child)
		return 0;
	rcu_read_lock_sched();
	l = procscope_listener_find(sk);
	if (l) {
		event_init(&e, l, PROCSCOPE_SEV_ACCEPT);
		event_sk_addrs(&e, child);
		stamp = procscope_listener_take_stamp(l, child);
		if (stamp && stamp <= e.ts) {
			e.has_wait = 1;
			e.wait_ns = e.ts - stamp;
		}
		e.has_tid = 1;
		e.tid = task_pid_nr(current);	/* accept() runs in the caller */
		emit(l, &e);
	}
	rcu_read_unlock_sched();
	return 0;
}

/*
 * kprobe __sys_listen(fd, backlog): the backlog as the process asked for
 * it; the function clamps it to net.core.somaxconn right after. Process
 * context of the caller, so the fd is looked up in current's table.
 */
static int sys_listen_pre(struct kprobe *p, struct pt_regs *regs)
{
	unsigned int fd = regs_get_kernel_argument(regs, 0);
	int backlog = regs_get_kernel_argument(regs, 1);
	struct socket *sock;
	struct file *f;

	/*
	 * Exactly this fd, as __sys_listen() itself looks it up: a forward
	 * scan to the next open fd (task_lookup_next_fd_rcu()) would walk up
	 * to max_fds empty slots with preemption off for a bad fd.
	 */
	f = fget(fd);
	if (!f)
		return 0;
	sock = sock_from_file(f);
	if (sock && sock->sk && sock->sk->sk_protocol == IPPROTO_TCP)
		procscope_sock_note_backlog(sock->sk, SOCK_INODE(sock)->i_ino,
					    backlog < 0 ? 0 : backlog);
	fput(f);
	return 0;
}

/*
 * Tracepoint sock:inet_sock_set_state: CLOSE->LISTEN runs in listen() of
 * the owner (so current is right), which registers new listeners of a
 * watched process; LISTEN->CLOSE unregisters them on close/shutdown. A
 * listener leaves LISTEN only for CLOSE (tcp_close_state(),
 * tcp_disconnect()); LISTEN->SYN_RECV is every new child, cloned from its
 * listener by inet_csk_clone_lock(), and is not looked up.
 */
static void set_state_probe(void *data, const struct sock *sk, const int old,
			    const int new)
{
	if (new == TCP_LISTEN && sk->sk_protocol == IPPROTO_TCP &&
	    sk->sk_type == SOCK_STREAM)
		procscope_listener_add_tgid(current->tgid, (struct sock *)sk,
					    GFP_ATOMIC | __GFP_ACCOUNT |
					    __GFP_NOWARN);
	else if (old == TCP_LISTEN && new == TCP_CLOSE &&
		 procscope_sock_any_watched())
		procscope_listener_del((struct sock *)sk);
}

/* Tracepoint tcp:tcp_retransmit_synack(sk, req): sk is the listener. */
static void synack_retrans_probe(void *data, const struct sock *sk,
				 const struct request_sock *req)
{
	struct procscope_listener *l;
	struct sock_event e;

	if (!procscope_sock_any_watched())
		return;
	rcu_read_lock_sched();
	l = procscope_listener_find(sk);
	if (l) {
		event_init(&e, l, PROCSCOPE_SEV_SYNACK_RETRANS);
		event_req_addrs(&e, req);
		e.has_wait = synq_wait(req, e.ts, &e.wait_ns);
		e.queue_len = inet_csk_reqsk_queue_len(sk);
		emit(l, &e);
	}
	rcu_read_unlock_sched();
}

static struct kprobe syn_kps[] = {
	{ .symbol_name = "inet_csk_reqsk_queue_hash_add",
	  .pre_handler = hash_add_pre },
};

static struct kprobe accept_kps[] = {
	{ .symbol_name = "inet_csk_reqsk_queue_add",
	  .pre_handler = queue_add_pre },
};

/*
 * Optional: without it only the requested backlog is unknown. It serves
 * unwatched processes too: `procscope sockets` shows requested backlogs.
 */
static struct kprobe listen_kp = {
	.symbol_name = "__sys_listen",
	.pre_handler = sys_listen_pre,
};

/* Softirqs on every CPU may be inside these at once; misses are counted. */
#define KRP_MAXACTIVE 64

/* The drop counters of the SYN group (see drop_entry()). */
static struct kretprobe syn_krps[] = {
	{ .kp.symbol_name = "tcp_conn_request",
	  .entry_handler = conn_request_entry, .handler = conn_request_ret,
	  .data_size = sizeof(struct drop_data), .maxactive = KRP_MAXACTIVE },
	{ .kp.symbol_name = "tcp_v4_syn_recv_sock",
	  .entry_handler = syn_recv_v4_entry, .handler = syn_recv_ret,
	  .data_size = sizeof(struct drop_data), .maxactive = KRP_MAXACTIVE },
	{ .kp.symbol_name = "tcp_v6_syn_recv_sock",
	  .entry_handler = syn_recv_v6_entry, .handler = syn_recv_ret,
	  .data_size = sizeof(struct drop_data), .maxactive = KRP_MAXACTIVE },
};

static struct kretprobe hashdance_krp = {
	.kp.symbol_name = "inet_csk_complete_hashdance",
	.entry_handler = hashdance_entry,
	.handler = hashdance_ret,
	.data_size = sizeof(struct hashdance_data),
	.maxactive = KRP_MAXACTIVE,
};

static struct kretprobe accept_krp = {
	.kp.symbol_name = "inet_csk_accept",
	.entry_handler = accept_entry,
	.handler = accept_ret,
	.data_size = sizeof(struct sock *),
	.maxactive = KRP_MAXACTIVE,
};

struct tp_hook {
	const char *name;
	void *probe;
	struct tracepoint *tp;	/* found at load */
	enum procscope_hook bit;
	bool on;		/* probe registered */
};

static struct tp_hook tps[] = {
	{ "inet_sock_set_state", set_state_probe, NULL,
	  PROCSCOPE_HOOK_SOCK_STATE },
	{ "tcp_retransmit_synack", synack_retrans_probe, NULL,
	  PROCSCOPE_HOOK_SYNACK_RETRANS },
};

static struct kprobe *syn_kp_ptrs[ARRAY_SIZE(syn_kps)];
static struct kretprobe *syn_krp_ptrs[ARRAY_SIZE(syn_krps)];
static struct kprobe *accept_kp_ptrs[ARRAY_SIZE(accept_kps)];
static bool syn_on, accept_on, hashdance_on, accept_krp_on, listen_on;

static void tps_unregister(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tps); i++) {
		if (tps[i].on)
			tracepoint_probe_unregister(tps[i].tp, tps[i].probe,
						    NULL);
		tps[i].on = false;
	}
}

static void find_tp(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tps); i++)
		if (!strcmp(tp->name, tps[i].name))
			tps[i].tp = tp;
}

/*
 * All or nothing per group: a partial set would show, say, SYNs without
 * handshakes, and the user could not tell a quiet listener from a hook
 * that is missing. GET_STATUS reports which groups are attached.
 */
static int register_group(struct kprobe *kps, struct kprobe **ptrs, int n)
{
	int i, ret;

	/* One at a time, to name the one this kernel refuses. */
	for (i = 0; i < n; i++) {
		ptrs[i] = &kps[i];
		ret = register_kprobe(&kps[i]);
		if (ret) {
			pr_warn("cannot kprobe %s: %d; the group of %s is not attached\n",
				kps[i].symbol_name, ret, kps[0].symbol_name);
			if (i)
				unregister_kprobes(ptrs, i);
			return ret;
		}
	}
	return 0;
}

static int register_krp_group(struct kretprobe *krps, struct kretprobe **ptrs,
			      int n)
{
	int i, ret;

	for (i = 0; i < n; i++) {
		ptrs[i] = &krps[i];
		ret = register_kretprobe(&krps[i]);
		if (ret) {
			pr_warn("cannot kretprobe %s: %d; the group of %s is not attached\n",
				krps[i].kp.symbol_name, ret,
				krps[0].kp.symbol_name);
			if (i)
				unregister_kretprobes(ptrs, i);
			return ret;
		}
	}
	return 0;
}

/* The SYN group: its kprobes and its return probes, all or nothing. */
static bool register_syn_group(void)
{
	if (register_group(syn_kps, syn_kp_ptrs, ARRAY_SIZE(syn_kps)))
		return false;
	if (register_krp_group(syn_krps, syn_krp_ptrs, ARRAY_SIZE(syn_krps))) {
		unregister_kprobes(syn_kp_ptrs, ARRAY_SIZE(syn_kps));
		return false;
	}
	return true;
}

/* The return probes can miss calls (too many in flight); the rest cannot. */
static unsigned long sock_hooks_missed(void)
{
	unsigned long n = READ_ONCE(accept_krp.nmissed) +
			  READ_ONCE(hashdance_krp.nmissed);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(syn_krps); i++)
		n += READ_ONCE(syn_krps[i].nmissed);
	return n;
}

int __init procscope_sock_hooks_init(void)
{
	unsigned int i;
	int ret;

	/* Missing ones are reported (GET_STATUS lists what is attached). */
	for_each_kernel_tracepoint(find_tp, NULL);
	for (i = 0; i < ARRAY_SIZE(tps); i++) {
		if (!tps[i].tp) {
			pr_warn("tracepoint %s not found, not attached\n",
				tps[i].name);
		} else {
			ret = tracepoint_probe_register(tps[i].tp, tps[i].probe,
							NULL);
			if (ret)
				pr_warn("cannot attach to tracepoint %s: %d\n",
					tps[i].name, ret);
			tps[i].on = !ret;
		}
		procscope_hook_attached(tps[i].bit, tps[i].on);
	}

	syn_on = register_syn_group();
	accept_on = !register_group(accept_kps, accept_kp_ptrs,
				    ARRAY_SIZE(accept_kps));
	ret = register_kprobe(&listen_kp);
	listen_on = !ret;
	if (ret)
		pr_info("kprobe %s: %d, requested backlogs will not be shown\n",
			listen_kp.symbol_name, ret);
	ret = register_kretprobe(&hashdance_krp);
	hashdance_on = !ret;
	if (ret)
		pr_warn("kretprobe %s: %d\n", hashdance_krp.kp.symbol_name, ret);
	ret = register_kretprobe(&accept_krp);
	accept_krp_on = !ret;
	if (ret)
		pr_warn("kretprobe %s: %d\n", accept_krp.kp.symbol_name, ret);
	procscope_hook_attached(PROCSCOPE_HOOK_TCP_SYN, syn_on);
	procscope_hook_attached(PROCSCOPE_HOOK_TCP_ACCEPT,
				accept_on && hashdance_on && accept_krp_on);
	procscope_hooks_set_missed(PROCSCOPE_HOOKS_SOCK, sock_hooks_missed);
	return 0;
}

void procscope_sock_hooks_exit(void)
{
	unsigned int i;

	procscope_hooks_set_missed(PROCSCOPE_HOOKS_SOCK, NULL);
	tps_unregister();
	for (i = 0; i < ARRAY_SIZE(tps); i++)
		procscope_hook_attached(tps[i].bit, false);
	if (accept_krp_on)
		unregister_kretprobe(&accept_krp);
	if (accept_krp.nmissed)
		pr_info("%s: %d returns missed\n", accept_krp.kp.symbol_name,
			accept_krp.nmissed);
	if (hashdance_on)
		unregister_kretprobe(&hashdance_krp);
	if (listen_on)
		unregister_kprobe(&listen_kp);
	if (accept_on)
		unregister_kprobes(accept_kp_ptrs, ARRAY_SIZE(accept_kps));
	if (syn_on) {
		unregister_kretprobes(syn_krp_ptrs, ARRAY_SIZE(syn_krps));
		unregister_kprobes(syn_kp_ptrs, ARRAY_SIZE(syn_kps));
	}
	procscope_hook_attached(PROCSCOPE_HOOK_TCP_SYN, false);
	procscope_hook_attached(PROCSCOPE_HOOK_TCP_ACCEPT, false);
	tracepoint_synchronize_unregister();
	/* No hook can run now: drop what is left and wait for its frees. */
	procscope_sock_watch_exit();
}
