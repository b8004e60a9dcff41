// SPDX-License-Identifier: GPL-2.0
/* PTE_DUMP: the leaf entries over an address range, decoded. */
#include <errno.h>
#include <string.h>

#include "model/pte_dump.h"
#include "nl/attrs.h"

static uint64_t get_u64(const struct nlattr *a, size_t i)
{
	uint64_t v;

	memcpy(&v, (const char *)mnl_attr_get_payload(a) + i * sizeof(v),
	       sizeof(v));
	return v;
}

static uint32_t get_u32(const struct nlattr *a, size_t i)
{
	uint32_t v;

	memcpy(&v, (const char *)mnl_attr_get_payload(a) + i * sizeof(v),
	       sizeof(v));
	return v;
}

/*
 * One per-entry u32 array of a run, or the single value standing for all
 * n entries: exactly one of the two must be there.
 */
static int run_u32s(const struct nlattr *arr, const struct nlattr *all,
		    size_t n, const struct nlattr **out, uint32_t *same)
{
	if (!arr == !all)
		return -EINVAL;
	if (arr && mnl_attr_get_payload_len(arr) != n * sizeof(uint32_t))
		return -EINVAL;
	*out = arr;
	*same = all ? mnl_attr_get_u32(all) : 0;
	return 0;
}

/* Expand one A_PTE_RUN into entries; every array must hold n elements. */
static int parse_run(const struct nlattr *run,
		     int (*fn)(const struct pte_entry *e, void *ctx), void *ctx)
{
	const struct nlattr *rb[PROCSCOPE_RUN_MAX + 1];
	const struct nlattr *raw, *flags, *mapc;
	uint64_t va, pfn_mask = 0;
	uint32_t flags_all, mapc_all;
	struct pte_entry e;
	int ret, pfn_shift = 0;
	size_t n, i;

	if (attrs_parse_nest(run, &attrs_pte_run, rb))
		return -EINVAL;
	raw = rb[PROCSCOPE_RUN_RAW];
	if (!rb[PROCSCOPE_RUN_VA] || !raw)
		return -EINVAL;
	n = mnl_attr_get_payload_len(raw) / sizeof(uint64_t);
	if (!n || n > PROCSCOPE_PTE_RUN_MAX_ENTRIES ||
	    mnl_attr_get_payload_len(raw) != n * sizeof(uint64_t) ||
	    run_u32s(rb[PROCSCOPE_RUN_FLAGS], rb[PROCSCOPE_RUN_FLAGS_ALL], n,
		     &flags, &flags_all) ||
	    run_u32s(rb[PROCSCOPE_RUN_MAPCOUNT], rb[PROCSCOPE_RUN_MAPCOUNT_ALL],
		     n, &mapc, &mapc_all))
		return -EINVAL;
	if (rb[PROCSCOPE_RUN_PFN_MASK]) {
		pfn_mask = mnl_attr_get_u64(rb[PROCSCOPE_RUN_PFN_MASK]);
		if (!pfn_mask)
			return -EINVAL;
		pfn_shift = __builtin_ctzll(pfn_mask);
	}
	va = mnl_attr_get_u64(rb[PROCSCOPE_RUN_VA]);
	memset(&e, 0, sizeof(e));
	e.level = PROCSCOPE_LEVEL_PTE;
	for (i = 0; i < n; i++) {
		e.va = va + i * 4096;
		e.raw = get_u64(raw, i);
		e.flags = flags ? get_u32(flags, i) : flags_all;
		e.pfn = (e.raw & pfn_mask) >> pfn_shift;
		e.mapcount = mapc ? get_u32(mapc, i) : mapc_all;
		ret = fn(&e, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

int ptes_parse_msg(const struct nlmsghdr *nlh, bool *pfn_visible,
		   int (*fn)(const struct pte_entry *e, void *ctx), void *ctx)
{
	const struct nlattr *tb[PROCSCOPE_A_MAX + 1];
	const struct nlattr *a;
	int ret;

	if (attrs_parse_msg(nlh, &attrs_top, tb))
		return -EINVAL;
	if (tb[PROCSCOPE_A_PFN_VISIBLE])
		*pfn_visible = attr_u8(tb[PROCSCOPE_A_PFN_VISIBLE], 0);
	/* A_PTE repeats: attrs_parse_msg() validated each one already. */
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		const struct nlattr *pb[PROCSCOPE_PTE_MAX + 1];
		struct pte_entry e;

		if (mnl_attr_get_type(a) == PROCSCOPE_A_PTE_RUN) {
			ret = parse_run(a, fn, ctx);
			if (ret)
				return ret;
			continue;
		}
		if (mnl_attr_get_type(a) != PROCSCOPE_A_PTE)
			continue;
		if (attrs_parse_nest(a, &attrs_pte, pb) ||
		    !pb[PROCSCOPE_PTE_VA] || !pb[PROCSCOPE_PTE_LEVEL])
			return -EINVAL;
		memset(&e, 0, sizeof(e));
		e.va = attr_u64(pb[PROCSCOPE_PTE_VA], 0);
		e.level = attr_u32(pb[PROCSCOPE_PTE_LEVEL], 0);
		e.raw = attr_u64(pb[PROCSCOPE_PTE_RAW], 0);
		e.pfn = attr_u64(pb[PROCSCOPE_PTE_PFN], 0);
		e.flags = attr_u64(pb[PROCSCOPE_PTE_FLAGS], 0);
		e.swp_type = attr_u32(pb[PROCSCOPE_PTE_SWP_TYPE], 0);
		e.swp_offset = attr_u64(pb[PROCSCOPE_PTE_SWP_OFFSET], 0);
		e.has_swp_offset = pb[PROCSCOPE_PTE_SWP_OFFSET] != NULL;
		e.mapcount = attr_u32(pb[PROCSCOPE_PTE_MAPCOUNT], 0);
		ret = fn(&e, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

struct fetch_ctx {
	bool *pfn_visible;
	int (*fn)(const struct pte_entry *e, void *ctx);
	void *ctx;
};

static int fetch_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fetch_ctx *c = data;
	int ret = ptes_parse_msg(nlh, c->pfn_visible, c->fn, c->ctx);

	if (ret) {
		/* The consumer's own -errno (say -ENOMEM) says more. */
		errno = ret < 0 && ret != -EINVAL ? -ret : EINVAL;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int ptes_fetch(struct ps_nl *nl, pid_t pid, uint64_t start, uint64_t end,
	       bool *pfn_visible,
	       int (*fn)(const struct pte_entry *e, void *ctx), void *ctx)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct fetch_ctx c = { pfn_visible, fn, ctx };
	struct nlmsghdr *nlh;

	nlh = ps_nl_request(nl, buf, PROCSCOPE_CMD_PTE_DUMP, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, (uint32_t)pid);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_ADDR_START, start);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_ADDR_END, end);
	return ps_nl_talk(nl, nlh, fetch_cb, &c);
}
