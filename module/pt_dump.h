/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_PT_DUMP_H
#define PROCSCOPE_PT_DUMP_H

#include <net/genetlink.h>

int procscope_vma_dump_start(struct netlink_callback *cb);
int procscope_vma_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int procscope_vma_dump_done(struct netlink_callback *cb);
int procscope_pte_dump_start(struct netlink_callback *cb);
int procscope_pte_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int procscope_pte_dump_done(struct netlink_callback *cb);

#endif
