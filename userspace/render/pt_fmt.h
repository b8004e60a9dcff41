/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_PT_FMT_H
#define PROCSCOPE_PT_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "render/json.h"
#include <linux/procscope.h>

/* Names shared by pt, ptes, translate and maps. */
const char *pt_level_name(uint32_t level);	/* "pgd" ... "pte" */
uint64_t pt_level_size(uint32_t level);		/* bytes a leaf there maps */
const char *pt_stop_name(uint32_t stop);	/* "mapped", "swap", ... */
const char *pt_stop_why(uint32_t stop);		/* a sentence */

/* Flag names in bit order, e.g. "present write user accessed dirty nx". */
const char *pt_flags_str(uint64_t flags, char *buf, size_t len);
/* The same as a JSON array of strings. */
void pt_flags_json(struct json *j, const char *key, uint64_t flags);
/* A compact 7-column view: "rwxuadh" with '-' for clear bits. */
const char *pt_flags_short(uint64_t flags, char buf[8]);

#endif
