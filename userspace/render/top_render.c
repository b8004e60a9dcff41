// SPDX-License-Identifier: GPL-2.0
/*
 * What `procscope top` draws, as pure functions of two snapshots: the
 * full-screen frame for a terminal, plain lines for a pipe, JSON lines.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model/fault_event.h"
#include "render/top_render.h"

#define GAUGE_W 10

static const char *const abbrev[PROCSCOPE_FAULT_CLASS_COUNT] = {
	[PROCSCOPE_FAULT_ANON] = "anon",
	[PROCSCOPE_FAULT_STACK] = "stack",
	[PROCSCOPE_FAULT_COW] = "cow",
	[PROCSCOPE_FAULT_SWAP] = "swap",
	[PROCSCOPE_FAULT_FILE] = "file",
	[PROCSCOPE_FAULT_FILE_MAJOR] = "fmaj",
	[PROCSCOPE_FAULT_SHARED_WRITE] = "shwr",
	[PROCSCOPE_FAULT_PERM] = "perm",
	[PROCSCOPE_FAULT_BADADDR] = "bad",
	[PROCSCOPE_FAULT_OTHER] = "other",
};

static double dt_of(const struct top_snapshot *prev,
		    const struct top_snapshot *cur)
{
	return prev && cur->t_ns > prev->t_ns ?
	       (double)(cur->t_ns - prev->t_ns) / 1e9 : 0.0;
}

struct row {
	const struct top_proc *p;
	struct top_rates r;
};

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	/* Busiest first; the pid keeps equal rows in a stable order. */
	if (x->r.total != y->r.total)
		return x->r.total > y->r.total ? -1 : 1;
	return x->p->pid < y->p->pid ? -1 : x->p->pid > y->p->pid;
}

static unsigned int rows_of(const struct top_snapshot *prev,
			    const struct top_snapshot *cur, struct row *rows)
{
	double dt = dt_of(prev, cur);
	unsigned int i;

	for (i = 0; i < cur->n; i++) {
		rows[i].p = &cur->p[i];
		top_rates(top_find(prev, cur->p[i].pid), &cur->p[i], dt,
			  &rows[i].r);
	}
	qsort(rows, cur->n, sizeof(*rows), row_cmp);
	return cur->n;
}

/* "anon 12.0  file 3.0" for the classes that moved; "" when none did. */
static void class_list(const struct top_rates *r, const char *sep,
		       const char *eq, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT && used < len; i++) {
		if (r->cls[i] <= 0)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s%s%.1f",
					 used ? sep : "", abbrev[i], eq, r->cls[i]);
	}
}

static void queue_cols(const struct top_proc *p, bool unicode, bool gauge,
		       char *q, size_t qlen, char *g, size_t glen)
{
	g[0] = '\0';
	if (!p->have_socks || !p->listeners) {
		snprintf(q, qlen, "-");
		return;
	}
	snprintf(q, qlen, "%u/%u", p->accept_queue, p->backlog);
	/* The queue holds backlog + 1: that is when it is full. */
	if (gauge)
		term_gauge(g, glen, p->accept_queue, (uint64_t)p->backlog + 1,
			   GAUGE_W, unicode);
}

/*
 * Print one screen line cut to @width visible columns: escape sequences
 * take none, a UTF-8 character takes one.
 */
