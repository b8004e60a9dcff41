// SPDX-License-Identifier: GPL-2.0
/*
 * The procscope generic netlink family: policy, operations, event group.
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
 * Only request attributes are accepted from user space; everything the
 * module sends back is rejected on input so a confused tool gets an error
 * instead of being silently ignored.
 */
/* A pid above PID_MAX_LIMIT would turn negative as a pid_t. */
static struct netlink_range_validation pid_range __ro_after_init = {
	.min = 1,
	.max = PID_MAX_LIMIT,
};

static const struct nla_policy procscope_policy[PROCSCOPE_A_MAX + 1] = {
	[PROCSCOPE_A_PID]		= NLA_POLICY_FULL_RANGE(NLA_U32, &pid_range),
	[PROCSCOPE_A_ADDR_START]	= { .type = NLA_U64 },
	[PROCSCOPE_A_ADDR_END]		= { .type = NLA_U64 },
	[PROCSCOPE_A_VA]		= { .type = NLA_U64 },
	[PROCSCOPE_A_WATCH_FLAGS]	= NLA_POLICY_MASK(NLA_U32,
						PROCSCOPE_WATCH_F_FAULTS |
						PROCSCOPE_WATCH_F_SOCKETS |
						PROCSCOPE_WATCH_F_CHILDREN |
						PROCSCOPE_WATCH_F_NO_EVENTS),
	[PROCSCOPE_A_MODULE_VERSION]	= { .type = NLA_REJECT },
	[PROCSCOPE_A_ABI_VERSION]	= { .type = NLA_REJECT },
	[PROCSCOPE_A_HOOKS]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_EVENTS_SEEN]	= { .type = NLA_REJECT },
	[PROCSCOPE_A_EVENTS_DELIVERED]	= { .type = NLA_REJECT },
	[PROCSCOPE_A_EVENTS_DROPPED]	= { .type = NLA_REJECT },
	[PROCSCOPE_A_WATCHES]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_WATCHES_MAX]	= { .type = NLA_REJECT },
	[PROCSCOPE_A_PAGING_LEVELS]	= { .type = NLA_REJECT },
	[PROCSCOPE_A_TABLES]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_LEAVES]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_MM]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_PT_BYTES]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_PFN_VISIBLE]	= { .type = NLA_REJECT },
	[PROCSCOPE_A_VMA]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_PTE]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_PTE_RUN]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_PROBES_MISSED]	= { .type = NLA_REJECT },
	[PROCSCOPE_A_STEP]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_PA]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_STOP]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_WATCH]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_FAULT]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_SOCK]		= { .type = NLA_REJECT },
	[PROCSCOPE_A_SOCK_EVENT]	= { .type = NLA_REJECT },
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
	},
	{
		.cmd = PROCSCOPE_CMD_PT_SUMMARY,
		.doit = procscope_pt_summary_doit,
	},
	{
		.cmd = PROCSCOPE_CMD_VMA_DUMP,
		.start = procscope_vma_dump_start,
		.dumpit = procscope_vma_dump_dumpit,
		.done = procscope_vma_dump_done,
	},
	{
		.cmd = PROCSCOPE_CMD_PTE_DUMP,
		.start = procscope_pte_dump_start,
		.dumpit = procscope_pte_dump_dumpit,
		.done = procscope_pte_dump_done,
	},
	{
		.cmd = PROCSCOPE_CMD_TRANSLATE,
		.doit = procscope_translate_doit,
	},
	{
		.cmd = PROCSCOPE_CMD_WATCH_ADD,
		.doit = procscope_watch_add_doit,
	},
	{
		.cmd = PROCSCOPE_CMD_WATCH_DEL,
		.doit = procscope_watch_del_doit,
	},
	{
		.cmd = PROCSCOPE_CMD_WATCH_GET,
		.start = procscope_watch_get_start,
		.dumpit = procscope_watch_get_dumpit,
		.done = procscope_watch_get_done,
	},
	{
		.cmd = PROCSCOPE_CMD_SOCK_DUMP,
		.start = procscope_sock_dump_start,
		.dumpit = procscope_sock_dump_dumpit,
		.done = procscope_sock_dump_done,
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
	.maxattr	= PROCSCOPE_A_MAX,
	.policy		= procscope_policy,
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
