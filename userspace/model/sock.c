// SPDX-License-Identifier: GPL-2.0
/* Decoding of sockets and accept-path events, and the names of their enums. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/sock.h"

static void get_addr(const struct nlattr *a, uint8_t *out)
{
	size_t n;

	memset(out, 0, 16);
	if (!a)
		return;
	n = mnl_attr_get_payload_len(a);
	memcpy(out, mnl_attr_get_payload(a), n > 16 ? 16 : n);
}

int sock_parse(const struct nlattr *nest, struct ps_sock *s)
{
	const struct nlattr *tb[PROCSCOPE_SOCK_MAX + 1];
	const struct nlattr *sub[64 + 1];
	int i;

	memset(s, 0, sizeof(*s));
	if (attrs_parse_nest(nest, &attrs_sock, tb))
		return -EINVAL;
	if (!tb[PROCSCOPE_SOCK_FD] || !tb[PROCSCOPE_SOCK_FAMILY])
		return -EINVAL;
	s->fd = attr_u32(tb[PROCSCOPE_SOCK_FD], 0);
	s->family = attr_u16(tb[PROCSCOPE_SOCK_FAMILY], 0);
	s->type = attr_u16(tb[PROCSCOPE_SOCK_TYPE], 0);
	s->proto = attr_u16(tb[PROCSCOPE_SOCK_PROTO], 0);
	s->state = attr_u8(tb[PROCSCOPE_SOCK_STATE], 0);
	s->inode = attr_u64(tb[PROCSCOPE_SOCK_INODE], 0);
	s->has_addr = tb[PROCSCOPE_SOCK_LOCAL_ADDR] != NULL;
	get_addr(tb[PROCSCOPE_SOCK_LOCAL_ADDR], s->laddr);
	get_addr(tb[PROCSCOPE_SOCK_REMOTE_ADDR], s->raddr);
	s->lport = attr_u16(tb[PROCSCOPE_SOCK_LOCAL_PORT], 0);
	s->rport = attr_u16(tb[PROCSCOPE_SOCK_REMOTE_PORT], 0);
	s->listener = tb[PROCSCOPE_SOCK_ACCEPT_QUEUE] != NULL;
	s->backlog = attr_u32(tb[PROCSCOPE_SOCK_BACKLOG], 0);
	s->somaxconn = attr_u32(tb[PROCSCOPE_SOCK_SOMAXCONN], 0);
	s->accept_queue = attr_u32(tb[PROCSCOPE_SOCK_ACCEPT_QUEUE], 0);
	s->syn_queue = attr_u32(tb[PROCSCOPE_SOCK_SYN_QUEUE], 0);
	s->syn_young = attr_u32(tb[PROCSCOPE_SOCK_SYN_QUEUE_YOUNG], 0);
	s->listen_drops = attr_u32(tb[PROCSCOPE_SOCK_LISTEN_DROPS], 0);
	s->has_requested = tb[PROCSCOPE_SOCK_BACKLOG_REQUESTED] != NULL;
	s->requested = attr_u32(tb[PROCSCOPE_SOCK_BACKLOG_REQUESTED], 0);
	s->syncookies = attr_u8(tb[PROCSCOPE_SOCK_SYNCOOKIES], 0);
	s->has_rp = tb[PROCSCOPE_SOCK_REUSEPORT_NUM] != NULL;
	s->rp_id = attr_u32(tb[PROCSCOPE_SOCK_REUSEPORT_ID], 0);
	s->rp_num = attr_u32(tb[PROCSCOPE_SOCK_REUSEPORT_NUM], 0);
	s->has_rp_index = tb[PROCSCOPE_SOCK_REUSEPORT_INDEX] != NULL;
	s->rp_index = attr_u32(tb[PROCSCOPE_SOCK_REUSEPORT_INDEX], 0);
	if (tb[PROCSCOPE_SOCK_REUSEPORT_PIDS]) {
		if (attrs_parse_nest(tb[PROCSCOPE_SOCK_REUSEPORT_PIDS],
				     &attrs_u32_array, sub))
			return -EINVAL;
		for (i = 1; i <= SOCK_RP_MAX; i++) {
			if (!sub[i])
				continue;
			s->rp_pids[i - 1] = attr_u32(sub[i], 0);
			if ((unsigned int)i > s->n_rp_pids)
				s->n_rp_pids = i;
		}
	}
	s->rcvbuf = attr_u32(tb[PROCSCOPE_SOCK_RCVBUF], 0);
	s->sndbuf = attr_u32(tb[PROCSCOPE_SOCK_SNDBUF], 0);
	s->rmem = attr_u32(tb[PROCSCOPE_SOCK_RMEM], 0);
	s->wmem = attr_u32(tb[PROCSCOPE_SOCK_WMEM], 0);
	s->has_unread = tb[PROCSCOPE_SOCK_UNREAD] != NULL;
	s->unread = attr_u32(tb[PROCSCOPE_SOCK_UNREAD], 0);
	s->has_unacked = tb[PROCSCOPE_SOCK_UNACKED] != NULL;
	s->unacked = attr_u32(tb[PROCSCOPE_SOCK_UNACKED], 0);
	s->has_udp_drops = tb[PROCSCOPE_SOCK_UDP_DROPS] != NULL;
	s->udp_drops = attr_u32(tb[PROCSCOPE_SOCK_UDP_DROPS], 0);
	s->watched = attr_u8(tb[PROCSCOPE_SOCK_WATCHED], 0);
	if (tb[PROCSCOPE_SOCK_DROPS] &&
	    attrs_get_u64_array(tb[PROCSCOPE_SOCK_DROPS], s->drops,
				__PROCSCOPE_DROP_LAST, 1))
		return -EINVAL;
	return 0;
}

int sock_event_parse(const struct nlattr *nest, struct ps_sock_event *e)
{
	const struct nlattr *tb[PROCSCOPE_SEV_A_MAX + 1];

	memset(e, 0, sizeof(*e));
	if (attrs_parse_nest(nest, &attrs_sock_event, tb))
		return -EINVAL;
	if (!tb[PROCSCOPE_SEV_A_TYPE] || !tb[PROCSCOPE_SEV_A_TS_NS])
		return -EINVAL;
	e->type = attr_u32(tb[PROCSCOPE_SEV_A_TYPE], 0);
	e->ts_ns = attr_u64(tb[PROCSCOPE_SEV_A_TS_NS], 0);
	e->pid = attr_u32(tb[PROCSCOPE_SEV_A_PID], 0);
	e->has_tid = tb[PROCSCOPE_SEV_A_TID] != NULL;
	e->tid = attr_u32(tb[PROCSCOPE_SEV_A_TID], 0);
	e->family = attr_u16(tb[PROCSCOPE_SEV_A_FAMILY], 0);
	get_addr(tb[PROCSCOPE_SEV_A_LOCAL_ADDR], e->laddr);
	get_addr(tb[PROCSCOPE_SEV_A_REMOTE_ADDR], e->raddr);
	e->lport = attr_u16(tb[PROCSCOPE_SEV_A_LOCAL_PORT], 0);
	e->rport = attr_u16(tb[PROCSCOPE_SEV_A_REMOTE_PORT], 0);
	e->listener = attr_u64(tb[PROCSCOPE_SEV_A_LISTENER], 0);
	e->has_wait = tb[PROCSCOPE_SEV_A_WAIT_NS] != NULL;
	e->wait_ns = attr_u64(tb[PROCSCOPE_SEV_A_WAIT_NS], 0);
	e->queue_len = attr_u32(tb[PROCSCOPE_SEV_A_QUEUE_LEN], 0);
	e->backlog = attr_u32(tb[PROCSCOPE_SEV_A_BACKLOG], 0);
	e->shard = attr_u32(tb[PROCSCOPE_SEV_A_SHARD], 0);
	e->shards = attr_u32(tb[PROCSCOPE_SEV_A_SHARDS], 1);
	return 0;
}

const char *sock_fmt_addr(uint16_t family, const uint8_t *addr, uint16_t port,
			  char *buf, size_t len)
{
	static const uint8_t zero[16];
	char ip[INET6_ADDRSTRLEN];

	if ((family == AF_INET || family == AF_INET6) && !port &&
	    !memcmp(addr, zero, family == AF_INET ? 4 : 16)) {
		snprintf(buf, len, "*:*");	/* a listener's peer */
	} else if (family == AF_INET) {
		if (!memcmp(addr, zero, 4))
			snprintf(buf, len, "*:%u", port);
		else
			snprintf(buf, len, "%s:%u",
				 inet_ntop(AF_INET, addr, ip, sizeof(ip)), port);
	} else if (family == AF_INET6) {
		if (!memcmp(addr, zero, 16))
			snprintf(buf, len, "[::]:%u", port);
		else
			snprintf(buf, len, "[%s]:%u",
				 inet_ntop(AF_INET6, addr, ip, sizeof(ip)), port);
	} else {
		snprintf(buf, len, "-");
	}
	return buf;
}

