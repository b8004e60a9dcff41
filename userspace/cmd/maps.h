/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_MAPS_H
#define PROCSCOPE_MAPS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/vmas.h"
#include "render/json.h"

/* A residency bar of @width characters into @buf (width + 1 bytes). */
const char *maps_bar(uint64_t size, uint64_t resident, uint64_t swapped,
		     char *buf, size_t width);
void maps_render_json(const struct vma_list *l, struct json *j);

#endif
