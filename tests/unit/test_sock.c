// SPDX-License-Identifier: GPL-2.0
/* Sockets: SOCK_DUMP / SOCK_EVENT parsing, address formatting, renderers, summary. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/accept_summary.h"
#include "model/sock.h"
#include "render/sock_render.h"
#include "suites.h"
#include "testutil.h"

static char msgbuf[8192];

/* A listener on 127.0.0.1:8080, backlog 4 of 128 asked, in a group of 3. */
static struct nlmsghdr *listener_msg(void)
{
	struct nlmsghdr *nlh = msg_start(msgbuf, PROCSCOPE_CMD_SOCK_DUMP);
	struct nlattr *n, *p, *d;

	n = mnl_attr_nest_start(nlh, PROCSCOPE_A_SOCK);
	put_loopback_listener(nlh, 3, 8080);
	mnl_attr_put_u64(nlh, PROCSCOPE_SOCK_INODE, 4242);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_BACKLOG, 4);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_BACKLOG_REQUESTED, 128);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_SOMAXCONN, 4);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_ACCEPT_QUEUE, 5);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_SYN_QUEUE, 2);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_SYN_QUEUE_YOUNG, 1);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_LISTEN_DROPS, 10);
	mnl_attr_put_u8(nlh, PROCSCOPE_SOCK_SYNCOOKIES, 0);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_REUSEPORT_ID, 7);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_REUSEPORT_NUM, 3);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_REUSEPORT_INDEX, 1);
	p = mnl_attr_nest_start(nlh, PROCSCOPE_SOCK_REUSEPORT_PIDS);
	mnl_attr_put_u32(nlh, 1, 100);
	mnl_attr_put_u32(nlh, 2, 101);
	mnl_attr_put_u32(nlh, 3, 0);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_RCVBUF, 131072);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_SNDBUF, 16384);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_RMEM, 0);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_WMEM, 0);
	mnl_attr_put_u8(nlh, PROCSCOPE_SOCK_WATCHED, 1);
	d = mnl_attr_nest_start(nlh, PROCSCOPE_SOCK_DROPS);
	mnl_attr_put_u64(nlh, PROCSCOPE_DROP_SYN_ACCEPTQ_FULL + 1, 6);
	mnl_attr_put_u64(nlh, PROCSCOPE_DROP_ACK_OVERFLOW + 1, 4);
	mnl_attr_nest_end(nlh, d);
	/* An attribute from a newer module: must be skipped. */
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_MAX + 5, 1);
	mnl_attr_nest_end(nlh, n);
	return nlh;
}

static const struct nlattr *top_sock(const struct nlmsghdr *nlh)
{
	static const struct nlattr *tb[PROCSCOPE_A_MAX + 1];

	ck_assert_int_eq(attrs_parse_msg(nlh, &attrs_top, tb), 0);
	ck_assert_ptr_nonnull(tb[PROCSCOPE_A_SOCK]);
	return tb[PROCSCOPE_A_SOCK];
}

START_TEST(test_sock_parse_listener)
{
	struct ps_sock s;

	ck_assert_int_eq(sock_parse(top_sock(listener_msg()), &s), 0);
	ck_assert_uint_eq(s.fd, 3);
	ck_assert(s.listener);
	ck_assert_uint_eq(s.accept_queue, 5);
	ck_assert_uint_eq(s.backlog, 4);
	ck_assert(s.has_requested);
	ck_assert_uint_eq(s.requested, 128);
	ck_assert_uint_eq(s.syn_queue, 2);
	ck_assert_uint_eq(s.syn_young, 1);
	ck_assert_uint_eq(s.listen_drops, 10);
	ck_assert(s.has_rp);
	ck_assert_uint_eq(s.rp_num, 3);
	ck_assert_uint_eq(s.rp_index, 1);
	ck_assert_uint_eq(s.n_rp_pids, 3);
	ck_assert_uint_eq(s.rp_pids[1], 101);
	ck_assert(s.watched);
	ck_assert_uint_eq(s.drops[PROCSCOPE_DROP_SYN_ACCEPTQ_FULL], 6);
	ck_assert_uint_eq(s.drops[PROCSCOPE_DROP_ACK_OVERFLOW], 4);
	ck_assert_uint_eq(s.drops[PROCSCOPE_DROP_SYN_COOKIE], 0);
	ck_assert_str_eq(sock_state_name(&s), "LISTEN");
}
END_TEST

