/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_PTE_RENDER_H
#define PROCSCOPE_PTE_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "model/pte_dump.h"
#include "render/json.h"

void pte_render_text_header(FILE *f);
void pte_render_text(const struct pte_entry *e, bool pfn_visible, FILE *f);
void pte_render_json(const struct pte_entry *e, bool pfn_visible,
		     struct json *j);

#endif
