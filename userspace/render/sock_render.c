// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets and the accept path as text and JSON: a SOCK_DUMP record, the
 * live lines of `procscope accept`, and its summary.
 */
#include <inttypes.h>
#include <string.h>

#include "cmd/cli.h"
#include "render/sock_render.h"
#include "render/term.h"

static const char *const event_names[__PROCSCOPE_SEV_LAST] = {
	[PROCSCOPE_SEV_SYN] = "syn",
	[PROCSCOPE_SEV_SYNACK_RETRANS] = "synack_retrans",
	[PROCSCOPE_SEV_HANDSHAKE] = "handshake",
	[PROCSCOPE_SEV_ACCEPT] = "accept",
	[PROCSCOPE_SEV_OVERFLOW] = "overflow",
	[PROCSCOPE_SEV_SYNQ_FULL] = "synq_full",
	[PROCSCOPE_SEV_COOKIE] = "syn_cookie",
};

static const char *sock_event_name(uint32_t type)
{
	return type < __PROCSCOPE_SEV_LAST ? event_names[type] : "unknown";
}

static void sock_render_json(const struct ps_sock *s, struct json *j)
{
	char a[SOCK_ADDR_STRLEN];
	unsigned int i;
	bool inet = s->family == AF_INET || s->family == AF_INET6;

	json_obj_begin(j, NULL);
	json_u64(j, "fd", s->fd);
	json_str(j, "family", sock_family_name(s->family));
	json_str(j, "type", sock_type_name(s->type));
	json_u64(j, "proto", s->proto);
	json_str(j, "state", sock_state_name(s));
	json_u64(j, "inode", s->inode);
	if (inet && s->has_addr) {
		json_str(j, "local", sock_fmt_addr(s->family, s->laddr, s->lport,
						   a, sizeof(a)));
		json_str(j, "remote", sock_fmt_addr(s->family, s->raddr,
						    s->rport, a, sizeof(a)));
	} else {
		json_null(j, "local");
		json_null(j, "remote");
	}
	if (s->listener) {
		json_u64(j, "accept_queue", s->accept_queue);
		json_u64(j, "backlog", s->backlog);
		if (s->has_requested)
			json_u64(j, "backlog_requested", s->requested);
		else
			json_null(j, "backlog_requested");
		json_u64(j, "somaxconn", s->somaxconn);
		json_u64(j, "syn_queue", s->syn_queue);
		json_u64(j, "syn_queue_young", s->syn_young);
		json_bool(j, "syncookies", s->syncookies);
		json_u64(j, "drops", s->listen_drops);
		json_bool(j, "watched", s->watched);
		if (s->watched) {
			json_obj_begin(j, "drop_causes");
			for (i = 0; i < __PROCSCOPE_DROP_LAST; i++)
				json_u64(j, sock_drop_name(i), s->drops[i]);
			json_obj_end(j);
		}
	} else {
		json_null(j, "accept_queue");
		json_null(j, "backlog");
		json_null(j, "syn_queue");
		if (s->has_udp_drops)
			json_u64(j, "drops", s->udp_drops);
		else
			json_null(j, "drops");
	}
	if (s->has_rp) {
		json_obj_begin(j, "reuseport");
		json_u64(j, "id", s->rp_id);
		json_u64(j, "members", s->rp_num);
		if (s->has_rp_index)
			json_u64(j, "index", s->rp_index);
		json_arr_begin(j, "pids");
		for (i = 0; i < s->n_rp_pids; i++)
			json_u64(j, NULL, s->rp_pids[i]);
		json_arr_end(j);
		json_obj_end(j);
	} else {
		json_null(j, "reuseport");
	}
	json_u64(j, "rcvbuf", s->rcvbuf);
	json_u64(j, "sndbuf", s->sndbuf);
	json_u64(j, "rmem", s->rmem);
	json_u64(j, "wmem", s->wmem);
	if (s->has_unread)
		json_u64(j, "unread", s->unread);
	if (s->has_unacked)
		json_u64(j, "unacked", s->unacked);
	json_obj_end(j);
}