START_TEST(test_sock_parse_rejects)
{
	struct nlmsghdr *nlh = msg_start(msgbuf, PROCSCOPE_CMD_SOCK_DUMP);
	struct nlattr *n;
	struct ps_sock s;

	/* A u16 where a u32 belongs fails mnl_attr_validate. */
	n = mnl_attr_nest_start(nlh, PROCSCOPE_A_SOCK);
	mnl_attr_put_u16(nlh, PROCSCOPE_SOCK_FD, 3);
	mnl_attr_put_u16(nlh, PROCSCOPE_SOCK_FAMILY, AF_INET);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_ne(sock_parse(top_sock(nlh), &s), 0);

	/* No fd: not a socket record. */
	nlh = msg_start(msgbuf, PROCSCOPE_CMD_SOCK_DUMP);
	n = mnl_attr_nest_start(nlh, PROCSCOPE_A_SOCK);
	mnl_attr_put_u16(nlh, PROCSCOPE_SOCK_FAMILY, AF_INET);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_ne(sock_parse(top_sock(nlh), &s), 0);
}
END_TEST

START_TEST(test_sock_addr)
{
	uint8_t a4[4] = { 10, 0, 0, 1 }, z[16] = { 0 }, a6[16] = { 0 };
	char buf[SOCK_ADDR_STRLEN];

	a6[15] = 1;
	ck_assert_str_eq(sock_fmt_addr(AF_INET, a4, 80, buf, sizeof(buf)),
			 "10.0.0.1:80");
	ck_assert_str_eq(sock_fmt_addr(AF_INET, z, 80, buf, sizeof(buf)),
			 "*:80");
	ck_assert_str_eq(sock_fmt_addr(AF_INET, z, 0, buf, sizeof(buf)), "*:*");
	ck_assert_str_eq(sock_fmt_addr(AF_INET6, a6, 443, buf, sizeof(buf)),
			 "[::1]:443");
	ck_assert_str_eq(sock_fmt_addr(AF_INET6, z, 443, buf, sizeof(buf)),
			 "[::]:443");
	ck_assert_str_eq(sock_fmt_addr(AF_UNIX, z, 0, buf, sizeof(buf)), "-");
}
END_TEST

START_TEST(test_sockets_render)
{
	struct sock_list l = { 0 };
	struct ps_sock s[2];
	char *out = NULL;
	struct json j;

	ck_assert_int_eq(sock_parse(top_sock(listener_msg()), &s[0]), 0);
	memset(&s[1], 0, sizeof(s[1]));
	s[1].fd = 4;
	s[1].family = AF_INET;
	s[1].type = SOCK_STREAM;
	s[1].state = 1;
	s[1].has_addr = true;
	s[1].has_unread = true;
	s[1].unread = 3000;
	s[1].rmem = 4352;
	l.socks = s;
	l.n = 2;

	CAPTURE(out, sockets_render_text(42, &l, _f));
	ck_assert_ptr_nonnull(strstr(out, "pid 42: 2 sockets, 1 listening"));
	ck_assert_ptr_nonnull(strstr(out, "127.0.0.1:8080"));
	ck_assert_ptr_nonnull(strstr(out, "5/4"));
	ck_assert_ptr_nonnull(strstr(out, "FULL"));
	ck_assert_ptr_nonnull(strstr(out, "somaxconn=4 clamped it to 4"));
	ck_assert_ptr_nonnull(strstr(out, " *101"));	/* this member */
	ck_assert_ptr_nonnull(strstr(out, "ESTAB"));
	ck_assert_ptr_nonnull(strstr(out, " 3000 "));
	free(out);

	CAPTURE(out, (json_init(&j, _f), sockets_render_json(42, &l, &j)));
	ck_assert_ptr_nonnull(strstr(out, "{\"pid\":42,\"sockets\":[{\"fd\":3,"));
	ck_assert_ptr_nonnull(strstr(out, "\"accept_queue\":5,\"backlog\":4,"));
	ck_assert_ptr_nonnull(strstr(out, "\"syn_queue\":2,"));
	ck_assert_ptr_nonnull(strstr(out, "\"drops\":10,"));
	ck_assert_ptr_nonnull(strstr(out, "\"reuseport\":{\"id\":7,\"members\":3,\"index\":1,\"pids\":[100,101,0]}"));
	ck_assert_ptr_nonnull(strstr(out, "\"remote\":\"*:*\""));
	ck_assert_ptr_nonnull(strstr(out, "\"unread\":3000"));
	ck_assert_ptr_nonnull(strstr(out, "\"accept_queue\":null"));
	ck_assert_ptr_nonnull(strstr(out, "\"rcvbuf\":131072,\"sndbuf\":16384,\"rmem\":0,\"wmem\":0"));
	free(out);
}
END_TEST

