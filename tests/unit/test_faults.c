// SPDX-License-Identifier: GPL-2.0
/* procscope faults: event/watch parsing, latency stats, renderers, symbols. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "model/fault_event.h"
#include "model/fault_summary.h"
#include "model/hist.h"
#include "model/symbolize.h"
#include "render/fault_render.h"
#include "render/json.h"
#include "suites.h"
#include "testutil.h"

static char msgbuf[8192];

/* A FAULT_EVENT message with two A_FAULT nests (canned, as the module builds). */
static struct nlmsghdr *fault_msg(int bad)
{
	struct nlmsghdr *nlh = msg_start(msgbuf, PROCSCOPE_CMD_FAULT_EVENT);
	struct nlattr *n;
	int i;

	for (i = 0; i < 2; i++) {
		n = mnl_attr_nest_start(nlh, PROCSCOPE_A_FAULT);
		mnl_attr_put_u64(nlh, PROCSCOPE_FAULT_A_TS_NS, 1000 + i);
		mnl_attr_put_u32(nlh, PROCSCOPE_FAULT_A_PID, 42);
		mnl_attr_put_u32(nlh, PROCSCOPE_FAULT_A_TID, 43);
		mnl_attr_put_strz(nlh, PROCSCOPE_FAULT_A_COMM, "work");
		mnl_attr_put_u64(nlh, PROCSCOPE_FAULT_A_ADDR, 0x7f0000001000ull + i * 4096);
		mnl_attr_put_u64(nlh, PROCSCOPE_FAULT_A_IP, 0x401000);
		mnl_attr_put_u32(nlh, PROCSCOPE_FAULT_A_CLASS,
				 i ? PROCSCOPE_FAULT_FILE_MAJOR : PROCSCOPE_FAULT_ANON);
		mnl_attr_put_u8(nlh, PROCSCOPE_FAULT_A_MAJOR, i);
		mnl_attr_put_u8(nlh, PROCSCOPE_FAULT_A_COUNTED, 1);
		mnl_attr_put_u64(nlh, PROCSCOPE_FAULT_A_LATENCY_NS, 1500 + i * 1000000);
		mnl_attr_put_u32(nlh, PROCSCOPE_FAULT_A_ACCESS,
				 PROCSCOPE_ACCESS_WRITE | PROCSCOPE_ACCESS_USER);
		if (bad && i)	/* class as a u8: must fail validation */
			mnl_attr_put_u8(nlh, PROCSCOPE_FAULT_A_STATE_BEFORE, 1);
		mnl_attr_nest_end(nlh, n);
	}
	return nlh;
}

static int collect(const struct fault_event *ev, void *data)
{
	struct fault_event *out = data;

	out[ev->ts_ns - 1000] = *ev;
	return 0;
}

START_TEST(test_fault_parse)
{
	struct fault_event ev[2];

	ck_assert_int_eq(fault_msg_for_each(fault_msg(0), collect, ev), 2);
	ck_assert_uint_eq(ev[0].pid, 42);
	ck_assert_uint_eq(ev[0].tid, 43);
	ck_assert_str_eq(ev[0].comm, "work");
	ck_assert_uint_eq(ev[0].cls, PROCSCOPE_FAULT_ANON);
	ck_assert_uint_eq(ev[1].addr, 0x7f0000002000ull);
	ck_assert(ev[1].major);
	ck_assert_uint_eq(ev[1].latency_ns, 1001500);
	ck_assert_int_eq(fault_msg_for_each(fault_msg(1), NULL, NULL), -EINVAL);
}
END_TEST

