/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_PTE_DUMP_H
#define PROCSCOPE_PTE_DUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>

#include "nl/nl.h"

/* One A_PTE of a PTE_DUMP. */
struct pte_entry {
	uint64_t va, raw, pfn, flags, swp_offset;
	uint32_t level, swp_type, mapcount;
	bool has_swp_offset;
};

/*
 * Feed every A_PTE of one PTE_DUMP message to @fn (stop on nonzero).
 * *pfn_visible is set from the message when present. Returns 0 or -EINVAL.
 */
int ptes_parse_msg(const struct nlmsghdr *nlh, bool *pfn_visible,
		   int (*fn)(const struct pte_entry *e, void *ctx), void *ctx);

/*
 * PTE_DUMP of [@start, @end) in @pid: every entry, in address order, to @fn
 * (a nonzero return stops the dump). Returns 0 or -errno.
 */
int ptes_fetch(struct ps_nl *nl, pid_t pid, uint64_t start, uint64_t end,
	       bool *pfn_visible,
	       int (*fn)(const struct pte_entry *e, void *ctx), void *ctx);

#endif
