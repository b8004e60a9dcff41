// SPDX-License-Identifier: GPL-2.0
/* State the hooks publish for the layers above them: see hooks.h. */

#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/string.h>

#include "hooks.h"

static unsigned long hooks_attached;
static unsigned long (*hooks_missed[__PROCSCOPE_HOOKS_LAST])(void);

void procscope_hook_attached(enum procscope_hook hook, bool attached)
{
	if (attached)
		set_bit(hook, &hooks_attached);
	else
		clear_bit(hook, &hooks_attached);
}

unsigned long procscope_hooks_attached(void)
{
	return READ_ONCE(hooks_attached);
}

/* The hardware-fault tracepoint and handle_mm_fault: see fault_hooks.c. */
bool procscope_fault_hooks_ready(void)
{
	unsigned long need = BIT(PROCSCOPE_HOOK_FAULT_USER) |
			     BIT(PROCSCOPE_HOOK_HANDLE_MM_FAULT);

	return (procscope_hooks_attached() & need) == need;
}

void procscope_hooks_set_missed(enum procscope_hook_group group,
				unsigned long (*missed)(void))
{
	WRITE_ONCE(hooks_missed[group], missed);
}

unsigned long procscope_hooks_missed(void)
{
	unsigned long (*missed)(void);
	unsigned long sum = 0;
	int i;

	for (i = 0; i < __PROCSCOPE_HOOKS_LAST; i++) {
		/* Read once: a hook file's exit clears it meanwhile. */
		missed = READ_ONCE(hooks_missed[i]);
		if (missed)
			sum += missed();
	}
	return sum;
}

struct tp_lookup {
	const char *name;
	struct tracepoint *tp;
};

static void tp_match(struct tracepoint *tp, void *priv)
{
	struct tp_lookup *l = priv;

	if (!strcmp(tp->name, l->name))
		l->tp = tp;
}

struct tracepoint *procscope_tracepoint_find(const char *name)
{
	struct tp_lookup l = { .name = name };

	for_each_kernel_tracepoint(tp_match, &l);
	return l.tp;
}
