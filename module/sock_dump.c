// SPDX-License-Identifier: GPL-2.0
/*
 * SOCK_DUMP: every socket a process holds, one message per socket, with
 * what the kernel keeps for it - for TCP listeners the SYN queue, the
 * accept queue, drops and the SO_REUSEPORT group; for every socket its
 * buffers and what is queued in them.
 *
 * The dump walks the process's fd table one fd at a time, the way
 * fs/proc/fd.c does (procscope_next_file(): the next file, pinned), keeps
 * the file only while its message is built, and records the next fd
 * number in the dump context. Nothing is held across dumpit calls but the
 * task reference: fds closed or opened meanwhile are simply seen or not.
 */

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/inet_connection_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/sock_reuseport.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "compat.h"
#include "genl.h"
#include "sock_dump.h"
#include "sock_watch.h"
#include "target.h"

/* Reuseport members whose owners are looked for, and how hard. */
#define RP_MAX_MEMBERS	64
#define RP_SCAN_BUDGET	65536

/*
 * The target is resolved and checked in .start, against the requester;
 * the requester is kept for the reuseport owners' check, which later
 * dumpit calls make (see target.h: they may run in another process).
 */
struct sock_dump_ctx {
	struct procscope_req req;
	struct procscope_target t;	/* .task only */
	struct procscope_refusal refused;
	unsigned int next_fd;
};

int procscope_sock_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = procscope_dump_attrs(cb);
	struct netlink_ext_ack ea = {};
	struct sock_dump_ctx *ctx;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ret = procscope_req_get(&ctx->req, cb->skb);
	if (ret) {
		kfree(ctx);
		return ret;
	}
	ret = procscope_target_from_attrs(&ctx->req, attrs, &ctx->t, &ea);
	if (ret) {
		procscope_refusal_set(&ctx->refused, ret, &ea);
	} else {
		/* The fd table is all we read: the address space need not stay pinned. */
		mmput(ctx->t.mm);
		ctx->t.mm = NULL;
	}
	cb->args[0] = (long)ctx;
	return 0;
}

int procscope_sock_dump_done(struct netlink_callback *cb)
{
	struct sock_dump_ctx *ctx = (struct sock_dump_ctx *)cb->args[0];

	if (ctx) {
		procscope_target_put(&ctx->t);
		procscope_req_put(&ctx->req);
		kfree(ctx);
	}
	return 0;
}

static bool is_inet(const struct sock *sk)
{
	return sk->sk_family == AF_INET || sk->sk_family == AF_INET6;
}

/*
 * Protocol-specific fields are read only from sockets whose object really
 * is that protocol's. sk_protocol alone says nothing about the object:
 * socket(AF_INET, SOCK_RAW, IPPROTO_UDP) is a raw_sock with sk_protocol
 * IPPROTO_UDP, and udp_sk() on it reads past its end (CAP_NET_RAW in any
 * user namespace opens one). inet_create()/inet6_create() pick the proto
 * by (type, protocol), and only SOCK_STREAM/IPPROTO_TCP gets TCP and only
 * SOCK_DGRAM/IPPROTO_UDP(LITE) gets UDP; the proto name is compared too
 * because sk_prot itself is not a usable key: udpv6_prot is not exported
 * and sockmap/TLS swap sk_prot for copies that keep the name and size.
 * The object-size check makes the cast safe whatever the name says.
 */
static bool sk_prot_is(const struct sock *sk, const char *const *names,
		       unsigned int n, size_t min_size)
{
	const struct proto *prot = READ_ONCE(sk->sk_prot);
	unsigned int i;

	if (!prot || prot->obj_size < min_size)
		return false;
	for (i = 0; i < n; i++)
		if (!strcmp(prot->name, names[i]))
			return true;
	return false;
}

static bool is_tcp(const struct sock *sk)
{
	static const char *const names[] = { "TCP", "TCPv6" };

	return sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP &&
	       sk_prot_is(sk, names, ARRAY_SIZE(names),
			  sizeof(struct tcp_sock));
}

static bool is_udp(const struct sock *sk)
{
	static const char *const names[] = {
		"UDP", "UDPv6", "UDP-Lite", "UDPLITEv6"
	};

	return sk->sk_type == SOCK_DGRAM &&
	       (sk->sk_protocol == IPPROTO_UDP ||
		sk->sk_protocol == IPPROTO_UDPLITE) &&
	       sk_prot_is(sk, names, ARRAY_SIZE(names),
			  sizeof(struct udp_sock));
}

