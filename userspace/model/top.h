/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_TOP_H
#define PROCSCOPE_TOP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/procscope.h>

#include "model/sock.h"
#include "nl/nl.h"

#define TOP_MAX_PIDS 64

/* One watched process at one instant: cumulative counters. */
struct top_proc {
	pid_t pid;
	char comm[32];
	bool have_watch;	/* the module counts its faults */
	bool gone;		/* exited, or its watch vanished */
	uint64_t by_class[PROCSCOPE_FAULT_CLASS_COUNT];
	uint64_t major, minor;
	bool have_socks;
	unsigned int listeners;
	uint32_t accept_queue, backlog;	/* the fullest listener's */
	uint32_t syn_queue;		/* all listeners */
	uint64_t overflows;		/* accept queue full: drops so far */
};

struct top_snapshot {
	uint64_t t_ns;		/* CLOCK_MONOTONIC */
	unsigned int n;
	struct top_proc p[TOP_MAX_PIDS];
};

/* What changed between two snapshots of one process, per second. */
struct top_rates {
	double cls[PROCSCOPE_FAULT_CLASS_COUNT];
	double total, major;
	uint64_t new_overflows;	/* since the previous snapshot */
};

/* Listener gauges of one process from its SOCK_DUMP. */
void top_proc_set_socks(struct top_proc *p, const struct sock_list *l);

/* @cur's rates against @prev (the same pid; NULL: all zero). */
void top_rates(const struct top_proc *prev, const struct top_proc *cur,
	       double dt_s, struct top_rates *r);

/* @pid's entry in @s, or NULL. */
const struct top_proc *top_find(const struct top_snapshot *s, pid_t pid);

/*
 * Take a snapshot of @pids (or, with @n 0, of every watch the caller may
 * see). Returns 0 or -errno of the watch dump.
 */
int top_snapshot_take(struct ps_nl *nl, const pid_t *pids, unsigned int n,
		      struct top_snapshot *s);

#endif
