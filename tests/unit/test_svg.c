// SPDX-License-Identifier: GPL-2.0
/*
 * SVG pictures: the XML writer's escaping, the page-table tree rebuilt from
 * canned PTE_DUMP messages (4- and 5-level), the address-space strips, and
 * every rendered document checked for well-formedness by a real XML parser
 * (xmllint, Debian package libxml2-utils; scripts/deps.sh installs it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/pte_dump.h"
#include "model/vmas.h"
#include "render/maps_svg.h"
#include "render/pt_svg.h"
#include "render/svg.h"
#include "suites.h"
#include "testutil.h"

/* 0: xmllint parsed @doc; otherwise its exit status (or -1). */
static int xmllint(const char *doc)
{
	char path[] = "/tmp/procscope-svg-XXXXXX";
	char cmd[128];
	int fd = mkstemp(path), st;
	size_t len = strlen(doc);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, doc, len), (ssize_t)len);
	close(fd);
	ck_assert_msg(system("command -v xmllint >/dev/null 2>&1") == 0,
		      "xmllint is missing: apt-get install libxml2-utils (make deps)");
	snprintf(cmd, sizeof(cmd), "xmllint --noout %s 2>/dev/null", path);
	st = system(cmd);
	unlink(path);
	return st;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

START_TEST(test_escape)
{
	char *out = NULL;

	CAPTURE(out, svg_escape(_f, "a<b>&\"c'"));
	ck_assert_str_eq(out, "a&lt;b&gt;&amp;&quot;c&apos;");
	free(out);
	out = NULL;
	/* valid UTF-8 kept; bad bytes, controls, surrogates, U+FFFE replaced */
	CAPTURE(out, svg_escape(_f, "\xc3\xa9|\xff|\x01|\xed\xa0\x80|\xef\xbf\xbe|\xc0\xaf|\xe2\x82|\t"));
	ck_assert_str_eq(out, "\xc3\xa9|?|?|???|???|??|??|\t");
	free(out);
}
END_TEST

START_TEST(test_xmllint_can_fail)
{
	/* The checker itself must reject what a careless writer produces. */
	ck_assert_int_ne(xmllint("<svg><text>a & b</text></svg>"), 0);
	ck_assert_int_ne(xmllint("<svg><text>\xff</text></svg>"), 0);
	ck_assert_int_eq(xmllint("<svg><text>a &amp; b</text></svg>"), 0);
}
END_TEST

START_TEST(test_writer)
{
	char *out = NULL;
	struct svg s;

	CAPTURE(out, {
		svg_begin(&s, _f, 100.5, 20, "t<1>", ".a>b{fill:red}\n");
		svg_group_begin(&s, "g", "tip & more");
		svg_rect(&s, 1.25, 2, 3, 4, "a", "\xff bad");
		svg_group_begin(&s, NULL, NULL);
		svg_text(&s, 0, 10, NULL, "%d<%s", 5, "x\"y");
		svg_link(&s, 0, 0, 10, 10, "l");
		svg_line(&s, 0, 0, -1.5, 1, NULL);
		/* svg_end() closes the groups left open */
		ck_assert_int_eq(svg_end(&s), 0);
	});
	ck_assert_ptr_nonnull(strstr(out, "width=\"100.5\" height=\"20\""));
	ck_assert_ptr_nonnull(strstr(out, "<title>t&lt;1&gt;</title>"));
	ck_assert_ptr_nonnull(strstr(out, "x=\"1.25\""));
	ck_assert_ptr_nonnull(strstr(out, "5&lt;x&quot;y"));
	ck_assert_ptr_nonnull(strstr(out, "x2=\"-1.5\""));
	ck_assert_int_eq(count(out, "<g"), 2);
	ck_assert_int_eq(count(out, "</g>"), 2);
	ck_assert_int_eq(xmllint(out), 0);
	free(out);
}
END_TEST

static void put_pte(struct nlmsghdr *nlh, uint64_t va, uint32_t level,
		    uint64_t flags)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, PROCSCOPE_A_PTE);

	mnl_attr_put_u64(nlh, PROCSCOPE_PTE_VA, va);
	mnl_attr_put_u32(nlh, PROCSCOPE_PTE_LEVEL, level);
	mnl_attr_put_u64(nlh, PROCSCOPE_PTE_FLAGS, flags);
	mnl_attr_nest_end(nlh, n);
}

#define P PROCSCOPE_PTE_F_PRESENT

/* One PTE_DUMP batch: 3 pages, 1 swap entry, 1 huge page (+ @high). */
static struct nlmsghdr *canned_dump(char *buf, bool high)
{
	struct nlmsghdr *nlh = msg_start(buf, PROCSCOPE_CMD_PTE_DUMP);