static int put_addrs(struct sk_buff *skb, const struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6)
		return nla_put(skb, PROCSCOPE_SOCK_LOCAL_ADDR, 16,
			       &sk->sk_v6_rcv_saddr) ||
		       nla_put(skb, PROCSCOPE_SOCK_REMOTE_ADDR, 16,
			       &sk->sk_v6_daddr) ||
		       nla_put_u16(skb, PROCSCOPE_SOCK_LOCAL_PORT,
				   ntohs(inet->inet_sport)) ||
		       nla_put_u16(skb, PROCSCOPE_SOCK_REMOTE_PORT,
				   ntohs(inet->inet_dport));
#endif
	return nla_put_in_addr(skb, PROCSCOPE_SOCK_LOCAL_ADDR,
			       inet->inet_rcv_saddr) ||
	       nla_put_in_addr(skb, PROCSCOPE_SOCK_REMOTE_ADDR,
			       inet->inet_daddr) ||
	       nla_put_u16(skb, PROCSCOPE_SOCK_LOCAL_PORT,
			   ntohs(inet->inet_sport)) ||
	       nla_put_u16(skb, PROCSCOPE_SOCK_REMOTE_PORT,
			   ntohs(inet->inet_dport));
}

/*
 * SYN cookies sent recently: tcp_synq_no_recent_overflow() with the
 * never-overflowed case (stamp 0) excluded, which that helper would
 * misread as "recent" around jiffies wrap-around after boot.
 */
static bool syncookies_recent(const struct sock *sk)
{
	const struct sock_reuseport *reuse;
	unsigned long stamp;

	bool recent;

	rcu_read_lock();
	reuse = rcu_dereference(sk->sk_reuseport_cb);
	if (sk->sk_reuseport && reuse)
		stamp = READ_ONCE(reuse->synq_overflow_ts);
	else
		stamp = READ_ONCE(tcp_sk(sk)->rx_opt.ts_recent_stamp);
	recent = stamp && !tcp_synq_no_recent_overflow(sk);
	rcu_read_unlock();
	return recent;
}

/*
 * Owners of reuseport members. A member held by a watched process is not
 * special-cased: the kernel keeps no socket-to-process map, so this walks
 * processes' fd tables under RCU (comparing socket pointers only, never
 * dereferencing a foreign socket). The walk runs with a process's
 * task_lock held, so its cost is bounded in work, not in files found: one
 * unit per bitmap word of the fd table covered plus one per open fd, at
 * most RP_SCAN_BUDGET in all (a sparse table with a huge fd costs its
 * bitmap, not its slot count). An owner not found, or one the requester
 * may not read, stays 0. The access check is the non-auditing one: this
 * probes every process on the machine, and a denial here is not an
 * attempt by anyone to read that process.
 */
static bool owner_fds_scan(struct task_struct *p, struct sock **socks,
			   unsigned int n, unsigned long *seen,
			   unsigned long *hit, unsigned int *budget)
{
	struct files_struct *files;
	struct fdtable *fdt;
	unsigned int fd, max, i;
	bool any = false;

	task_lock(p);
	files = p->files;
	if (!files)
		goto out;
	fdt = files_fdtable(files);
	max = fdt->max_fds;
	/* Cover only as many bitmap words as the budget pays for. */
	if (DIV_ROUND_UP(max, BITS_PER_LONG) > *budget)
		max = *budget * BITS_PER_LONG;
	*budget -= DIV_ROUND_UP(max, BITS_PER_LONG);
	for (fd = find_next_bit(fdt->open_fds, max, 0);
	     fd < max && *budget;
	     fd = find_next_bit(fdt->open_fds, max, fd + 1)) {
		/*
		 * Pinned while looked at: from 6.7 a file seen under RCU
		 * alone may be reused for another process's file meanwhile.
		 * No sleep in fput(): the last put is deferred.
		 */
		struct file *f = procscope_fd_get_rcu(&fdt->fd[fd]);
		struct socket *sock;

		(*budget)--;
		sock = f ? sock_from_file(f) : NULL;
		for (i = 0; sock && i < n; i++) {
			if (test_bit(i, seen) ||
			    READ_ONCE(sock->sk) != socks[i])
				continue;
			__set_bit(i, seen);
			__set_bit(i, hit);
			any = true;
		}
		if (f)
			fput(f);
	}
out:
	task_unlock(p);
	return any;
}

static void reuseport_owners(const struct procscope_req *req,
			     struct sock **socks, unsigned int n, u32 *pids)
{
	DECLARE_BITMAP(seen, RP_MAX_MEMBERS) = { 0 };
	unsigned int budget = RP_SCAN_BUDGET, i;
	struct task_struct *p;

