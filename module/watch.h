/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_WATCH_H
#define PROCSCOPE_WATCH_H

#include <net/genetlink.h>

int procscope_watch_init(void);
void procscope_watch_exit(void);
unsigned int procscope_watch_count(void);
unsigned int procscope_watch_max(void);

int procscope_watch_add_doit(struct sk_buff *skb, struct genl_info *info);
int procscope_watch_del_doit(struct sk_buff *skb, struct genl_info *info);
int procscope_watch_get_start(struct netlink_callback *cb);
int procscope_watch_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int procscope_watch_get_done(struct netlink_callback *cb);

#endif
