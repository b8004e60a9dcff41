/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_STATUS_H
#define PROCSCOPE_STATUS_H

#include <net/genetlink.h>

#include <linux/procscope.h>

/* Record which hooks are attached, for GET_STATUS. */
void procscope_hook_attached(enum procscope_hook hook, bool attached);

int procscope_status_doit(struct sk_buff *skb, struct genl_info *info);

#endif
