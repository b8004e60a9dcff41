// SPDX-License-Identifier: GPL-2.0
/* TODO: not implemented yet. */

#include <linux/init.h>

#include "fault_hooks.h"

int __init procscope_fault_hooks_init(void)
{
	return 0;
}

void procscope_fault_hooks_exit(void)
{
}
