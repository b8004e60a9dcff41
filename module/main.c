// SPDX-License-Identifier: GPL-2.0
/*
 * procscope: see what the kernel holds for one live process - its page
 * tables, the page faults it takes and its listening sockets' queues.
 *
 * Layers; a file calls only into its own layer's lower files and the
 * layers below it:
 *
 *   commands  status.c, pt_cmds.c, pt_dump.c, sock_dump.c, the WATCH_*
 *             handlers in watch.c; genl.c names them in its ops table
 *   hooks     fault_hooks.c, sock_hooks.c: they feed the layers below and
 *             publish what they attached in hooks.c; nothing calls them
 *   watches   sock_watch.c (the socket side, handed to watch.c as
 *             struct procscope_watch_sock_ops from here), then watch.c
 *   base      events.c (the rings), hooks.c, fault_stats.c,
 *             fault_classify.c, ptwalk.c, target.c, genl.c's message
 *             helpers, compat.c
 *
 * This file only wires them: it brings them up at load and down at unload.
 */

#include <linux/module.h>

#include "events.h"
#include "fault_hooks.h"
#include "genl.h"
#include "sock_hooks.h"
#include "sock_watch.h"
#include "watch.h"
#include "version.h"

static int __init procscope_init(void)
{
	int ret;

	ret = procscope_watch_init(&procscope_sock_watch_ops);
	if (ret)
		return ret;
	ret = procscope_genl_init();
	if (ret)
		goto err_watch;
	/* The event drain multicasts through the family: start it after. */
	ret = procscope_events_init();
	if (ret)
		goto err_genl;
	/*
	 * Hooks come last: they may emit events the moment they are attached,
	 * and everything they feed must already exist.
	 */
	ret = procscope_fault_hooks_init();
	if (ret)
		goto err_events;
	ret = procscope_sock_hooks_init();
	if (ret)
		goto err_fault;
	pr_info("loaded, version %s, netlink ABI %d\n", PROCSCOPE_VERSION,
		PROCSCOPE_GENL_VERSION);
	return 0;

err_fault:
	procscope_fault_hooks_exit();
err_events:
	procscope_events_exit();
err_genl:
	procscope_genl_exit();
err_watch:
	procscope_watch_exit();
	return ret;
}

static void __exit procscope_exit(void)
{
	procscope_sock_hooks_exit();
	procscope_fault_hooks_exit();
	procscope_events_exit();
	procscope_genl_exit();
	procscope_watch_exit();
	pr_info("unloaded\n");
}

module_init(procscope_init);
module_exit(procscope_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("procscope developers");
MODULE_DESCRIPTION("Page tables, page faults and accept queues of a live process");
MODULE_VERSION(PROCSCOPE_VERSION);
MODULE_ALIAS_GENL_FAMILY(PROCSCOPE_GENL_NAME);
