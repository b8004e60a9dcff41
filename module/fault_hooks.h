/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_FAULT_HOOKS_H
#define PROCSCOPE_FAULT_HOOKS_H

/* What they attach and publish: hooks.h. */
int procscope_fault_hooks_init(void);
void procscope_fault_hooks_exit(void);

#endif
