// SPDX-License-Identifier: GPL-2.0
/* Terminal output: colour and Unicode decisions, bars, progress lines. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "render/term.h"

/* The locale environment names UTF-8. */
static bool term_utf8_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	size_t i;

	/* The first one set decides, as setlocale(LC_CTYPE, "") would. */
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
	}
	return false;
}

struct term_style term_style_for(FILE *f)
{
	struct term_style s;

	s.color = cli_use_color(f);
	s.unicode = s.color && term_utf8_locale();
	return s;
}

const char *term_sgr(const struct term_style *s, enum term_attr a)
{
	static const char *const sgr[] = {
		[TERM_RESET] = "\033[0m",
		[TERM_BOLD] = "\033[1m",
		[TERM_DIM] = "\033[2m",
		[TERM_RED] = "\033[31m",
		[TERM_YELLOW] = "\033[33m",
		[TERM_GREEN] = "\033[32m",
		[TERM_CYAN] = "\033[36m",
	};

	if (!s || !s->color || (unsigned int)a >= sizeof(sgr) / sizeof(sgr[0]))
		return "";
	return sgr[a];
}

/* Cells for @v of @total over @width, rounded; at least 1 if @v != 0. */
static unsigned int cells(uint64_t v, uint64_t total, unsigned int width)
{
	unsigned __int128 c;

	if (!total || !v)
		return 0;
	c = ((unsigned __int128)v * width + total / 2) / total;
	if (!c)
		c = 1;
	return c > width ? width : (unsigned int)c;
}

static size_t put_cell(char *buf, size_t pos, bool unicode, char ascii,
		       const char *glyph)
{
	size_t n;

	if (!unicode) {
		buf[pos] = ascii;
		return pos + 1;
	}
	n = strlen(glyph);
	memcpy(buf + pos, glyph, n);
	return pos + n;
}

const char *term_bar(char *buf, size_t len, uint64_t total,
		     const struct term_bar_seg *segs, unsigned int nseg,
		     unsigned int width, bool unicode)
{
	unsigned int i, k, left = width;
	size_t pos = 0;

	if (width > TERM_BAR_MAX_WIDTH ||
	    len < (unicode ? TERM_BAR_BUFSIZE((size_t)width) : width + 1u)) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	for (i = 0; i < nseg; i++) {
		unsigned int c = cells(segs[i].value, total, width);

		if (c > left)
			c = left;
		left -= c;
		for (k = 0; k < c; k++)
			pos = put_cell(buf, pos, unicode, segs[i].ascii,
				       segs[i].glyph);
	}
	while (left--)
		pos = put_cell(buf, pos, unicode, '.', TERM_GLYPH_EMPTY);
	buf[pos] = '\0';
	return buf;
}

const char *term_gauge(char *buf, size_t len, uint64_t n, uint64_t total,
		       unsigned int width, bool unicode)
{
	const struct term_bar_seg seg = { n, '#', TERM_GLYPH_FULL };
	size_t used;

	if (len < 3) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	buf[0] = '[';
	term_bar(buf + 1, len - 2, total, &seg, 1, width, unicode);
	used = strlen(buf);
	if (used == 1) {	/* the bar did not fit */
		buf[0] = '\0';
		return buf;
	}
	buf[used] = ']';
	buf[used + 1] = '\0';
	return buf;
}

uint64_t term_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void term_progress_start_on(struct term_progress *p, FILE *f,
			    const char *what, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->on = f != NULL;
	p->what = what;
	p->total = total;
	p->t0_ns = term_now_ns();
}

void term_progress_start(struct term_progress *p, const char *what,
			 uint64_t total)
{
	/* A redirected stderr is a log: progress lines would only clutter it. */
	term_progress_start_on(p, isatty(STDERR_FILENO) ? stderr : NULL, what,
			       total);
}

#define PROGRESS_DELAY_NS 300000000ull
#define PROGRESS_EVERY_NS 100000000ull

void term_progress_update_at(struct term_progress *p, uint64_t done,
			     const char *detail, uint64_t now_ns)
{
	if (!p->on || now_ns - p->t0_ns < PROGRESS_DELAY_NS ||
	    (p->drawn && now_ns - p->last_ns < PROGRESS_EVERY_NS))
		return;
	p->last_ns = now_ns;
	p->drawn = true;
	/* \r and erase-line: the line is rewritten in place. */
	fprintf(p->f, "\r\033[K%s: ", p->what);
	if (p->total)
		fprintf(p->f, "%3u%%", (unsigned int)(done >= p->total ? 100 :
			(unsigned __int128)done * 100 / p->total));
	else
		fprintf(p->f, "%llu", (unsigned long long)done);
	if (detail)
		fprintf(p->f, " %s", detail);
	fflush(p->f);
}

void term_progress_update(struct term_progress *p, uint64_t done,
			  const char *detail)
{
	if (p->on)
		term_progress_update_at(p, done, detail, term_now_ns());
}

void term_progress_end(struct term_progress *p)
{
	if (p->on && p->drawn) {
		fputs("\r\033[K", p->f);
		fflush(p->f);
	}
	p->drawn = false;
	p->on = false;
}
