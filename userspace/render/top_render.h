/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_TOP_RENDER_H
#define PROCSCOPE_TOP_RENDER_H

#include <stdio.h>

#include "model/top.h"
#include "render/json.h"
#include "render/term.h"

/* How to draw: the terminal's size and style, and the header's facts. */
struct top_view {
	unsigned int width, height;	/* screen mode only */
	struct term_style ts;
	double interval;
	char clock[16];			/* "12:34:56" */
};

/*
 * A full-screen frame: a header, one row per process (busiest first) with
 * a line of faults/s per class under it, cut to v->width x v->height. Pure:
 * the caller moves the cursor and clears.
 */
void top_render_screen(const struct top_snapshot *prev,
		       const struct top_snapshot *cur,
		       const struct top_view *v, FILE *f);
/* Plain lines for a pipe or a file: @header prints the column names. */
void top_render_lines(const struct top_snapshot *prev,
		      const struct top_snapshot *cur,
		      const struct top_view *v, bool header, FILE *f);
/* One JSON object per refresh: {"time_s", "interval_s", "processes": [...]}. */
void top_render_json(const struct top_snapshot *prev,
		     const struct top_snapshot *cur, struct json *j);

#endif
