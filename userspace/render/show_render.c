// SPDX-License-Identifier: GPL-2.0
/*
 * The page `procscope show` prints: identity, memory by kind, the
 * page-table tree in one line, faults per class, sockets. Views that have
 * a renderer of their own (faults summary, sockets, and in JSON maps and
 * pt) are drawn by it; this file only lays them out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "render/fault_render.h"
#include "render/maps_render.h"
#include "render/pt_fmt.h"
#include "render/pt_render.h"
#include "render/show_render.h"
#include "render/sock_render.h"
#include "render/term.h"

#define BAR_W 12

static const char *part_err(const struct show_data *d, enum show_part p,
			    int err)
{
	return d->errmsg[p][0] ? d->errmsg[p] : strerror(-err);
}

static void section(FILE *f, const struct term_style *ts, const char *title)
{
	fprintf(f, "\n%s%s%s", term_sgr(ts, TERM_BOLD), title,
		term_sgr(ts, TERM_RESET));
}

static void render_identity(const struct show_data *d,
			    const struct term_style *ts, FILE *f)
{
	const struct show_identity *id = &d->id;

	fprintf(f, "%spid %d%s", term_sgr(ts, TERM_BOLD), (int)d->pid,
		term_sgr(ts, TERM_RESET));
	if (d->id_err) {
		fprintf(f, ": /proc/%d unreadable (%s)\n", (int)d->pid,
			strerror(-d->id_err));
		return;
	}
	fprintf(f, "  %s  uid %u%s%s%s", id->comm, id->uid, id->user[0] ? " (" : "",
		id->user, id->user[0] ? ")" : "");
	if (id->euid != id->uid)
		fprintf(f, " euid %u", id->euid);
	fprintf(f, "  state %c  %u thread%s  parent %d\n", id->state ? id->state : '?',
		id->threads, id->threads == 1 ? "" : "s", (int)id->ppid);
	fprintf(f, "  exe      %s\n", id->exe[0] ? id->exe :
		"(not readable: not your process)");
	if (id->cmdline[0])
		fprintf(f, "  command  %s\n", id->cmdline);
	fprintf(f, "  since it started: %" PRIu64 " minor + %" PRIu64
		" major faults (/proc/PID/stat)\n", id->minflt, id->majflt);
}

static void render_memory(const struct show_data *d,
			  const struct term_style *ts, FILE *f)
{
	struct show_kind_row rows[VMA_KIND__COUNT], tot = { 0 };
	char b1[16], b2[16], b3[16], b4[16], bar[TERM_BAR_BUFSIZE(BAR_W)];
	unsigned int k;

	section(f, ts, "MEMORY");
	if (d->maps_err) {
		fprintf(f, "  unavailable: %s\n", part_err(d, SHOW_MAPS, d->maps_err));
		return;
	}
	show_memory_by_kind(&d->maps, rows);
	for (k = 0; k < VMA_KIND__COUNT; k++) {
		tot.vmas += rows[k].vmas;
		tot.size += rows[k].size;
		tot.resident += rows[k].resident;
		tot.swap += rows[k].swap;
		tot.huge += rows[k].huge;
	}
	fprintf(f, "  %u mappings, %s mapped, %s resident, %s swapped out\n",
		tot.vmas, fmt_bytes(tot.size, b1, sizeof(b1)),
		fmt_bytes(tot.resident, b2, sizeof(b2)),
		fmt_bytes(tot.swap, b3, sizeof(b3)));
	fprintf(f, "  %s%-7s %4s %10s %10s %10s %10s  %s%s\n",
		term_sgr(ts, TERM_DIM), "KIND", "VMAS", "SIZE", "RESIDENT",
		"SWAP", "HUGE", ts->unicode ?
		TERM_GLYPH_FULL " resident " TERM_GLYPH_MID " swapped" :
		"# resident, s swapped", term_sgr(ts, TERM_RESET));
	for (k = 0; k < VMA_KIND__COUNT; k++) {
		const struct show_kind_row *r = &rows[k];
		const struct term_bar_seg seg[] = {
			{ r->resident, '#', TERM_GLYPH_FULL },
			{ r->swap, 's', TERM_GLYPH_MID },
		};

		if (!r->vmas)
			continue;
		fprintf(f, "  %-7s %4u %10s %10s %10s %10s  %s\n",
			vma_kind_name((enum vma_kind)k), r->vmas,
			fmt_bytes(r->size, b1, sizeof(b1)),
			fmt_bytes(r->resident, b2, sizeof(b2)),
			fmt_bytes(r->swap, b3, sizeof(b3)),
			fmt_bytes(r->huge, b4, sizeof(b4)),
			term_bar(bar, sizeof(bar), r->size, seg, 2, BAR_W,
				 ts->unicode));
	}
}

static void render_pt(const struct show_data *d, const struct term_style *ts,
		      FILE *f)
{
	const struct pt_summary *s = &d->pt;
	const uint64_t *lv = s->leaves;
	char b1[16], b2[16];
	uint64_t total = pt_tree_bytes(s);
	int l;

	section(f, ts, "PAGE TABLES");
	if (d->pt_err) {
		fprintf(f, "  unavailable: %s\n", part_err(d, SHOW_PT, d->pt_err));
		return;
	}
	fprintf(f, "  %u-level radix tree:", s->levels);
	for (l = PROCSCOPE_LEVEL_PGD; l <= PROCSCOPE_LEVEL_PTE; l++) {
		if (l == PROCSCOPE_LEVEL_P4D && s->levels < 5)
			continue;	/* folded into the PGD */
		fprintf(f, "%s %s %" PRIu64, l == PROCSCOPE_LEVEL_PGD ? "" : " >",
			pt_level_name((uint32_t)l), s->tables[l]);
	}
	fprintf(f, " tables = %s\n", fmt_bytes(total, b1, sizeof(b1)));
	fprintf(f, "  leaves: %" PRIu64 " x 4 KiB, %" PRIu64 " x 2 MiB, %" PRIu64
		" x 1 GiB huge; %" PRIu64 " swapped out\n",
		lv[PROCSCOPE_LEAF_PTE], lv[PROCSCOPE_LEAF_PMD],
		lv[PROCSCOPE_LEAF_PUD], lv[PROCSCOPE_LEAF_SWAP]);
	fprintf(f, "  a flat table for the %s address space would take %s (%.3g x this tree)\n",
		fmt_bytes(s->mm[PROCSCOPE_MM_TASK_SIZE], b1, sizeof(b1)),
		fmt_bytes(pt_flat_bytes(s), b2, sizeof(b2)),
		total ? (double)pt_flat_bytes(s) / (double)total : 0.0);
	fprintf(f, "  kernel VmPTE %s: %s\n",
		fmt_bytes(s->mm[PROCSCOPE_MM_PGTABLES_BYTES], b1, sizeof(b1)),
		s->mm[PROCSCOPE_MM_PGTABLES_BYTES] == pt_vmpte_expected(s) ?
		"matches the walk" : "differs from the walk (mappings changed meanwhile)");
}

