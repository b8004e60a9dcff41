/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SOCK_WATCH_H
#define PROCSCOPE_SOCK_WATCH_H

#include <net/genetlink.h>

struct procscope_watch;

/*
 * Called by watch.c, in process context, for watches with
 * PROCSCOPE_WATCH_F_SOCKETS: start() after the watch is visible to
 * procscope_watch_find(), stop() before it is freed (after the RCU grace
 * period has been waited for by the caller or is yet to be).
 */
int procscope_sock_watch_start(struct procscope_watch *w);
void procscope_sock_watch_stop(struct procscope_watch *w);

/* Add the socket side of a watch to a WATCH_GET message (A_WATCH nest). */
int procscope_sock_watch_fill(struct sk_buff *skb,
			      const struct procscope_watch *w);

#endif
