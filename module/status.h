/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_STATUS_H
#define PROCSCOPE_STATUS_H

#include <net/genetlink.h>

int procscope_status_doit(struct sk_buff *skb, struct genl_info *info);

#endif
