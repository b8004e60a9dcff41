// SPDX-License-Identifier: GPL-2.0
/*
 * What `procscope faults` prints: one line per page fault (human columns
 * or one JSON object), and the summary at the end.
 */
#include <inttypes.h>

#include "render/fault_render.h"

void fault_render_header(FILE *f)
{
	fprintf(f, "%10s %7s %-12s %-18s %-8s %5s %9s %-5s  %s\n", "TIME(s)",
		"TID", "CLASS", "ADDRESS", "VMA", "ACC", "LATENCY", "MAJ",
		"SITE");
}

static const char *access_str(uint32_t a, char buf[5])
{
	buf[0] = a & PROCSCOPE_ACCESS_WRITE ? 'w' : 'r';
	buf[1] = a & PROCSCOPE_ACCESS_EXEC ? 'x' : '-';
	buf[2] = a & PROCSCOPE_ACCESS_GUP ? 'g' :
		 a & PROCSCOPE_ACCESS_USER ? 'u' : 'k';
	buf[3] = a & PROCSCOPE_ACCESS_PROT ? 'p' : '-';
	buf[4] = '\0';
	return buf;
}

static const char *class_color(uint32_t cls)
{
	switch (cls) {
	case PROCSCOPE_FAULT_FILE_MAJOR:
	case PROCSCOPE_FAULT_SWAP:
		return "\033[33m";	/* yellow: I/O */
	case PROCSCOPE_FAULT_PERM:
	case PROCSCOPE_FAULT_BADADDR:
		return "\033[31m";	/* red: signal */
	default:
		return "";
	}
}

void fault_render_line(const struct fault_event *ev,
		       const struct fault_line_ctx *c, FILE *f)
{
	double t = ev->ts_ns >= c->t0_ns ? (double)(ev->ts_ns - c->t0_ns) / 1e9 : 0;
	char acc[5], lat[32];
	const char *col = c->color ? class_color(ev->cls) : "";

	if (ev->latency_ns < 1000)
		snprintf(lat, sizeof(lat), "%" PRIu64 "ns", ev->latency_ns);
	else if (ev->latency_ns < 1000000)
		snprintf(lat, sizeof(lat), "%.1fus", ev->latency_ns / 1e3);
	else
		snprintf(lat, sizeof(lat), "%.2fms", ev->latency_ns / 1e6);
	fprintf(f, "%10.6f %7u %s%-12s%s 0x%016" PRIx64 " %-8s %5s %9s %-5s  %s",
		t, ev->tid, col, fault_class_name(ev->cls), *col ? "\033[0m" : "",
		ev->addr, c->vma ? c->vma : "?", access_str(ev->access, acc), lat,
		!ev->counted ? "-" : ev->major ? "major" : "minor",
		c->site ? c->site : "?");
	if (ev->outcome != PROCSCOPE_OUTCOME_HANDLED)
		fprintf(f, " [%s]", fault_outcome_name(ev->outcome));
	fputc('\n', f);
}

void fault_render_json(const struct fault_event *ev,
		       const struct fault_line_ctx *c, struct json *j)
{
	json_obj_begin(j, NULL);
	json_u64(j, "ts_ns", ev->ts_ns);
	json_u64(j, "pid", ev->pid);
	json_u64(j, "tid", ev->tid);
	json_str(j, "comm", ev->comm);
	json_str(j, "class", fault_class_name(ev->cls));
	json_hex(j, "addr", ev->addr);
	json_hex(j, "ip", ev->ip);
	json_bool(j, "major", ev->major);
	json_bool(j, "counted", ev->counted);
	json_u64(j, "latency_ns", ev->latency_ns);
	json_str(j, "outcome", fault_outcome_name(ev->outcome));
	json_hex(j, "error_code", ev->error_code);
	json_bool(j, "write", ev->access & PROCSCOPE_ACCESS_WRITE);
	json_bool(j, "exec", ev->access & PROCSCOPE_ACCESS_EXEC);
	json_bool(j, "user", ev->access & PROCSCOPE_ACCESS_USER);
	json_bool(j, "gup", ev->access & PROCSCOPE_ACCESS_GUP);
	json_str(j, "state_before", pte_state_name(ev->state_before));
	json_hex(j, "pte_before", ev->raw_before);
	json_hex(j, "pte_after", ev->raw_after);
	json_hex(j, "pfn_after", ev->pfn_after);
	json_hex(j, "flags_after", ev->flags_after);
	json_hex(j, "vm_fault", ev->vm_fault);
	json_str(j, "vma", c->vma ? c->vma : "?");
	json_str(j, "site", c->site ? c->site : "?");
	json_obj_end(j);
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
		uint64_t n = fault_summary_class_count(s, i);

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
		json_u64(j, fault_class_name(i), fault_summary_class_count(s, i));
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
