/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_GENL_H
#define PROCSCOPE_GENL_H

#include <net/genetlink.h>

#include <linux/procscope.h>

extern struct genl_family procscope_genl_family;

int procscope_genl_init(void);
void procscope_genl_exit(void);

/* Start a reply or dump message with the family header; NULL if no room. */
void *procscope_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
			 u8 cmd);

static inline void *procscope_genl_put_dump(struct sk_buff *skb,
					    struct netlink_callback *cb, u8 cmd)
{
	return procscope_genl_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI, cmd);
}

/*
 * A nest of u64 counters indexed by attribute type (1 .. @n - 1, skipping
 * @pad); zeros are left out unless @all.
 */
int procscope_put_u64_nest(struct sk_buff *skb, int attr, const u64 *v,
			   int n, int pad, bool all);

#endif