	put_pte(nlh, 0x555555554000ULL, PROCSCOPE_LEVEL_PTE, P);
	put_pte(nlh, 0x7f0000000000ULL, PROCSCOPE_LEVEL_PTE, P);
	put_pte(nlh, 0x7f0000001000ULL, PROCSCOPE_LEVEL_PTE, PROCSCOPE_PTE_F_SWAP);
	put_pte(nlh, 0x7f0000200000ULL, PROCSCOPE_LEVEL_PMD,
		P | PROCSCOPE_PTE_F_HUGE);
	put_pte(nlh, 0x7ffffffde000ULL, PROCSCOPE_LEVEL_PTE, P);
	if (high)	/* above 128 TiB: only with 5-level paging */
		put_pte(nlh, 0x80000000000000ULL, PROCSCOPE_LEVEL_PTE, P);
	return nlh;
}

static int tree_add(const struct pte_entry *e, void *ctx)
{
	return pt_tree_add(ctx, e);
}

START_TEST(test_tree4)
{
	char buf[4096], *out = NULL;
	struct pt_summary sum = { .pid = 42, .levels = 4 };
	struct pt_tree t;
	struct pte_entry e = { 0 };
	bool vis = false;

	ck_assert_int_eq(pt_tree_init(&t, 4), 0);
	ck_assert_int_eq(ptes_parse_msg(canned_dump(buf, false), &vis, tree_add, &t), 0);
	/* PGD entries 170, 254, 255 -> 3 PUD, 3 PMD tables; 3 PTE tables */
	ck_assert_uint_eq(t.tables[PROCSCOPE_LEVEL_PGD], 1);
	ck_assert_uint_eq(t.tables[PROCSCOPE_LEVEL_P4D], 0);
	ck_assert_uint_eq(t.tables[PROCSCOPE_LEVEL_PUD], 3);
	ck_assert_uint_eq(t.tables[PROCSCOPE_LEVEL_PMD], 3);
	ck_assert_uint_eq(t.tables[PROCSCOPE_LEVEL_PTE], 3);
	ck_assert_uint_eq(t.count, 10);
	ck_assert_uint_eq(t.n[0].used, 3);
	ck_assert_int_eq(t.n[0].ent[170], PT_ENT_TABLE);
	ck_assert_int_eq(t.n[0].ent[254], PT_ENT_TABLE);
	ck_assert_int_eq(t.n[0].ent[0], PT_ENT_EMPTY);
	ck_assert_uint_eq(t.leaves[PT_ENT_PAGE], 3);
	ck_assert_uint_eq(t.leaves[PT_ENT_SWAP], 1);
	ck_assert_uint_eq(t.leaves[PT_ENT_HUGE], 1);
	/* the 0x7f0000000000 PMD table: entry 0 a PTE table, entry 1 huge */
	ck_assert_int_eq(t.n[5].level, PROCSCOPE_LEVEL_PMD);
	ck_assert_uint_eq(t.n[5].base, 0x7f0000000000ULL);
	ck_assert_int_eq(t.n[5].ent[0], PT_ENT_TABLE);
	ck_assert_int_eq(t.n[5].ent[1], PT_ENT_HUGE);
	ck_assert_uint_eq(t.n[5].used, 2);
	ck_assert_int_eq(t.n[6].ent[1], PT_ENT_SWAP);

	/* a 4 KiB leaf under a huge leaf, a P4D leaf with 4 levels: refused */
	e.va = 0x7f0000201000ULL;
	e.level = PROCSCOPE_LEVEL_PTE;
	e.flags = P;
	ck_assert_int_eq(pt_tree_add(&t, &e), -EINVAL);
	e.level = PROCSCOPE_LEVEL_P4D;
	ck_assert_int_eq(pt_tree_add(&t, &e), -EINVAL);
	/* out of order is fine: same table found again */
	e.va = 0x555555555000ULL;
	e.level = PROCSCOPE_LEVEL_PTE;
	ck_assert_int_eq(pt_tree_add(&t, &e), 0);
	ck_assert_uint_eq(t.count, 10);

	sum.tables[PROCSCOPE_LEVEL_PGD] = 1;
	sum.tables[PROCSCOPE_LEVEL_PUD] = 3;
	sum.tables[PROCSCOPE_LEVEL_PMD] = 3;
	sum.tables[PROCSCOPE_LEVEL_PTE] = 4;	/* one emptied table */
	sum.mm[PROCSCOPE_MM_TASK_SIZE] = 1ULL << 47;
	CAPTURE(out, ck_assert_int_eq(pt_svg_render(&t, &sum, _f), 0));
	ck_assert_int_eq(xmllint(out), 0);
	ck_assert_ptr_nonnull(strstr(out, "4-level radix tree, 48-bit"));
	ck_assert_ptr_nonnull(strstr(out, ">PUD (3)<"));
	ck_assert_ptr_null(strstr(out, ">P4D"));
	ck_assert_ptr_nonnull(strstr(out, "1 table(s) the kernel walked map no leaf"));
	ck_assert_int_eq(count(out, "class=\"tbl\""), 10);
	ck_assert_ptr_nonnull(strstr(out, "one flat table would take 256.0 GiB"));
	ck_assert_int_eq(count(out, "class=\"link\""), 9);
	/* legend + 1 huge leaf, legend + 1 swap entry */
	ck_assert_int_eq(count(out, "class=\"e3\""), 2);
	ck_assert_int_eq(count(out, "class=\"e4\""), 2);
	ck_assert_ptr_nonnull(strstr(out, "entries 1-1: huge page, 0x7f0000200000-0x7f0000400000"));
	free(out);
	pt_tree_free(&t);
}
END_TEST

