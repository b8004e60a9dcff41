/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_TERM_H
#define PROCSCOPE_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Terminal output shared by every command: whether to colour, whether to
 * draw bars with Unicode blocks, the one bar implementation, and a
 * progress line on stderr for long operations.
 *
 * Colour follows cli_use_color(): --color=always|never|auto, NO_COLOR,
 * never with --json, otherwise only on a TTY. Unicode bars need colour to
 * be on (so --color=never and NO_COLOR give plain ASCII) and a UTF-8
 * locale (LC_ALL, LC_CTYPE or LANG), so a pipe, a file or a C-locale ssh
 * session gets '#' and '.'.
 */
struct term_style {
	bool color;
	bool unicode;
};

struct term_style term_style_for(FILE *f);

enum term_attr {
	TERM_RESET,
	TERM_BOLD,
	TERM_DIM,
	TERM_RED,
	TERM_YELLOW,
	TERM_GREEN,
	TERM_CYAN,
};

/* The SGR escape for @a, or "" when @s says no colour. */
const char *term_sgr(const struct term_style *s, enum term_attr a);

/* Glyphs of a Unicode bar; the ASCII bar uses each segment's own char. */
#define TERM_GLYPH_FULL "\u2588"	/* full block */
#define TERM_GLYPH_MID "\u2592"		/* medium shade: a second quantity */
#define TERM_GLYPH_EMPTY "\u2591"	/* light shade: nothing */

/* One quantity drawn in a bar. */
struct term_bar_seg {
	uint64_t value;
	char ascii;		/* '#', 's', ... */
	const char *glyph;	/* TERM_GLYPH_FULL, ... */
};

/* Bytes a bar of @width cells needs, in the worst (Unicode) case. */
#define TERM_BAR_BUFSIZE(width) ((width) * 3 + 1)
#define TERM_BAR_MAX_WIDTH 80

/*
 * Draw @width cells into @buf: each segment in turn takes its share of
 * @total (rounded to the nearest cell, at least one cell when its value
 * is not 0, never more than what is left), the rest is empty ('.' or
 * TERM_GLYPH_EMPTY). A @total of 0 gives an empty bar. If @len is too
 * small for the bar, @buf gets "" (if it has room for that).
 */
const char *term_bar(char *buf, size_t len, uint64_t total,
		     const struct term_bar_seg *segs, unsigned int nseg,
		     unsigned int width, bool unicode);

/* A gauge: "[###.......]" for @n of @total, brackets included. */
const char *term_gauge(char *buf, size_t len, uint64_t n, uint64_t total,
		       unsigned int width, bool unicode);

/*
 * A progress line on stderr, "what: 45% detail" rewritten in place, for
 * operations that may take seconds. It is drawn only when stderr is a TTY,
 * not before 300 ms have passed (quick runs stay quiet) and at most ten
 * times a second; term_progress_end() erases it.
 */
struct term_progress {
	FILE *f;
	bool on;		/* drawing at all */
	bool drawn;		/* a line is on the screen */
	const char *what;
	uint64_t total;		/* 0: unknown, show the count only */
	uint64_t t0_ns, last_ns;
};

void term_progress_start(struct term_progress *p, const char *what,
			 uint64_t total);
/* Tests: draw on @f regardless of TTYs. */
void term_progress_start_on(struct term_progress *p, FILE *f,
			    const char *what, uint64_t total);
void term_progress_update(struct term_progress *p, uint64_t done,
			  const char *detail);
/* The same at time @now_ns (CLOCK_MONOTONIC), for tests. */
void term_progress_update_at(struct term_progress *p, uint64_t done,
			     const char *detail, uint64_t now_ns);
void term_progress_end(struct term_progress *p);

uint64_t term_now_ns(void);

#endif
