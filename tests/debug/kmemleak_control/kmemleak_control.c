// SPDX-License-Identifier: GPL-2.0
/*
 * kmemleak_control: the positive control of the debug-kernel suite
 * (tests/debug/run.sh).  Its init allocates three objects and drops every
 * reference to them, so a kmemleak scan must report exactly these three
 * (sizes 96, 256 and 1024, allocated in leak_one()).  If it does not, the
 * scan that found procscope clean proves nothing and the run fails.
 * Never load this on a real machine.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

/*
 * noinline, and no tail call into kmalloc, so this frame is in the backtrace
 * kmemleak records and its report names this module.  The pointer is
 * returned and then forgotten, which is the leak.
 */
static noinline void *leak_one(size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL);

	OPTIMIZER_HIDE_VAR(p);
	return p;
}

/*
 * The pointers leak_one() and kmalloc() left in stack slots below this frame
 * would, once the loading task's stack is cached for reuse, still reference
 * the objects and hide them from kmemleak: overwrite those slots.
 */
static noinline void scrub_stack(void)
{
	char buf[1024];

	memzero_explicit(buf, sizeof(buf));
}

/*
 * Not __init: init text is freed after loading, and its symbols with it, so
 * a report would show a bare address instead of this module's name.
 */
static int kmemleak_control_init(void)
{
	static const size_t sizes[] = { 96, 256, 1024 };
	unsigned long sum = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *p = leak_one(sizes[i]);

		if (!p)
			return -ENOMEM;
		/* keep the compiler from dropping the allocation */
		sum += (unsigned long)p & 1;
	}
	scrub_stack();
	pr_info("kmemleak_control: leaked 3 objects on purpose (%lu)\n", sum);
	return 0;
}

static void __exit kmemleak_control_exit(void)
{
}

module_init(kmemleak_control_init);
module_exit(kmemleak_control_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("procscope debug suite: a deliberate kmemleak positive control");
