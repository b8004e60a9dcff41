/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_WATCH_H
#define PROCSCOPE_WATCH_H

#include <stdint.h>
#include <sys/types.h>

#include "model/fault_event.h"
#include "nl/nl.h"

/*
 * The module's watches: WATCH_ADD, WATCH_DEL and WATCH_GET (its counters),
 * as faults, accept, show and top use them. A watch belongs to a pid, not
 * to the socket that added it: it lasts until WATCH_DEL or the process's
 * exit, so `show` and `top` read watches that `faults`, `accept` or
 * another `top` started, and each command removes only the ones it added.
 */

/* WATCH_ADD @pid with @flags. Returns 0, -EEXIST if watched, or -errno. */
int watch_add(struct ps_nl *nl, pid_t pid, uint32_t flags);
int watch_del(struct ps_nl *nl, pid_t pid);

/*
 * WATCH_GET: every watch the caller may see (@pid 0) or @pid's only.
 * Calls @fn for each; returns 0 or -errno.
 */
int watch_get(struct ps_nl *nl, pid_t pid,
	      int (*fn)(const struct fault_watch *w, void *ctx), void *ctx);
/* @pid's watch into @w: 0, -ENOENT if it has none, or -errno. */
int watch_get_one(struct ps_nl *nl, pid_t pid, struct fault_watch *w);

#endif
