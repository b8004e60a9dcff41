// SPDX-License-Identifier: GPL-2.0
/*
 * The procscope generic netlink family: per-operation policies, operations,
 * event group, and the helpers every handler builds its messages with.
 * Handlers live with the subsystem they expose; this file only wires them.
 */

#include <linux/threads.h>

#include "genl.h"
#include "pt_cmds.h"
#include "pt_dump.h"
#include "sock_dump.h"
#include "status.h"
#include "version.h"
#include "watch.h"

/*
 * One policy per operation, listing only the attributes it takes (as
 * ethtool's netlink code does): anything else - a reply-only attribute, an
 * attribute of another command, an unknown type - is refused by the core
 * with -EINVAL and an extended ACK pointing at it, since strict validation
 * (resv_start_op) rejects types above the op's maxattr and types its policy
 * leaves unset (NLA_UNSPEC). The policies apply to a dump's request too:
 * genl_start() parses it with the op's policy before .start runs. Which
 * attributes are required is checked by the handlers (GENL_REQ_ATTR_CHECK).
 */

/* A pid above PID_MAX_LIMIT would turn negative as a pid_t. */
static struct netlink_range_validation pid_range __ro_after_init = {
	.min = 1,
	.max = PID_MAX_LIMIT,
};

#define POLICY_PID	NLA_POLICY_FULL_RANGE(NLA_U32, &pid_range)

/*
 * GET_STATUS takes nothing. A policy with no accepted entry (the core's
 * own genl_policy_reject_all is used only for ops from resv_start_op on):
 * maxattr must be non-zero for the request to be parsed at all.
 */
static const struct nla_policy status_policy[PROCSCOPE_A_PAD + 1] = {
	[PROCSCOPE_A_PAD]		= { .type = NLA_REJECT },
};

/*
 * Commands whose one argument is A_PID: PT_SUMMARY, VMA_DUMP, WATCH_DEL and
 * SOCK_DUMP require it, WATCH_GET takes it as an optional filter.
 */
static const struct nla_policy pid_policy[PROCSCOPE_A_PID + 1] = {
	[PROCSCOPE_A_PID]		= POLICY_PID,
};

static const struct nla_policy pte_dump_policy[PROCSCOPE_A_ADDR_END + 1] = {
	[PROCSCOPE_A_PID]		= POLICY_PID,
	[PROCSCOPE_A_ADDR_START]	= { .type = NLA_U64 },
	[PROCSCOPE_A_ADDR_END]		= { .type = NLA_U64 },
};

static const struct nla_policy translate_policy[PROCSCOPE_A_VA + 1] = {
	[PROCSCOPE_A_PID]		= POLICY_PID,
	[PROCSCOPE_A_VA]		= { .type = NLA_U64 },
};

static const struct nla_policy watch_add_policy[PROCSCOPE_A_WATCH_FLAGS + 1] = {
	[PROCSCOPE_A_PID]		= POLICY_PID,
	[PROCSCOPE_A_WATCH_FLAGS]	= NLA_POLICY_MASK(NLA_U32,
						PROCSCOPE_WATCH_F_FAULTS |
						PROCSCOPE_WATCH_F_SOCKETS |
						PROCSCOPE_WATCH_F_CHILDREN |
						PROCSCOPE_WATCH_F_NO_EVENTS),
};

/*
 * No op carries GENL_ADMIN_PERM: like /proc/PID/pagemap, an unprivileged
 * user may look at processes it could ptrace-read; each handler checks that
 * against the target (target.c) and hides PFNs without CAP_SYS_ADMIN.
 */
