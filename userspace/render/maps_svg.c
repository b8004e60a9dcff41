// SPDX-License-Identifier: GPL-2.0
/*
 * The address space as a picture: every VMA a row, its residency a strip.
 * The row totals come from VMA_DUMP (as `procscope maps` prints them); the
 * strip shows *where* in the VMA the pages are, from PTE_DUMP's leaves.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "render/maps_render.h"
#include "render/maps_svg.h"
#include "render/pt_fmt.h"
#include "render/svg.h"
#include "render/term.h"

#define PAGE		4096ULL
#define LEFT		20.0
#define TOP		112.0
#define ROW_H		16.0
#define ROW_GAP		3.0
#define GAP_H		11.0	/* an unmapped hole between two VMAs */
#define BAR_X		330.0
#define BAR_W		480.0
#define INFO_X		(BAR_X + BAR_W + 12)
#define WIDTH		1400.0

static const char css[] =
	"text{font-family:monospace;font-size:11px;fill:#222}\n"
	".title{font-size:16px;font-weight:bold}\n"
	".small{font-size:10px;fill:#666}\n"
	".r{text-anchor:end}\n"
	".bg{fill:#e8e8e8}\n"
	".page{fill:#3aa657}\n"
	".huge{fill:#f08c1a}\n"
	".zero{fill:#b9e4c4}\n"
	".swap{fill:#9b59b6}\n"
	".hole{stroke:#bbb;stroke-dasharray:4 3}\n"
	".k0{fill:#4a7fd4}.k1{fill:#8fb0e8}.k2{fill:#e0a040}.k3{fill:#f3cf7a}\n"
	".k4{fill:#2e8b57}.k5{fill:#d9443a}.k6{fill:#8bc34a}.k7{fill:#9e9e9e}\n"
	".k8{fill:#9b59b6}.k9{fill:#795548}.k10{fill:#a1887f}.k11{fill:#607d8b}\n";

static const char *const res_cls[MAPS_RES__COUNT] = {
	"page", "huge", "zero", "swap",
};

int maps_svg_init(struct maps_svg *m, const struct vma_list *l)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->l = l;
	m->s = calloc(l->n ? l->n : 1, sizeof(*m->s));
	if (!m->s)
		return -ENOMEM;
	for (i = 0; i < l->n; i++) {
		struct maps_strip *s = &m->s[i];
		uint32_t *p;
		int k;

		s->pages = (l->v[i].end - l->v[i].start) / PAGE;
		s->cols = s->pages < MAPS_SVG_COLS ? (uint32_t)s->pages : MAPS_SVG_COLS;
		if (!s->cols)
			continue;
		p = calloc((size_t)s->cols * MAPS_RES__COUNT, sizeof(*p));
		if (!p) {
			maps_svg_free(m);
			return -ENOMEM;
		}
		for (k = 0; k < MAPS_RES__COUNT; k++)
			s->n[k] = p + (size_t)k * s->cols;
	}
	return 0;
}

void maps_svg_free(struct maps_svg *m)
{
	size_t i;

	if (!m->s)
		return;
	for (i = 0; i < m->l->n; i++)
		free(m->s[i].n[0]);
	free(m->s);
	m->s = NULL;
}

/* The first page of column @c in a strip: columns split pages evenly. */
static uint64_t col_start(const struct maps_strip *s, uint64_t c)
{
	return (c * s->pages + s->cols - 1) / s->cols;
}

static uint64_t col_of(const struct maps_strip *s, uint64_t page)
{
	return page * s->cols / s->pages;
}

int maps_svg_add(struct maps_svg *m, const struct pte_entry *e)
{
	const struct vma_list *l = m->l;
	const struct vma_info *v;
	struct maps_strip *s;
	uint64_t lo, hi, p0, p1, c;
	enum maps_res k;

	m->entries++;
	/* Entries come in address order: move the cursor forward. */
	while (m->cursor < l->n && l->v[m->cursor].end <= e->va)
		m->cursor++;
	if (m->cursor >= l->n || e->va < l->v[m->cursor].start) {
		v = vmas_find(l, e->va);
		if (!v) {
			m->outside++;
			return 0;
		}
		m->cursor = (size_t)(v - l->v);
	}
	v = &l->v[m->cursor];
	s = &m->s[m->cursor];
	if (e->flags & PROCSCOPE_PTE_F_PRESENT)
		k = e->flags & PROCSCOPE_PTE_F_ZERO_PAGE ? MAPS_RES_ZERO :
		    e->level == PROCSCOPE_LEVEL_PTE ? MAPS_RES_PAGE : MAPS_RES_HUGE;
	else if (e->flags & PROCSCOPE_PTE_F_SWAP)
		k = MAPS_RES_SWAP;
	else
		return 0;	/* migration etc.: neither here nor gone */
	if (!s->cols)
		return 0;
	lo = e->va > v->start ? e->va : v->start;
	hi = e->va + pt_level_size(e->level);
	if (hi > v->end || hi < e->va)
		hi = v->end;
	p0 = (lo - v->start) / PAGE;
	p1 = (hi - v->start + PAGE - 1) / PAGE;
	for (c = col_of(s, p0); p0 < p1 && c < s->cols; c++) {
		uint64_t a = col_start(s, c), b = col_start(s, c + 1);

		a = a > p0 ? a : p0;
		b = b < p1 ? b : p1;
		if (b > a)
			s->n[k][c] += (uint32_t)(b - a);
	}
	return 0;
}

