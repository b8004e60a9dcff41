// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table commands: parsing canned PT_SUMMARY / PTE_DUMP / TRANSLATE /
 * VMA_DUMP messages and rendering them; VMA kind labelling.
 */
#include <errno.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cli.h"
#include "cmd/translate.h"
#include "model/pt_summary.h"
#include "model/pte_dump.h"
#include "model/vmas.h"
#include "nl/attrs.h"
#include "render/json.h"
#include "render/maps_render.h"
#include "render/pt_fmt.h"
#include "render/pt_render.h"
#include "render/pte_render.h"
#include "suites.h"
#include "testutil.h"

/* A summary like a small 4-level process: 1 PGD, 1 PUD, 2 PMD, 5 PTE tables. */
static struct nlmsghdr *canned_summary(char *buf, bool bad)
{
	struct nlmsghdr *nlh = msg_start(buf, PROCSCOPE_CMD_PT_SUMMARY);
	struct nlattr *n;

	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, 42);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_PAGING_LEVELS, 4);
	n = mnl_attr_nest_start(nlh, PROCSCOPE_A_TABLES);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEVEL_PGD, 1);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEVEL_PUD, 1);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEVEL_PMD, 2);
	if (bad)
		mnl_attr_put_u32(nlh, PROCSCOPE_LEVEL_PTE, 5); /* wrong width */
	else
		mnl_attr_put_u64(nlh, PROCSCOPE_LEVEL_PTE, 5);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, PROCSCOPE_A_LEAVES);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEAF_PTE, 700);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEAF_PMD, 3);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEAF_SWAP, 11);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEAF_PT_DEPOSITED, 3);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEAF_ACCESSED, 700 + 3 * 512);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEAF_ACCESSED_PMD, 3);
	mnl_attr_put_u64(nlh, 200, 1);	/* newer module: skipped */
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, PROCSCOPE_A_MM);
	mnl_attr_put_u64(nlh, PROCSCOPE_MM_TASK_SIZE, 1ULL << 47);
	mnl_attr_put_u64(nlh, PROCSCOPE_MM_PGTABLES_BYTES, 11 * 4096);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_PT_BYTES, 8 * 4096);
	mnl_attr_put_u8(nlh, PROCSCOPE_A_PFN_VISIBLE, 1);
	return nlh;
}

START_TEST(test_summary_parse)
{
	char buf[4096];
	struct pt_summary s;

	ck_assert_int_eq(pt_summary_parse(canned_summary(buf, false), &s), 0);
	ck_assert_int_eq(s.pid, 42);
	ck_assert_uint_eq(s.levels, 4);
	ck_assert_uint_eq(s.tables[PROCSCOPE_LEVEL_PTE], 5);
	ck_assert_uint_eq(s.leaves[PROCSCOPE_LEAF_PMD], 3);
	ck_assert_uint_eq(pt_tree_bytes(&s), 9 * 4096);
	/* VmPTE: PUD 1 + PMD 2 + PTE 5 + 3 deposited = 11 pages */
	ck_assert_uint_eq(pt_vmpte_expected(&s), 11 * 4096);
	/* 2^47 / 4096 entries of 8 bytes = 256 GiB */
	ck_assert_uint_eq(pt_flat_bytes(&s), 256ULL << 30);
	ck_assert_int_eq(pt_summary_parse(canned_summary(buf, true), &s), -EINVAL);
}
END_TEST

