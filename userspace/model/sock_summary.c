// SPDX-License-Identifier: GPL-2.0
/* What `procscope accept` prints at the end: counts, waits, shards. */
#include <string.h>

#include "model/sock_summary.h"

void sock_summary_init(struct sock_summary *s)
{
	memset(s, 0, sizeof(*s));
	latency_init(&s->queue_wait);
	latency_init(&s->syn_wait);
}

void sock_summary_free(struct sock_summary *s)
{
	latency_free(&s->queue_wait);
	latency_free(&s->syn_wait);
	memset(s, 0, sizeof(*s));
}

static struct sock_shard *shard_of(struct sock_summary *s,
				   const struct ps_sock_event *e)
{
	unsigned int i;

	for (i = 0; i < s->n_shards; i++)
		if (s->shards[i].listener == e->listener)
			return &s->shards[i];
	if (s->n_shards == SOCK_SUMMARY_SHARDS)
		return NULL;
	s->shards[s->n_shards].listener = e->listener;
	s->shards[s->n_shards].pid = e->pid;
	return &s->shards[s->n_shards++];
}

int sock_summary_add(struct sock_summary *s, const struct ps_sock_event *e)
{
	struct sock_shard *sh;

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

double sock_summary_imbalance(const struct sock_summary *s)
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

static void wait_text(struct latency_stats *x, const char *what, FILE *f)
{
	char a[16], b[16], c[16];

	if (!x->count) {
		fprintf(f, "%-22s -\n", what);
		return;
	}
	fprintf(f, "%-22s p50 %s  p99 %s  max %s  (%llu samples)\n", what,
		fmt_ns(latency_percentile(x, 50), a, sizeof(a)),
		fmt_ns(latency_percentile(x, 99), b, sizeof(b)),
		fmt_ns(x->max, c, sizeof(c)), (unsigned long long)x->count);
}

void sock_summary_render_text(struct sock_summary *s, FILE *f)
{
	uint64_t total = 0;
	unsigned int i;

	fprintf(f, "\nSUMMARY\n");
	fprintf(f, "accepted %llu, handshakes %llu, SYNs %llu, SYN-ACK retransmits %llu\n",
		(unsigned long long)s->count[PROCSCOPE_SEV_ACCEPT],
		(unsigned long long)s->count[PROCSCOPE_SEV_HANDSHAKE],
		(unsigned long long)s->count[PROCSCOPE_SEV_SYN],
		(unsigned long long)s->count[PROCSCOPE_SEV_SYNACK_RETRANS]);
	fprintf(f, "accept-queue overflows %llu, SYN cookies %llu, SYN-queue-full drops %llu\n",
		(unsigned long long)s->count[PROCSCOPE_SEV_OVERFLOW],
		(unsigned long long)s->count[PROCSCOPE_SEV_COOKIE],
		(unsigned long long)s->count[PROCSCOPE_SEV_SYNQ_FULL]);
	wait_text(&s->queue_wait, "time in accept queue:", f);
	wait_text(&s->syn_wait, "time in SYN queue:", f);
	if (s->dropped || s->overruns)
		fprintf(f, "WARNING: events lost: %llu dropped by the module, %llu socket overruns\n",
			(unsigned long long)s->dropped,
			(unsigned long long)s->overruns);
	else
		fprintf(f, "events lost: 0\n");
	if (!s->n_shards)
		return;
	for (i = 0; i < s->n_shards; i++)
		total += s->shards[i].accepted;
	fprintf(f, "\n%8s %10s %7s %9s %6s\n", "PID", "LISTENER", "SHARD",
		"ACCEPTED", "SHARE");
	for (i = 0; i < s->n_shards; i++) {
		const struct sock_shard *sh = &s->shards[i];

		fprintf(f, "%8u %10llu %3u/%-3u %9llu %5.1f%%\n", sh->pid,
			(unsigned long long)sh->listener, sh->shard, sh->shards,
			(unsigned long long)sh->accepted,
			total ? 100.0 * sh->accepted / total : 0.0);
	}
	if (s->n_shards > 1)
		fprintf(f, "imbalance: the busiest shard took %.2fx its fair share (1.00 = even)\n",
			sock_summary_imbalance(s));
}

static void wait_json(struct latency_stats *x, const char *key, struct json *j)
{
	json_obj_begin(j, key);
	json_u64(j, "count", x->count);
	json_u64(j, "p50", latency_percentile(x, 50));
	json_u64(j, "p99", latency_percentile(x, 99));
	json_u64(j, "max", x->max);
	json_obj_end(j);
}

void sock_summary_render_json(struct sock_summary *s, struct json *j)
{
	unsigned int i;

	json_obj_begin(j, NULL);
	json_obj_begin(j, "summary");
	json_u64(j, "accepted", s->count[PROCSCOPE_SEV_ACCEPT]);
	json_u64(j, "overflows", s->count[PROCSCOPE_SEV_OVERFLOW]);
	json_u64(j, "cookies", s->count[PROCSCOPE_SEV_COOKIE]);
	json_u64(j, "synq_full", s->count[PROCSCOPE_SEV_SYNQ_FULL]);
	json_u64(j, "syns", s->count[PROCSCOPE_SEV_SYN]);
	json_u64(j, "handshakes", s->count[PROCSCOPE_SEV_HANDSHAKE]);
	json_u64(j, "synack_retrans", s->count[PROCSCOPE_SEV_SYNACK_RETRANS]);
	wait_json(&s->queue_wait, "queue_wait_ns", j);
	wait_json(&s->syn_wait, "syn_wait_ns", j);
	json_arr_begin(j, "shards");
	for (i = 0; i < s->n_shards; i++) {
		json_obj_begin(j, NULL);
		json_u64(j, "pid", s->shards[i].pid);
		json_u64(j, "listener_inode", s->shards[i].listener);
		json_u64(j, "shard", s->shards[i].shard);
		json_u64(j, "shards", s->shards[i].shards);
		json_u64(j, "accepted", s->shards[i].accepted);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_double(j, "imbalance", sock_summary_imbalance(s));
	json_u64(j, "dropped", s->dropped);
	json_u64(j, "overruns", s->overruns);
	json_obj_end(j);
	json_obj_end(j);
}
