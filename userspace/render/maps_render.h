/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_MAPS_RENDER_H
#define PROCSCOPE_MAPS_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/vmas.h"
#include "render/json.h"

/* A residency bar of @width characters into @buf (width + 1 bytes). */
const char *maps_bar(uint64_t size, uint64_t resident, uint64_t swapped,
		     char *buf, size_t width);
/* One row per VMA: range, perms, kind, size, resident, bar, name. */
void maps_render_text(const struct vma_list *l, FILE *f);
void maps_render_json(const struct vma_list *l, struct json *j);

#endif