void sock_event_render_json(const struct ps_sock_event *e, struct json *j)
{
	char a[SOCK_ADDR_STRLEN];

	json_obj_begin(j, NULL);
	json_str(j, "event", sock_event_name(e->type));
	json_u64(j, "ts_ns", e->ts_ns);
	json_u64(j, "pid", e->pid);
	if (e->has_tid)
		json_u64(j, "tid", e->tid);
	json_str(j, "local", sock_fmt_addr(e->family, e->laddr, e->lport, a,
					   sizeof(a)));
	json_str(j, "remote", sock_fmt_addr(e->family, e->raddr, e->rport, a,
					    sizeof(a)));
	json_u64(j, "listener_inode", e->listener);
	json_u64(j, "queue_len", e->queue_len);
	json_u64(j, "backlog", e->backlog);
	json_u64(j, "shard", e->shard);
	json_u64(j, "shards", e->shards);
	if (e->has_wait) {
		if (e->type == PROCSCOPE_SEV_ACCEPT)
			json_u64(j, "queue_wait_ns", e->wait_ns);
		else
			json_u64(j, "syn_wait_ns", e->wait_ns);
	}
	json_obj_end(j);
}

void sock_event_header_text(FILE *f)
{
	fprintf(f, "%10s  %-14s %7s %5s  %-22s %-22s %9s  %s\n", "TIME(s)",
		"EVENT", "PID", "SHARD", "LOCAL", "REMOTE", "QUEUE", "WAITED");
}

void sock_event_render_text(const struct ps_sock_event *e, uint64_t t0,
			    FILE *f)
{
	char l[SOCK_ADDR_STRLEN], r[SOCK_ADDR_STRLEN], q[24], w[48], ns[16];
	char sh[24];

	if (e->type == PROCSCOPE_SEV_SYN || e->type == PROCSCOPE_SEV_SYNACK_RETRANS)
		snprintf(q, sizeof(q), "syn %u", e->queue_len);
	else
		snprintf(q, sizeof(q), "%u/%u", e->queue_len, e->backlog);
	snprintf(sh, sizeof(sh), "%u/%u", e->shard, e->shards);
	if (e->has_wait)
		snprintf(w, sizeof(w), "%s %s",
			 fmt_ns(e->wait_ns, ns, sizeof(ns)),
			 e->type == PROCSCOPE_SEV_ACCEPT ? "in accept queue" :
			 "since SYN-ACK");
	else
		snprintf(w, sizeof(w), "-");
	fprintf(f, "%10.6f  %-14s %7u %5s  %-22s %-22s %9s  %s\n",
		e->ts_ns >= t0 ? (e->ts_ns - t0) / 1e9 : 0.0,
		sock_event_name(e->type), e->pid, sh,
		sock_fmt_addr(e->family, e->laddr, e->lport, l, sizeof(l)),
		sock_fmt_addr(e->family, e->raddr, e->rport, r, sizeof(r)),
		q, w);
}

static void wait_text(struct latency_stats *x, const char *what, FILE *f)
{
	char a[16], b[16], c[16];

	if (!x->count) {
		fprintf(f, "%-22s -\n", what);
		return;
	}
	fprintf(f, "%-22s p50 %s  p99 %s  max %s  (%llu samples)\n", what,
		fmt_ns(latency_percentile(x, 50), a, sizeof(a)),
		fmt_ns(latency_percentile(x, 99), b, sizeof(b)),
		fmt_ns(x->max, c, sizeof(c)), (unsigned long long)x->count);
}

void accept_summary_render_text(struct accept_summary *s, FILE *f)
{
	uint64_t total = 0;
	unsigned int i;

	fprintf(f, "\nSUMMARY\n");
	fprintf(f, "accepted %llu, handshakes %llu, SYNs %llu, SYN-ACK retransmits %llu\n",
		(unsigned long long)s->count[PROCSCOPE_SEV_ACCEPT],
		(unsigned long long)s->count[PROCSCOPE_SEV_HANDSHAKE],
		(unsigned long long)s->count[PROCSCOPE_SEV_SYN],
		(unsigned long long)s->count[PROCSCOPE_SEV_SYNACK_RETRANS]);
	fprintf(f, "accept-queue overflows %llu, SYN cookies %llu, SYN-queue-full drops %llu\n",
		(unsigned long long)s->count[PROCSCOPE_SEV_OVERFLOW],
		(unsigned long long)s->count[PROCSCOPE_SEV_COOKIE],
		(unsigned long long)s->count[PROCSCOPE_SEV_SYNQ_FULL]);
	wait_text(&s->queue_wait, "time in accept queue:", f);
	wait_text(&s->syn_wait, "time in SYN queue:", f);
	if (s->dropped || s->overruns)
		fprintf(f, "WARNING: events lost: %llu dropped by the module, %llu socket overruns\n",
			(unsigned long long)s->dropped,
			(unsigned long long)s->overruns);
	else
		fprintf(f, "events lost: 0\n");
	if (!s->n_shards)
		return;
	for (i = 0; i < s->n_shards; i++)
		total += s->shards[i].accepted;
	fprintf(f, "\n%8s %10s %7s %9s %6s\n", "PID", "LISTENER", "SHARD",
		"ACCEPTED", "SHARE");
	for (i = 0; i < s->n_shards; i++) {
		const struct accept_shard *sh = &s->shards[i];

		fprintf(f, "%8u %10llu %3u/%-3u %9llu %5.1f%%\n", sh->pid,
			(unsigned long long)sh->listener, sh->shard, sh->shards,
			(unsigned long long)sh->accepted,
			total ? 100.0 * sh->accepted / total : 0.0);
	}
	if (s->n_shards > 1)
		fprintf(f, "imbalance: the busiest shard took %.2fx its fair share (1.00 = even)\n",
			accept_summary_imbalance(s));
}