START_TEST(test_tree5)
{
	char buf[4096], *out = NULL;
	struct pt_tree t;
	bool vis = false;

	ck_assert_int_eq(pt_tree_init(&t, 5), 0);
	ck_assert_int_eq(ptes_parse_msg(canned_dump(buf, true), &vis, tree_add, &t), 0);
	/* PGD entries 0 and 128 -> 2 P4D tables; the rest as with 4 levels + 1 */
	ck_assert_uint_eq(t.n[0].used, 2);
	ck_assert_int_eq(t.n[0].ent[128], PT_ENT_TABLE);
	ck_assert_uint_eq(t.tables[PROCSCOPE_LEVEL_P4D], 2);
	ck_assert_uint_eq(t.tables[PROCSCOPE_LEVEL_PUD], 4);
	ck_assert_uint_eq(t.tables[PROCSCOPE_LEVEL_PMD], 4);
	ck_assert_uint_eq(t.tables[PROCSCOPE_LEVEL_PTE], 4);
	ck_assert_uint_eq(t.count, 15);
	ck_assert_uint_eq(t.n[1].used, 3);	/* P4D 0: entries 170, 254, 255 */
	CAPTURE(out, ck_assert_int_eq(pt_svg_render(&t, NULL, _f), 0));
	ck_assert_int_eq(xmllint(out), 0);
	ck_assert_ptr_nonnull(strstr(out, "5-level radix tree, 57-bit"));
	ck_assert_ptr_nonnull(strstr(out, ">P4D (2)<"));
	ck_assert_ptr_nonnull(strstr(out, "entry maps 256.0 TiB"));
	ck_assert_int_eq(count(out, "class=\"tbl\""), 15);
	free(out);
	pt_tree_free(&t);
}
END_TEST

START_TEST(test_tree_big)
{
	struct pte_entry e = { .level = PROCSCOPE_LEVEL_PTE, .flags = P };
	struct pt_tree t;
	char *out = NULL;
	int i;

	/* 1000 PTE tables: drawn up to the cap, the rest announced */
	ck_assert_int_eq(pt_tree_init(&t, 4), 0);
	for (i = 0; i < 1000; i++) {
		e.va = 0x10000000ULL + ((uint64_t)i << 21);
		ck_assert_int_eq(pt_tree_add(&t, &e), 0);
	}
	ck_assert_uint_eq(t.tables[PROCSCOPE_LEVEL_PTE], 1000);
	CAPTURE(out, ck_assert_int_eq(pt_svg_render(&t, NULL, _f), 0));
	ck_assert_ptr_nonnull(strstr(out, "more tables not drawn"));
	ck_assert_int_eq(count(out, "class=\"tbl\""), 600);
	ck_assert_int_eq(xmllint(out), 0);
	free(out);
	pt_tree_free(&t);
}
END_TEST

static void put_vma(struct nlmsghdr *nlh, uint64_t start, uint64_t end,
		    const char *path, uint64_t ptes, uint64_t swap)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, PROCSCOPE_A_VMA), *l;

	mnl_attr_put_u64(nlh, PROCSCOPE_VMA_START, start);
	mnl_attr_put_u64(nlh, PROCSCOPE_VMA_END, end);
	mnl_attr_put_u64(nlh, PROCSCOPE_VMA_FLAGS, 0x3);
	if (path)
		mnl_attr_put_strz(nlh, PROCSCOPE_VMA_PATH, path);
	l = mnl_attr_nest_start(nlh, PROCSCOPE_VMA_LEAVES);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEAF_PTE, ptes);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEAF_SWAP, swap);
	mnl_attr_nest_end(nlh, l);
	mnl_attr_nest_end(nlh, n);
}