	rcu_read_lock();
	for_each_process(p) {
		DECLARE_BITMAP(hit, RP_MAX_MEMBERS) = { 0 };

		if (p->flags & PF_KTHREAD)
			continue;
		/* The check may take task_lock itself: outside the scan. */
		if (owner_fds_scan(p, socks, n, seen, hit, &budget) &&
		    !procscope_req_may_read(req, p, true))
			for_each_set_bit(i, hit, n)
				pids[i] = procscope_req_tgid(req, p);
		if (bitmap_full(seen, n) || !budget)
			break;
	}
	rcu_read_unlock();
}

static int put_reuseport(struct sk_buff *skb, struct sock *sk,
			 const struct procscope_req *req)
{
	struct sock *socks[RP_MAX_MEMBERS];
	struct sock_reuseport *reuse;
	u32 pids[RP_MAX_MEMBERS] = { 0 };
	unsigned int n = 0, num = 0, i;
	int idx = -1;
	u32 id = 0;
	struct nlattr *nest;

	rcu_read_lock();
	reuse = rcu_dereference(sk->sk_reuseport_cb);
	if (reuse) {
		id = reuse->reuseport_id;
		num = READ_ONCE(reuse->num_socks);
		n = min_t(unsigned int, num, RP_MAX_MEMBERS);
		for (i = 0; i < n; i++) {
			socks[i] = READ_ONCE(reuse->socks[i]);
			if (socks[i] == sk)
				idx = i;
		}
	}
	rcu_read_unlock();
	if (!reuse)
		return 0;
	reuseport_owners(req, socks, n, pids);

	if (nla_put_u32(skb, PROCSCOPE_SOCK_REUSEPORT_ID, id) ||
	    nla_put_u32(skb, PROCSCOPE_SOCK_REUSEPORT_NUM, num) ||
	    (idx >= 0 && nla_put_u32(skb, PROCSCOPE_SOCK_REUSEPORT_INDEX, idx)))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, PROCSCOPE_SOCK_REUSEPORT_PIDS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u32(skb, i + 1, pids[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_listener(struct sk_buff *skb, struct sock *sk,
			unsigned long ino, const struct procscope_req *req)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	u64 drops[__PROCSCOPE_DROP_LAST];
	struct nlattr *nest;
	u32 requested;
	int i;

	if (nla_put_u32(skb, PROCSCOPE_SOCK_BACKLOG,
			READ_ONCE(sk->sk_max_ack_backlog)) ||
	    nla_put_u32(skb, PROCSCOPE_SOCK_SOMAXCONN,
			READ_ONCE(sock_net(sk)->core.sysctl_somaxconn)) ||
	    nla_put_u32(skb, PROCSCOPE_SOCK_ACCEPT_QUEUE,
			READ_ONCE(sk->sk_ack_backlog)) ||
	    nla_put_u32(skb, PROCSCOPE_SOCK_SYN_QUEUE,
			inet_csk_reqsk_queue_len(sk)) ||
	    nla_put_u32(skb, PROCSCOPE_SOCK_SYN_QUEUE_YOUNG,
			atomic_read(&icsk->icsk_accept_queue.young)) ||
	    nla_put_u32(skb, PROCSCOPE_SOCK_LISTEN_DROPS,
			atomic_read(&sk->sk_drops)) ||
	    nla_put_u8(skb, PROCSCOPE_SOCK_SYNCOOKIES, syncookies_recent(sk)))
		return -EMSGSIZE;
	if (procscope_sock_requested_backlog(sk, ino, &requested) &&
	    nla_put_u32(skb, PROCSCOPE_SOCK_BACKLOG_REQUESTED, requested))
		return -EMSGSIZE;
	if (procscope_listener_drops(sk, drops)) {
		if (nla_put_u8(skb, PROCSCOPE_SOCK_WATCHED, 1))
			return -EMSGSIZE;
		nest = nla_nest_start(skb, PROCSCOPE_SOCK_DROPS);
		if (!nest)
			return -EMSGSIZE;
		for (i = 0; i < __PROCSCOPE_DROP_LAST; i++)
			if (nla_put_u64_64bit(skb, i + 1, drops[i], 0))
				return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return put_reuseport(skb, sk, req);
}

/* Byte counts as /proc/net/tcp's tx_queue and rx_queue compute them. */
static int put_tcp_queues(struct sk_buff *skb, const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	int unread = READ_ONCE(tp->rcv_nxt) - READ_ONCE(tp->copied_seq);

	return nla_put_u32(skb, PROCSCOPE_SOCK_UNREAD, max(unread, 0)) ||
	       nla_put_u32(skb, PROCSCOPE_SOCK_UNACKED,
			   READ_ONCE(tp->write_seq) - tp->snd_una);
}

static int fill_sock(struct sk_buff *skb, struct socket *sock, unsigned int fd,
		     const struct procscope_req *req)
{
	struct sock *sk = sock->sk;
	unsigned long ino = SOCK_INODE(sock)->i_ino;
	u8 state = READ_ONCE(sk->sk_state);

	if (nla_put_u32(skb, PROCSCOPE_SOCK_FD, fd) ||
	    nla_put_u16(skb, PROCSCOPE_SOCK_FAMILY, sk->sk_family) ||
	    nla_put_u16(skb, PROCSCOPE_SOCK_TYPE, sk->sk_type) ||
	    nla_put_u16(skb, PROCSCOPE_SOCK_PROTO, sk->sk_protocol) ||
	    nla_put_u8(skb, PROCSCOPE_SOCK_STATE, state) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_SOCK_INODE, ino,
			      PROCSCOPE_SOCK_PAD) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_SOCK_COOKIE,
			      atomic64_read(&sk->sk_cookie),
			      PROCSCOPE_SOCK_PAD) ||
	    nla_put_u32(skb, PROCSCOPE_SOCK_RCVBUF, READ_ONCE(sk->sk_rcvbuf)) ||
	    nla_put_u32(skb, PROCSCOPE_SOCK_SNDBUF, READ_ONCE(sk->sk_sndbuf)) ||
	    nla_put_u32(skb, PROCSCOPE_SOCK_RMEM, sk_rmem_alloc_get(sk)) ||
	    nla_put_u32(skb, PROCSCOPE_SOCK_WMEM, sk_wmem_alloc_get(sk)))
		return -EMSGSIZE;
	if (!is_inet(sk))
		return 0;
	if (put_addrs(skb, sk))
		return -EMSGSIZE;
	if (is_tcp(sk)) {
		if (state == TCP_LISTEN)
			return put_listener(skb, sk, ino, req);
		return put_tcp_queues(skb, sk);
	}
	/* /proc/net/udp's rx_queue: udp_rqueue_get(). */
	if (is_udp(sk) &&
	    (nla_put_u32(skb, PROCSCOPE_SOCK_UDP_DROPS,
			 atomic_read(&sk->sk_drops)) ||
	     nla_put_u32(skb, PROCSCOPE_SOCK_UNREAD, udp_rqueue_get(sk))))
		return -EMSGSIZE;
	return 0;
}

/* One message for the socket behind @f; -EMSGSIZE if it does not fit. */
static int dump_one(struct sk_buff *skb, struct netlink_callback *cb,
		    struct socket *sock, unsigned int fd)
{
	const struct sock_dump_ctx *ctx = (struct sock_dump_ctx *)cb->args[0];
	struct nlattr *nest;
	void *hdr;

	hdr = procscope_genl_put(skb, NETLINK_CB(cb->skb).portid,
				 cb->nlh->nlmsg_seq, NLM_F_MULTI,
				 PROCSCOPE_CMD_SOCK_DUMP);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, PROCSCOPE_A_SOCK);
	if (!nest || fill_sock(skb, sock, fd, &ctx->req)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

int procscope_sock_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sock_dump_ctx *ctx = (struct sock_dump_ctx *)cb->args[0];
	struct task_struct *task;
	unsigned int fd;
	int sent = 0;

	if (ctx->refused.err)
		return procscope_refusal_report(&ctx->refused, cb->extack);
	task = ctx->t.task;

	for (fd = ctx->next_fd;; fd++) {
		struct socket *sock;
		struct file *f;
		int ret = 0;

		if (fatal_signal_pending(current))
			return -EINTR;
		f = procscope_next_file(task, &fd);
		if (!f)
			break;
		if (IS_ERR(f))
			continue;
		sock = sock_from_file(f);
		if (sock && sock->sk)
			ret = dump_one(skb, cb, sock, fd);
		fput(f);
		if (ret) {
			/* Resume with this fd in a fresh message. */
			if (!sent)
				return -EMSGSIZE;	/* cannot fit even alone */
			ctx->next_fd = fd;
			return skb->len;
		}
		if (sock && sock->sk)
			sent++;
		cond_resched();
	}
	ctx->next_fd = fd;
	return skb->len;
}
