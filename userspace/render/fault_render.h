/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_FAULT_RENDER_H
#define PROCSCOPE_FAULT_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "model/fault_event.h"
#include "render/json.h"

/* What the live line says beside the event itself. */
struct fault_line_ctx {
	uint64_t t0_ns;		/* time 0 of the run */
	const char *vma;	/* VMA kind, "?" if unknown */
	const char *site;	/* "func+0xoff (binary)" */
	bool color;
};

void fault_render_header(FILE *f);
void fault_render_line(const struct fault_event *ev,
		       const struct fault_line_ctx *c, FILE *f);
void fault_render_json(const struct fault_event *ev,
		       const struct fault_line_ctx *c, struct json *j);

#endif
