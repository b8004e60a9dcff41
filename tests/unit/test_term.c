// SPDX-License-Identifier: GPL-2.0
/* Terminal helpers: the one bar, the gauge, colour/Unicode decisions, progress. */
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "render/maps_render.h"
#include "render/term.h"
#include "suites.h"
#include "testutil.h"

START_TEST(test_bar_ascii)
{
	const struct term_bar_seg seg[] = {
		{ 50, '#', TERM_GLYPH_FULL }, { 20, 's', TERM_GLYPH_MID },
	};
	char buf[64];

	ck_assert_str_eq(term_bar(buf, sizeof(buf), 100, seg, 2, 10, false),
			 "#####ss...");
	/* A tiny non-zero share still gets a cell; nothing overflows. */
	ck_assert_str_eq(term_bar(buf, sizeof(buf), 1000,
				  (const struct term_bar_seg[]){ { 1, '#', "" } },
				  1, 10, false), "#.........");
	ck_assert_str_eq(term_bar(buf, sizeof(buf), 10,
				  (const struct term_bar_seg[]){ { 9, '#', "" },
								 { 9, 's', "" } },
				  2, 4, false), "####");
	ck_assert_str_eq(term_bar(buf, sizeof(buf), 0, seg, 2, 4, false), "....");
	/* The buffer too small: an empty string, not an overrun. */
	ck_assert_str_eq(term_bar(buf, 5, 100, seg, 2, 10, false), "");
}
END_TEST

START_TEST(test_bar_unicode)
{
	const struct term_bar_seg seg[] = {
		{ 2, '#', TERM_GLYPH_FULL }, { 1, 's', TERM_GLYPH_MID },
	};
	char buf[TERM_BAR_BUFSIZE(4)];

	ck_assert_str_eq(term_bar(buf, sizeof(buf), 4, seg, 2, 4, true),
			 "\u2588\u2588\u2592\u2591");
	ck_assert_uint_eq(strlen(buf), 12);
	ck_assert_str_eq(term_bar(buf, sizeof(buf) - 1, 4, seg, 2, 4, true), "");
}
END_TEST

START_TEST(test_gauge)
{
	char buf[64];

	/* An accept queue of 4 with backlog 4 holds 5: 8 of 10 cells. */
	ck_assert_str_eq(term_gauge(buf, sizeof(buf), 4, 5, 10, false),
			 "[########..]");
	ck_assert_str_eq(term_gauge(buf, sizeof(buf), 0, 5, 10, false),
			 "[..........]");
	ck_assert_str_eq(term_gauge(buf, sizeof(buf), 9, 5, 10, false),
			 "[##########]");
	ck_assert_str_eq(term_gauge(buf, 6, 1, 5, 10, false), "");
}
END_TEST

START_TEST(test_maps_bar_is_term_bar)
{
	char a[16], b[16];
	const struct term_bar_seg seg[] = {
		{ 300, '#', TERM_GLYPH_FULL }, { 200, 's', TERM_GLYPH_MID },
	};

	ck_assert_str_eq(maps_bar(1000, 300, 200, a, 10),
			 term_bar(b, sizeof(b), 1000, seg, 2, 10, false));
}
END_TEST

START_TEST(test_style)
{
	struct term_style s;
	FILE *f = tmpfile();	/* not a TTY */

	ck_assert_ptr_nonnull(f);
	cli.color = COLOR_AUTO;
	unsetenv("NO_COLOR");
	s = term_style_for(f);
	ck_assert(!s.color && !s.unicode);
	cli.color = COLOR_ALWAYS;
	setenv("LC_ALL", "en_US.UTF-8", 1);
	s = term_style_for(f);
	ck_assert(s.color && s.unicode);
	ck_assert_str_eq(term_sgr(&s, TERM_BOLD), "\033[1m");
	setenv("LC_ALL", "C", 1);
	s = term_style_for(f);
	ck_assert(s.color && !s.unicode);	/* no UTF-8: ASCII bars */
	cli.color = COLOR_NEVER;
	setenv("LC_ALL", "C.UTF-8", 1);
	s = term_style_for(f);
	ck_assert(!s.color && !s.unicode);
	ck_assert_str_eq(term_sgr(&s, TERM_BOLD), "");
	cli.color = COLOR_AUTO;
	unsetenv("LC_ALL");
	fclose(f);
}
END_TEST

START_TEST(test_progress)
{
	struct term_progress p;
	char *out = NULL;

	CAPTURE(out, {
		term_progress_start_on(&p, _f, "ptes", 200);
		/* Quiet for the first 300 ms. */
		term_progress_update_at(&p, 10, NULL, p.t0_ns + 100000000ull);
		term_progress_update_at(&p, 50, "at 0x1000", p.t0_ns + 400000000ull);
		/* At most every 100 ms. */
		term_progress_update_at(&p, 60, NULL, p.t0_ns + 450000000ull);
		term_progress_update_at(&p, 100, NULL, p.t0_ns + 600000000ull);
		term_progress_end(&p);
	});
	ck_assert_str_eq(out, "\r\033[Kptes:  25% at 0x1000\r\033[Kptes:  50%\r\033[K");
	free(out);
	CAPTURE(out, {
		term_progress_start_on(&p, _f, "dump", 0);
		term_progress_update_at(&p, 1234, NULL, p.t0_ns + 500000000ull);
		term_progress_end(&p);
	});
	ck_assert_str_eq(out, "\r\033[Kdump: 1234\r\033[K");
	free(out);
	/* Never drawn: nothing to erase. */
	CAPTURE(out, {
		term_progress_start_on(&p, _f, "quick", 5);
		term_progress_end(&p);
	});
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

Suite *term_suite(void)
{
	return TEST_SUITE("term",
			  test_bar_ascii,
			  test_bar_unicode,
			  test_gauge,
			  test_maps_bar_is_term_bar,
			  test_style,
			  test_progress);
}
