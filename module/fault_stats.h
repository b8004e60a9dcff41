/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_FAULT_STATS_H
#define PROCSCOPE_FAULT_STATS_H

#include <linux/atomic.h>
#include <net/genetlink.h>

#include <linux/procscope.h>

/*
 * Per-watch fault counters, kept in the module so WATCH_GET has a summary
 * without any listener. Updated from fault context by every thread of the
 * process at once, hence atomics; never allocated there (watch.c
 * preallocates one per watch slot). A class's count is the sum of its
 * buckets: one atomic less per fault.
 */
struct procscope_fault_hist {
	atomic64_t sum_ns;
	atomic64_t max_ns;
	atomic64_t buckets[PROCSCOPE_HIST_BUCKETS];
};

struct procscope_fault_stats {
	atomic64_t seen;	/* events offered to the stream */
	atomic64_t delivered;	/* ... multicast */
	atomic64_t dropped;	/* ... lost: buffer full or send failed */
	atomic64_t major;	/* counted in majflt */
	atomic64_t minor;	/* counted in minflt */
	struct procscope_fault_hist hist[PROCSCOPE_FAULT_CLASS_COUNT];
};

void procscope_fault_stats_reset(struct procscope_fault_stats *st);
/* Any context. */
void procscope_fault_stats_account(struct procscope_fault_stats *st,
				   unsigned int cls, u64 latency_ns,
				   bool counted, bool major);
/* The fault members of an A_WATCH nest. */
int procscope_fault_stats_fill(struct sk_buff *skb,
			       const struct procscope_fault_stats *st);

/* Log2 bucket of a latency, as the uapi header defines them. */
static inline unsigned int procscope_hist_bucket(u64 ns)
{
	unsigned int b = ns ? fls64(ns) - 1 : 0;

	return min_t(unsigned int, b, PROCSCOPE_HIST_BUCKETS - 1);
}

#endif