static const struct genl_ops procscope_ops[] = {
	{
		.cmd = PROCSCOPE_CMD_GET_STATUS,
		.doit = procscope_status_doit,
		.policy = status_policy,
		.maxattr = ARRAY_SIZE(status_policy) - 1,
	},
	{
		.cmd = PROCSCOPE_CMD_PT_SUMMARY,
		.doit = procscope_pt_summary_doit,
		.policy = pid_policy,
		.maxattr = ARRAY_SIZE(pid_policy) - 1,
	},
	{
		.cmd = PROCSCOPE_CMD_VMA_DUMP,
		.start = procscope_vma_dump_start,
		.dumpit = procscope_vma_dump_dumpit,
		.done = procscope_vma_dump_done,
		.policy = pid_policy,
		.maxattr = ARRAY_SIZE(pid_policy) - 1,
	},
	{
		.cmd = PROCSCOPE_CMD_PTE_DUMP,
		.start = procscope_pte_dump_start,
		.dumpit = procscope_pte_dump_dumpit,
		.done = procscope_pte_dump_done,
		.policy = pte_dump_policy,
		.maxattr = ARRAY_SIZE(pte_dump_policy) - 1,
	},
	{
		.cmd = PROCSCOPE_CMD_TRANSLATE,
		.doit = procscope_translate_doit,
		.policy = translate_policy,
		.maxattr = ARRAY_SIZE(translate_policy) - 1,
	},
	{
		.cmd = PROCSCOPE_CMD_WATCH_ADD,
		.doit = procscope_watch_add_doit,
		.policy = watch_add_policy,
		.maxattr = ARRAY_SIZE(watch_add_policy) - 1,
	},
	{
		.cmd = PROCSCOPE_CMD_WATCH_DEL,
		.doit = procscope_watch_del_doit,
		.policy = pid_policy,
		.maxattr = ARRAY_SIZE(pid_policy) - 1,
	},
	{
		.cmd = PROCSCOPE_CMD_WATCH_GET,
		.start = procscope_watch_get_start,
		.dumpit = procscope_watch_get_dumpit,
		.done = procscope_watch_get_done,
		.policy = pid_policy,
		.maxattr = ARRAY_SIZE(pid_policy) - 1,
	},
	{
		.cmd = PROCSCOPE_CMD_SOCK_DUMP,
		.start = procscope_sock_dump_start,
		.dumpit = procscope_sock_dump_dumpit,
		.done = procscope_sock_dump_done,
		.policy = pid_policy,
		.maxattr = ARRAY_SIZE(pid_policy) - 1,
	},
};

/*
 * Events name other processes' addresses and PFNs, so only CAP_SYS_ADMIN
 * may subscribe, the same bar pagemap sets for PFNs. Unprivileged watchers
 * read their counters with WATCH_GET instead.
 */
static const struct genl_multicast_group procscope_mcgrps[] = {
	{ .name = PROCSCOPE_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_SYS_ADMIN },
};

struct genl_family procscope_genl_family __ro_after_init = {
	.name		= PROCSCOPE_GENL_NAME,
	.version	= PROCSCOPE_GENL_VERSION,
	/* Strict validation for every op: unknown attributes are errors. */
	.resv_start_op	= PROCSCOPE_CMD_MAX + 1,
	/*
	 * Not under genl_mutex: a walk of a large address space, or a wait
	 * for a target's mmap_lock, must not stall every generic netlink
	 * family on the machine. Handlers lock what they touch; WATCH_ADD
	 * and WATCH_DEL share watch_cmd_mutex (watch.c).
	 */
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= procscope_ops,
	.n_ops		= ARRAY_SIZE(procscope_ops),
	.mcgrps		= procscope_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(procscope_mcgrps),
};

void *procscope_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
			 u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &procscope_genl_family, flags, cmd);
}

struct sk_buff *procscope_reply_new(struct genl_info *info, u8 cmd,
				    void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!msg)
		return ERR_PTR(-ENOMEM);
	*hdr = genlmsg_put_reply(msg, info, &procscope_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return ERR_PTR(-EMSGSIZE);
	}
	return msg;
}

int procscope_reply_send(struct sk_buff *msg, void *hdr,
			 struct genl_info *info, int err)
{
	if (err) {
		nlmsg_free(msg);
		return err < 0 ? err : -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int procscope_put_u64_nest(struct sk_buff *skb, int attr, const u64 *v,
			   int n, int pad, bool all)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		if (i == 0 || i == pad || (!v[i] && !all))
			continue;
		if (nla_put_u64_64bit(skb, i, v[i], pad))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int __init procscope_genl_init(void)
{
	return genl_register_family(&procscope_genl_family);
}

void procscope_genl_exit(void)
{
	genl_unregister_family(&procscope_genl_family);
}