static struct nlmsghdr *event_msg(uint32_t type, uint64_t wait, uint64_t listener,
				  uint32_t pid, uint32_t shard)
{
	struct nlmsghdr *nlh = msg_start(msgbuf, PROCSCOPE_CMD_SOCK_EVENT);
	uint8_t lo[4] = { 127, 0, 0, 1 };
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, PROCSCOPE_A_SOCK_EVENT);
	mnl_attr_put_u32(nlh, PROCSCOPE_SEV_A_TYPE, type);
	mnl_attr_put_u64(nlh, PROCSCOPE_SEV_A_TS_NS, 5000000000ULL);
	mnl_attr_put_u32(nlh, PROCSCOPE_SEV_A_PID, pid);
	mnl_attr_put_u16(nlh, PROCSCOPE_SEV_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, PROCSCOPE_SEV_A_LOCAL_ADDR, 4, lo);
	mnl_attr_put_u16(nlh, PROCSCOPE_SEV_A_LOCAL_PORT, 8080);
	mnl_attr_put(nlh, PROCSCOPE_SEV_A_REMOTE_ADDR, 4, lo);
	mnl_attr_put_u16(nlh, PROCSCOPE_SEV_A_REMOTE_PORT, 40000);
	mnl_attr_put_u64(nlh, PROCSCOPE_SEV_A_LISTENER, listener);
	if (wait)
		mnl_attr_put_u64(nlh, PROCSCOPE_SEV_A_WAIT_NS, wait);
	mnl_attr_put_u32(nlh, PROCSCOPE_SEV_A_QUEUE_LEN, 1);
	mnl_attr_put_u32(nlh, PROCSCOPE_SEV_A_BACKLOG, 4);
	mnl_attr_put_u32(nlh, PROCSCOPE_SEV_A_SHARD, shard);
	mnl_attr_put_u32(nlh, PROCSCOPE_SEV_A_SHARDS, 2);
	mnl_attr_nest_end(nlh, n);
	return nlh;
}

static void parse_event(struct nlmsghdr *nlh, struct ps_sock_event *e)
{
	const struct nlattr *tb[PROCSCOPE_A_MAX + 1];

	ck_assert_int_eq(attrs_parse_msg(nlh, &attrs_top, tb), 0);
	ck_assert_ptr_nonnull(tb[PROCSCOPE_A_SOCK_EVENT]);
	ck_assert_int_eq(sock_event_parse(tb[PROCSCOPE_A_SOCK_EVENT], e), 0);
}

