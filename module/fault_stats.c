// SPDX-License-Identifier: GPL-2.0
/* Per-watch fault counters and latency histograms (log2 buckets). */

#include <linux/string.h>

#include "fault_stats.h"

void procscope_fault_stats_reset(struct procscope_fault_stats *st)
{
	memset(st, 0, sizeof(*st));
}

static void atomic64_max(atomic64_t *v, s64 val)
{
	s64 old = atomic64_read(v);

	while (old < val) {
		s64 prev = atomic64_cmpxchg(v, old, val);

		if (prev == old)
			break;
		old = prev;
	}
}

void procscope_fault_stats_account(struct procscope_fault_stats *st,
				   unsigned int cls, u64 latency_ns,
				   bool counted, bool major)
{
	struct procscope_fault_hist *h;

	if (WARN_ON_ONCE(cls >= PROCSCOPE_FAULT_CLASS_COUNT))
		cls = PROCSCOPE_FAULT_OTHER;
	h = &st->hist[cls];
	atomic64_add(latency_ns, &h->sum_ns);
	atomic64_max(&h->max_ns, latency_ns);
	atomic64_inc(&h->buckets[procscope_hist_bucket(latency_ns)]);
	if (counted)
		atomic64_inc(major ? &st->major : &st->minor);
}

static s64 hist_count(const struct procscope_fault_hist *h)
{
	s64 n = 0;
	unsigned int i;

	for (i = 0; i < PROCSCOPE_HIST_BUCKETS; i++)
		n += atomic64_read(&h->buckets[i]);
	return n;
}

static int fill_hist(struct sk_buff *skb, unsigned int cls,
		     const struct procscope_fault_hist *h)
{
	struct nlattr *nest, *buckets;
	unsigned int i;

	nest = nla_nest_start(skb, PROCSCOPE_WATCH_HIST);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PROCSCOPE_HIST_CLASS, cls) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_HIST_MAX_NS,
			      atomic64_read(&h->max_ns), PROCSCOPE_HIST_PAD) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_HIST_SUM_NS,
			      atomic64_read(&h->sum_ns), PROCSCOPE_HIST_PAD))
		goto cancel;
	buckets = nla_nest_start(skb, PROCSCOPE_HIST_BUCKETS_NEST);
	if (!buckets)
		goto cancel;
	/* Only non-empty buckets: a histogram is mostly zeros. */
	for (i = 0; i < PROCSCOPE_HIST_BUCKETS; i++) {
		s64 n = atomic64_read(&h->buckets[i]);

		if (n && nla_put_u64_64bit(skb, i + 1, n, 0))
			goto cancel;
	}
	nla_nest_end(skb, buckets);
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int procscope_fault_stats_fill(struct sk_buff *skb,
			       const struct procscope_fault_stats *st)
{
	s64 count[PROCSCOPE_FAULT_CLASS_COUNT];
	struct nlattr *nest;
	unsigned int i;

	if (nla_put_u64_64bit(skb, PROCSCOPE_WATCH_SEEN,
			      atomic64_read(&st->seen), PROCSCOPE_WATCH_PAD) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_WATCH_DELIVERED,
			      atomic64_read(&st->delivered), PROCSCOPE_WATCH_PAD) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_WATCH_DROPPED,
			      atomic64_read(&st->dropped), PROCSCOPE_WATCH_PAD) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_WATCH_MAJOR,
			      atomic64_read(&st->major), PROCSCOPE_WATCH_PAD) ||
	    nla_put_u64_64bit(skb, PROCSCOPE_WATCH_MINOR,
			      atomic64_read(&st->minor), PROCSCOPE_WATCH_PAD))
		return -EMSGSIZE;

	nest = nla_nest_start(skb, PROCSCOPE_WATCH_BY_CLASS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT; i++) {
		count[i] = hist_count(&st->hist[i]);
		if (nla_put_u64_64bit(skb, i + 1, count[i], 0))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);

	nest = nla_nest_start(skb, PROCSCOPE_WATCH_LATENCY);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT; i++)
		if (count[i] && fill_hist(skb, i, &st->hist[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}
