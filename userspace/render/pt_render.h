/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_PT_RENDER_H
#define PROCSCOPE_PT_RENDER_H

#include <stdio.h>

#include "model/pt_summary.h"
#include "render/json.h"

/* Level by level: tables, entries used, what the leaves map, the costs. */
void pt_summary_render_text(const struct pt_summary *s, FILE *f);
void pt_summary_render_json(const struct pt_summary *s, struct json *j);

#endif
