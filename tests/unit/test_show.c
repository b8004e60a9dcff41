// SPDX-License-Identifier: GPL-2.0
/*
 * procscope show: /proc parsing, memory by kind, and the page and merged
 * JSON rendered from canned WATCH_GET / SOCK_DUMP / PT_SUMMARY messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/cli.h"
#include "model/fault_event.h"
#include "nl/attrs.h"
#include "render/show_render.h"
#include "suites.h"
#include "testutil.h"

static char msgbuf[8192];

/* A watch of pid 42: 300 anon faults (p50 in [1024, 2048) ns), 2 swap. */
static struct nlmsghdr *watch_msg(void)
{
	struct nlmsghdr *nlh = msg_start(msgbuf, PROCSCOPE_CMD_WATCH_GET);
	struct nlattr *w, *a, *h, *b;

	w = mnl_attr_nest_start(nlh, PROCSCOPE_A_WATCH);
	mnl_attr_put_u32(nlh, PROCSCOPE_WATCH_PID, 42);
	mnl_attr_put_u32(nlh, PROCSCOPE_WATCH_FLAGS, PROCSCOPE_WATCH_F_FAULTS);
	mnl_attr_put_u64(nlh, PROCSCOPE_WATCH_MINOR, 300);
	mnl_attr_put_u64(nlh, PROCSCOPE_WATCH_MAJOR, 2);
	mnl_attr_put_u64(nlh, PROCSCOPE_WATCH_SINCE_NS, 1000000000ull);
	a = mnl_attr_nest_start(nlh, PROCSCOPE_WATCH_BY_CLASS);
	mnl_attr_put_u64(nlh, PROCSCOPE_FAULT_ANON + 1, 300);
	mnl_attr_put_u64(nlh, PROCSCOPE_FAULT_SWAP + 1, 2);
	mnl_attr_nest_end(nlh, a);
	a = mnl_attr_nest_start(nlh, PROCSCOPE_WATCH_LATENCY);
	h = mnl_attr_nest_start(nlh, PROCSCOPE_WATCH_HIST);
	mnl_attr_put_u32(nlh, PROCSCOPE_HIST_CLASS, PROCSCOPE_FAULT_ANON);
	mnl_attr_put_u64(nlh, PROCSCOPE_HIST_MAX_NS, 9000);
	b = mnl_attr_nest_start(nlh, PROCSCOPE_HIST_BUCKETS_NEST);
	mnl_attr_put_u64(nlh, 10 + 1, 300);
	mnl_attr_nest_end(nlh, b);
	mnl_attr_nest_end(nlh, h);
	mnl_attr_nest_end(nlh, a);
	mnl_attr_nest_end(nlh, w);
	return nlh;
}

/* A listener on 127.0.0.1:8080: 3 in the accept queue of backlog 4. */
static struct nlmsghdr *sock_msg(void)
{
	struct nlmsghdr *nlh = msg_start(msgbuf, PROCSCOPE_CMD_SOCK_DUMP);
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, PROCSCOPE_A_SOCK);
	put_loopback_listener(nlh, 3, 8080);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_BACKLOG, 4);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_ACCEPT_QUEUE, 3);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_SYN_QUEUE, 0);
	mnl_attr_put_u32(nlh, PROCSCOPE_SOCK_LISTEN_DROPS, 7);
	mnl_attr_nest_end(nlh, n);
	return nlh;
}