const char *sock_family_name(uint16_t family)
{
	switch (family) {
	case AF_INET: return "inet";
	case AF_INET6: return "inet6";
	case AF_UNIX: return "unix";
	case AF_NETLINK: return "netlink";
	case AF_PACKET: return "packet";
	default: return "other";
	}
}

const char *sock_type_name(uint16_t type)
{
	switch (type) {
	case SOCK_STREAM: return "stream";
	case SOCK_DGRAM: return "dgram";
	case SOCK_RAW: return "raw";
	case SOCK_SEQPACKET: return "seqpacket";
	default: return "other";
	}
}

/* include/net/tcp_states.h numbering. */
static const char *const tcp_states[] = {
	[1] = "ESTAB", [2] = "SYN-SENT", [3] = "SYN-RECV", [4] = "FIN-WAIT-1",
	[5] = "FIN-WAIT-2", [6] = "TIME-WAIT", [7] = "UNCONN", [8] = "CLOSE-WAIT",
	[9] = "LAST-ACK", [10] = "LISTEN", [11] = "CLOSING", [12] = "NEW-SYN-RECV",
};

const char *sock_state_name(const struct ps_sock *s)
{
	if (s->family == AF_UNIX)
		return s->state == 1 ? "ESTAB" : s->state == 10 ? "LISTEN" :
		       "UNCONN";
	if (s->family != AF_INET && s->family != AF_INET6)
		return "-";
	if (s->state < sizeof(tcp_states) / sizeof(tcp_states[0]) &&
	    tcp_states[s->state])
		return tcp_states[s->state];
	return "?";
}