START_TEST(test_sock_event)
{
	struct ps_sock_event e;
	char *out = NULL;
	struct json j;

	parse_event(event_msg(PROCSCOPE_SEV_ACCEPT, 2500000, 99, 7, 1), &e);
	ck_assert_uint_eq(e.type, PROCSCOPE_SEV_ACCEPT);
	ck_assert(e.has_wait);
	ck_assert_uint_eq(e.wait_ns, 2500000);
	ck_assert_uint_eq(e.listener, 99);
	CAPTURE(out, (json_init(&j, _f), sock_event_render_json(&e, &j)));
	ck_assert_ptr_nonnull(strstr(out, "{\"event\":\"accept\",\"ts_ns\":5000000000,"));
	ck_assert_ptr_nonnull(strstr(out, "\"local\":\"127.0.0.1:8080\",\"remote\":\"127.0.0.1:40000\""));
	ck_assert_ptr_nonnull(strstr(out, "\"queue_wait_ns\":2500000"));
	free(out);
	CAPTURE(out, sock_event_render_text(&e, 4000000000ULL, _f));
	ck_assert_ptr_nonnull(strstr(out, "1.000000  accept"));
	ck_assert_ptr_nonnull(strstr(out, "in accept queue"));
	free(out);

	/* A handshake's wait is SYN-queue time, under its own key. */
	parse_event(event_msg(PROCSCOPE_SEV_HANDSHAKE, 1000, 99, 7, 1), &e);
	CAPTURE(out, (json_init(&j, _f), sock_event_render_json(&e, &j)));
	ck_assert_ptr_nonnull(strstr(out, "\"syn_wait_ns\":1000"));
	ck_assert_ptr_null(strstr(out, "queue_wait_ns"));
	free(out);
}
END_TEST

START_TEST(test_accept_summary)
{
	struct accept_summary sum;
	struct ps_sock_event e;
	char *out = NULL;
	struct json j;
	int i;

	accept_summary_init(&sum);
	/* Shard 0 (listener 1, pid 10) takes 3 accepts, shard 1 takes 1. */
	for (i = 1; i <= 3; i++) {
		parse_event(event_msg(PROCSCOPE_SEV_ACCEPT, i * 1000000ULL, 1, 10, 0), &e);
		accept_summary_add(&sum, &e);
	}
	parse_event(event_msg(PROCSCOPE_SEV_ACCEPT, 100000000ULL, 2, 11, 1), &e);
	accept_summary_add(&sum, &e);
	parse_event(event_msg(PROCSCOPE_SEV_OVERFLOW, 0, 1, 10, 0), &e);
	accept_summary_add(&sum, &e);
	ck_assert_uint_eq(sum.count[PROCSCOPE_SEV_ACCEPT], 4);
	ck_assert_uint_eq(sum.n_shards, 2);
	/* 3 of 4 on one of 2 shards: 1.5x the mean. */
	ck_assert(accept_summary_imbalance(&sum) > 1.49 &&
		  accept_summary_imbalance(&sum) < 1.51);
	CAPTURE(out, (json_init(&j, _f), accept_summary_render_json(&sum, &j)));
	ck_assert_ptr_nonnull(strstr(out, "{\"summary\":{\"accepted\":4,\"overflows\":1,"));
	ck_assert_ptr_nonnull(strstr(out, "\"queue_wait_ns\":{\"count\":4,"));
	ck_assert_ptr_nonnull(strstr(out, "\"max\":100000000"));
	ck_assert_ptr_nonnull(strstr(out, "{\"pid\":10,\"listener_inode\":1,\"shard\":0,\"shards\":2,\"accepted\":3}"));
	ck_assert_ptr_nonnull(strstr(out, "\"dropped\":0"));
	free(out);
	CAPTURE(out, accept_summary_render_text(&sum, _f));
	ck_assert_ptr_nonnull(strstr(out, "accepted 4"));
	ck_assert_ptr_nonnull(strstr(out, "75.0%"));
	ck_assert_ptr_nonnull(strstr(out, "1.50x"));
	free(out);
	accept_summary_free(&sum);
}
END_TEST

Suite *sock_suite(void)
{
	return TEST_SUITE("sock",
			  test_sock_parse_listener,
			  test_sock_parse_rejects,
			  test_sock_addr,
			  test_sockets_render,
			  test_sock_event,
			  test_accept_summary);
}
