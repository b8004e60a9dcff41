/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_JSON_H
#define PROCSCOPE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * A streaming JSON writer: compact, one document per line, so that event
 * streams are one object per line. Keys are ignored inside arrays.
 */
#define JSON_MAX_DEPTH 32

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool in_array[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_double(struct json *j, const char *key, double val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
/* Addresses and raw entries as "0x..." strings: JSON numbers lose bits. */
void json_hex(struct json *j, const char *key, uint64_t val);

#endif
