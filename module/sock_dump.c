// SPDX-License-Identifier: GPL-2.0
/* Socket snapshot. TODO(issue 5): not implemented yet. */

#include "sock_dump.h"

int procscope_sock_dump_start(struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int procscope_sock_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int procscope_sock_dump_done(struct netlink_callback *cb)
{
	return 0;
}