static void render_faults(const struct show_data *d,
			  const struct term_style *ts, FILE *f)
{
	struct fault_summary sum;
	double age;

	section(f, ts, "PAGE FAULTS");
	if (d->watch_err == -ENOENT) {
		fprintf(f, "  not watched: nobody counts this process's faults by class.\n"
			"  'procscope show -d 5 %d' counts for 5 s; 'procscope top -p %d' or\n"
			"  'procscope faults %d' count while they run.\n",
			(int)d->pid, (int)d->pid, (int)d->pid);
		return;
	}
	if (d->watch_err) {
		fprintf(f, "  unavailable: %s\n", part_err(d, SHOW_WATCH, d->watch_err));
		return;
	}
	age = d->now_ns > d->watch.since_ns ?
	      (double)(d->now_ns - d->watch.since_ns) / 1e9 : 0.0;
	if (d->sampled_s > 0)
		fprintf(f, "  counted by this command for %.1f s", d->sampled_s);
	else
		fprintf(f, "  counted since the watch began %.1f s ago", age);
	fprintf(f, "%s; latency from fault entry to completion\n",
		d->watch.exited ? " (the process has exited)" : "");
	fault_summary_init(&sum);
	fault_summary_set_watch(&sum, &d->watch);
	fault_summary_render_text(&sum, f, 0);
	fault_summary_free(&sum);
}

static void render_sockets(const struct show_data *d,
			   const struct term_style *ts, FILE *f)
{
	section(f, ts, "SOCKETS");
	if (d->socks_err) {
		fprintf(f, "\n  unavailable: %s\n", part_err(d, SHOW_SOCKS, d->socks_err));
		return;
	}
	fputc('\n', f);
	sockets_render_text(d->pid, &d->socks, f);
}

void show_render_text(const struct show_data *d, FILE *f)
{
	struct term_style ts = term_style_for(f);

	render_identity(d, &ts, f);
	render_memory(d, &ts, f);
	render_pt(d, &ts, f);
	render_faults(d, &ts, f);
	render_sockets(d, &ts, f);
	if (!d->admin)
		fprintf(f, "\nnote: not root (CAP_SYS_ADMIN): physical frames are hidden and there are no live\n"
			"events; counters, queues and the tree are complete.\n");
}

/* ---- JSON: one object merging the views' own JSON objects ---- */

struct jcap {
	char *text;
	size_t len;
	FILE *mf;
	struct json j;
};

static struct json *cap_begin(struct jcap *c)
{
	c->text = NULL;
	c->mf = open_memstream(&c->text, &c->len);
	json_init(&c->j, c->mf ? c->mf : stderr);
	return &c->j;
}

/* Write `,"key":<captured object>` (the writer's closing newline dropped). */
static void cap_end(struct jcap *c, FILE *f, const char *key)
{
	if (!c->mf) {
		fprintf(f, ",\"%s\":null", key);
		return;
	}
	fclose(c->mf);
	while (c->len && c->text[c->len - 1] == '\n')
		c->text[--c->len] = '\0';
	fprintf(f, ",\"%s\":%s", key, c->len ? c->text : "null");
	free(c->text);
}

