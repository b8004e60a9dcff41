/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_HOOKS_H
#define PROCSCOPE_HOOKS_H

#include <linux/tracepoint.h>

#include <linux/procscope.h>

/*
 * What the hook files (fault_hooks.c, sock_hooks.c) share and publish,
 * below them and below everything that reads it: which hooks are attached
 * and how many probe hits the kernel skipped (GET_STATUS), whether fault
 * watches can work (WATCH_ADD), and the tracepoint lookup. Nothing here
 * calls up into the hooks except through the readers they register.
 */

/* Record whether @hook is attached. */
void procscope_hook_attached(enum procscope_hook hook, bool attached);
/* Bits of enum procscope_hook that are attached now. */
unsigned long procscope_hooks_attached(void);
/* The hooks fault watches depend on are attached. */
bool procscope_fault_hooks_ready(void);

/*
 * Each hook file registers (at init; NULL at exit) a reader of the probe
 * hits the kernel skipped on its probes (too many in flight: no event for
 * them); procscope_hooks_missed() sums them.
 */
enum procscope_hook_group {
	PROCSCOPE_HOOKS_FAULT,
	PROCSCOPE_HOOKS_SOCK,
	__PROCSCOPE_HOOKS_LAST
};

void procscope_hooks_set_missed(enum procscope_hook_group group,
				unsigned long (*missed)(void));
unsigned long procscope_hooks_missed(void);

/* A built-in tracepoint by name (for_each_kernel_tracepoint), or NULL. */
struct tracepoint *procscope_tracepoint_find(const char *name);

#endif