START_TEST(test_watch_parse)
{
	struct nlmsghdr *nlh = msg_start(msgbuf, PROCSCOPE_CMD_WATCH_GET);
	struct nlattr *w, *a, *h, *b;
	struct fault_watch fw;

	w = mnl_attr_nest_start(nlh, PROCSCOPE_A_WATCH);
	mnl_attr_put_u32(nlh, PROCSCOPE_WATCH_PID, 77);
	mnl_attr_put_u64(nlh, PROCSCOPE_WATCH_SEEN, 10);
	mnl_attr_put_u64(nlh, PROCSCOPE_WATCH_DELIVERED, 7);
	mnl_attr_put_u64(nlh, PROCSCOPE_WATCH_DROPPED, 3);
	mnl_attr_put_u64(nlh, PROCSCOPE_WATCH_MINOR, 9);
	mnl_attr_put_u8(nlh, PROCSCOPE_WATCH_EXITED, 1);
	mnl_attr_put_u32(nlh, PROCSCOPE_WATCH_LISTENERS, 128);
	mnl_attr_put_u64(nlh, PROCSCOPE_WATCH_LISTENERS_REFUSED, 40);
	a = mnl_attr_nest_start(nlh, PROCSCOPE_WATCH_BY_CLASS);
	mnl_attr_put_u64(nlh, PROCSCOPE_FAULT_SWAP + 1, 5);
	mnl_attr_nest_end(nlh, a);
	a = mnl_attr_nest_start(nlh, PROCSCOPE_WATCH_LATENCY);
	h = mnl_attr_nest_start(nlh, PROCSCOPE_WATCH_HIST);
	mnl_attr_put_u32(nlh, PROCSCOPE_HIST_CLASS, PROCSCOPE_FAULT_SWAP);
	mnl_attr_put_u64(nlh, PROCSCOPE_HIST_MAX_NS, 5000);
	b = mnl_attr_nest_start(nlh, PROCSCOPE_HIST_BUCKETS_NEST);
	mnl_attr_put_u64(nlh, 12 + 1, 5);	/* [4096, 8192) ns */
	mnl_attr_nest_end(nlh, b);
	mnl_attr_nest_end(nlh, h);
	mnl_attr_nest_end(nlh, a);
	mnl_attr_nest_end(nlh, w);

	ck_assert_int_eq(fault_watch_parse(nlh, &fw), 0);
	ck_assert_uint_eq(fw.pid, 77);
	ck_assert_uint_eq(fw.seen, fw.delivered + fw.dropped);
	ck_assert(fw.exited);
	ck_assert_uint_eq(fw.listeners, 128);
	ck_assert_uint_eq(fw.listeners_refused, 40);
	ck_assert_uint_eq(fw.by_class[PROCSCOPE_FAULT_SWAP], 5);
	ck_assert_uint_eq(fw.hist[PROCSCOPE_FAULT_SWAP].buckets[12], 5);
	ck_assert_uint_eq(fw.hist[PROCSCOPE_FAULT_SWAP].max_ns, 5000);
}
END_TEST

START_TEST(test_latency_exact)
{
	struct latency_stats s;
	uint64_t i;

	latency_init(&s);
	ck_assert_uint_eq(latency_percentile(&s, 50), 0);
	for (i = 100; i >= 1; i--)
		latency_add(&s, i * 1000);
	ck_assert_uint_eq(latency_percentile(&s, 50), 50000);
	ck_assert_uint_eq(latency_percentile(&s, 99), 99000);
	ck_assert_uint_eq(latency_percentile(&s, 100), 100000);
	ck_assert_uint_eq(s.max, 100000);
	latency_free(&s);
}
END_TEST

START_TEST(test_latency_hist)
{
	uint64_t b[PROCSCOPE_HIST_BUCKETS] = { 0 };
	struct latency_stats s;
	uint64_t p50, p99;

	latency_init(&s);
	b[10] = 90;	/* [1024, 2048) */
	b[20] = 10;	/* [1 Mi, 2 Mi) */
	latency_add_hist(&s, b, PROCSCOPE_HIST_BUCKETS, 1500000, 0);
	p50 = latency_percentile(&s, 50);
	p99 = latency_percentile(&s, 99);
	ck_assert(p50 >= 1024 && p50 < 2048);
	ck_assert(p99 >= (1u << 20) && p99 <= 1500000);
	ck_assert_uint_eq(s.count, 100);
	latency_free(&s);
}
END_TEST

START_TEST(test_render)
{
	struct fault_event ev[2];
	struct fault_line_ctx c = { .t0_ns = 0, .vma = "heap", .site = "main+0x1a (prog)" };
	struct fault_summary sum;
	struct json j;
	char *out = NULL;

	fault_msg_for_each(fault_msg(0), collect, ev);
	CAPTURE(out, fault_render_line(&ev[1], &c, _f));
	ck_assert_ptr_nonnull(strstr(out, "file_major"));
	ck_assert_ptr_nonnull(strstr(out, "0x00007f0000002000"));
	ck_assert_ptr_nonnull(strstr(out, "major"));
	ck_assert_ptr_nonnull(strstr(out, "main+0x1a (prog)"));
	free(out);
	CAPTURE(out, (json_init(&j, _f), fault_render_json(&ev[0], &c, &j)));
	ck_assert_ptr_nonnull(strstr(out, "\"class\":\"anon\""));
	ck_assert_ptr_nonnull(strstr(out, "\"addr\":\"0x7f0000001000\""));
	ck_assert_ptr_nonnull(strstr(out, "\"latency_ns\":1500"));
	ck_assert_ptr_nonnull(strstr(out, "\"major\":false"));
	free(out);

	fault_summary_init(&sum);
	fault_summary_add(&sum, &ev[0], "a", "heap");
	fault_summary_add(&sum, &ev[1], "a", "file");
	CAPTURE(out, (json_init(&j, _f), fault_summary_render_json(&sum, &j, 5)));
	ck_assert_ptr_nonnull(strstr(out, "{\"summary\":{\"total\":2,"));
	ck_assert_ptr_nonnull(strstr(out, "\"file_major\":1"));
	ck_assert_ptr_nonnull(strstr(out, "\"dropped\":0,\"delivered\":2"));
	ck_assert_ptr_nonnull(strstr(out, "{\"name\":\"a\",\"count\":2}"));
	free(out);
	fault_summary_free(&sum);
}
END_TEST