static void json_identity(const struct show_data *d, FILE *f)
{
	const struct show_identity *id = &d->id;
	struct jcap c;
	struct json *j = cap_begin(&c);
	char st[2] = { id->state, '\0' };

	json_obj_begin(j, NULL);
	json_str(j, "comm", id->comm);
	if (id->exe[0])
		json_str(j, "exe", id->exe);
	else
		json_null(j, "exe");
	json_str(j, "cmdline", id->cmdline);
	json_u64(j, "uid", id->uid);
	json_u64(j, "euid", id->euid);
	json_str(j, "user", id->user);
	json_str(j, "state", st);
	json_u64(j, "ppid", (uint64_t)id->ppid);
	json_u64(j, "threads", id->threads);
	json_u64(j, "minflt", id->minflt);
	json_u64(j, "majflt", id->majflt);
	json_u64(j, "vm_rss_kb", id->vm_rss_kb);
	json_u64(j, "vm_swap_kb", id->vm_swap_kb);
	json_obj_end(j);
	cap_end(&c, f, "identity");
}

static void json_by_kind(const struct show_data *d, FILE *f)
{
	struct show_kind_row rows[VMA_KIND__COUNT];
	struct jcap c;
	struct json *j = cap_begin(&c);
	unsigned int k;

	show_memory_by_kind(&d->maps, rows);
	json_obj_begin(j, NULL);
	for (k = 0; k < VMA_KIND__COUNT; k++) {
		if (!rows[k].vmas)
			continue;
		json_obj_begin(j, vma_kind_name((enum vma_kind)k));
		json_u64(j, "vmas", rows[k].vmas);
		json_u64(j, "size", rows[k].size);
		json_u64(j, "resident", rows[k].resident);
		json_u64(j, "swap", rows[k].swap);
		json_u64(j, "huge", rows[k].huge);
		json_obj_end(j);
	}
	json_obj_end(j);
	cap_end(&c, f, "memory_by_kind");
}

static void json_watch(const struct show_data *d, FILE *f)
{
	struct fault_summary sum;
	struct jcap c;
	struct json *j;

	if (d->watch_err) {
		fputs(",\"faults\":null,\"watch\":null", f);
		return;
	}
	j = cap_begin(&c);
	fault_summary_init(&sum);
	fault_summary_set_watch(&sum, &d->watch);
	fault_summary_render_json(&sum, j, 0);
	fault_summary_free(&sum);
	cap_end(&c, f, "faults");

	j = cap_begin(&c);
	json_obj_begin(j, NULL);
	json_u64(j, "flags", d->watch.flags);
	json_double(j, "age_s", d->now_ns > d->watch.since_ns ?
		    (double)(d->now_ns - d->watch.since_ns) / 1e9 : 0.0);
	json_double(j, "sampled_s", d->sampled_s);
	json_bool(j, "exited", d->watch.exited);
	json_obj_end(j);
	cap_end(&c, f, "watch");
}

static void json_errors(const struct show_data *d, FILE *f)
{
	static const char *const names[] = {
		[SHOW_MAPS] = "maps", [SHOW_PT] = "pt",
		[SHOW_SOCKS] = "sockets", [SHOW_WATCH] = "faults",
	};
	const int errs[] = {
		[SHOW_MAPS] = d->maps_err, [SHOW_PT] = d->pt_err,
		[SHOW_SOCKS] = d->socks_err,
		[SHOW_WATCH] = d->watch_err == -ENOENT ? 0 : d->watch_err,
	};
	struct jcap c;
	struct json *j = cap_begin(&c);
	unsigned int i;

	json_obj_begin(j, NULL);
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		if (errs[i])
			json_str(j, names[i], part_err(d, (enum show_part)i, errs[i]));
	json_obj_end(j);
	cap_end(&c, f, "errors");
}

void show_render_json(const struct show_data *d, FILE *f)
{
	struct jcap c;
	struct json *j;

	fprintf(f, "{\"pid\":%d", (int)d->pid);
	if (d->id_err)
		fputs(",\"identity\":null", f);
	else
		json_identity(d, f);
	if (d->maps_err) {
		fputs(",\"maps\":null,\"memory_by_kind\":null", f);
	} else {
		j = cap_begin(&c);
		maps_render_json(&d->maps, j);
		cap_end(&c, f, "maps");
		json_by_kind(d, f);
	}
	if (d->pt_err) {
		fputs(",\"pt\":null", f);
	} else {
		j = cap_begin(&c);
		pt_summary_render_json(&d->pt, j);
		cap_end(&c, f, "pt");
	}
	json_watch(d, f);
	fprintf(f, ",\"watched\":%s", d->watch_err ? "false" : "true");
	if (d->socks_err) {
		fputs(",\"sockets\":null", f);
	} else {
		j = cap_begin(&c);
		sockets_render_json(d->pid, &d->socks, j);
		cap_end(&c, f, "sockets");
	}
	fprintf(f, ",\"pfn_visible\":%s,\"live_events\":%s",
		!d->pt_err && d->pt.pfn_visible ? "true" : "false",
		d->admin ? "true" : "false");
	json_errors(d, f);
	fputs("}\n", f);
	fflush(f);
}