START_TEST(test_summary_render)
{
	char buf[4096], *out = NULL;
	struct pt_summary s;
	struct json j;

	ck_assert_int_eq(pt_summary_parse(canned_summary(buf, false), &s), 0);
	CAPTURE(out, { json_init(&j, _f); pt_summary_render_json(&s, &j); });
	ck_assert_ptr_nonnull(strstr(out, "\"tables\":{\"pgd\":1,\"p4d\":0,\"pud\":1,\"pmd\":2,\"pte\":5}"));
	ck_assert_ptr_nonnull(strstr(out, "\"table_bytes\":36864"));
	ck_assert_ptr_nonnull(strstr(out, "\"leaves\":{\"pte\":700,\"pmd\":3,\"pud\":0,\"swap\":11"));
	ck_assert_ptr_nonnull(strstr(out, "\"vmpte_expected\":45056"));
	ck_assert_ptr_nonnull(strstr(out, "\"tlb\":{\"entries\":703,\"entries_4k_only\":2236"));
	free(out);
	out = NULL;
	cli.color = COLOR_NEVER;
	CAPTURE(out, pt_summary_render_text(&s, _f));
	ck_assert_ptr_nonnull(strstr(out, "folded into the PGD"));
	ck_assert_ptr_nonnull(strstr(out, "matches the walk"));
	ck_assert_ptr_nonnull(strstr(out, "256.0 GiB"));
	ck_assert_ptr_nonnull(strstr(out, "touched (accessed bit set): 700 x 4 KiB pages, 3 x 2 MiB"));
	free(out);
}
END_TEST

static void put_pte(struct nlmsghdr *nlh, uint64_t va, uint32_t level,
		    uint64_t flags, uint64_t pfn, bool swp)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, PROCSCOPE_A_PTE);

	mnl_attr_put_u64(nlh, PROCSCOPE_PTE_VA, va);
	mnl_attr_put_u32(nlh, PROCSCOPE_PTE_LEVEL, level);
	mnl_attr_put_u64(nlh, PROCSCOPE_PTE_RAW, 0x8000000000000867ULL | (pfn << 12));
	mnl_attr_put_u64(nlh, PROCSCOPE_PTE_FLAGS, flags);
	if (pfn)
		mnl_attr_put_u64(nlh, PROCSCOPE_PTE_PFN, pfn);
	if (swp) {
		mnl_attr_put_u32(nlh, PROCSCOPE_PTE_SWP_TYPE, 1);
		mnl_attr_put_u64(nlh, PROCSCOPE_PTE_SWP_OFFSET, 0x4001);
	} else {
		mnl_attr_put_u32(nlh, PROCSCOPE_PTE_MAPCOUNT, 2);
	}
	mnl_attr_nest_end(nlh, n);
}

struct collected {
	struct pte_entry e[8];
	int n;
};

static int collect(const struct pte_entry *e, void *ctx)
{
	struct collected *c = ctx;

	if (c->n == 8)
		return -1;
	c->e[c->n++] = *e;
	return 0;
}

