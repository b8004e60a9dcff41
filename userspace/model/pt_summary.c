// SPDX-License-Identifier: GPL-2.0
/* A process's page-table summary (PT_SUMMARY) and what follows from it. */
#include <errno.h>
#include <string.h>

#include "model/pt_summary.h"
#include "nl/attrs.h"

#define PAGE ((uint64_t)4096)

int pt_summary_parse(const struct nlmsghdr *nlh, struct pt_summary *s)
{
	const struct nlattr *tb[PROCSCOPE_A_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (attrs_parse_msg(nlh, &attrs_top, tb))
		return -EINVAL;
	if (!tb[PROCSCOPE_A_PID] || !tb[PROCSCOPE_A_TABLES] ||
	    !tb[PROCSCOPE_A_LEAVES])
		return -EINVAL;
	s->pid = (pid_t)attr_u32(tb[PROCSCOPE_A_PID], 0);
	s->levels = attr_u32(tb[PROCSCOPE_A_PAGING_LEVELS], 4);
	s->pt_bytes = attr_u64(tb[PROCSCOPE_A_PT_BYTES], 0);
	s->pfn_visible = attr_u8(tb[PROCSCOPE_A_PFN_VISIBLE], 0);
	if (attrs_get_u64_array(tb[PROCSCOPE_A_TABLES], s->tables,
				__PROCSCOPE_LEVEL_LAST, 0) ||
	    attrs_get_u64_array(tb[PROCSCOPE_A_LEAVES], s->leaves,
				__PROCSCOPE_LEAF_LAST, 0) ||
	    attrs_get_u64_array(tb[PROCSCOPE_A_MM], s->mm,
				__PROCSCOPE_MM_LAST, 0))
		return -EINVAL;
	return 0;
}

uint64_t pt_tree_bytes(const struct pt_summary *s)
{
	uint64_t n = 0;
	int l;

	for (l = PROCSCOPE_LEVEL_PGD; l <= PROCSCOPE_LEVEL_PTE; l++)
		n += s->tables[l];
	return n * PAGE;
}

uint64_t pt_vmpte_expected(const struct pt_summary *s)
{
	return PAGE * (s->tables[PROCSCOPE_LEVEL_PUD] +
		       s->tables[PROCSCOPE_LEVEL_PMD] +
		       s->tables[PROCSCOPE_LEVEL_PTE] +
		       s->leaves[PROCSCOPE_LEAF_PT_DEPOSITED]);
}

uint64_t pt_flat_bytes(const struct pt_summary *s)
{
	uint64_t space = s->mm[PROCSCOPE_MM_TASK_SIZE];

	if (!space)
		space = 1ULL << (pt_va_bits(s->levels) - 1);
	return space / PAGE * 8;
}

static int pt_cb(const struct nlmsghdr *nlh, void *data)
{
	return pt_summary_parse(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

int pt_summary_fetch(struct ps_nl *nl, pid_t pid, struct pt_summary *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = ps_nl_request(nl, buf, PROCSCOPE_CMD_PT_SUMMARY, 0);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, (uint32_t)pid);
	return ps_nl_talk(nl, nlh, pt_cb, s);
}

unsigned int pt_va_bits(unsigned int levels)
{
	return levels == 5 ? 57 : 48;
}

int pt_check_user_addr(uint64_t addr, unsigned int levels)
{
	/* User addresses are the lower canonical half: top bits clear. */
	if (addr >> (pt_va_bits(levels) - 1))
		return -EINVAL;
	return 0;
}
