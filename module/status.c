// SPDX-License-Identifier: GPL-2.0
/* GET_STATUS: what is loaded, what is hooked, what was delivered. */

#include <linux/bitops.h>

#include "events.h"
#include "fault_hooks.h"
#include "genl.h"
#include "ptwalk.h"
#include "sock_hooks.h"
#include "sock_watch.h"
#include "status.h"
#include "version.h"
#include "watch.h"

static unsigned long hooks_attached;

void procscope_hook_attached(enum procscope_hook hook, bool attached)
{
	if (attached)
		set_bit(hook, &hooks_attached);
	else
		clear_bit(hook, &hooks_attached);
}

int procscope_status_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct procscope_event_stats st;
	u32 listeners, listeners_max;
	u64 listeners_refused;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = procscope_genl_put(msg, info->snd_portid, info->snd_seq, 0,
				 PROCSCOPE_CMD_GET_STATUS);
	if (!hdr)
		goto nospace;

	procscope_events_stats(&st);
	procscope_sock_listener_stats(&listeners, &listeners_max,
				      &listeners_refused);
	if (nla_put_string(msg, PROCSCOPE_A_MODULE_VERSION, PROCSCOPE_VERSION) ||
	    nla_put_u32(msg, PROCSCOPE_A_ABI_VERSION, PROCSCOPE_GENL_VERSION) ||
	    nla_put_u32(msg, PROCSCOPE_A_HOOKS, READ_ONCE(hooks_attached)) ||
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
			      procscope_fault_hooks_missed() +
			      procscope_sock_hooks_missed(), PROCSCOPE_A_PAD) ||
	    nla_put_u32(msg, PROCSCOPE_A_LISTENERS, listeners) ||
	    nla_put_u32(msg, PROCSCOPE_A_LISTENERS_MAX, listeners_max) ||
	    nla_put_u64_64bit(msg, PROCSCOPE_A_LISTENERS_REFUSED,
			      listeners_refused, PROCSCOPE_A_PAD))
		goto nospace;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}