static void screen_line(FILE *f, const struct top_view *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void screen_line(FILE *f, const struct top_view *v, const char *fmt, ...)
{
	char buf[1024];
	unsigned int cols = 0;
	bool cut = false;
	size_t i = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	while (buf[i]) {
		unsigned char c = (unsigned char)buf[i];

		if (c == 0x1b) {	/* CSI: ESC [ params final-byte */
			i++;
			if (buf[i] == '[') {
				i++;
				while (buf[i] && !(buf[i] >= 0x40 && buf[i] <= 0x7e))
					i++;
				if (buf[i])
					i++;
			}
			continue;
		}
		if ((c & 0xc0) != 0x80) {	/* not a continuation byte */
			if (cols == v->width) {
				cut = true;
				break;
			}
			cols++;
		}
		i++;
	}
	buf[i] = '\0';
	/* Erase the rest of the old line: frames are drawn over each other. */
	fprintf(f, "%s%s\033[K\n", buf, cut ? term_sgr(&v->ts, TERM_RESET) : "");
}

void top_render_screen(const struct top_snapshot *prev,
		       const struct top_snapshot *cur,
		       const struct top_view *v, FILE *f)
{
	const struct term_style *ts = &v->ts;
	struct row rows[TOP_MAX_PIDS];
	char q[24], g[TERM_BAR_BUFSIZE(GAUGE_W) + 3], cl[256], ov[48], sq[16];
	unsigned int i, n = rows_of(prev, cur, rows), lines = 4;

	screen_line(f, v, "%sprocscope top%s  %u process%s  every %.1f s  %s    %sq quits%s",
		    term_sgr(ts, TERM_BOLD), term_sgr(ts, TERM_RESET), n,
		    n == 1 ? "" : "es", v->interval, v->clock,
		    term_sgr(ts, TERM_DIM), term_sgr(ts, TERM_RESET));
	screen_line(f, v, "%s", "");
	screen_line(f, v, "%s%7s %-16s %10s %9s  %-11s %-12s %6s  %s%s",
		    term_sgr(ts, TERM_BOLD), "PID", "COMM", "FAULTS/s",
		    "MAJOR/s", "ACCEPT-Q", "", "SYN-Q", "OVERFLOWS",
		    term_sgr(ts, TERM_RESET));
	if (!n)
		screen_line(f, v, "  no watched process (start one with: procscope top -p PID)");
	for (i = 0; i < n && lines + 2 <= v->height; i++, lines += 2) {
		const struct top_proc *p = rows[i].p;
		const struct top_rates *r = &rows[i].r;
		bool full = p->listeners && p->accept_queue > p->backlog;

		if (p->gone && !p->have_watch) {
			screen_line(f, v, "%7d %-16.16s %s(exited)%s", (int)p->pid,
				    p->comm, term_sgr(ts, TERM_DIM),
				    term_sgr(ts, TERM_RESET));
			screen_line(f, v, "%s", "");
			continue;
		}
		queue_cols(p, ts->unicode, true, q, sizeof(q), g, sizeof(g));
		if (p->have_socks && p->listeners) {
			snprintf(sq, sizeof(sq), "%u", p->syn_queue);
			if (r->new_overflows)
				snprintf(ov, sizeof(ov), "%llu (+%llu)",
					 (unsigned long long)p->overflows,
					 (unsigned long long)r->new_overflows);
			else
				snprintf(ov, sizeof(ov), "%llu",
					 (unsigned long long)p->overflows);
		} else {
			snprintf(sq, sizeof(sq), "-");
			snprintf(ov, sizeof(ov), "-");
		}
		screen_line(f, v, "%7d %-16.16s %10.1f %9.1f  %-11s %s%-12s%s %6s  %s%s%s",
			    (int)p->pid, p->comm, r->total, r->major, q,
			    term_sgr(ts, full ? TERM_RED : TERM_GREEN), g,
			    term_sgr(ts, TERM_RESET), sq,
			    term_sgr(ts, r->new_overflows ? TERM_RED : TERM_RESET),
			    ov, term_sgr(ts, TERM_RESET));
		class_list(r, "  ", " ", cl, sizeof(cl));
		if (!p->have_watch)
			screen_line(f, v, "%8s%snot watched: no fault counters%s", "",
				    term_sgr(ts, TERM_DIM), term_sgr(ts, TERM_RESET));
		else
			screen_line(f, v, "%8s%s%s%s", "", term_sgr(ts, TERM_CYAN),
				    cl[0] ? cl : "no faults", term_sgr(ts, TERM_RESET));
	}
	if (i < n)
		screen_line(f, v, "  ... %u more (make the terminal taller)", n - i);
}

void top_render_lines(const struct top_snapshot *prev,
		      const struct top_snapshot *cur,
		      const struct top_view *v, bool header, FILE *f)
{
	struct row rows[TOP_MAX_PIDS];
	char q[24], g[4], cl[256];
	unsigned int i, n = rows_of(prev, cur, rows);

	if (header)
		fprintf(f, "%-8s %7s %-16s %10s %9s %-11s %6s %10s  %s\n", "TIME",
			"PID", "COMM", "FAULTS/s", "MAJOR/s", "ACCEPT-Q",
			"SYN-Q", "OVERFLOWS", "FAULTS/s BY CLASS");
	for (i = 0; i < n; i++) {
		const struct top_proc *p = rows[i].p;
		const struct top_rates *r = &rows[i].r;
		bool q_ok = p->have_socks && p->listeners;

		if (p->gone && !p->have_watch) {
			fprintf(f, "%-8s %7d %-16.16s exited\n", v->clock,
				(int)p->pid, p->comm);
			continue;
		}
		queue_cols(p, false, false, q, sizeof(q), g, sizeof(g));
		class_list(r, " ", "=", cl, sizeof(cl));
		fprintf(f, "%-8s %7d %-16.16s %10.1f %9.1f %-11s ", v->clock,
			(int)p->pid, p->comm, r->total, r->major, q);
		if (q_ok)
			fprintf(f, "%6u %10llu", p->syn_queue,
				(unsigned long long)p->overflows);
		else
			fprintf(f, "%6s %10s", "-", "-");
		fprintf(f, "  %s\n", !p->have_watch ? "(not watched)" :
			cl[0] ? cl : "-");
	}
	fflush(f);
}

void top_render_json(const struct top_snapshot *prev,
		     const struct top_snapshot *cur, struct json *j)
{
	struct row rows[TOP_MAX_PIDS];
	unsigned int i, k, n = rows_of(prev, cur, rows);

	json_obj_begin(j, NULL);
	json_double(j, "time_s", (double)cur->t_ns / 1e9);
	json_double(j, "interval_s", dt_of(prev, cur));
	json_arr_begin(j, "processes");
	for (i = 0; i < n; i++) {
		const struct top_proc *p = rows[i].p;
		const struct top_rates *r = &rows[i].r;

		json_obj_begin(j, NULL);
		json_u64(j, "pid", (uint64_t)p->pid);
		json_str(j, "comm", p->comm);
		json_bool(j, "gone", p->gone);
		json_bool(j, "watched", p->have_watch);
		json_double(j, "faults_per_s", r->total);
		json_double(j, "major_per_s", r->major);
		json_obj_begin(j, "by_class_per_s");
		for (k = 0; k < PROCSCOPE_FAULT_CLASS_COUNT; k++)
			json_double(j, fault_class_name(k), r->cls[k]);
		json_obj_end(j);
		json_obj_begin(j, "by_class");
		for (k = 0; k < PROCSCOPE_FAULT_CLASS_COUNT; k++)
			json_u64(j, fault_class_name(k), p->by_class[k]);
		json_obj_end(j);
		json_u64(j, "minor", p->minor);
		json_u64(j, "major", p->major);
		if (p->have_socks && p->listeners) {
			json_u64(j, "listeners", p->listeners);
			json_u64(j, "accept_queue", p->accept_queue);
			json_u64(j, "backlog", p->backlog);
			json_u64(j, "syn_queue", p->syn_queue);
			json_u64(j, "overflows", p->overflows);
			json_u64(j, "new_overflows", r->new_overflows);
		} else {
			json_u64(j, "listeners", 0);
			json_null(j, "accept_queue");
			json_null(j, "backlog");
			json_null(j, "syn_queue");
			json_null(j, "overflows");
			json_null(j, "new_overflows");
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}
