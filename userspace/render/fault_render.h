/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_FAULT_RENDER_H
#define PROCSCOPE_FAULT_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "model/fault_event.h"
#include "model/fault_summary.h"
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

/*
 * The summary (`procscope faults`, `show`): faults per class with latency,
 * then the @top_n busiest sites and mappings (sorts them), lost events.
 */
void fault_summary_render_text(struct fault_summary *s, FILE *f, int top_n);
void fault_summary_render_json(struct fault_summary *s, struct json *j,
			       int top_n);

#endif
