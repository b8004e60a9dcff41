/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SOCKETS_H
#define PROCSCOPE_SOCKETS_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "model/sock.h"
#include "nl/nl.h"
#include "render/json.h"

/* A SOCK_DUMP result, in fd order. */
struct sock_list {
	struct ps_sock *socks;
	size_t n, cap;
};

/* Dump @pid's sockets into @list (caller frees list->socks). */
int sockets_fetch(struct ps_nl *nl, pid_t pid, struct sock_list *list);
void sockets_render_text(pid_t pid, const struct sock_list *l, FILE *f);
void sockets_render_json(pid_t pid, const struct sock_list *l, struct json *j);

#endif
