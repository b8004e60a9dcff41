/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_ACCEPT_SUMMARY_H
#define PROCSCOPE_ACCEPT_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "model/hist.h"
#include "model/sock.h"

#define ACCEPT_SUMMARY_SHARDS 64

/* One listening socket that accepted: a shard of its reuseport group. */
struct accept_shard {
	uint64_t listener;	/* socket inode */
	uint32_t pid, shard, shards;
	uint64_t accepted;
};

struct accept_summary {
	uint64_t count[__PROCSCOPE_SEV_LAST];
	struct latency_stats queue_wait;	/* handshake -> accept */
	struct latency_stats syn_wait;	/* first SYN-ACK -> handshake */
	struct accept_shard shards[ACCEPT_SUMMARY_SHARDS];
	unsigned int n_shards;
	uint64_t dropped;	/* events the module could not deliver */
	uint64_t overruns;	/* our socket overflowed: count unknown */
};

void accept_summary_init(struct accept_summary *s);
void accept_summary_free(struct accept_summary *s);
int accept_summary_add(struct accept_summary *s, const struct ps_sock_event *e);
/* Busiest shard's accepts over the mean per shard; 1.0 = balanced. */
double accept_summary_imbalance(const struct accept_summary *s);
#endif
