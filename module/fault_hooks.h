/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_FAULT_HOOKS_H
#define PROCSCOPE_FAULT_HOOKS_H

#include <linux/tracepoint.h>

int procscope_fault_hooks_init(void);
void procscope_fault_hooks_exit(void);
/* Calls the return probe missed (too many in flight): no event for them. */
unsigned long procscope_fault_hooks_missed(void);

/* Whether the hooks fault watches depend on are attached. */
bool procscope_fault_hooks_ready(void);

/* A built-in tracepoint by name (for_each_kernel_tracepoint), or NULL. */
struct tracepoint *procscope_tracepoint_find(const char *name);

#endif
