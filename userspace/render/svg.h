/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SVG_H
#define PROCSCOPE_SVG_H

#include <stdint.h>
#include <stdio.h>

/*
 * A tiny SVG writer: standalone SVG 1.1 documents made of rectangles, lines,
 * paths and text, each optionally with a <title> (the browser's tooltip).
 * Every string that reaches the document goes through svg_escape(), so
 * file names from the kernel (any bytes) cannot break the XML.
 * Coordinates are printed with '.' decimals whatever the locale.
 */
struct svg {
	FILE *f;
	int depth;	/* open <g> elements */
};

/*
 * Open a @w x @h document with a <title> and a <style> block (@css, a
 * constant string of CSS rules, may be NULL).
 */
void svg_begin(struct svg *s, FILE *f, double w, double h,
	       const char *title, const char *css);
/* Close open groups and the document. Returns 0 or -EIO on a write error. */
int svg_end(struct svg *s);

/* <g class=..> with an optional tooltip; NULL skips either. */
void svg_group_begin(struct svg *s, const char *cls, const char *tip);
void svg_group_end(struct svg *s);

void svg_rect(struct svg *s, double x, double y, double w, double h,
	      const char *cls, const char *tip);
void svg_line(struct svg *s, double x1, double y1, double x2, double y2,
	      const char *cls);
/* A cubic Bezier from (x1,y1) to (x2,y2), leaving and arriving horizontally. */
void svg_link(struct svg *s, double x1, double y1, double x2, double y2,
	      const char *cls);
/* Text at (x, y) (baseline), printf-style; the result is escaped. */
void svg_text(struct svg *s, double x, double y, const char *cls,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Write @str as XML character data / attribute value: & < > " ' become
 * entities, control characters XML 1.0 forbids and bytes that are not
 * valid UTF-8 become '?'.
 */
void svg_escape(FILE *f, const char *str);

/*
 * Open @path for a picture ("-" is stdout); on failure print why and
 * return NULL. svg_close_file() flushes and closes it and returns 0, or
 * prints the error and returns -EIO.
 */
FILE *svg_open_file(const char *cmd, const char *path);
int svg_close_file(const char *cmd, const char *path, FILE *f);

#endif
