// SPDX-License-Identifier: GPL-2.0
/*
 * The end-of-run summary of `procscope faults` (classes, latency, tops) as
 * data; render/fault_render.c prints it.
 */
#include <stdlib.h>
#include <string.h>

#include "model/fault_summary.h"

void fault_summary_init(struct fault_summary *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT; i++)
		latency_init(&s->lat[i]);
}

static void tops_free(struct fault_tops *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].key);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

void fault_summary_free(struct fault_summary *s)
{
	unsigned int i;

	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT; i++)
		latency_free(&s->lat[i]);
	tops_free(&s->sites);
	tops_free(&s->vmas);
}

long fault_tops_intern(struct fault_tops *t, const char *key)
{
	size_t i;

	/* Recent keys repeat: search from the end. */
	for (i = t->n; i > 0; i--)
		if (!strcmp(t->v[i - 1].key, key))
			return (long)(i - 1);
	if (t->n >= FAULT_TOP_KEYS)
		return -1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct fault_top *n = realloc(t->v, cap * sizeof(*n));

		if (!n)
			return -1;
		t->v = n;
		t->cap = cap;
	}
	t->v[t->n].key = strdup(key);
	if (!t->v[t->n].key)
		return -1;
	t->v[t->n].count = 0;
	return (long)t->n++;
}

void fault_tops_hit(struct fault_tops *t, long idx)
{
	if (idx >= 0 && (size_t)idx < t->n)
		t->v[idx].count++;
	else
		t->other++;
}

void fault_tops_add(struct fault_tops *t, const char *key)
{
	fault_tops_hit(t, fault_tops_intern(t, key));
}

static int top_cmp(const void *a, const void *b)
{
	const struct fault_top *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

void fault_tops_sort(struct fault_tops *t)
{
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), top_cmp);
}

void fault_summary_count(struct fault_summary *s, const struct fault_event *ev)
{
	unsigned int cls = ev->cls < PROCSCOPE_FAULT_CLASS_COUNT ? ev->cls :
			   PROCSCOPE_FAULT_OTHER;

	s->events++;
	s->by_class[cls]++;
	latency_add(&s->lat[cls], ev->latency_ns);
	if (ev->counted) {
		s->counted++;
		if (ev->major)
			s->major++;
	}
}

void fault_summary_add(struct fault_summary *s, const struct fault_event *ev,
		       const char *site, const char *vma)
{
	fault_summary_count(s, ev);
	if (site)
		fault_tops_add(&s->sites, site);
	if (vma)
		fault_tops_add(&s->vmas, vma);
}

void fault_summary_set_watch(struct fault_summary *s, const struct fault_watch *w)
{
	unsigned int i;

	s->have_watch = true;
	s->watch = *w;
	if (s->events)
		return;
	/* Counters-only run: latency from the module's histograms. */
	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT; i++)
		latency_add_hist(&s->lat[i], w->hist[i].buckets,
				 PROCSCOPE_HIST_BUCKETS, w->hist[i].max_ns,
				 w->hist[i].sum_ns);
}

uint64_t fault_summary_class_count(const struct fault_summary *s, unsigned int i)
{
	return s->have_watch ? s->watch.by_class[i] : s->by_class[i];
}

uint64_t fault_summary_total(const struct fault_summary *s)
{
	uint64_t t = 0;
	unsigned int i;

	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT; i++)
		t += fault_summary_class_count(s, i);
	return t;
}

uint64_t fault_summary_dropped(const struct fault_summary *s)
{
	return s->have_watch ? s->watch.dropped : s->lost_local;
}

uint64_t fault_summary_delivered(const struct fault_summary *s)
{
	return s->have_watch ? s->watch.delivered : s->events;
}

uint64_t fault_summary_unread(const struct fault_summary *s)
{
	uint64_t d = fault_summary_delivered(s);

	return d > s->events ? d - s->events : 0;
}
