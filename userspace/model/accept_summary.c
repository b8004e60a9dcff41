// SPDX-License-Identifier: GPL-2.0
/*
 * What `procscope accept` sums up at the end (counts, waits, shards), as
 * data; render/sock_render.c prints it.
 */
#include <string.h>

#include "model/accept_summary.h"

void accept_summary_init(struct accept_summary *s)
{
	memset(s, 0, sizeof(*s));
	latency_init(&s->queue_wait);
	latency_init(&s->syn_wait);
}

void accept_summary_free(struct accept_summary *s)
{
	latency_free(&s->queue_wait);
	latency_free(&s->syn_wait);
	memset(s, 0, sizeof(*s));
}

static struct accept_shard *shard_of(struct accept_summary *s,
				   const struct ps_sock_event *e)
{
	unsigned int i;

	for (i = 0; i < s->n_shards; i++)
		if (s->shards[i].listener == e->listener)
			return &s->shards[i];
	if (s->n_shards == ACCEPT_SUMMARY_SHARDS)
		return NULL;
	s->shards[s->n_shards].listener = e->listener;
	s->shards[s->n_shards].pid = e->pid;
	return &s->shards[s->n_shards++];
}

int accept_summary_add(struct accept_summary *s, const struct ps_sock_event *e)
{
	struct accept_shard *sh;

	if (e->type < __PROCSCOPE_SEV_LAST)
		s->count[e->type]++;
	if (e->type == PROCSCOPE_SEV_HANDSHAKE && e->has_wait)
		latency_add(&s->syn_wait, e->wait_ns);
	if (e->type != PROCSCOPE_SEV_ACCEPT)
		return 0;
	sh = shard_of(s, e);
	if (sh) {
		sh->accepted++;
		sh->shard = e->shard;
		sh->shards = e->shards;
	}
	if (e->has_wait)
		latency_add(&s->queue_wait, e->wait_ns);
	return 0;
}

double accept_summary_imbalance(const struct accept_summary *s)
{
	uint64_t total = 0, max = 0;
	unsigned int i;

	for (i = 0; i < s->n_shards; i++) {
		total += s->shards[i].accepted;
		if (s->shards[i].accepted > max)
			max = s->shards[i].accepted;
	}
	if (!total)
		return 0.0;
	return (double)max * s->n_shards / (double)total;
}
