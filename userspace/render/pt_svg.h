/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_PT_SVG_H
#define PROCSCOPE_PT_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "model/pt_summary.h"
#include "model/pt_tree.h"
#include "nl/nl.h"

/*
 * `procscope pt PID --svg FILE`: the page-table radix tree (model/pt_tree.h)
 * drawn one column per level with each table's 512 entries as a grid.
 */

/*
 * Draw @t as an SVG document on @f; @s (the kernel's own table counts,
 * may be NULL) is shown next to the rebuilt counts. Returns 0 or -EIO.
 */
int pt_svg_render(const struct pt_tree *t, const struct pt_summary *s,
		  FILE *f);

/*
 * Fill a tree from the whole PTE_DUMP of @pid (and @s from its
 * PT_SUMMARY), then draw it into @path ("-": stdout); @s is left filled.
 * Returns 0, -errno from netlink, or 1 after printing a file error.
 */
int pt_svg_save(struct ps_nl *nl, pid_t pid, struct pt_summary *s,
		const char *path);

#endif
