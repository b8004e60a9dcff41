// SPDX-License-Identifier: GPL-2.0
/* procscope top: rates, listener gauges, and the three renderers. */
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "render/top_render.h"
#include "suites.h"
#include "testutil.h"

/* Two snapshots 2 s apart: pid 10 busy with a listener, pid 20 idle. */
static void snaps(struct top_snapshot *a, struct top_snapshot *b)
{
	memset(a, 0, sizeof(*a));
	a->t_ns = 1000000000ull;
	a->n = 2;
	a->p[0] = (struct top_proc){ .pid = 20, .have_watch = true };
	snprintf(a->p[0].comm, sizeof(a->p[0].comm), "idle");
	a->p[1] = (struct top_proc){ .pid = 10, .have_watch = true,
				     .have_socks = true, .listeners = 1,
				     .accept_queue = 2, .backlog = 4,
				     .overflows = 5 };
	snprintf(a->p[1].comm, sizeof(a->p[1].comm), "busy");
	a->p[1].by_class[PROCSCOPE_FAULT_ANON] = 100;
	*b = *a;
	b->t_ns = 3000000000ull;
	b->p[1].by_class[PROCSCOPE_FAULT_ANON] = 300;	/* 100/s */
	b->p[1].by_class[PROCSCOPE_FAULT_SWAP] = 10;	/* 5/s */
	b->p[1].major = 10;
	b->p[1].accept_queue = 5;			/* full: backlog + 1 */
	b->p[1].overflows = 8;
}

START_TEST(test_rates)
{
	struct top_snapshot a, b;
	struct top_rates r;

	snaps(&a, &b);
	top_rates(&a.p[1], &b.p[1], 2.0, &r);
	ck_assert(r.cls[PROCSCOPE_FAULT_ANON] > 99.9 && r.cls[PROCSCOPE_FAULT_ANON] < 100.1);
	ck_assert(r.total > 104.9 && r.total < 105.1);
	ck_assert(r.major > 4.9 && r.major < 5.1);
	ck_assert_uint_eq(r.new_overflows, 3);
	/* A watch that restarted from 0 gives no negative rate. */
	top_rates(&b.p[1], &a.p[1], 2.0, &r);
	ck_assert(r.total == 0 && r.major == 0);
	ck_assert_uint_eq(r.new_overflows, 0);
	top_rates(NULL, &b.p[1], 2.0, &r);
	ck_assert(r.total == 0);
	ck_assert_ptr_eq(top_find(&b, 10), &b.p[1]);
	ck_assert_ptr_null(top_find(&b, 11));
}
END_TEST

START_TEST(test_set_socks)
{
	struct ps_sock s[3];
	struct sock_list l = { s, 3, 3 };
	struct top_proc p;

	memset(s, 0, sizeof(s));
	memset(&p, 0, sizeof(p));
	s[0] = (struct ps_sock){ .listener = true, .accept_queue = 3,
				 .backlog = 128, .syn_queue = 1, .listen_drops = 9 };
	s[1] = (struct ps_sock){ .listener = true, .accept_queue = 2,
				 .backlog = 2, .syn_queue = 2, .watched = true };
	s[1].drops[PROCSCOPE_DROP_SYN_ACCEPTQ_FULL] = 4;
	s[1].drops[PROCSCOPE_DROP_ACK_OVERFLOW] = 1;
	s[1].drops[PROCSCOPE_DROP_SYN_COOKIE] = 50;	/* not an overflow */
	s[2] = (struct ps_sock){ .accept_queue = 99 };	/* a connection */
	top_proc_set_socks(&p, &l);
	ck_assert_uint_eq(p.listeners, 2);
	/* 2 of 3 is fuller than 3 of 129. */
	ck_assert_uint_eq(p.accept_queue, 2);
	ck_assert_uint_eq(p.backlog, 2);
	ck_assert_uint_eq(p.syn_queue, 3);
	ck_assert_uint_eq(p.overflows, 9 + 4 + 1);
}
END_TEST

