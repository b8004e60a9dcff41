// SPDX-License-Identifier: GPL-2.0
/* Watch table. TODO(issue 4): not implemented yet. */

#include "watch.h"

int __init procscope_watch_init(void)
{
	return 0;
}

void procscope_watch_exit(void)
{
}

unsigned int procscope_watch_count(void)
{
	return 0;
}

unsigned int procscope_watch_max(void)
{
	return 0;
}

int procscope_watch_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int procscope_watch_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int procscope_watch_get_start(struct netlink_callback *cb)
{
	return 0;
}

int procscope_watch_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

int procscope_watch_get_done(struct netlink_callback *cb)
{
	return 0;
}
