/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SHOW_RENDER_H
#define PROCSCOPE_SHOW_RENDER_H

#include <stdio.h>

#include "model/show.h"

/* The page `procscope show` prints: every part, or why it is missing. */
void show_render_text(const struct show_data *d, FILE *f);
void show_render_json(const struct show_data *d, FILE *f);

#endif