/* Height (in eighths of a row) that @n of @of pages fill; any page shows. */
static int eighths(uint64_t n, uint64_t of)
{
	int h;

	if (!n || !of)
		return 0;
	h = (int)((n * 8 + of / 2) / of);
	return h ? h : 1;
}

/* The residency strip: stacked columns, runs of equal columns merged. */
static void draw_strip(struct svg *svg, const struct maps_strip *s, double y)
{
	double cw;
	uint32_t c = 0;

	svg_rect(svg, BAR_X, y, BAR_W, ROW_H, "bg", NULL);
	if (!s->cols)
		return;
	cw = BAR_W / s->cols;
	while (c < s->cols) {
		int h[MAPS_RES__COUNT], k;
		uint32_t len = 1;
		uint64_t of = col_start(s, c + 1) - col_start(s, c);
		double base = y + ROW_H;

		for (k = 0; k < MAPS_RES__COUNT; k++)
			h[k] = eighths(s->n[k][c], of);
		/* Extend the run while the next column looks the same. */
		while (c + len < s->cols) {
			uint64_t of2 = col_start(s, c + len + 1) - col_start(s, c + len);

			for (k = 0; k < MAPS_RES__COUNT; k++)
				if (eighths(s->n[k][c + len], of2) != h[k])
					break;
			if (k < MAPS_RES__COUNT)
				break;
			len++;
		}
		for (k = 0; k < MAPS_RES__COUNT; k++) {
			double hh = h[k] * ROW_H / 8;

			if (!h[k])
				continue;
			if (base - hh < y)
				hh = base - y;
			svg_rect(svg, BAR_X + c * cw, base - hh, len * cw, hh,
				 res_cls[k], NULL);
			base -= hh;
		}
		c += len;
	}
}

static uint64_t strip_pages(const struct maps_strip *s, enum maps_res k)
{
	uint64_t n = 0;
	uint32_t c;

	for (c = 0; c < s->cols; c++)
		n += s->n[k][c];
	return n;
}

static void draw_vma(struct svg *svg, const struct maps_svg *m, size_t i,
		     double y)
{
	const struct vma_info *v = &m->l->v[i];
	const struct maps_strip *s = &m->s[i];
	uint64_t size = v->end - v->start, res = vma_resident_bytes(v);
	char perms[5], b1[16], b2[16], b3[16], b4[16], tip[512], kcls[8];
	const char *what = v->path ? v->path : v->name ? v->name : "";

	snprintf(tip, sizeof(tip),
		 "0x%" PRIx64 "-0x%" PRIx64 " %s %s %s: %s mapped, %s resident (%s in huge pages), %s swapped, %" PRIu64 " zero-page entries",
		 v->start, v->end, vma_perms(v->flags, perms),
		 vma_kind_name(v->kind), what, fmt_bytes(size, b1, sizeof(b1)),
		 fmt_bytes(res, b2, sizeof(b2)),
		 fmt_bytes(strip_pages(s, MAPS_RES_HUGE) * PAGE, b3, sizeof(b3)),
		 fmt_bytes(v->leaves[PROCSCOPE_LEAF_SWAP] * PAGE, b4, sizeof(b4)),
		 strip_pages(s, MAPS_RES_ZERO));
	snprintf(kcls, sizeof(kcls), "k%d", (int)v->kind);
	svg_group_begin(svg, NULL, tip);
	svg_rect(svg, LEFT, y + 3, 10, 10, kcls, NULL);
	svg_text(svg, LEFT + 16, y + 12, NULL, "%14" PRIx64, v->start);
	svg_text(svg, LEFT + 122, y + 12, NULL, "%s", perms);
	svg_text(svg, LEFT + 156, y + 12, NULL, "%s", vma_kind_name(v->kind));
	svg_text(svg, BAR_X - 8, y + 12, "r", "%s", fmt_bytes(size, b1, sizeof(b1)));
	draw_strip(svg, s, y);
	svg_text(svg, INFO_X, y + 12, NULL, "%5.1f%% %s",
		 size ? 100.0 * (double)res / (double)size : 0.0, what);
	svg_group_end(svg);
}

