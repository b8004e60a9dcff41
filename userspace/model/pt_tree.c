// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table radix tree rebuilt from leaves. The kernel reports leaves
 * (PTE_DUMP); every table on the way from the PGD to a leaf is rebuilt
 * from the leaf's address, exactly as the MMU indexes it: 9 bits per level.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/pt_tree.h"

/* Bit position of the address bits that index a table at @level. */
unsigned int pt_tree_level_shift(const struct pt_tree *t, uint32_t level)
{
	switch (level) {
	case PROCSCOPE_LEVEL_PGD:
		return t->levels == 5 ? 48 : 39;
	case PROCSCOPE_LEVEL_P4D:
		return 39;
	case PROCSCOPE_LEVEL_PUD:
		return 30;
	case PROCSCOPE_LEVEL_PMD:
		return 21;
	default:
		return 12;
	}
}

/* The level below @level; P4D is folded away with 4-level paging. */
uint32_t pt_tree_level_below(const struct pt_tree *t, uint32_t level)
{
	if (level == PROCSCOPE_LEVEL_PGD && t->levels < 5)
		return PROCSCOPE_LEVEL_PUD;
	return level + 1;
}

static uint64_t table_base(const struct pt_tree *t, uint32_t level,
			   uint64_t va)
{
	unsigned int bits = pt_tree_level_shift(t, level) + 9;

	return bits >= 64 ? 0 : va & ~((1ULL << bits) - 1);
}

static int new_node(struct pt_tree *t, uint32_t level, uint64_t base,
		    uint32_t parent, uint16_t slot)
{
	struct pt_node *n;

	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct pt_node *p = realloc(t->n, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		t->n = p;
		t->cap = cap;
	}
	n = &t->n[t->count];
	memset(n, 0, sizeof(*n));
	n->base = base;
	n->level = level;
	n->parent = parent;
	n->slot = slot;
	n->first_child = n->next_sibling = n->last_child = PT_NO_NODE;
	if (parent != PT_NO_NODE) {
		struct pt_node *p = &t->n[parent];

		if (p->last_child == PT_NO_NODE)
			p->first_child = (uint32_t)t->count;
		else
			t->n[p->last_child].next_sibling = (uint32_t)t->count;
		p->last_child = (uint32_t)t->count;
	}
	t->last[level] = (uint32_t)t->count;
	t->tables[level]++;
	t->count++;
	return 0;
}

int pt_tree_init(struct pt_tree *t, unsigned int levels)
{
	int l;

	memset(t, 0, sizeof(*t));
	t->levels = levels == 5 ? 5 : 4;
	for (l = 0; l < __PROCSCOPE_LEVEL_LAST; l++)
		t->last[l] = PT_NO_NODE;
	return new_node(t, PROCSCOPE_LEVEL_PGD, 0, PT_NO_NODE, 0);
}

void pt_tree_free(struct pt_tree *t)
{
	free(t->n);
	t->n = NULL;
	t->count = t->cap = 0;
}

/* The child table of @parent's entry @slot, created if it is new. */
static int child_of(struct pt_tree *t, uint32_t parent, uint16_t slot,
		    uint32_t level, uint64_t va, uint32_t *out)
{
	uint64_t base = table_base(t, level, va);
	uint32_t c = t->last[level];
	int ret;

	/* Leaves come in address order: the newest table is the usual hit. */
	if (c != PT_NO_NODE && t->n[c].parent == parent && t->n[c].base == base) {
		*out = c;
		return 0;
	}
	for (c = t->n[parent].first_child; c != PT_NO_NODE; c = t->n[c].next_sibling) {
		if (t->n[c].base == base) {
			*out = c;
			return 0;
		}
	}
	ret = new_node(t, level, base, parent, slot);
	if (ret)
		return ret;
	*out = (uint32_t)(t->count - 1);
	return 0;
}

static enum pt_ent leaf_kind(const struct pte_entry *e)
{
	if (e->flags & PROCSCOPE_PTE_F_PRESENT)
		return e->level == PROCSCOPE_LEVEL_PTE ? PT_ENT_PAGE : PT_ENT_HUGE;
	if (e->flags & PROCSCOPE_PTE_F_SWAP)
		return PT_ENT_SWAP;
	return PT_ENT_OTHER;
}

int pt_tree_add(struct pt_tree *t, const struct pte_entry *e)
{
	uint32_t level = PROCSCOPE_LEVEL_PGD, node = 0;
	int ret;

	if (e->level < PROCSCOPE_LEVEL_PGD || e->level > PROCSCOPE_LEVEL_PTE ||
	    (e->level == PROCSCOPE_LEVEL_P4D && t->levels < 5))
		return -EINVAL;
	for (;;) {
		uint16_t slot = (e->va >> pt_tree_level_shift(t, level)) & (PT_ENTRIES - 1);
		struct pt_node *n = &t->n[node];

		if (level == e->level) {
			enum pt_ent k = leaf_kind(e);

			/* A table entry stays a table: the MMU sees that. */
			if (n->ent[slot] == PT_ENT_TABLE)
				return -EINVAL;
			if (n->ent[slot] == PT_ENT_EMPTY)
				n->used++;
			else
				t->leaves[n->ent[slot]]--;
			n->ent[slot] = (uint8_t)k;
			t->leaves[k]++;
			return 0;
		}
		if (n->ent[slot] != PT_ENT_EMPTY && n->ent[slot] != PT_ENT_TABLE)
			return -EINVAL;	/* a leaf cannot also have a table */
		if (n->ent[slot] == PT_ENT_EMPTY) {
			n->ent[slot] = PT_ENT_TABLE;
			n->used++;
		}
		level = pt_tree_level_below(t, level);
		ret = child_of(t, node, slot, level, e->va, &node);
		if (ret)
			return ret;
	}
}