/* A show_data as show_main() would fill it for pid 42. */
static void canned_data(struct show_data *d)
{
	static struct vma_info v[3];
	const struct nlattr *tb[PROCSCOPE_A_MAX + 1];

	show_data_init(d, 42);
	snprintf(d->id.comm, sizeof(d->id.comm), "server");
	snprintf(d->id.exe, sizeof(d->id.exe), "/usr/bin/server");
	d->id.state = 'S';
	d->id.threads = 1;
	d->id.ppid = 1;

	memset(v, 0, sizeof(v));
	v[0] = (struct vma_info){ .start = 0x400000, .end = 0x401000,
				  .flags = 0x5, .kind = VMA_KIND_TEXT };
	v[0].leaves[PROCSCOPE_LEAF_PTE] = 1;
	v[1] = (struct vma_info){ .start = 0x7f0000000000, .end = 0x7f0000010000,
				  .flags = 0x3, .kind = VMA_KIND_ANON };
	v[1].leaves[PROCSCOPE_LEAF_PTE] = 8;
	v[1].leaves[PROCSCOPE_LEAF_SWAP] = 4;
	v[2] = (struct vma_info){ .start = 0x7f0000100000, .end = 0x7f0000102000,
				  .flags = 0x3, .kind = VMA_KIND_ANON };
	d->maps.pid = 42;
	d->maps.v = v;
	d->maps.n = d->maps.cap = 3;
	d->maps_err = 0;

	d->pt.pid = 42;
	d->pt.levels = 4;
	d->pt.tables[PROCSCOPE_LEVEL_PGD] = 1;
	d->pt.tables[PROCSCOPE_LEVEL_PUD] = 2;
	d->pt.tables[PROCSCOPE_LEVEL_PMD] = 2;
	d->pt.tables[PROCSCOPE_LEVEL_PTE] = 3;
	d->pt.leaves[PROCSCOPE_LEAF_PTE] = 9;
	d->pt.mm[PROCSCOPE_MM_TASK_SIZE] = 1ull << 47;
	d->pt.mm[PROCSCOPE_MM_PGTABLES_BYTES] = 7 * 4096;
	d->pt_err = 0;

	ck_assert_int_eq(fault_watch_parse(watch_msg(), &d->watch), 0);
	d->watch_err = 0;
	d->now_ns = 3500000000ull;	/* 2.5 s after WATCH_SINCE_NS */

	d->socks.socks = calloc(1, sizeof(struct ps_sock));
	ck_assert_int_eq(attrs_parse_msg(sock_msg(), &attrs_top, tb), 0);
	ck_assert_int_eq(sock_parse(tb[PROCSCOPE_A_SOCK], &d->socks.socks[0]), 0);
	d->socks.n = d->socks.cap = 1;
	d->socks_err = 0;
}

/* Braces and brackets balance outside strings; one line. */
static void assert_json_shape(const char *s)
{
	int depth = 0;
	bool str = false;

	for (; *s; s++) {
		if (str) {
			if (*s == '\\')
				s++;
			else if (*s == '"')
				str = false;
			continue;
		}
		if (*s == '"')
			str = true;
		else if (*s == '{' || *s == '[')
			depth++;
		else if (*s == '}' || *s == ']')
			ck_assert_int_ge(--depth, 0);
		else if (*s == '\n')
			ck_assert_msg(!s[1] && !depth, "JSON spans lines");
	}
	ck_assert_int_eq(depth, 0);
	ck_assert(!str);
}

START_TEST(test_parse_stat_status)
{
	struct show_identity id;

	memset(&id, 0, sizeof(id));
	/* comm with a space and a ')': fields start after the last ')'. */
	ck_assert_int_eq(show_identity_parse_stat(
		"77 (a) b) S 12 77 77 0 -1 4194560 1500 0 3 0 1 2", &id), 0);
	ck_assert_int_eq(id.state, 'S');
	ck_assert_int_eq(id.ppid, 12);
	ck_assert_uint_eq(id.minflt, 1500);
	ck_assert_uint_eq(id.majflt, 3);
	ck_assert(!id.kernel_thread);
	ck_assert_int_eq(show_identity_parse_stat(
		"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0", &id), 0);
	ck_assert(id.kernel_thread);
	ck_assert_int_eq(show_identity_parse_stat("garbage", &id), -EINVAL);

	show_identity_parse_status("Name:\tmy server\nState:\tS (sleeping)\n"
				   "Uid:\t1000\t0\t0\t0\nThreads:\t4\n"
				   "VmRSS:\t   2048 kB\nVmSwap:\t     12 kB\n", &id);
	ck_assert_str_eq(id.comm, "my server");
	ck_assert_uint_eq(id.uid, 1000);
	ck_assert_uint_eq(id.euid, 0);
	ck_assert_uint_eq(id.threads, 4);
	ck_assert_uint_eq(id.vm_rss_kb, 2048);
	ck_assert_uint_eq(id.vm_swap_kb, 12);
}
END_TEST

START_TEST(test_identity_self)
{
	struct show_identity id;

	ck_assert_int_eq(show_identity_read(getpid(), &id), 0);
	ck_assert_int_eq(id.ppid, getppid());
	ck_assert_uint_eq(id.uid, getuid());
	ck_assert(id.exe[0] == '/');
	ck_assert_int_eq(show_identity_read(0x3ffffffe, &id), -ENOENT);
}
END_TEST

START_TEST(test_by_kind)
{
	struct show_kind_row rows[VMA_KIND__COUNT];
	struct show_data d;

	canned_data(&d);
	show_memory_by_kind(&d.maps, rows);
	ck_assert_uint_eq(rows[VMA_KIND_ANON].vmas, 2);
	ck_assert_uint_eq(rows[VMA_KIND_ANON].size, 0x10000 + 0x2000);
	ck_assert_uint_eq(rows[VMA_KIND_ANON].resident, 8 * 4096);
	ck_assert_uint_eq(rows[VMA_KIND_ANON].swap, 4 * 4096);
	ck_assert_uint_eq(rows[VMA_KIND_TEXT].resident, 4096);
	ck_assert_uint_eq(rows[VMA_KIND_HEAP].vmas, 0);
	free(d.socks.socks);
}
END_TEST

