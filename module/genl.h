/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_GENL_H
#define PROCSCOPE_GENL_H

#include <net/genetlink.h>

#include <linux/procscope.h>

extern struct genl_family procscope_genl_family;

int procscope_genl_init(void);
void procscope_genl_exit(void);

/*
 * Start a dump or multicast message with the family header; NULL if no
 * room. A doit's reply: procscope_reply_new() below.
 */
void *procscope_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
			 u8 cmd);

static inline void *procscope_genl_put_dump(struct sk_buff *skb,
					    struct netlink_callback *cb, u8 cmd)
{
	return procscope_genl_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI, cmd);
}

/*
 * A doit's reply. procscope_reply_new() allocates it and puts the family
 * header (ERR_PTR(-ENOMEM) if it cannot); the command fills it and hands
 * it to procscope_reply_send() with the fill's result: 0 sends it, an
 * error frees it and is returned (-EMSGSIZE when the fill said only "no
 * room"), so every command fails the same way.
 */
struct sk_buff *procscope_reply_new(struct genl_info *info, u8 cmd,
				    void **hdr);
int procscope_reply_send(struct sk_buff *msg, void *hdr,
			 struct genl_info *info, int err);

/*
 * A required request attribute (the op's policy has checked its type).
 * GENL_REQ_ATTR_CHECK() reports the missing type to user space
 * (NLMSGERR_ATTR_MISS_TYPE); the message names it for people. A dump's
 * .start has no genl_info on 6.1: PROCSCOPE_REQ_ATTR_CHECK() is the same
 * on its attribute table.
 */
#define PROCSCOPE_REQ_ATTR_CHECK(extack, attrs, attr) ({		\
	struct netlink_ext_ack *__pext = (extack);			\
	bool __missing = NL_REQ_ATTR_CHECK(__pext, NULL, attrs, attr);	\
									\
	if (__missing)							\
		NL_SET_ERR_MSG(__pext, "missing " #attr);		\
	__missing;							\
})

#define PROCSCOPE_GENL_REQ_ATTR_CHECK(info, attr) ({			\
	struct genl_info *__pinfo = (info);				\
	bool __missing = GENL_REQ_ATTR_CHECK(__pinfo, attr);		\
									\
	if (__missing)							\
		NL_SET_ERR_MSG(__pinfo->extack, "missing " #attr);	\
	__missing;							\
})

/*
 * A nest of u64 counters indexed by attribute type (1 .. @n - 1, skipping
 * @pad); zeros are left out unless @all.
 */
int procscope_put_u64_nest(struct sk_buff *skb, int attr, const u64 *v,
			   int n, int pad, bool all);

#endif