START_TEST(test_ptes_parse_render)
{
	char buf[4096], *out = NULL;
	struct nlmsghdr *nlh = msg_start(buf, PROCSCOPE_CMD_PTE_DUMP);
	struct collected c = { .n = 0 };
	bool visible = false;
	struct json j;

	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, 7);
	mnl_attr_put_u8(nlh, PROCSCOPE_A_PFN_VISIBLE, 1);
	put_pte(nlh, 0x7f0000000000, PROCSCOPE_LEVEL_PTE,
		PROCSCOPE_PTE_F_PRESENT | PROCSCOPE_PTE_F_WRITE |
		PROCSCOPE_PTE_F_USER | PROCSCOPE_PTE_F_SHARED, 0x1234, false);
	put_pte(nlh, 0x7f0000200000, PROCSCOPE_LEVEL_PMD,
		PROCSCOPE_PTE_F_PRESENT | PROCSCOPE_PTE_F_HUGE, 0x4000, false);
	put_pte(nlh, 0x7f0000400000, PROCSCOPE_LEVEL_PTE, PROCSCOPE_PTE_F_SWAP, 0, true);
	ck_assert_int_eq(ptes_parse_msg(nlh, &visible, collect, &c), 0);
	ck_assert(visible);
	ck_assert_int_eq(c.n, 3);
	ck_assert_uint_eq(c.e[1].level, PROCSCOPE_LEVEL_PMD);
	ck_assert_uint_eq(c.e[1].pfn, 0x4000);
	ck_assert_uint_eq(c.e[2].swp_offset, 0x4001);
	ck_assert(c.e[2].has_swp_offset);

	CAPTURE(out, {
		json_init(&j, _f);
		json_arr_begin(&j, NULL);
		pte_render_json(&c.e[0], true, &j);
		pte_render_json(&c.e[2], true, &j);
		pte_render_json(&c.e[0], false, &j);
		json_arr_end(&j);
	});
	ck_assert_ptr_nonnull(strstr(out, "{\"va\":\"0x7f0000000000\",\"level\":\"pte\""));
	ck_assert_ptr_nonnull(strstr(out, "\"pfn\":\"0x1234\",\"present\":true,\"swap\":false"));
	ck_assert_ptr_nonnull(strstr(out, "\"flags\":[\"present\",\"write\",\"user\",\"shared\"]"));
	ck_assert_ptr_nonnull(strstr(out, "\"swap\":true,\"swap_type\":1,\"swap_offset\":\"0x4001\""));
	ck_assert_ptr_nonnull(strstr(out, "\"pfn\":null"));
	free(out);
	out = NULL;
	CAPTURE(out, pte_render_text(&c.e[2], true, _f));
	ck_assert_ptr_nonnull(strstr(out, "swapped out: device 1, slot 0x4001"));
	free(out);
	out = NULL;
	CAPTURE(out, pte_render_text(&c.e[1], false, _f));
	ck_assert_ptr_nonnull(strstr(out, "(hidden)"));
	ck_assert_ptr_nonnull(strstr(out, "pmd"));
	free(out);

	/* A nest with a wrongly sized member is refused. */
	nlh = msg_start(buf, PROCSCOPE_CMD_PTE_DUMP);
	{
		struct nlattr *n = mnl_attr_nest_start(nlh, PROCSCOPE_A_PTE);

		mnl_attr_put_u32(nlh, PROCSCOPE_PTE_VA, 1);
		mnl_attr_nest_end(nlh, n);
	}
	c.n = 0;
	ck_assert_int_eq(ptes_parse_msg(nlh, &visible, collect, &c), -EINVAL);
	ck_assert_int_eq(c.n, 0);
}
END_TEST

/* A run of @n present leaves as the module batches them. */
static void put_run(struct nlmsghdr *nlh, uint64_t va, int n, bool pfns,
		    int short_flags)
{
	struct nlattr *r = mnl_attr_nest_start(nlh, PROCSCOPE_A_PTE_RUN);
	uint32_t flags[8], mapc[8];
	uint64_t raw[8];
	int i;

	for (i = 0; i < n; i++) {
		/* NX set too: the PFN must come from the mask, not bits 12..63. */
		raw[i] = 0x8000000000000867ULL | ((uint64_t)(0x500 + i) << 12);
		flags[i] = PROCSCOPE_PTE_F_PRESENT | (i ? 0 : PROCSCOPE_PTE_F_DIRTY);
		mapc[i] = i + 1;
	}
	mnl_attr_put_u64(nlh, PROCSCOPE_RUN_VA, va);
	if (pfns)
		mnl_attr_put_u64(nlh, PROCSCOPE_RUN_PFN_MASK, 0x000ffffffffff000ULL);
	mnl_attr_put(nlh, PROCSCOPE_RUN_RAW, n * sizeof(uint64_t), raw);
	mnl_attr_put(nlh, PROCSCOPE_RUN_FLAGS, (n - short_flags) * sizeof(uint32_t), flags);
	/* Mapcounts of a uniform run come as one value (here: when !pfns). */
	if (pfns)
		mnl_attr_put(nlh, PROCSCOPE_RUN_MAPCOUNT, n * sizeof(uint32_t), mapc);
	else
		mnl_attr_put_u32(nlh, PROCSCOPE_RUN_MAPCOUNT_ALL, 7);
	mnl_attr_nest_end(nlh, r);
}

