// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table radix tree (model/pt_tree.c) as a picture: one column per
 * level, each table's 512 entries as a grid.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "render/pt_fmt.h"
#include "render/pt_svg.h"
#include "render/svg.h"
#include "render/term.h"

/* Drawing beyond this many tables makes a picture nobody can read. */
#define MAX_DRAWN	600

/* Geometry, in SVG user units (pixels). */
#define CELL		5.0	/* one entry */
#define GRID_COLS	32	/* 32 x 16 = 512 entries */
#define GRID_ROWS	16
#define PAD		6.0
#define HEAD		16.0	/* table header line */
#define BOX_W		(2 * PAD + GRID_COLS * CELL)
#define BOX_H		(HEAD + GRID_ROWS * CELL + PAD)
#define COL_GAP		90.0
#define ROW_GAP		14.0
#define LEFT		20.0
#define TOP		150.0

static const char css[] =
	"text{font-family:monospace;font-size:11px;fill:#222}\n"
	".title{font-size:16px;font-weight:bold}\n"
	".colh{font-size:13px;font-weight:bold}\n"
	".small{font-size:10px;fill:#555}\n"
	".tbl{fill:#fafafa;stroke:#888;stroke-width:1}\n"
	".e0{fill:#e8e8e8}\n"
	".e1{fill:#4a7fd4}\n"
	".e2{fill:#3aa657}\n"
	".e3{fill:#f08c1a}\n"
	".e4{fill:#9b59b6}\n"
	".e5{fill:#d9443a}\n"
	".link{fill:none;stroke:#4a7fd4;stroke-opacity:0.55;stroke-width:1.2}\n";

static const char *const ent_name[PT_ENT__COUNT] = {
	[PT_ENT_EMPTY] = "empty",
	[PT_ENT_TABLE] = "next-level table",
	[PT_ENT_PAGE] = "4 KiB page",
	[PT_ENT_HUGE] = "huge page",
	[PT_ENT_SWAP] = "swapped out",
	[PT_ENT_OTHER] = "other non-present",
};

static const char *const ent_cls[PT_ENT__COUNT] = {
	"e0", "e1", "e2", "e3", "e4", "e5",
};

struct fetch {
	struct pt_tree *t;
	struct term_progress progress;
	uint64_t n;
};

static int add_cb(const struct pte_entry *e, void *ctx)
{
	struct fetch *f = ctx;

	term_progress_update(&f->progress, ++f->n, "entries");
	return pt_tree_add(f->t, e);
}

static int pt_svg_fetch(struct ps_nl *nl, pid_t pid, struct pt_tree *t,
		 struct pt_summary *s)
{
	struct fetch f = { .t = t };
	bool pfn_visible = false;
	int ret;

	ret = pt_summary_fetch(nl, pid, s);
	if (ret)
		return ret;
	ret = pt_tree_init(t, s->levels);
	if (ret)
		return ret;
	/* The whole space: a big process has many leaves, say how far. */
	term_progress_start(&f.progress, "walking page tables", 0);
	ret = ptes_fetch(nl, pid, 0, UINT64_MAX, &pfn_visible, add_cb, &f);
	term_progress_end(&f.progress);
	if (ret)
		pt_tree_free(t);
	return ret;
}

/* ---------------------------------------------------------------- drawing */

struct layout {
	double *y;		/* per node; < 0 when not drawn */
	double cursor;		/* next free y */
	size_t drawn;
	int col[__PROCSCOPE_LEVEL_LAST];	/* column per level */
};

/* Pre-order positions: a table sits level with its first child table. */
static void place(const struct pt_tree *t, struct layout *lo, uint32_t i)
{
	const struct pt_node *n = &t->n[i];
	uint32_t c;
	bool first = true;

	if (lo->drawn >= MAX_DRAWN)
		return;
	lo->drawn++;
	lo->y[i] = lo->cursor;
	for (c = n->first_child; c != PT_NO_NODE; c = t->n[c].next_sibling) {
		if (first && lo->drawn < MAX_DRAWN) {
			place(t, lo, c);
			lo->y[i] = lo->y[c];
			first = false;
			continue;
		}
		place(t, lo, c);
	}
	if (first)
		lo->cursor += BOX_H + ROW_GAP;
}

