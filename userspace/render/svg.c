// SPDX-License-Identifier: GPL-2.0
/* A tiny SVG writer with XML escaping (see svg.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "render/svg.h"

/*
 * Length of the well-formed UTF-8 sequence at @p that XML 1.0 accepts as
 * a character, or 0. Rejects overlong forms, surrogates, code points past
 * U+10FFFF and the non-characters U+FFFE/U+FFFF (not XML Chars).
 */
static size_t utf8_ok(const unsigned char *p)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
	if (c >= 0xc2 && c <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0))
			return 0;
		if (c == 0xef && p[1] == 0xbf && p[2] >= 0xbe)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

void svg_escape(FILE *f, const char *str)
{
	const unsigned char *p = (const unsigned char *)str;

	while (*p) {
		size_t n;

		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			/* utf8_ok() stops at the NUL: it is never a continuation. */
			n = utf8_ok(p);
			if (!n) {
				fputc('?', f);
				break;
			}
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
}

/* printf %g honours LC_NUMERIC; SVG wants '.', so format by hand. */
static void num(FILE *f, double v)
{
	long long milli = (long long)(v * 1000.0 + (v < 0 ? -0.5 : 0.5));
	unsigned long long a = milli < 0 ? (unsigned long long)-milli :
				(unsigned long long)milli;

	if (milli < 0)
		fputc('-', f);
	fprintf(f, "%llu", a / 1000);
	a %= 1000;
	if (a) {
		char frac[4];
		int i = 2;

		snprintf(frac, sizeof(frac), "%03llu", a);
		while (i > 0 && frac[i] == '0')
			frac[i--] = '\0';
		fprintf(f, ".%s", frac);
	}
}

static void attr(FILE *f, const char *name, const char *val)
{
	if (!val)
		return;
	fprintf(f, " %s=\"", name);
	svg_escape(f, val);
	fputc('"', f);
}

static void tip_close(struct svg *s, const char *elem, const char *tip)
{
	if (!tip) {
		fputs("/>\n", s->f);
		return;
	}
	fputs("><title>", s->f);
	svg_escape(s->f, tip);
	fprintf(s->f, "</title></%s>\n", elem);
}

void svg_begin(struct svg *s, FILE *f, double w, double h,
	       const char *title, const char *css)
{
	s->f = f;
	s->depth = 0;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"", f);
	num(f, w);
	fputs("\" height=\"", f);
	num(f, h);
	fputs("\" viewBox=\"0 0 ", f);
	num(f, w);
	fputc(' ', f);
	num(f, h);
	fputs("\">\n", f);
	if (title) {
		fputs("<title>", f);
		svg_escape(f, title);
		fputs("</title>\n", f);
	}
	if (css) {
		/* CDATA: CSS selectors may use '>'; "]]>" never occurs in ours. */
		fprintf(f, "<style type=\"text/css\"><![CDATA[\n%s]]></style>\n",
			css);
	}
	/* An opaque background: dark browser themes make black text vanish. */
	fputs("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
	      f);
}

int svg_end(struct svg *s)
{
	while (s->depth > 0)
		svg_group_end(s);
	fputs("</svg>\n", s->f);
	return fflush(s->f) || ferror(s->f) ? -EIO : 0;
}

void svg_group_begin(struct svg *s, const char *cls, const char *tip)
{
	fputs("<g", s->f);
	attr(s->f, "class", cls);
	fputs(">", s->f);
	if (tip) {
		fputs("<title>", s->f);
		svg_escape(s->f, tip);
		fputs("</title>", s->f);
	}
	fputc('\n', s->f);
	s->depth++;
}

void svg_group_end(struct svg *s)
{
	if (s->depth <= 0)
		return;
	fputs("</g>\n", s->f);
	s->depth--;
}

void svg_rect(struct svg *s, double x, double y, double w, double h,
	      const char *cls, const char *tip)
{
	fputs("<rect x=\"", s->f);
	num(s->f, x);
	fputs("\" y=\"", s->f);
	num(s->f, y);
	fputs("\" width=\"", s->f);
	num(s->f, w);
	fputs("\" height=\"", s->f);
	num(s->f, h);
	fputc('"', s->f);
	attr(s->f, "class", cls);
	tip_close(s, "rect", tip);
}

void svg_line(struct svg *s, double x1, double y1, double x2, double y2,
	      const char *cls)
{
	fputs("<line x1=\"", s->f);
	num(s->f, x1);
	fputs("\" y1=\"", s->f);
	num(s->f, y1);
	fputs("\" x2=\"", s->f);
	num(s->f, x2);
	fputs("\" y2=\"", s->f);
	num(s->f, y2);
	fputc('"', s->f);
	attr(s->f, "class", cls);
	fputs("/>\n", s->f);
}

void svg_link(struct svg *s, double x1, double y1, double x2, double y2,
	      const char *cls)
{
	double mid = (x1 + x2) / 2;

	fputs("<path d=\"M", s->f);
	num(s->f, x1);
	fputc(' ', s->f);
	num(s->f, y1);
	fputs(" C", s->f);
	num(s->f, mid);
	fputc(' ', s->f);
	num(s->f, y1);
	fputc(' ', s->f);
	num(s->f, mid);
	fputc(' ', s->f);
	num(s->f, y2);
	fputc(' ', s->f);
	num(s->f, x2);
	fputc(' ', s->f);
	num(s->f, y2);
	fputc('"', s->f);
	attr(s->f, "class", cls);
	fputs("/>\n", s->f);
}

void svg_text(struct svg *s, double x, double y, const char *cls,
	      const char *fmt, ...)
{
	char *str = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&str, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	fputs("<text x=\"", s->f);
	num(s->f, x);
	fputs("\" y=\"", s->f);
	num(s->f, y);
	fputc('"', s->f);
	attr(s->f, "class", cls);
	fputc('>', s->f);
	svg_escape(s->f, str);
	fputs("</text>\n", s->f);
	free(str);
}

FILE *svg_open_file(const char *cmd, const char *path)
{
	FILE *f;

	if (!strcmp(path, "-"))
		return stdout;
	f = fopen(path, "w");
	if (!f)
		cli_error(cmd, "cannot write '%s': %s", path, strerror(errno));
	return f;
}

int svg_close_file(const char *cmd, const char *path, FILE *f)
{
	int bad = ferror(f);

	if (f == stdout)
		bad |= fflush(f);
	else
		bad |= fclose(f);
	if (!bad)
		return 0;
	cli_error(cmd, "writing '%s' failed: %s", path, strerror(errno));
	return -EIO;
}
