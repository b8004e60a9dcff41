/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_PT_TREE_H
#define PROCSCOPE_PT_TREE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/procscope.h>

#include "model/pte_dump.h"

/*
 * The page-table radix tree rebuilt from the leaves of a PTE_DUMP: every
 * table on the path from the PGD to a leaf, with what each entry holds.
 */

/* What one entry of a rebuilt table holds. */
enum pt_ent {
	PT_ENT_EMPTY,
	PT_ENT_TABLE,	/* points to a table one level down */
	PT_ENT_PAGE,	/* present 4 KiB leaf */
	PT_ENT_HUGE,	/* present 2 MiB / 1 GiB leaf */
	PT_ENT_SWAP,	/* swap entry */
	PT_ENT_OTHER,	/* other non-present leaf (migration, ...) */
	PT_ENT__COUNT
};

#define PT_ENTRIES 512

struct pt_node {
	uint64_t base;		/* first address the table covers */
	uint32_t level;		/* enum procscope_level */
	uint32_t parent;	/* index into pt_tree.n; PT_NO_NODE for the PGD */
	uint32_t first_child, next_sibling, last_child;
	uint16_t slot;		/* the parent's entry pointing here */
	uint16_t used;
	uint8_t ent[PT_ENTRIES];	/* enum pt_ent */
};

#define PT_NO_NODE UINT32_MAX

struct pt_tree {
	unsigned int levels;	/* 4 or 5 */
	struct pt_node *n;	/* n[0] is the PGD, the rest in pre-order */
	size_t count, cap;
	uint32_t last[__PROCSCOPE_LEVEL_LAST];	/* newest table per level */
	uint64_t tables[__PROCSCOPE_LEVEL_LAST];	/* tables rebuilt per level */
	uint64_t leaves[PT_ENT__COUNT];		/* leaf entries by kind */
};

/* An empty tree (just the PGD). Returns 0 or -ENOMEM. */
int pt_tree_init(struct pt_tree *t, unsigned int levels);
/* Put one leaf in the tree, creating the tables above it. 0 or -errno. */
int pt_tree_add(struct pt_tree *t, const struct pte_entry *e);
void pt_tree_free(struct pt_tree *t);
/* Bit position of the address bits that index a table at @level. */
unsigned int pt_tree_level_shift(const struct pt_tree *t, uint32_t level);
/* The next level down that the tree has (the P4D folds away on 4-level). */
uint32_t pt_tree_level_below(const struct pt_tree *t, uint32_t level);

#endif
