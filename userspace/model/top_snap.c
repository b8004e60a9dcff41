// SPDX-License-Identifier: GPL-2.0
/* Snapshots for `procscope top`: watch counters and listener queues. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/top.h"
#include "nl/watch.h"
#include "render/term.h"

const struct top_proc *top_find(const struct top_snapshot *s, pid_t pid)
{
	unsigned int i;

	for (i = 0; s && i < s->n; i++)
		if (s->p[i].pid == pid)
			return &s->p[i];
	return NULL;
}

void top_proc_set_socks(struct top_proc *p, const struct sock_list *l)
{
	size_t i;

	p->have_socks = true;
	p->listeners = 0;
	p->accept_queue = p->backlog = p->syn_queue = 0;
	p->overflows = 0;
	for (i = 0; i < l->n; i++) {
		const struct ps_sock *s = &l->socks[i];

		if (!s->listener)
			continue;
		/* The fullest listener is the one that will overflow first. */
		if (!p->listeners ||
		    (uint64_t)s->accept_queue * (p->backlog + 1) >
		    (uint64_t)p->accept_queue * (s->backlog + 1)) {
			p->accept_queue = s->accept_queue;
			p->backlog = s->backlog;
		}
		p->listeners++;
		p->syn_queue += s->syn_queue;
		/*
		 * Watched listeners count overflows by cause; otherwise sk_drops
		 * (ListenDrops of this socket) is the closest the kernel keeps.
		 */
		if (s->watched)
			p->overflows += s->drops[PROCSCOPE_DROP_SYN_ACCEPTQ_FULL] +
					s->drops[PROCSCOPE_DROP_ACK_OVERFLOW];
		else
			p->overflows += s->listen_drops;
	}
}

void top_rates(const struct top_proc *prev, const struct top_proc *cur,
	       double dt_s, struct top_rates *r)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	if (!prev || dt_s <= 0 || !prev->have_watch || !cur->have_watch)
		return;
	for (i = 0; i < PROCSCOPE_FAULT_CLASS_COUNT; i++) {
		/* A watch re-added meanwhile starts from 0: no negative rates. */
		if (cur->by_class[i] >= prev->by_class[i])
			r->cls[i] = (double)(cur->by_class[i] - prev->by_class[i]) / dt_s;
		r->total += r->cls[i];
	}
	if (cur->major >= prev->major)
		r->major = (double)(cur->major - prev->major) / dt_s;
	if (cur->have_socks && prev->have_socks && cur->overflows >= prev->overflows)
		r->new_overflows = cur->overflows - prev->overflows;
}

static void read_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, buf, len - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		snprintf(buf, len, "?");
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

struct collect {
	struct top_snapshot *s;
	bool all;
};

static int collect_cb(const struct fault_watch *w, void *data)
{
	struct collect *c = data;
	struct top_proc *p = NULL;
	unsigned int i;

	for (i = 0; i < c->s->n; i++)
		if (c->s->p[i].pid == (pid_t)w->pid)
			p = &c->s->p[i];
	if (!p) {
		if (!c->all || c->s->n == TOP_MAX_PIDS)
			return 0;
		p = &c->s->p[c->s->n++];
		memset(p, 0, sizeof(*p));
		p->pid = (pid_t)w->pid;
	}
	p->have_watch = true;
	p->gone = w->exited;
	memcpy(p->by_class, w->by_class, sizeof(p->by_class));
	p->major = w->major;
	p->minor = w->minor;
	return 0;
}

int top_snapshot_take(struct ps_nl *nl, const pid_t *pids, unsigned int n,
		      struct top_snapshot *s)
{
	struct collect c = { s, n == 0 };
	struct sock_list l = { 0 };
	unsigned int i;
	int ret;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n && i < TOP_MAX_PIDS; i++)
		s->p[s->n++].pid = pids[i];
	ret = watch_get(nl, 0, collect_cb, &c);
	s->t_ns = term_now_ns();
	if (ret)
		return ret;
	for (i = 0; i < s->n; i++) {
		struct top_proc *p = &s->p[i];

		read_comm(p->pid, p->comm, sizeof(p->comm));
		if (kill(p->pid, 0) && errno == ESRCH) {
			p->gone = true;
			continue;
		}
		if (!sockets_fetch(nl, p->pid, &l))
			top_proc_set_socks(p, &l);
	}
	free(l.socks);
	return 0;
}
