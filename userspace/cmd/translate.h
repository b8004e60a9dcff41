/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_TRANSLATE_H
#define PROCSCOPE_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>

#include "render/json.h"

struct xlate_step {
	uint32_t level, index;
	uint64_t table_pa, entry, flags;
	bool present, leaf;
};

/* TRANSLATE, parsed. */
struct xlate_result {
	pid_t pid;
	uint64_t va, pa;
	unsigned int levels;
	uint32_t stop;
	bool pfn_visible;
	struct xlate_step step[5];
	int nsteps;
};

int xlate_parse(const struct nlmsghdr *nlh, struct xlate_result *x);
void xlate_render_text(const struct xlate_result *x, FILE *f);
void xlate_render_json(const struct xlate_result *x, struct json *j);

#endif
