// SPDX-License-Identifier: GPL-2.0
/* TODO: not implemented yet. */

#include <linux/init.h>

#include "sock_hooks.h"

int __init procscope_sock_hooks_init(void)
{
	return 0;
}

void procscope_sock_hooks_exit(void)
{
}
