// SPDX-License-Identifier: GPL-2.0
/* Latency percentiles from raw samples or log2 histograms. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/hist.h"

static unsigned int bucket_of(uint64_t ns)
{
	unsigned int b = ns ? 63 - (unsigned int)__builtin_clzll(ns) : 0;

	return b < LATENCY_BUCKETS ? b : LATENCY_BUCKETS - 1;
}

void latency_init(struct latency_stats *s)
{
	memset(s, 0, sizeof(*s));
}

void latency_free(struct latency_stats *s)
{
	free(s->raw);
	latency_init(s);
}

static void raw_drop(struct latency_stats *s)
{
	free(s->raw);
	s->raw = NULL;
	s->nraw = s->capraw = 0;
	s->raw_off = 1;
}

void latency_add(struct latency_stats *s, uint64_t ns)
{
	s->count++;
	s->sum += ns;
	if (ns > s->max)
		s->max = ns;
	s->buckets[bucket_of(ns)]++;
	if (s->raw_off)
		return;
	if (s->nraw == s->capraw) {
		size_t cap = s->capraw ? s->capraw * 2 : 256;
		uint64_t *n;

		if (cap > LATENCY_RAW_MAX) {
			raw_drop(s);
			return;
		}
		n = realloc(s->raw, cap * sizeof(*n));
		if (!n) {
			raw_drop(s);
			return;
		}
		s->raw = n;
		s->capraw = cap;
	}
	s->raw[s->nraw++] = ns;
	s->sorted = 0;
}

void latency_add_hist(struct latency_stats *s, const uint64_t *buckets,
		      unsigned int n, uint64_t max, uint64_t sum)
{
	unsigned int i;

	for (i = 0; i < n && i < LATENCY_BUCKETS; i++) {
		s->buckets[i] += buckets[i];
		s->count += buckets[i];
		if (buckets[i])
			raw_drop(s);	/* no raw samples for these */
	}
	s->sum += sum;
	if (max > s->max)
		s->max = max;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t latency_percentile(struct latency_stats *s, double p)
{
	uint64_t rank, seen = 0;
	unsigned int i;

	if (!s->count)
		return 0;
	if (p < 0)
		p = 0;
	if (p > 100)
		p = 100;
	/* Nearest rank: the smallest value with at least p% at or below. */
	rank = (uint64_t)ceil(p / 100.0 * (double)s->count);
	if (rank < 1)
		rank = 1;
	if (!s->raw_off && s->nraw == s->count) {
		if (!s->sorted) {
			qsort(s->raw, s->nraw, sizeof(*s->raw), cmp_u64);
			s->sorted = 1;
		}
		return s->raw[rank - 1];
	}
	for (i = 0; i < LATENCY_BUCKETS; i++) {
		uint64_t lo, hi, v;

		if (seen + s->buckets[i] < rank) {
			seen += s->buckets[i];
			continue;
		}
		/* Interpolate inside the bucket, never beyond the max seen. */
		lo = i ? 1ULL << i : 0;
		hi = i < 63 ? (1ULL << (i + 1)) - 1 : UINT64_MAX;
		v = lo + (uint64_t)((double)(hi - lo) *
				    (double)(rank - seen) / (double)s->buckets[i]);
		return v < s->max ? v : s->max;
	}
	return s->max;
}

const char *fmt_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}