static void wait_json(struct latency_stats *x, const char *key, struct json *j)
{
	json_obj_begin(j, key);
	json_u64(j, "count", x->count);
	json_u64(j, "p50", latency_percentile(x, 50));
	json_u64(j, "p99", latency_percentile(x, 99));
	json_u64(j, "max", x->max);
	json_obj_end(j);
}

void accept_summary_render_json(struct accept_summary *s, struct json *j)
{
	unsigned int i;

	json_obj_begin(j, NULL);
	json_obj_begin(j, "summary");
	json_u64(j, "accepted", s->count[PROCSCOPE_SEV_ACCEPT]);
	json_u64(j, "overflows", s->count[PROCSCOPE_SEV_OVERFLOW]);
	json_u64(j, "cookies", s->count[PROCSCOPE_SEV_COOKIE]);
	json_u64(j, "synq_full", s->count[PROCSCOPE_SEV_SYNQ_FULL]);
	json_u64(j, "syns", s->count[PROCSCOPE_SEV_SYN]);
	json_u64(j, "handshakes", s->count[PROCSCOPE_SEV_HANDSHAKE]);
	json_u64(j, "synack_retrans", s->count[PROCSCOPE_SEV_SYNACK_RETRANS]);
	wait_json(&s->queue_wait, "queue_wait_ns", j);
	wait_json(&s->syn_wait, "syn_wait_ns", j);
	json_arr_begin(j, "shards");
	for (i = 0; i < s->n_shards; i++) {
		json_obj_begin(j, NULL);
		json_u64(j, "pid", s->shards[i].pid);
		json_u64(j, "listener_inode", s->shards[i].listener);
		json_u64(j, "shard", s->shards[i].shard);
		json_u64(j, "shards", s->shards[i].shards);
		json_u64(j, "accepted", s->shards[i].accepted);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_double(j, "imbalance", accept_summary_imbalance(s));
	json_u64(j, "dropped", s->dropped);
	json_u64(j, "overruns", s->overruns);
	json_obj_end(j);
	json_obj_end(j);
}

static bool is_tcp_listener(const struct ps_sock *s)
{
	return s->listener;
}

void sockets_render_text(pid_t pid, const struct sock_list *l, FILE *f)
{
	char a[SOCK_ADDR_STRLEN], r[SOCK_ADDR_STRLEN], b1[16], b2[16];
	char g[TERM_BAR_BUFSIZE(10) + 2];
	bool unicode = term_style_for(f).unicode;
	size_t i, nl = 0;
	unsigned int k;

	for (i = 0; i < l->n; i++)
		nl += is_tcp_listener(&l->socks[i]);
	fprintf(f, "pid %d: %zu socket%s, %zu listening\n", (int)pid, l->n,
		l->n == 1 ? "" : "s", nl);
	if (!l->n)
		return;
	if (nl) {
		fprintf(f, "\nLISTENING TCP SOCKETS\n");
		fprintf(f, "%4s  %-24s %-12s %-22s %7s  %-7s %s\n", "FD",
			"LOCAL", "SYN-Q", "ACCEPT-Q/BACKLOG", "DROPS",
			"COOKIES", "REUSEPORT");
	}
	for (i = 0; i < l->n; i++) {
		const struct ps_sock *s = &l->socks[i];
		char sq[24], aq[24], rp[48];

		if (!is_tcp_listener(s))
			continue;
		snprintf(sq, sizeof(sq), "%u (%u young)", s->syn_queue,
			 s->syn_young);
		/* The queue holds backlog + 1: a full gauge is a full queue. */
		term_gauge(g, sizeof(g), s->accept_queue,
			   (uint64_t)s->backlog + 1, 10, unicode);
		snprintf(aq, sizeof(aq), "%u/%u", s->accept_queue, s->backlog);
		if (s->has_rp)
			snprintf(rp, sizeof(rp), "group %u: member %u of %u",
				 s->rp_id, s->rp_index, s->rp_num);
		else
			snprintf(rp, sizeof(rp), "-");
		fprintf(f, "%4u  %-24s %-12s %-9s %s %7u  %-7s %s\n", s->fd,
			sock_fmt_addr(s->family, s->laddr, s->lport, a,
				      sizeof(a)),
			sq, aq, g, s->listen_drops, s->syncookies ? "SENT" : "no",
			rp);
		if (s->has_requested && s->requested > s->backlog)
			fprintf(f, "      backlog: listen() asked for %u, net.core.somaxconn=%u clamped it to %u\n",
				s->requested, s->somaxconn, s->backlog);
		if (s->accept_queue > s->backlog)
			fprintf(f, "      accept queue FULL: new connections are being dropped\n");
		if (s->has_rp && s->n_rp_pids) {
			fprintf(f, "      reuseport members held by pid:");
			for (k = 0; k < s->n_rp_pids; k++) {
				if (s->rp_pids[k])
					fprintf(f, " %s%u", k == s->rp_index ?
						"*" : "", s->rp_pids[k]);
				else
					fprintf(f, " ?");
			}
			fprintf(f, "\n");
		}
		if (s->watched) {
			fprintf(f, "      drops since watched:");
			for (k = 0; k < __PROCSCOPE_DROP_LAST; k++)
				fprintf(f, " %s %llu", sock_drop_name(k),
					(unsigned long long)s->drops[k]);
			fprintf(f, "\n");
		}
	}
	if (nl == l->n)
		return;
	fprintf(f, "\nOTHER SOCKETS\n");
	fprintf(f, "%4s  %-6s %-6s %-12s %-24s %-24s %8s %8s %19s %19s\n", "FD",
		"FAMILY", "TYPE", "STATE", "LOCAL", "REMOTE", "RECV-Q",
		"SEND-Q", "RMEM/RCVBUF", "WMEM/SNDBUF");
	for (i = 0; i < l->n; i++) {
		const struct ps_sock *s = &l->socks[i];
		bool inet = s->family == AF_INET || s->family == AF_INET6;
		char rq[16] = "-", tq[16] = "-", rm[32], wm[32];

		if (is_tcp_listener(s))
			continue;
		if (s->has_unread)
			snprintf(rq, sizeof(rq), "%u", s->unread);
		if (s->has_unacked)
			snprintf(tq, sizeof(tq), "%u", s->unacked);
		snprintf(rm, sizeof(rm), "%s/%s",
			 fmt_bytes(s->rmem, b1, sizeof(b1)),
			 fmt_bytes(s->rcvbuf, b2, sizeof(b2)));
		snprintf(wm, sizeof(wm), "%s/", fmt_bytes(s->wmem, b1,
							 sizeof(b1)));
		strncat(wm, fmt_bytes(s->sndbuf, b2, sizeof(b2)),
			sizeof(wm) - strlen(wm) - 1);
		fprintf(f, "%4u  %-6s %-6s %-12s %-24s %-24s %8s %8s %19s %19s\n",
			s->fd, sock_family_name(s->family),
			sock_type_name(s->type), sock_state_name(s),
			inet ? sock_fmt_addr(s->family, s->laddr, s->lport, a,
					     sizeof(a)) : "-",
			inet ? sock_fmt_addr(s->family, s->raddr, s->rport, r,
					     sizeof(r)) : "-",
			rq, tq, rm, wm);
	}
}

void sockets_render_json(pid_t pid, const struct sock_list *l, struct json *j)
{
	size_t i;

	json_obj_begin(j, NULL);
	json_u64(j, "pid", pid);
	json_arr_begin(j, "sockets");
	for (i = 0; i < l->n; i++)
		sock_render_json(&l->socks[i], j);
	json_arr_end(j);
	json_obj_end(j);
}
