/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SOCK_HOOKS_H
#define PROCSCOPE_SOCK_HOOKS_H

/* What they attach and publish: hooks.h. */
int procscope_sock_hooks_init(void);
void procscope_sock_hooks_exit(void);

#endif