START_TEST(test_lines)
{
	struct top_snapshot a, b;
	struct top_view v = { .interval = 2.0, .clock = "12:00:00" };
	char *out = NULL, *busy, *idle;

	snaps(&a, &b);
	CAPTURE(out, top_render_lines(&a, &b, &v, true, _f));
	ck_assert_ptr_eq(strstr(out, "TIME "), out);
	busy = strstr(out, "12:00:00      10 busy");
	idle = strstr(out, "12:00:00      20 idle");
	ck_assert_ptr_nonnull(busy);
	ck_assert_ptr_nonnull(idle);
	ck_assert(busy < idle);		/* busiest first */
	ck_assert_ptr_nonnull(strstr(busy, "105.0       5.0 5/4"));
	ck_assert_ptr_nonnull(strstr(busy, "anon=100.0 swap=5.0\n"));
	ck_assert_ptr_nonnull(strstr(idle, "0.0       0.0 -                -          -  -\n"));
	ck_assert_ptr_null(strchr(out, '\033'));
	free(out);
	CAPTURE(out, top_render_lines(&a, &b, &v, false, _f));
	ck_assert_ptr_null(strstr(out, "TIME "));
	free(out);
}
END_TEST

/* Visible columns of one line: escapes take none, UTF-8 one per char. */
static unsigned int visible(const char *s, const char *end)
{
	unsigned int n = 0;

	while (s < end) {
		if (*s == '\033') {
			s += 2;
			while (s < end && !(*s >= 0x40 && *s <= 0x7e))
				s++;
			s++;
			continue;
		}
		if ((*s & 0xc0) != 0x80)
			n++;
		s++;
	}
	return n;
}

START_TEST(test_screen)
{
	struct top_snapshot a, b;
	struct top_view v = { .width = 90, .height = 24, .interval = 1.0,
			      .clock = "12:00:00",
			      .ts = { .color = true, .unicode = true } };
	char *out = NULL, *p, *nl;
	unsigned int lines = 0;

	snaps(&a, &b);
	CAPTURE(out, top_render_screen(&a, &b, &v, _f));
	for (p = out; (nl = strchr(p, '\n')); p = nl + 1) {
		/* "\033[K" ends every line: the old frame is erased. */
		ck_assert(nl - p >= 3 && !strncmp(nl - 3, "\033[K", 3));
		ck_assert_uint_le(visible(p, nl - 3), 90);
		lines++;
	}
	ck_assert_uint_le(lines, 24);
	ck_assert_ptr_nonnull(strstr(out, "procscope top"));
	ck_assert_ptr_nonnull(strstr(out, "\u2588"));	/* a Unicode gauge */
	free(out);

	/* Narrow: rows are cut at the width, the colour reset after the cut. */
	v.width = 40;
	CAPTURE(out, top_render_screen(&a, &b, &v, _f));
	for (p = out; (nl = strchr(p, '\n')); p = nl + 1)
		ck_assert_uint_le(visible(p, nl - 3), 40);
	ck_assert_ptr_null(strstr(out, "\u2588"));
	free(out);

	/* Wide: the whole row, the class line under it; ASCII without UTF-8. */
	v.width = 200;
	v.ts.unicode = false;
	v.ts.color = false;
	CAPTURE(out, top_render_screen(&a, &b, &v, _f));
	ck_assert_ptr_nonnull(strstr(out, "[##########]"));
	ck_assert_ptr_nonnull(strstr(out, "8 (+3)"));
	ck_assert_ptr_nonnull(strstr(out, "anon 100.0  swap 5.0"));
	free(out);

	/* Short: rows that do not fit are counted, not drawn. */
	v.height = 6;
	CAPTURE(out, top_render_screen(&a, &b, &v, _f));
	ck_assert_ptr_nonnull(strstr(out, "... 1 more"));
	ck_assert_ptr_null(strstr(out, " idle"));
	free(out);
}
END_TEST

START_TEST(test_json)
{
	struct top_snapshot a, b;
	struct json j;
	char *out = NULL;

	snaps(&a, &b);
	CAPTURE(out, { json_init(&j, _f); top_render_json(&a, &b, &j); });
	ck_assert_ptr_nonnull(strstr(out, "\"interval_s\":2,"));
	ck_assert_ptr_nonnull(strstr(out, "{\"pid\":10,\"comm\":\"busy\",\"gone\":false,\"watched\":true,\"faults_per_s\":105,"));
	ck_assert_ptr_nonnull(strstr(out, "\"accept_queue\":5,\"backlog\":4,\"syn_queue\":0,\"overflows\":8,\"new_overflows\":3}"));
	ck_assert_ptr_nonnull(strstr(out, "\"pid\":20,"));
	ck_assert_ptr_nonnull(strstr(out, "\"listeners\":0,\"accept_queue\":null"));
	ck_assert_ptr_eq(strchr(out, '\n'), out + strlen(out) - 1);
	free(out);
}
END_TEST

Suite *top_suite(void)
{
	return TEST_SUITE("top",
			  test_rates,
			  test_set_socks,
			  test_lines,
			  test_screen,
			  test_json);
}