START_TEST(test_ptes_run)
{
	char buf[4096];
	struct nlmsghdr *nlh = msg_start(buf, PROCSCOPE_CMD_PTE_DUMP);
	struct collected c = { .n = 0 };
	bool visible = false;

	mnl_attr_put_u8(nlh, PROCSCOPE_A_PFN_VISIBLE, 1);
	put_run(nlh, 0x400000, 3, true, 0);
	put_pte(nlh, 0x403000, PROCSCOPE_LEVEL_PTE, PROCSCOPE_PTE_F_SWAP, 0, true);
	put_run(nlh, 0x404000, 2, false, 0);
	ck_assert_int_eq(ptes_parse_msg(nlh, &visible, collect, &c), 0);
	ck_assert_int_eq(c.n, 6);
	/* Entries come out expanded, in address order, runs and singles mixed. */
	ck_assert_uint_eq(c.e[0].va, 0x400000);
	ck_assert_uint_eq(c.e[2].va, 0x402000);
	ck_assert_uint_eq(c.e[2].pfn, 0x502);
	ck_assert_uint_eq(c.e[2].raw, 0x8000000000000867ULL | (0x502ULL << 12));
	ck_assert_uint_eq(c.e[2].mapcount, 3);
	ck_assert_uint_eq(c.e[2].level, PROCSCOPE_LEVEL_PTE);
	ck_assert(c.e[0].flags & PROCSCOPE_PTE_F_DIRTY);
	ck_assert(!(c.e[1].flags & PROCSCOPE_PTE_F_DIRTY));
	ck_assert_uint_eq(c.e[3].va, 0x403000);
	ck_assert(c.e[3].flags & PROCSCOPE_PTE_F_SWAP);
	ck_assert_uint_eq(c.e[5].va, 0x405000);
	ck_assert_uint_eq(c.e[5].pfn, 0);	/* hidden: no PFN mask */
	ck_assert_uint_eq(c.e[4].mapcount, 7);	/* MAPCOUNT_ALL */
	ck_assert_uint_eq(c.e[5].mapcount, 7);

	/* Arrays of different lengths are refused, not half-read. */
	nlh = msg_start(buf, PROCSCOPE_CMD_PTE_DUMP);
	put_run(nlh, 0x400000, 3, true, 1);
	c.n = 0;
	ck_assert_int_eq(ptes_parse_msg(nlh, &visible, collect, &c), -EINVAL);
	ck_assert_int_eq(c.n, 0);

	/* An array and its single-value form together are ambiguous: refused. */
	nlh = msg_start(buf, PROCSCOPE_CMD_PTE_DUMP);
	{
		struct nlattr *r = mnl_attr_nest_start(nlh, PROCSCOPE_A_PTE_RUN);
		uint64_t raw[1] = { 0x867 };
		uint32_t one[1] = { 1 };

		mnl_attr_put_u64(nlh, PROCSCOPE_RUN_VA, 0x1000);
		mnl_attr_put(nlh, PROCSCOPE_RUN_RAW, sizeof(raw), raw);
		mnl_attr_put(nlh, PROCSCOPE_RUN_FLAGS, sizeof(one), one);
		mnl_attr_put_u32(nlh, PROCSCOPE_RUN_FLAGS_ALL, 1);
		mnl_attr_put_u32(nlh, PROCSCOPE_RUN_MAPCOUNT_ALL, 1);
		mnl_attr_nest_end(nlh, r);
	}
	ck_assert_int_eq(ptes_parse_msg(nlh, &visible, collect, &c), -EINVAL);
	ck_assert_int_eq(c.n, 0);
}
END_TEST

static void put_step(struct nlmsghdr *nlh, uint32_t level, uint32_t index,
		     uint64_t entry, bool leaf)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, PROCSCOPE_A_STEP);

	mnl_attr_put_u32(nlh, PROCSCOPE_STEP_LEVEL, level);
	mnl_attr_put_u32(nlh, PROCSCOPE_STEP_INDEX, index);
	mnl_attr_put_u64(nlh, PROCSCOPE_STEP_TABLE_PA, 0x1000 * (level + 1));
	mnl_attr_put_u64(nlh, PROCSCOPE_STEP_ENTRY, entry);
	mnl_attr_put_u64(nlh, PROCSCOPE_STEP_FLAGS, entry ? PROCSCOPE_PTE_F_PRESENT : 0);
	mnl_attr_put_u8(nlh, PROCSCOPE_STEP_PRESENT, entry != 0);
	mnl_attr_put_u8(nlh, PROCSCOPE_STEP_LEAF, leaf);
	mnl_attr_nest_end(nlh, n);
}

