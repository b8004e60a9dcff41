/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SOCK_H
#define PROCSCOPE_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "nl/attrs.h"
#include "nl/nl.h"

#define SOCK_RP_MAX 64
#define SOCK_ADDR_STRLEN 64	/* "[ffff:...:ffff]:65535" */

/* One SOCK_DUMP record (A_SOCK nest), decoded. */
struct ps_sock {
	uint32_t fd;
	uint16_t family, type, proto;
	uint8_t state;
	uint8_t laddr[16], raddr[16];
	uint16_t lport, rport;
	uint64_t inode;
	bool has_addr;
	bool listener;		/* TCP in LISTEN: queue fields valid */
	uint32_t backlog, somaxconn, accept_queue, syn_queue, syn_young;
	uint32_t listen_drops;
	bool has_requested;
	uint32_t requested;
	bool syncookies;
	bool has_rp;
	uint32_t rp_id, rp_num, rp_index;
	bool has_rp_index;
	uint32_t rp_pids[SOCK_RP_MAX];
	unsigned int n_rp_pids;
	uint32_t rcvbuf, sndbuf, rmem, wmem;
	bool has_unread, has_unacked, has_udp_drops;
	uint32_t unread, unacked, udp_drops;
	bool watched;		/* drop causes below are counted */
	uint64_t drops[__PROCSCOPE_DROP_LAST];
};

/* One accept-path event (A_SOCK_EVENT nest), decoded. */
struct ps_sock_event {
	uint32_t type;
	uint64_t ts_ns;
	uint32_t pid, tid;
	uint16_t family;
	uint8_t laddr[16], raddr[16];
	uint16_t lport, rport;
	uint64_t listener;
	bool has_wait, has_tid;
	uint64_t wait_ns;
	uint32_t queue_len, backlog, shard, shards;
};

int sock_parse(const struct nlattr *nest, struct ps_sock *s);
int sock_event_parse(const struct nlattr *nest, struct ps_sock_event *e);

/* "127.0.0.1:80", "[::1]:80", "*:80" for the wildcard address. */
const char *sock_fmt_addr(uint16_t family, const uint8_t *addr, uint16_t port,
			  char *buf, size_t len);
const char *sock_family_name(uint16_t family);
const char *sock_type_name(uint16_t type);
/* TCP state names as ss(8) prints them; "-" for other protocols. */
const char *sock_state_name(const struct ps_sock *s);
const char *sock_drop_name(unsigned int drop);

/* A SOCK_DUMP result, in fd order. */
struct sock_list {
	struct ps_sock *socks;
	size_t n, cap;
};

/* Dump @pid's sockets into @list (caller frees list->socks). */
int sockets_fetch(struct ps_nl *nl, pid_t pid, struct sock_list *list);

#endif
