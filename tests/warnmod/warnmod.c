// SPDX-License-Identifier: GPL-2.0
/*
 * warnmod: a deliberately broken module for the VM harness's meta tests
 * (tests/host/vm_meta.sh).  Its init triggers WARN_ON(1), which must make
 * `scripts/vm run` fail with exit status 125 and show the WARNING lines.
 * Never load this on a real machine.
 */
#include <linux/module.h>
#include <linux/bug.h>

static int __init warnmod_init(void)
{
	pr_info("warnmod: loading, about to WARN_ON(1) on purpose\n");
	WARN_ON(1);
	return 0;
}

static void __exit warnmod_exit(void)
{
}

module_init(warnmod_init);
module_exit(warnmod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("procscope VM harness self-test: WARN_ON(1) in init");
