/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_MAPS_SVG_H
#define PROCSCOPE_MAPS_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/pte_dump.h"
#include "model/vmas.h"
#include "nl/nl.h"

/*
 * `procscope maps PID --svg FILE`: the address space, one row per VMA in
 * address order with the unmapped gaps between them, each row a strip of
 * up to MAPS_SVG_COLS columns showing which parts are resident, huge,
 * the zero page or swapped out (from the leaves of a PTE_DUMP).
 */
#define MAPS_SVG_COLS 400

/* Per VMA: 4 KiB pages per column, by what maps them. */
enum maps_res {
	MAPS_RES_PAGE,		/* present 4 KiB leaf (not the zero page) */
	MAPS_RES_HUGE,		/* inside a present 2 MiB/1 GiB leaf */
	MAPS_RES_ZERO,		/* the shared zero page */
	MAPS_RES_SWAP,		/* swapped out */
	MAPS_RES__COUNT
};

struct maps_strip {
	uint32_t cols;		/* min(MAPS_SVG_COLS, pages) */
	uint64_t pages;		/* 4 KiB pages in the VMA */
	uint32_t *n[MAPS_RES__COUNT];	/* [cols] each */
};

struct maps_svg {
	const struct vma_list *l;
	struct maps_strip *s;	/* one per VMA */
	size_t cursor;		/* VMA of the previous entry */
	uint64_t entries, outside;	/* entries seen; not in any VMA */
};

int maps_svg_init(struct maps_svg *m, const struct vma_list *l);
/* Account one PTE_DUMP entry. Returns 0 (entries outside VMAs are counted). */
int maps_svg_add(struct maps_svg *m, const struct pte_entry *e);
void maps_svg_free(struct maps_svg *m);
/* Draw the picture on @f. Returns 0 or -EIO. */
int maps_svg_render(const struct maps_svg *m, FILE *f);

/*
 * Dump @l's process's page tables and draw them into @path ("-": stdout).
 * Returns 0, -errno from netlink, or 1 after printing a file error.
 */
int maps_svg_save(struct ps_nl *nl, const struct vma_list *l,
		  const char *path);

#endif