static const char *const drop_names[__PROCSCOPE_DROP_LAST] = {
	[PROCSCOPE_DROP_SYN_ACCEPTQ_FULL] = "syn_acceptq_full",
	[PROCSCOPE_DROP_ACK_OVERFLOW] = "ack_overflow",
	[PROCSCOPE_DROP_SYNQ_FULL] = "synq_full",
	[PROCSCOPE_DROP_SYN_COOKIE] = "syn_cookie",
};

const char *sock_drop_name(unsigned int drop)
{
	return drop < __PROCSCOPE_DROP_LAST ? drop_names[drop] : "unknown";
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PROCSCOPE_A_MAX + 1];
	struct sock_list *list = data;
	struct ps_sock *s;

	if (attrs_parse_msg(nlh, &attrs_top, tb))
		return MNL_CB_ERROR;
	if (!tb[PROCSCOPE_A_SOCK])
		return MNL_CB_OK;
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;

		s = realloc(list->socks, cap * sizeof(*s));
		if (!s) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		list->socks = s;
		list->cap = cap;
	}
	if (sock_parse(tb[PROCSCOPE_A_SOCK], &list->socks[list->n])) {
		errno = EINVAL;
		return MNL_CB_ERROR;
	}
	list->n++;
	return MNL_CB_OK;
}

int sockets_fetch(struct ps_nl *nl, pid_t pid, struct sock_list *list)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *req;
	int ret, tries;

	/* A dump interrupted by a concurrent change is simply retried. */
	for (tries = 0; tries < 3; tries++) {
		list->n = 0;
		req = ps_nl_request(nl, buf, PROCSCOPE_CMD_SOCK_DUMP,
				    NLM_F_DUMP);
		mnl_attr_put_u32(req, PROCSCOPE_A_PID, (uint32_t)pid);
		ret = ps_nl_talk(nl, req, dump_cb, list);
		if (ret != -EINTR)
			break;
	}
	return ret;
}