/* A reader resolves a site once, then counts it by index. */
START_TEST(test_tops_intern)
{
	struct fault_summary sum;
	char key[32];
	long a, b, i;

	fault_summary_init(&sum);
	a = fault_tops_intern(&sum.sites, "main+0x1a (prog)");
	b = fault_tops_intern(&sum.sites, "heap");
	ck_assert_int_ge(a, 0);
	ck_assert_int_ne(a, b);
	ck_assert_int_eq(fault_tops_intern(&sum.sites, "main+0x1a (prog)"), a);
	fault_tops_hit(&sum.sites, a);
	fault_tops_hit(&sum.sites, a);
	fault_tops_hit(&sum.sites, b);
	fault_tops_add(&sum.sites, "heap");
	fault_tops_add(&sum.sites, "heap");
	ck_assert_uint_eq(sum.sites.v[a].count, 2);
	ck_assert_uint_eq(sum.sites.v[b].count, 3);
	/* Interned but never hit: count 0; beyond the table: other. */
	for (i = sum.sites.n; i < FAULT_TOP_KEYS; i++) {
		snprintf(key, sizeof(key), "k%ld", i);
		ck_assert_int_eq(fault_tops_intern(&sum.sites, key), i);
	}
	ck_assert_int_eq(fault_tops_intern(&sum.sites, "one too many"), -1);
	fault_tops_hit(&sum.sites, -1);
	ck_assert_uint_eq(sum.sites.other, 1);
	fault_tops_sort(&sum.sites);
	ck_assert_str_eq(sum.sites.v[0].key, "heap");
	ck_assert_uint_eq(sum.sites.v[2].count, 0);
	fault_summary_free(&sum);
}
END_TEST

/* Symbolize our own code and libc through /proc/self/maps. */
static int self_sym(const void *addr, char *buf, size_t len)
{
	unsigned long lo, hi, off, dmaj, dmin, ino, a = (unsigned long)addr;
	char line[1024], path[900];
	struct symbolizer *sz;
	FILE *f = fopen("/proc/self/maps", "r");
	int ret = -1;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		path[0] = '\0';
		if (sscanf(line, "%lx-%lx %*s %lx %lx:%lx %lu %899s", &lo, &hi,
			   &off, &dmaj, &dmin, &ino, path) >= 6 &&
		    a >= lo && a < hi && path[0] == '/') {
			const struct mapped_file mf = {
				.start = lo, .end = hi, .path = path,
				.dev = makedev(dmaj, dmin), .ino = ino,
			};

			sz = symbolizer_new(0);
			ret = symbolize_ip(sz, &mf, off, a, buf, len);
			symbolizer_free(sz);
			break;
		}
	}
	fclose(f);
	return ret;
}

START_TEST(test_symbolize)
{
	struct symbolizer *sz;
	char buf[512];

	ck_assert_int_eq(self_sym((const char *)self_sym + 3, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "self_sym+0x3 (check_procscope)");
	ck_assert_int_eq(self_sym((const void *)getenv, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "getenv+0x0 (libc.so"));
	sz = symbolizer_new(0);
	ck_assert_int_lt(symbolize_ip(sz, &(struct mapped_file){
					      .path = "/nonexistent" },
				      0, 0x10, buf,
				      sizeof(buf)), 0);
	ck_assert_str_eq(buf, "nonexistent+0x10");
	symbolizer_free(sz);
}
END_TEST

Suite *faults_suite(void)
{
	return TEST_SUITE("faults",
			  test_fault_parse,
			  test_watch_parse,
			  test_latency_exact,
			  test_latency_hist,
			  test_render,
			  test_tops_intern,
			  test_symbolize);
}
