/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SOCK_HOOKS_H
#define PROCSCOPE_SOCK_HOOKS_H

int procscope_sock_hooks_init(void);
void procscope_sock_hooks_exit(void);
/* Calls the return probes missed (too many in flight): no event for them. */
unsigned long procscope_sock_hooks_missed(void);

#endif
