/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_WATCH_H
#define PROCSCOPE_WATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/procscope.h>

#include "nl/nl.h"

/*
 * The module's watches: WATCH_ADD, WATCH_DEL and WATCH_GET (its counters),
 * as faults, accept, show and top use them. A watch belongs to a pid, not
 * to the socket that added it: it lasts until WATCH_DEL or the process's
 * exit, so `show` and `top` read watches that `faults`, `accept` or
 * another `top` started, and each command removes only the ones it added.
 */

/* A watch's counters (A_WATCH of WATCH_GET / WATCH_ADD). */
struct fault_watch_hist {
	uint64_t count, max_ns, sum_ns;
	uint64_t buckets[PROCSCOPE_HIST_BUCKETS];
};

struct fault_watch {
	uint32_t pid, flags;
	uint64_t seen, delivered, dropped, major, minor, since_ns;
	bool exited;
	/* Socket watches: listeners registered now, and left unwatched (cap). */
	uint32_t listeners;
	uint64_t listeners_refused;
	uint64_t by_class[PROCSCOPE_FAULT_CLASS_COUNT];
	struct fault_watch_hist hist[PROCSCOPE_FAULT_CLASS_COUNT];
};

/* Parse the A_WATCH nest of a message. -EINVAL if absent or invalid. */
int fault_watch_parse(const struct nlmsghdr *nlh, struct fault_watch *w);

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