START_TEST(test_render_text)
{
	struct show_data d;
	char *out = NULL;

	cli.color = COLOR_NEVER;
	canned_data(&d);
	CAPTURE(out, show_render_text(&d, _f));
	ck_assert_ptr_nonnull(strstr(out, "pid 42  server"));
	ck_assert_ptr_nonnull(strstr(out, "exe      /usr/bin/server"));
	/* anon: 72 KiB, 32 KiB resident, 16 KiB swapped. */
	ck_assert_ptr_nonnull(strstr(out, "anon       2   72.0 KiB   32.0 KiB   16.0 KiB"));
	ck_assert_ptr_nonnull(strstr(out, "pgd 1 > pud 2 > pmd 2 > pte 3 tables = 32.0 KiB"));
	ck_assert_ptr_null(strstr(out, "p4d"));	/* folded with 4 levels */
	ck_assert_ptr_nonnull(strstr(out, "VmPTE 28.0 KiB: matches the walk"));
	ck_assert_ptr_nonnull(strstr(out, "since the watch began 2.5 s ago"));
	ck_assert_ptr_nonnull(strstr(out, "anon                 300"));
	ck_assert_ptr_nonnull(strstr(out, "3/4       [######....]"));
	ck_assert_ptr_nonnull(strstr(out, "not root"));
	ck_assert_ptr_null(strchr(out, '\033'));
	free(out);

	/* Not watched, and a part refused: each says so, the rest still shows. */
	d.watch_err = -ENOENT;
	d.pt_err = -EPERM;
	snprintf(d.errmsg[SHOW_PT], sizeof(d.errmsg[SHOW_PT]), "no access");
	d.admin = true;
	CAPTURE(out, show_render_text(&d, _f));
	ck_assert_ptr_nonnull(strstr(out, "not watched"));
	ck_assert_ptr_nonnull(strstr(out, "procscope show -d 5 42"));
	ck_assert_ptr_nonnull(strstr(out, "PAGE TABLES  unavailable: no access"));
	ck_assert_ptr_null(strstr(out, "not root"));
	ck_assert_ptr_nonnull(strstr(out, "LISTENING TCP SOCKETS"));
	free(out);
	free(d.socks.socks);
	cli.color = COLOR_AUTO;
}
END_TEST

START_TEST(test_render_json)
{
	struct show_data d;
	char *out = NULL;

	canned_data(&d);
	CAPTURE(out, show_render_json(&d, _f));
	assert_json_shape(out);
	ck_assert_ptr_eq(strstr(out, "{\"pid\":42,\"identity\":{\"comm\":\"server\""), out);
	/* The views' own objects, merged under their names. */
	ck_assert_ptr_nonnull(strstr(out, ",\"maps\":{\"pid\":42,\"mm\":{"));
	ck_assert_ptr_nonnull(strstr(out, "\"start\":\"0x7f0000000000\""));
	ck_assert_ptr_nonnull(strstr(out, ",\"pt\":{\"pid\":42,\"levels\":4,\"tables\":{"));
	ck_assert_ptr_nonnull(strstr(out, ",\"faults\":{\"summary\":{\"total\":302,"));
	ck_assert_ptr_nonnull(strstr(out, "\"anon\":{\"p50\":"));
	ck_assert_ptr_nonnull(strstr(out, ",\"sockets\":{\"pid\":42,\"sockets\":[{\"fd\":3,"));
	ck_assert_ptr_nonnull(strstr(out, "\"accept_queue\":3"));
	ck_assert_ptr_nonnull(strstr(out, "\"memory_by_kind\":{\"text\":{\"vmas\":1,"));
	ck_assert_ptr_nonnull(strstr(out, "\"watch\":{\"flags\":1,\"age_s\":2.5,"));
	ck_assert_ptr_nonnull(strstr(out, "\"live_events\":false,\"errors\":{}}"));
	free(out);

	d.watch_err = -ENOENT;
	d.socks_err = -EPERM;
	CAPTURE(out, show_render_json(&d, _f));
	assert_json_shape(out);
	ck_assert_ptr_nonnull(strstr(out, "\"faults\":null,\"watch\":null,\"watched\":false"));
	ck_assert_ptr_nonnull(strstr(out, "\"sockets\":null"));
	ck_assert_ptr_nonnull(strstr(out, "\"errors\":{\"sockets\":\""));
	free(out);
	free(d.socks.socks);
}
END_TEST

Suite *show_suite(void)
{
	return TEST_SUITE("show",
			  test_parse_stat_status,
			  test_identity_self,
			  test_by_kind,
			  test_render_text,
			  test_render_json);
}
