/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_HIST_H
#define PROCSCOPE_HIST_H

#include <stddef.h>
#include <stdint.h>

/*
 * Latency statistics: exact percentiles from raw samples while they fit
 * (LATENCY_RAW_MAX), and a log2 histogram always, which takes over past
 * that and is also what the module reports (bucket i = [2^i, 2^(i+1)) ns).
 */
#define LATENCY_BUCKETS 64
#define LATENCY_RAW_MAX (1u << 20)

struct latency_stats {
	uint64_t count;
	uint64_t sum;
	uint64_t max;
	uint64_t buckets[LATENCY_BUCKETS];
	uint64_t *raw;		/* NULL after too many samples or no memory */
	size_t nraw, capraw;
	int sorted;
	int raw_off;		/* samples were dropped from raw: use buckets */
};

void latency_init(struct latency_stats *s);
void latency_free(struct latency_stats *s);
void latency_add(struct latency_stats *s, uint64_t ns);
/* Merge a module histogram: @buckets[i] counts [2^i, 2^(i+1)). */
void latency_add_hist(struct latency_stats *s, const uint64_t *buckets,
		      unsigned int n, uint64_t max, uint64_t sum);
/* The @p-th percentile (0..100) in ns; 0 if empty. */
uint64_t latency_percentile(struct latency_stats *s, double p);
/* "850ns", "12.3us", "4.1ms", "2.00s" */
const char *fmt_ns(uint64_t ns, char *buf, size_t len);

#endif
