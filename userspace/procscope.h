/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_TOOL_H
#define PROCSCOPE_TOOL_H

/* The uapi header, shared with the module. */
#include <linux/types.h>
#include "../module/uapi/procscope.h"

#endif
