/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_PT_CMDS_H
#define PROCSCOPE_PT_CMDS_H

#include <linux/mm_types.h>
#include <net/genetlink.h>

#include <linux/procscope.h>

/* A snapshot of the mm's layout and counters, read under mmap_read_lock. */
struct procscope_mm_snapshot {
	u64 v[__PROCSCOPE_MM_LAST];
};

void procscope_mm_snapshot(struct mm_struct *mm,
			   struct procscope_mm_snapshot *s);
/* The snapshot as a PROCSCOPE_A_MM nest. */
int procscope_put_mm(struct sk_buff *skb,
		     const struct procscope_mm_snapshot *s);

int procscope_pt_summary_doit(struct sk_buff *skb, struct genl_info *info);
int procscope_translate_doit(struct sk_buff *skb, struct genl_info *info);

#endif
