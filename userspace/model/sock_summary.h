/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SOCK_SUMMARY_H
#define PROCSCOPE_SOCK_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "model/hist.h"
#include "model/sock_fmt.h"
#include "render/json.h"

#define SOCK_SUMMARY_SHARDS 64

/* One listening socket that accepted: a shard of its reuseport group. */
struct sock_shard {
	uint64_t listener;	/* socket inode */
	uint32_t pid, shard, shards;
	uint64_t accepted;
};

struct sock_summary {
	uint64_t count[__PROCSCOPE_SEV_LAST];
	struct latency_stats queue_wait;	/* handshake -> accept */
	struct latency_stats syn_wait;	/* first SYN-ACK -> handshake */
	struct sock_shard shards[SOCK_SUMMARY_SHARDS];
	unsigned int n_shards;
	uint64_t dropped;	/* events the module could not deliver */
	uint64_t overruns;	/* our socket overflowed: count unknown */
};

void sock_summary_init(struct sock_summary *s);
void sock_summary_free(struct sock_summary *s);
int sock_summary_add(struct sock_summary *s, const struct ps_sock_event *e);
/* Busiest shard's accepts over the mean per shard; 1.0 = balanced. */
double sock_summary_imbalance(const struct sock_summary *s);
void sock_summary_render_text(struct sock_summary *s, FILE *f);
void sock_summary_render_json(struct sock_summary *s, struct json *j);

#endif
