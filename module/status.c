// SPDX-License-Identifier: GPL-2.0
/*
 * GET_STATUS: what is loaded, what is hooked, what was delivered. A
 * command: it reads what the layers below publish (hooks.h, events.h,
 * watch.h, sock_watch.h) and calls into none of the hooks.
 */

#include "events.h"
#include "genl.h"
#include "hooks.h"
#include "ptwalk.h"
#include "sock_watch.h"
#include "status.h"
#include "version.h"
#include "watch.h"

static int put_status(struct sk_buff *msg)
{
	struct procscope_event_stats st;
	u32 listeners, listeners_max;
	u64 listeners_refused;

	procscope_events_stats(&st);
	procscope_sock_listener_stats(&listeners, &listeners_max,
				      &listeners_refused);
	if (nla_put_string(msg, PROCSCOPE_A_MODULE_VERSION, PROCSCOPE_VERSION) ||
	    nla_put_u32(msg, PROCSCOPE_A_ABI_VERSION, PROCSCOPE_GENL_VERSION) ||
	    nla_put_u32(msg, PROCSCOPE_A_HOOKS, procscope_hooks_attached()) ||
	    nla_put_u64_64bit(msg, PROCSCOPE_A_EVENTS_SEEN, st.seen,
			      PROCSCOPE_A_PAD) ||
	    nla_put_u64_64bit(msg, PROCSCOPE_A_EVENTS_DELIVERED, st.delivered,
			      PROCSCOPE_A_PAD) ||
	    nla_put_u64_64bit(msg, PROCSCOPE_A_EVENTS_DROPPED, st.dropped,
			      PROCSCOPE_A_PAD) ||
	    nla_put_u32(msg, PROCSCOPE_A_WATCHES, procscope_watch_count()) ||
	    nla_put_u32(msg, PROCSCOPE_A_WATCHES_MAX, procscope_watch_max()) ||
	    nla_put_u32(msg, PROCSCOPE_A_PAGING_LEVELS, procscope_paging_levels()) ||
	    nla_put_u64_64bit(msg, PROCSCOPE_A_PROBES_MISSED,
			      procscope_hooks_missed(), PROCSCOPE_A_PAD) ||
	    nla_put_u32(msg, PROCSCOPE_A_LISTENERS, listeners) ||
	    nla_put_u32(msg, PROCSCOPE_A_LISTENERS_MAX, listeners_max) ||
	    nla_put_u64_64bit(msg, PROCSCOPE_A_LISTENERS_REFUSED,
			      listeners_refused, PROCSCOPE_A_PAD))
		return -EMSGSIZE;
	return 0;
}

int procscope_status_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = procscope_reply_new(info, PROCSCOPE_CMD_GET_STATUS, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return procscope_reply_send(msg, hdr, info, put_status(msg));
}