static void draw_header(struct svg *svg, const struct maps_svg *m)
{
	static const char *const legend[MAPS_RES__COUNT] = {
		"resident 4 KiB pages", "resident in huge pages",
		"shared zero page (not counted resident)", "swapped out",
	};
	const struct vma_list *l = m->l;
	uint64_t size = 0, res = 0, swap = 0;
	char b1[16], b2[16], b3[16];
	double x = LEFT;
	size_t i;
	int k;

	for (i = 0; i < l->n; i++) {
		size += l->v[i].end - l->v[i].start;
		res += vma_resident_bytes(&l->v[i]);
		swap += l->v[i].leaves[PROCSCOPE_LEAF_SWAP] * PAGE;
	}
	svg_text(svg, LEFT, 24, "title", "Address space of pid %d: %zu mappings",
		 (int)l->pid, l->n);
	svg_text(svg, LEFT, 44, NULL,
		 "%s mapped, %s resident, %s swapped out; each strip spans its whole mapping (up to %d columns), column height = share of its pages",
		 fmt_bytes(size, b1, sizeof(b1)), fmt_bytes(res, b2, sizeof(b2)),
		 fmt_bytes(swap, b3, sizeof(b3)), MAPS_SVG_COLS);
	for (k = 0; k < MAPS_RES__COUNT; k++) {
		svg_rect(svg, x, 56, 10, 10, res_cls[k], NULL);
		svg_text(svg, x + 14, 65, "small", "%s", legend[k]);
		x += 14 + 6.2 * strlen(legend[k]) + 18;
	}
	x = LEFT;
	for (k = 0; k < VMA_KIND__COUNT; k++) {
		char kcls[8];

		snprintf(kcls, sizeof(kcls), "k%d", k);
		svg_rect(svg, x, 74, 10, 10, kcls, NULL);
		svg_text(svg, x + 14, 83, "small", "%s", vma_kind_name((enum vma_kind)k));
		x += 14 + 6.2 * strlen(vma_kind_name((enum vma_kind)k)) + 14;
	}
	svg_text(svg, LEFT + 16, TOP - 6, "small", "%14s", "START");
	svg_text(svg, LEFT + 122, TOP - 6, "small", "PERM");
	svg_text(svg, LEFT + 156, TOP - 6, "small", "KIND");
	svg_text(svg, BAR_X - 8, TOP - 6, "small r", "SIZE");
	svg_text(svg, BAR_X, TOP - 6, "small", "RESIDENCY (low address left)");
	svg_text(svg, INFO_X, TOP - 6, "small", "RESIDENT MAPPING");
}

int maps_svg_render(const struct maps_svg *m, FILE *f)
{
	const struct vma_list *l = m->l;
	double y = TOP, h = TOP + 30;
	struct svg svg;
	size_t i;

	for (i = 0; i < l->n; i++)
		h += ROW_H + ROW_GAP + (i && l->v[i].start > l->v[i - 1].end ? GAP_H : 0);
	svg_begin(&svg, f, WIDTH, h, "procscope address space", css);
	draw_header(&svg, m);
	for (i = 0; i < l->n; i++) {
		if (i && l->v[i].start > l->v[i - 1].end) {
			char b[16];

			svg_line(&svg, BAR_X, y + GAP_H / 2 - 1, BAR_X + BAR_W,
				 y + GAP_H / 2 - 1, "hole");
			svg_text(&svg, INFO_X, y + GAP_H - 3, "small", "unmapped %s",
				 fmt_bytes(l->v[i].start - l->v[i - 1].end, b, sizeof(b)));
			y += GAP_H;
		}
		draw_vma(&svg, m, i, y);
		y += ROW_H + ROW_GAP;
	}
	if (m->outside)
		svg_text(&svg, LEFT, y + 14, "small",
			 "%" PRIu64 " entries fell outside the mappings (the process changed them during the dump)",
			 m->outside);
	return svg_end(&svg);
}

struct fetch {
	struct maps_svg *m;
	struct term_progress progress;
};

static int add_cb(const struct pte_entry *e, void *ctx)
{
	struct fetch *f = ctx;

	term_progress_update(&f->progress, f->m->entries + 1, "entries");
	return maps_svg_add(f->m, e);
}

int maps_svg_save(struct ps_nl *nl, const struct vma_list *l,
		  const char *path)
{
	bool pfn_visible = false;
	struct maps_svg m;
	struct fetch fc;
	FILE *f;
	int ret;

	ret = maps_svg_init(&m, l);
	if (ret) {
		cli_error("maps", "out of memory for %zu mappings", l->n);
		return 1;
	}
	fc.m = &m;
	term_progress_start(&fc.progress, "walking page tables", 0);
	ret = ptes_fetch(nl, l->pid, 0, UINT64_MAX, &pfn_visible, add_cb, &fc);
	term_progress_end(&fc.progress);
	if (ret) {
		maps_svg_free(&m);
		return ret;
	}
	f = svg_open_file("maps", path);
	if (!f) {
		maps_svg_free(&m);
		return 1;
	}
	ret = maps_svg_render(&m, f);
	maps_svg_free(&m);
	if (svg_close_file("maps", path, f) || ret)
		return 1;
	return 0;
}
