/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_PT_SUMMARY_H
#define PROCSCOPE_PT_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>

#include "nl/nl.h"
#include <linux/procscope.h>

/* PT_SUMMARY, parsed. */
struct pt_summary {
	pid_t pid;
	unsigned int levels;
	uint64_t tables[__PROCSCOPE_LEVEL_LAST];
	uint64_t leaves[__PROCSCOPE_LEAF_LAST];
	uint64_t mm[__PROCSCOPE_MM_LAST];
	uint64_t pt_bytes;
	bool pfn_visible;
};

int pt_summary_parse(const struct nlmsghdr *nlh, struct pt_summary *s);
/* PT_SUMMARY for @pid. Returns 0 or -errno (see ps_nl_strerror). */
int pt_summary_fetch(struct ps_nl *nl, pid_t pid, struct pt_summary *s);
/* Bytes of every table in the tree, the PGD counted as one page. */
uint64_t pt_tree_bytes(const struct pt_summary *s);
/* What VmPTE (mm_pgtables_bytes) should say: PUD+PMD+PTE + deposited. */
uint64_t pt_vmpte_expected(const struct pt_summary *s);
/* One flat table of 8-byte entries for every 4 KiB page of the space. */
uint64_t pt_flat_bytes(const struct pt_summary *s);

/* The number of distinct address-space bits for @levels (48 or 57). */
unsigned int pt_va_bits(unsigned int levels);

/*
 * Check a user-supplied address for @levels-level paging: lower half and
 * canonical. Returns 0 or -EINVAL.
 */
int pt_check_user_addr(uint64_t addr, unsigned int levels);

#endif
