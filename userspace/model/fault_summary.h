/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_FAULT_SUMMARY_H
#define PROCSCOPE_FAULT_SUMMARY_H

#include <stdio.h>

#include "model/fault_event.h"
#include "model/hist.h"
#include "nl/watch.h"

/* A label ("main+0x1a (prog)", "heap") and how many faults it took. */
struct fault_top {
	char *key;
	uint64_t count;
};

struct fault_tops {
	struct fault_top *v;
	size_t n, cap;
	uint64_t other;		/* faults beyond FAULT_TOP_KEYS distinct keys */
};

#define FAULT_TOP_KEYS 4096

/* What `procscope faults` prints at the end. */
struct fault_summary {
	uint64_t events;	/* events received */
	uint64_t counted, major;
	uint64_t by_class[PROCSCOPE_FAULT_CLASS_COUNT];
	struct latency_stats lat[PROCSCOPE_FAULT_CLASS_COUNT];
	struct fault_tops sites, vmas;
	/* From the module's watch counters, when it could be read. */
	bool have_watch;
	struct fault_watch watch;
	uint64_t lost_local;	/* socket overruns seen here (ENOBUFS) */
};

void fault_summary_init(struct fault_summary *s);
void fault_summary_free(struct fault_summary *s);
void fault_summary_add(struct fault_summary *s, const struct fault_event *ev,
		       const char *site, const char *vma);
/* Take the module's counters; classes/latency come from it if no events. */
void fault_summary_set_watch(struct fault_summary *s, const struct fault_watch *w);
/* Faults of class @i, from the module when known, else from events. */
uint64_t fault_summary_class_count(const struct fault_summary *s, unsigned int i);
/* Faults by class, from the module when known, else from events. */
uint64_t fault_summary_total(const struct fault_summary *s);
uint64_t fault_summary_dropped(const struct fault_summary *s);
uint64_t fault_summary_delivered(const struct fault_summary *s);
/* Delivered to our socket but not read: we stopped (-d, Ctrl-C) behind. */
uint64_t fault_summary_unread(const struct fault_summary *s);

/* The faults of @ev without its site and VMA (the caller adds those). */
void fault_summary_count(struct fault_summary *s, const struct fault_event *ev);

void fault_tops_add(struct fault_tops *t, const char *key);
/*
 * The index of @key in @t, added with count 0 if new; -1 when the table
 * is full. Indices stay valid until fault_tops_sort(): a reader resolves
 * a site once and then only counts with fault_tops_hit().
 */
long fault_tops_intern(struct fault_tops *t, const char *key);
/* One more fault at index @idx (-1: beyond the tracked keys). */
void fault_tops_hit(struct fault_tops *t, long idx);
/* Sort by count, descending (stable on key). */
void fault_tops_sort(struct fault_tops *t);

#endif
