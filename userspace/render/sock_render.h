/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SOCK_RENDER_H
#define PROCSCOPE_SOCK_RENDER_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "model/accept_summary.h"
#include "model/sock.h"
#include "render/json.h"

void sock_event_render_json(const struct ps_sock_event *e, struct json *j);
/* One line; @t0 is the time origin (ns) of the TIME column. */
void sock_event_render_text(const struct ps_sock_event *e, uint64_t t0,
			    FILE *f);
void sock_event_header_text(FILE *f);

void accept_summary_render_text(struct accept_summary *s, FILE *f);
void accept_summary_render_json(struct accept_summary *s, struct json *j);

void sockets_render_text(pid_t pid, const struct sock_list *l, FILE *f);
void sockets_render_json(pid_t pid, const struct sock_list *l, struct json *j);

#endif
