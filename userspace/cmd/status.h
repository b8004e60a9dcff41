/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_STATUS_H
#define PROCSCOPE_STATUS_H

#include <stdio.h>

#include "nl/nl.h"
#include "render/json.h"

struct ps_status {
	char module_version[32];
	uint32_t abi_version;
	uint32_t hooks;
	uint64_t seen, delivered, dropped;
	uint64_t probes_missed;	/* calls a return probe could not follow */
	uint32_t watches, watches_max;
	uint32_t paging_levels;
	/* TCP listeners held by socket watches, their cap, refusals at a cap */
	uint32_t listeners, listeners_max;
	uint64_t listeners_refused;
};

/* Parse a GET_STATUS reply. Returns 0 or -EINVAL. */
int status_parse(const struct nlmsghdr *nlh, struct ps_status *st);
void status_render_text(const struct ps_status *st, FILE *f);
void status_render_json(const struct ps_status *st, struct json *j);

#endif
