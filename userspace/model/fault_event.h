/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_FAULT_EVENT_H
#define PROCSCOPE_FAULT_EVENT_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/procscope.h>

/* One page fault as the module reports it (A_FAULT). */
struct fault_event {
	uint64_t ts_ns, addr, ip, latency_ns;
	uint64_t raw_before, raw_after, pfn_after, flags_after;
	uint32_t pid, tid, error_code, access, cls, outcome, state_before;
	uint32_t vm_fault;
	bool major, counted;
	char comm[16];
};

/*
 * Call @fn for every A_FAULT of a FAULT_EVENT message, in order. Returns
 * the number of events, or -EINVAL for a malformed one (the rest skipped).
 */
int fault_msg_for_each(const struct nlmsghdr *nlh,
		       int (*fn)(const struct fault_event *ev, void *data),
		       void *data);

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

const char *fault_class_name(unsigned int cls);
const char *fault_outcome_name(unsigned int outcome);
const char *pte_state_name(unsigned int state);

#endif
