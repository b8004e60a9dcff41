// SPDX-License-Identifier: GPL-2.0
/* The end-of-run summary of `procscope faults`: classes, latency, tops. */
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

static uint64_t class_count(const struct fault_summary *s, unsigned int i)
{
	return s->have_watch ? s->watch.by_class[i] : s->by_class[i];
}

uint64_t fault_summary_total(const struct fault_summary *s)
{
	uint64_t t = 0;
	unsigned int i;

	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT; i++)
		t += class_count(s, i);
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

static void render_tops_text(struct fault_tops *t, const char *title,
			     FILE *f, int top_n)
{
	size_t i;

	if (!t->n)
		return;
	fault_tops_sort(t);
	fprintf(f, "\n%s:\n", title);
	for (i = 0; i < t->n && (int)i < top_n; i++)
		fprintf(f, "  %8llu  %s\n", (unsigned long long)t->v[i].count,
			t->v[i].key);
	if (t->other)
		fprintf(f, "  %8llu  (more distinct places than tracked)\n",
			(unsigned long long)t->other);
}

void fault_summary_render_text(struct fault_summary *s, FILE *f, int top_n)
{
	char p50[32], p99[32], mx[32];
	uint64_t total = fault_summary_total(s);
	unsigned int i;

	fprintf(f, "\n%-13s %10s %7s %10s %10s %10s\n", "CLASS", "FAULTS", "SHARE",
		"P50", "P99", "MAX");
	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT; i++) {
		uint64_t n = class_count(s, i);

		if (!n)
			continue;
		fprintf(f, "%-13s %10llu %6.1f%% %10s %10s %10s\n",
			fault_class_name(i), (unsigned long long)n,
			total ? 100.0 * (double)n / (double)total : 0.0,
			fmt_ns(latency_percentile(&s->lat[i], 50), p50, sizeof(p50)),
			fmt_ns(latency_percentile(&s->lat[i], 99), p99, sizeof(p99)),
			fmt_ns(s->lat[i].max, mx, sizeof(mx)));
	}
	fprintf(f, "%-13s %10llu\n", "total", (unsigned long long)total);
	if (s->have_watch)
		fprintf(f, "counted by the kernel: %llu minor + %llu major (minflt/majflt)\n",
			(unsigned long long)s->watch.minor,
			(unsigned long long)s->watch.major);
	render_tops_text(&s->sites, "Top code sites", f, top_n);
	render_tops_text(&s->vmas, "Top VMAs", f, top_n);
	fprintf(f, "\nevents: %llu received, %llu delivered, %llu dropped%s\n",
		(unsigned long long)s->events,
		(unsigned long long)fault_summary_delivered(s),
		(unsigned long long)fault_summary_dropped(s),
		fault_summary_dropped(s) ? " (the reader fell behind: counts above are the module's, complete)" : "");
	if (fault_summary_unread(s))
		fprintf(f, "%llu delivered events were still queued when the reader stopped: the lines and top sites miss them, the counts above do not\n",
			(unsigned long long)fault_summary_unread(s));
}

static void render_tops_json(struct fault_tops *t, const char *key,
			     struct json *j, int top_n)
{
	size_t i;

	fault_tops_sort(t);
	json_arr_begin(j, key);
	for (i = 0; i < t->n && (int)i < top_n; i++) {
		json_obj_begin(j, NULL);
		json_str(j, "name", t->v[i].key);
		json_u64(j, "count", t->v[i].count);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void fault_summary_render_json(struct fault_summary *s, struct json *j,
			       int top_n)
{
	unsigned int i;

	json_obj_begin(j, NULL);
	json_obj_begin(j, "summary");
	json_u64(j, "total", fault_summary_total(s));
	json_obj_begin(j, "by_class");
	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT; i++)
		json_u64(j, fault_class_name(i), class_count(s, i));
	json_obj_end(j);
	json_u64(j, "dropped", fault_summary_dropped(s));
	json_u64(j, "delivered", fault_summary_delivered(s));
	json_u64(j, "received", s->events);
	json_u64(j, "unread", fault_summary_unread(s));
	if (s->have_watch) {
		json_u64(j, "seen", s->watch.seen);
		json_u64(j, "minor", s->watch.minor);
		json_u64(j, "major", s->watch.major);
	}
	json_obj_begin(j, "latency_ns");
	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT; i++) {
		if (!s->lat[i].count)
			continue;
		json_obj_begin(j, fault_class_name(i));
		json_u64(j, "p50", latency_percentile(&s->lat[i], 50));
		json_u64(j, "p99", latency_percentile(&s->lat[i], 99));
		json_u64(j, "max", s->lat[i].max);
		json_obj_end(j);
	}
	json_obj_end(j);
	render_tops_json(&s->sites, "top_sites", j, top_n);
	render_tops_json(&s->vmas, "top_vmas", j, top_n);
	json_obj_end(j);
	json_obj_end(j);
}