static double col_x(const struct layout *lo, uint32_t level)
{
	return LEFT + lo->col[level] * (BOX_W + COL_GAP);
}

static const char *level_upper(uint32_t level)
{
	static const char *const names[] = { "?", "PGD", "P4D", "PUD", "PMD", "PTE" };

	return level < sizeof(names) / sizeof(names[0]) ? names[level] : "?";
}

static void draw_table(struct svg *s, const struct pt_tree *t,
		       const struct pt_node *n, double x, double y)
{
	unsigned int shift = pt_tree_level_shift(t, n->level);
	uint64_t span = 1ULL << shift;
	uint64_t end = n->base + (span << 9);
	char tip[256];
	int r;

	snprintf(tip, sizeof(tip),
		 "%s table for 0x%" PRIx64 "-0x%" PRIx64 ": %u of 512 entries used",
		 level_upper(n->level), n->base, end, n->used);
	svg_group_begin(s, NULL, tip);
	svg_rect(s, x, y, BOX_W, BOX_H, "tbl", NULL);
	svg_text(s, x + PAD, y + 12, NULL, "0x%" PRIx64, n->base);
	svg_text(s, x + BOX_W - PAD - 7 * 6.6, y + 12, "small", "%3u/512", n->used);
	svg_rect(s, x + PAD, y + HEAD, GRID_COLS * CELL, GRID_ROWS * CELL, "e0", NULL);
	/* One rectangle per run of equal entries in a grid row. */
	for (r = 0; r < GRID_ROWS; r++) {
		int c = 0;

		while (c < GRID_COLS) {
			int i = r * GRID_COLS + c, len = 1;
			uint8_t k = n->ent[i];
			char ctip[200];

			while (c + len < GRID_COLS && n->ent[i + len] == k)
				len++;
			if (k != PT_ENT_EMPTY) {
				uint64_t a = n->base + (uint64_t)i * span;

				snprintf(ctip, sizeof(ctip),
					 "entries %d-%d: %s, 0x%" PRIx64 "-0x%" PRIx64,
					 i, i + len - 1, ent_name[k], a,
					 a + (uint64_t)len * span);
				svg_rect(s, x + PAD + c * CELL + 0.5,
					 y + HEAD + r * CELL + 0.5,
					 len * CELL - 1, CELL - 1, ent_cls[k], ctip);
			}
			c += len;
		}
	}
	svg_group_end(s);
}

static void draw_header(struct svg *s, const struct pt_tree *t,
			const struct pt_summary *sum, const struct layout *lo)
{
	static const char *const legend[PT_ENT__COUNT] = {
		"empty entry", "points to a table below", "4 KiB page",
		"2 MiB/1 GiB huge page", "swapped out", "other non-present",
	};
	uint32_t l;
	double x;
	int k;

	svg_text(s, LEFT, 24, "title",
		 "Page tables of pid %d: %u-level radix tree, %u-bit addresses",
		 sum ? (int)sum->pid : 0, t->levels, pt_va_bits(t->levels));
	svg_text(s, LEFT, 44, NULL,
		 "Drawn from the leaves the kernel reported: %zu tables hold %" PRIu64
		 " x 4 KiB pages, %" PRIu64 " huge pages, %" PRIu64 " swap entries%s",
		 t->count, t->leaves[PT_ENT_PAGE], t->leaves[PT_ENT_HUGE],
		 t->leaves[PT_ENT_SWAP],
		 lo->drawn < t->count ? " (only the first ones drawn)" : "");
	if (sum) {
		uint64_t total = 0;
		char flat[32];

		for (l = PROCSCOPE_LEVEL_PGD; l <= PROCSCOPE_LEVEL_PTE; l++)
			total += sum->tables[l];
		svg_text(s, LEFT, 60, NULL,
			 "Kernel walk: PGD %" PRIu64 ", P4D %" PRIu64 ", PUD %" PRIu64
			 ", PMD %" PRIu64 ", PTE %" PRIu64
			 " tables = %" PRIu64 " KiB; one flat table would take %s",
			 sum->tables[PROCSCOPE_LEVEL_PGD], sum->tables[PROCSCOPE_LEVEL_P4D],
			 sum->tables[PROCSCOPE_LEVEL_PUD], sum->tables[PROCSCOPE_LEVEL_PMD],
			 sum->tables[PROCSCOPE_LEVEL_PTE], total * 4,
			 fmt_bytes(pt_flat_bytes(sum), flat, sizeof(flat)));
		if (total > t->count)
			svg_text(s, LEFT, 74, "small",
				 "%" PRIu64 " table(s) the kernel walked map no leaf (emptied by munmap/MADV_DONTNEED, or the process changed meanwhile) and are not drawn",
				 total - t->count);
	}
	x = LEFT;
	for (k = 0; k < PT_ENT__COUNT; k++) {
		svg_rect(s, x, 88, 10, 10, ent_cls[k], NULL);
		svg_text(s, x + 14, 97, "small", "%s", legend[k]);
		x += 14 + 6.2 * strlen(legend[k]) + 18;
	}
	for (l = PROCSCOPE_LEVEL_PGD; l <= PROCSCOPE_LEVEL_PTE; l++) {
		char span[32];

		if (lo->col[l] < 0)
			continue;
		svg_text(s, col_x(lo, l), 124, "colh", "%s (%" PRIu64 ")",
			 level_upper(l), t->tables[l]);
		svg_text(s, col_x(lo, l), 138, "small", "entry maps %s",
			 fmt_bytes(1ULL << pt_tree_level_shift(t, l), span, sizeof(span)));
	}
}