START_TEST(test_translate)
{
	char buf[4096], *out = NULL;
	struct nlmsghdr *nlh = msg_start(buf, PROCSCOPE_CMD_TRANSLATE);
	struct xlate_result x;
	struct json j;

	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, 9);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_VA, 0x7f1234567abcULL);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_PAGING_LEVELS, 4);
	put_step(nlh, PROCSCOPE_LEVEL_PGD, 254, 0x5067, false);
	put_step(nlh, PROCSCOPE_LEVEL_PUD, 72, 0x6067, false);
	put_step(nlh, PROCSCOPE_LEVEL_PMD, 418, 0x7067, false);
	put_step(nlh, PROCSCOPE_LEVEL_PTE, 359, 0x8000000000abc867ULL, true);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_PA, 0xabcabcULL);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_STOP, PROCSCOPE_STOP_MAPPED);
	mnl_attr_put_u8(nlh, PROCSCOPE_A_PFN_VISIBLE, 1);
	ck_assert_int_eq(xlate_parse(nlh, &x), 0);
	ck_assert_int_eq(x.nsteps, 4);
	ck_assert_uint_eq(x.step[3].index, 359);
	ck_assert(x.step[3].leaf);
	CAPTURE(out, { json_init(&j, _f); xlate_render_json(&x, &j); });
	ck_assert_ptr_nonnull(strstr(out, "\"va\":\"0x7f1234567abc\""));
	ck_assert_ptr_nonnull(strstr(out, "{\"level\":\"pud\",\"index\":72,\"table\":\"0x4000\",\"entry\":\"0x6067\",\"present\":true"));
	ck_assert_ptr_nonnull(strstr(out, "\"pa\":\"0xabcabc\",\"stop\":\"mapped\""));
	free(out);
	out = NULL;
	cli.color = COLOR_NEVER;
	CAPTURE(out, xlate_render_text(&x, _f));
	ck_assert_ptr_nonnull(strstr(out, "pgd 254 | pud 72 | pmd 418 | pte 359 | offset 0xabc"));
	ck_assert_ptr_nonnull(strstr(out, "frame 0xabc + offset 0xabc"));
	free(out);

	/* Hidden PA, stopped walk. */
	nlh = msg_start(buf, PROCSCOPE_CMD_TRANSLATE);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, 9);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_VA, 0x1000);
	put_step(nlh, PROCSCOPE_LEVEL_PGD, 0, 0, false);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_STOP, PROCSCOPE_STOP_NONE);
	ck_assert_int_eq(xlate_parse(nlh, &x), 0);
	out = NULL;
	CAPTURE(out, { json_init(&j, _f); xlate_render_json(&x, &j); });
	ck_assert_ptr_nonnull(strstr(out, "\"pa\":null,\"stop\":\"none\""));
	free(out);
	/* Missing A_STOP: refused. */
	nlh = msg_start(buf, PROCSCOPE_CMD_TRANSLATE);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, 9);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_VA, 0x1000);
	ck_assert_int_eq(xlate_parse(nlh, &x), -EINVAL);
}
END_TEST

