// SPDX-License-Identifier: GPL-2.0
/* Page-table commands. TODO(issue 3): not implemented yet. */

#include "pt_cmds.h"

int procscope_pt_summary_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int procscope_translate_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int procscope_vma_dump_start(struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int procscope_vma_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int procscope_vma_dump_done(struct netlink_callback *cb)
{
	return 0;
}

int procscope_pte_dump_start(struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int procscope_pte_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int procscope_pte_dump_done(struct netlink_callback *cb)
{
	return 0;
}