START_TEST(test_maps)
{
	char buf[4096], *out = NULL;
	struct vma_list l = { 0 };
	struct pte_entry e = { .level = PROCSCOPE_LEVEL_PTE };
	struct maps_svg m;
	uint64_t sum;
	uint32_t c;
	int i;

	ck_assert_int_eq(vmas_parse_msg(msg_start(buf, PROCSCOPE_CMD_VMA_DUMP), &l), 0);
	/* 8 MiB anon: 2048 pages over 400 columns */
	put_vma(msg_start(buf, PROCSCOPE_CMD_VMA_DUMP), 0x10000000, 0x10800000,
		NULL, 512, 0);
	ck_assert_int_eq(vmas_parse_msg((struct nlmsghdr *)buf, &l), 0);
	/* a 3-page file mapping whose name needs escaping, after a hole */
	put_vma(msg_start(buf, PROCSCOPE_CMD_VMA_DUMP), 0x20000000, 0x20003000,
		"/tmp/<a&b>\"\xff.so", 1, 2);
	ck_assert_int_eq(vmas_parse_msg((struct nlmsghdr *)buf, &l), 0);
	l.v[0].kind = VMA_KIND_ANON;
	l.v[1].kind = VMA_KIND_FILE;
	ck_assert_int_eq(maps_svg_init(&m, &l), 0);
	ck_assert_uint_eq(m.s[0].cols, 400);
	ck_assert_uint_eq(m.s[1].cols, 3);
	/* first 2 MiB a huge page, then 512 pages from 4 MiB, 1 zero page */
	e.va = 0x10000000;
	e.level = PROCSCOPE_LEVEL_PMD;
	e.flags = P | PROCSCOPE_PTE_F_HUGE;
	ck_assert_int_eq(maps_svg_add(&m, &e), 0);
	e.level = PROCSCOPE_LEVEL_PTE;
	e.flags = P;
	for (i = 0; i < 512; i++) {
		e.va = 0x10400000 + (uint64_t)i * 4096;
		ck_assert_int_eq(maps_svg_add(&m, &e), 0);
	}
	e.flags = P | PROCSCOPE_PTE_F_ZERO_PAGE;
	e.va = 0x107ff000;
	ck_assert_int_eq(maps_svg_add(&m, &e), 0);
	e.flags = PROCSCOPE_PTE_F_SWAP;
	e.va = 0x20001000;
	ck_assert_int_eq(maps_svg_add(&m, &e), 0);
	e.va = 0x30000000;	/* in no VMA */
	ck_assert_int_eq(maps_svg_add(&m, &e), 0);
	ck_assert_uint_eq(m.outside, 1);
	/* every page lands in exactly one column, in the right place */
	for (sum = 0, c = 0; c < 400; c++)
		sum += m.s[0].n[MAPS_RES_HUGE][c];
	ck_assert_uint_eq(sum, 512);
	for (sum = 0, c = 0; c < 100; c++)
		sum += m.s[0].n[MAPS_RES_HUGE][c];
	ck_assert_uint_eq(sum, 512);	/* first quarter */
	for (sum = 0, c = 200; c < 300; c++)
		sum += m.s[0].n[MAPS_RES_PAGE][c];
	ck_assert_uint_eq(sum, 512);	/* third quarter */
	ck_assert_uint_eq(m.s[0].n[MAPS_RES_ZERO][399], 1);
	ck_assert_uint_eq(m.s[1].n[MAPS_RES_SWAP][1], 1);
	CAPTURE(out, ck_assert_int_eq(maps_svg_render(&m, _f), 0));
	ck_assert_int_eq(xmllint(out), 0);
	ck_assert_ptr_nonnull(strstr(out, "/tmp/&lt;a&amp;b&gt;&quot;?.so"));
	ck_assert_ptr_nonnull(strstr(out, "unmapped 248.0 MiB"));
	ck_assert_ptr_nonnull(strstr(out, "1 entries fell outside"));
	/* 100 huge columns merge into one full-height rect */
	ck_assert_ptr_nonnull(strstr(out, "width=\"120\" height=\"16\" class=\"huge\""));
	free(out);
	maps_svg_free(&m);
	vmas_free(&l);
}
END_TEST

Suite *svg_suite(void)
{
	return TEST_SUITE("svg",
			  test_escape,
			  test_xmllint_can_fail,
			  test_writer,
			  test_tree4,
			  test_tree5,
			  test_tree_big,
			  test_maps);
}