START_TEST(test_fmt)
{
	char buf[256], sh[8];

	ck_assert_str_eq(pt_flags_str(PROCSCOPE_PTE_F_PRESENT | PROCSCOPE_PTE_F_NX |
				      PROCSCOPE_PTE_F_ZERO_PAGE, buf, sizeof(buf)),
			 "present nx zero_page");
	ck_assert_str_eq(pt_flags_short(PROCSCOPE_PTE_F_PRESENT | PROCSCOPE_PTE_F_USER |
					PROCSCOPE_PTE_F_HUGE, sh), "r-xu--h");
	ck_assert_str_eq(pt_level_name(PROCSCOPE_LEVEL_P4D), "p4d");
	ck_assert_str_eq(pt_level_name(99), "?");
	ck_assert_str_eq(pt_stop_name(PROCSCOPE_STOP_SWAP), "swap");
	ck_assert_int_eq(pt_check_user_addr(0x7fffffffe000ULL, 4), 0);
	ck_assert_int_eq(pt_check_user_addr(0x800000000000ULL, 4), -EINVAL);
	ck_assert_int_eq(pt_check_user_addr(0x800000000000ULL, 5), 0);
	ck_assert_int_eq(pt_check_user_addr(0xffff800000000000ULL, 5), -EINVAL);
	ck_assert_str_eq(maps_bar(100, 50, 20, buf, 10), "#####ss...");
	ck_assert_str_eq(maps_bar(1000, 1, 0, buf, 10), "#.........");
	ck_assert_str_eq(maps_bar(0, 0, 0, buf, 4), "....");
}
END_TEST

static void put_vma(struct nlmsghdr *nlh, uint64_t start, uint64_t end,
		    uint64_t flags, const char *path, const char *name,
		    uint64_t ptes)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, PROCSCOPE_A_VMA), *l;

	mnl_attr_put_u64(nlh, PROCSCOPE_VMA_START, start);
	mnl_attr_put_u64(nlh, PROCSCOPE_VMA_END, end);
	mnl_attr_put_u64(nlh, PROCSCOPE_VMA_FLAGS, flags);
	if (path)
		mnl_attr_put_strz(nlh, PROCSCOPE_VMA_PATH, path);
	if (name)
		mnl_attr_put_strz(nlh, PROCSCOPE_VMA_NAME, name);
	l = mnl_attr_nest_start(nlh, PROCSCOPE_VMA_LEAVES);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEAF_PTE, ptes);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEAF_ZERO, 1);
	mnl_attr_put_u64(nlh, PROCSCOPE_LEAF_SWAP, 2);
	mnl_attr_nest_end(nlh, l);
	mnl_attr_nest_end(nlh, n);
}

