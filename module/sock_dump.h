/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SOCK_DUMP_H
#define PROCSCOPE_SOCK_DUMP_H

#include <net/genetlink.h>

int procscope_sock_dump_start(struct netlink_callback *cb);
int procscope_sock_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int procscope_sock_dump_done(struct netlink_callback *cb);

#endif
