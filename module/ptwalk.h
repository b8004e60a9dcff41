/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_PTWALK_H
#define PROCSCOPE_PTWALK_H

#include <linux/pgtable.h>

/* 5 when the kernel runs LA57 paging, else 4. */
static inline unsigned int procscope_paging_levels(void)
{
	return pgtable_l5_enabled() ? 5 : 4;
}

#endif