START_TEST(test_vmas)
{
	char buf[4096], exe[PATH_MAX], *out = NULL;
	struct stat st;
	struct vma_list l = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *n;
	struct json j;

	nlh = msg_start(buf, PROCSCOPE_CMD_VMA_DUMP);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, 5);
	n = mnl_attr_nest_start(nlh, PROCSCOPE_A_MM);
	mnl_attr_put_u64(nlh, PROCSCOPE_MM_START_BRK, 0x600000);
	mnl_attr_put_u64(nlh, PROCSCOPE_MM_BRK, 0x621000);
	mnl_attr_put_u64(nlh, PROCSCOPE_MM_START_STACK, 0x7ffff000ff00ULL);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(vmas_parse_msg(nlh, &l), 0);
	/* file that is not an ELF (unreadable path): "file" */
	nlh = msg_start(buf, PROCSCOPE_CMD_VMA_DUMP);
	put_vma(nlh, 0x400000, 0x401000, 0x5, "/nonexistent/x", NULL, 1);
	ck_assert_int_eq(vmas_parse_msg(nlh, &l), 0);
	nlh = msg_start(buf, PROCSCOPE_CMD_VMA_DUMP);
	put_vma(nlh, 0x600000, 0x621000, 0x3, NULL, "[heap]", 4);
	ck_assert_int_eq(vmas_parse_msg(nlh, &l), 0);
	nlh = msg_start(buf, PROCSCOPE_CMD_VMA_DUMP);
	put_vma(nlh, 0x7f0000000000ULL, 0x7f0000100000ULL, 0x3, NULL, NULL, 0);
	ck_assert_int_eq(vmas_parse_msg(nlh, &l), 0);
	nlh = msg_start(buf, PROCSCOPE_CMD_VMA_DUMP);
	put_vma(nlh, 0x7ffff0000000ULL, 0x7ffff0021000ULL, 0x3, NULL, "[stack]", 3);
	ck_assert_int_eq(vmas_parse_msg(nlh, &l), 0);
	nlh = msg_start(buf, PROCSCOPE_CMD_VMA_DUMP);
	put_vma(nlh, 0x7ffff0100000ULL, 0x7ffff0102000ULL, 0x5, NULL, "[vdso]", 1);
	ck_assert_int_eq(vmas_parse_msg(nlh, &l), 0);
	/*
	 * the running test binary is an ELF: r-x part is text (named as the
	 * module names it, with its device and inode)
	 */
	nlh = msg_start(buf, PROCSCOPE_CMD_VMA_DUMP);
	ck_assert_ptr_nonnull(realpath("/proc/self/exe", exe));
	ck_assert_int_eq(stat(exe, &st), 0);
	put_vma(nlh, 0x7ffff0200000ULL, 0x7ffff0201000ULL, 0x5, exe, NULL, 1);
	ck_assert_int_eq(vmas_parse_msg(nlh, &l), 0);
	l.v[l.n - 1].dev = st.st_dev;
	l.v[l.n - 1].inode = st.st_ino;
	/* the same name with another inode is not read: "file" */
	nlh = msg_start(buf, PROCSCOPE_CMD_VMA_DUMP);
	put_vma(nlh, 0x7ffff0300000ULL, 0x7ffff0301000ULL, 0x5, exe, NULL, 1);
	ck_assert_int_eq(vmas_parse_msg(nlh, &l), 0);
	l.v[l.n - 1].dev = st.st_dev;
	l.v[l.n - 1].inode = st.st_ino + 1;
	ck_assert_uint_eq(l.n, 7);
	vmas_classify(&l);
	ck_assert_str_eq(vma_kind_name(l.v[6].kind), "file");
	ck_assert_str_eq(vma_kind_name(l.v[0].kind), "file");
	ck_assert_str_eq(vma_kind_name(l.v[1].kind), "heap");
	ck_assert_str_eq(vma_kind_name(l.v[2].kind), "anon");
	ck_assert_str_eq(vma_kind_name(l.v[3].kind), "stack");
	ck_assert_str_eq(vma_kind_name(l.v[4].kind), "vdso");
	ck_assert_str_eq(vma_kind_name(l.v[5].kind), "text");
	ck_assert_ptr_eq(vmas_find(&l, 0x600010), &l.v[1]);
	ck_assert_ptr_null(vmas_find(&l, 0x500000));
	ck_assert_ptr_null(vmas_find(&l, 0x621000));
	/* Rss-like: 4 present - 1 zero page */
	ck_assert_uint_eq(vma_resident_bytes(&l.v[1]), 3 * 4096);
	CAPTURE(out, { json_init(&j, _f); maps_render_json(&l, &j); });
	ck_assert_ptr_nonnull(strstr(out, "{\"start\":\"0x600000\",\"end\":\"0x621000\",\"perms\":\"rw-p\",\"kind\":\"heap\",\"path\":null"));
	ck_assert_ptr_nonnull(strstr(out, "\"present\":12288,\"swap\":8192,\"huge\":0"));
	free(out);
	vmas_free(&l);
	ck_assert_uint_eq(l.n, 0);

	/* A VMA without START is refused. */
	nlh = msg_start(buf, PROCSCOPE_CMD_VMA_DUMP);
	n = mnl_attr_nest_start(nlh, PROCSCOPE_A_VMA);
	mnl_attr_put_u64(nlh, PROCSCOPE_VMA_END, 1);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(vmas_parse_msg(nlh, &l), -EINVAL);
	vmas_free(&l);
}
END_TEST

Suite *pt_suite(void)
{
	return TEST_SUITE("pt",
			  test_summary_parse,
			  test_summary_render,
			  test_ptes_parse_render,
			  test_ptes_run,
			  test_translate,
			  test_fmt,
			  test_vmas);
}
