// SPDX-License-Identifier: GPL-2.0
/* Socket side of a watch. TODO(issue 5): not implemented yet. */

#include "sock_watch.h"
#include "watch.h"

int procscope_sock_watch_start(struct procscope_watch *w)
{
	return 0;
}

void procscope_sock_watch_stop(struct procscope_watch *w)
{
}

int procscope_sock_watch_fill(struct sk_buff *skb,
			      const struct procscope_watch *w)
{
	return 0;
}