int pt_svg_render(const struct pt_tree *t, const struct pt_summary *sum,
		  FILE *f)
{
	struct layout lo = { .cursor = TOP };
	struct svg s;
	uint32_t l;
	size_t i;
	int col = 0;

	lo.y = malloc((t->count ? t->count : 1) * sizeof(*lo.y));
	if (!lo.y)
		return -ENOMEM;
	for (i = 0; i < t->count; i++)
		lo.y[i] = -1;
	for (l = 0; l < __PROCSCOPE_LEVEL_LAST; l++)
		lo.col[l] = -1;
	for (l = PROCSCOPE_LEVEL_PGD; l <= PROCSCOPE_LEVEL_PTE; l = pt_tree_level_below(t, l))
		lo.col[l] = col++;
	if (t->count)
		place(t, &lo, 0);

	svg_begin(&s, f, LEFT * 2 + col * BOX_W + (col - 1) * COL_GAP,
		  lo.cursor + 20, "procscope page-table tree", css);
	draw_header(&s, t, sum, &lo);
	for (i = 0; i < t->count; i++)
		if (lo.y[i] >= 0)
			draw_table(&s, t, &t->n[i], col_x(&lo, t->n[i].level), lo.y[i]);
	/* Links last, so they show on top of the tables they leave. */
	for (i = 1; i < t->count; i++) {
		const struct pt_node *n = &t->n[i];
		const struct pt_node *p = &t->n[n->parent];
		double px, py;

		if (lo.y[i] < 0 || lo.y[n->parent] < 0)
			continue;
		px = col_x(&lo, p->level) + PAD + (n->slot % GRID_COLS) * CELL + CELL / 2;
		py = lo.y[n->parent] + HEAD + (double)(n->slot / GRID_COLS) * CELL + CELL / 2;
		svg_link(&s, px, py, col_x(&lo, n->level), lo.y[i] + HEAD / 2, "link");
	}
	if (lo.drawn < t->count)
		svg_text(&s, LEFT, lo.cursor + 10, "small",
			 "... %zu more tables not drawn (the picture stops at %d)",
			 t->count - lo.drawn, MAX_DRAWN);
	free(lo.y);
	return svg_end(&s);
}

int pt_svg_save(struct ps_nl *nl, pid_t pid, struct pt_summary *s,
		const char *path)
{
	struct pt_tree t;
	FILE *f;
	int ret;

	ret = pt_svg_fetch(nl, pid, &t, s);
	if (ret)
		return ret;
	f = svg_open_file("pt", path);
	if (!f) {
		pt_tree_free(&t);
		return 1;
	}
	ret = pt_svg_render(&t, s, f);
	if (ret == -ENOMEM)
		cli_error("pt", "out of memory drawing %zu tables", t.count);
	pt_tree_free(&t);
	if (svg_close_file("pt", path, f) || ret)
		return 1;
	return 0;
}
