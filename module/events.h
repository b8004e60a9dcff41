/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_EVENTS_H
#define PROCSCOPE_EVENTS_H

#include <linux/types.h>
#include <net/genetlink.h>

#include "compat.h"	/* get_unaligned() */

/*
 * Event delivery shared by the fault and socket hooks: producers copy a
 * fixed-size record into a per-CPU buffer from any context (IRQs off,
 * softirq, atomic); a worker drains the buffers in batches into multicast
 * messages of the events group. Nothing is allocated or slept on in the
 * producer. Every record is counted as seen, and later as delivered or
 * dropped, so seen == delivered + dropped once the buffers are drained.
 */

#define PROCSCOPE_EVENT_PAYLOAD_MAX 192

struct procscope_event_stats {
	u64 seen;
	u64 delivered;
	u64 dropped;
};

/*
 * One kind of event: its multicast command, the nest it serializes into,
 * and how to fill one record into a message (return -EMSGSIZE when full).
 * @done is called for every record once it was delivered or dropped, from
 * process context, so per-watch counters can follow it.
 */
struct procscope_event_kind {
	u8 cmd;
	int (*fill)(struct sk_buff *skb, const void *payload);
	void (*done)(const void *payload, bool delivered);
};

int procscope_events_init(void);
void procscope_events_exit(void);

/*
 * Whether to buffer an event at all: someone listens to the events group.
 * Asks the netlink core only when this CPU's buffer is empty, that is once
 * per batch (see events.c).
 */
bool procscope_events_wanted(void);

/*
 * For records built field by field: reserve a slot of this CPU's buffer
 * (NULL: dropped, counted), fill all @len bytes, then commit. IRQs stay
 * off in between (@irqflags): fill, nothing else.
 */
void *procscope_event_reserve(const struct procscope_event_kind *kind,
			      size_t len, unsigned long *irqflags);
void procscope_event_commit(unsigned long irqflags);

/*
 * Any context. Returns false if the record was dropped (buffer full).
 * Inline so that @len is a constant where it is called: the compiler then
 * copies in words, where memcpy() of a run-time length is a string move
 * (rep movsb), run byte by byte where string moves are not fast.
 */
static __always_inline bool
procscope_event_emit(const struct procscope_event_kind *kind,
		     const void *payload, size_t len)
{
	unsigned long irqflags;
	void *slot = procscope_event_reserve(kind, len, &irqflags);

	if (!slot)
		return false;
	memcpy(slot, payload, len);
	procscope_event_commit(irqflags);
	return true;
}

/*
 * For the fills, tens of thousands of records a second: nla_put_u32() and
 * friends copy the value with memcpy() of a run-time size, a string move
 * (rep movsb) for a few bytes; these store it into the reserved attribute.
 * Same wire format (no pad attribute is needed for a u64 where unaligned
 * access is cheap, exactly as nla_put_u64_64bit()).
 */
static inline int procscope_ev_put_u16(struct sk_buff *skb, int type, u16 v)
{
	struct nlattr *a = nla_reserve(skb, type, sizeof(v));

	if (!a)
		return -EMSGSIZE;
	*(u16 *)nla_data(a) = v;
	return 0;
}

static inline int procscope_ev_put_u32(struct sk_buff *skb, int type, u32 v)
{
	struct nlattr *a = nla_reserve(skb, type, sizeof(v));

	if (!a)
		return -EMSGSIZE;
	*(u32 *)nla_data(a) = v;
	return 0;
}

static inline int procscope_ev_put_u64(struct sk_buff *skb, int type, u64 v,
				       int padattr)
{
	struct nlattr *a = nla_reserve_64bit(skb, type, sizeof(v), padattr);

	if (!a)
		return -EMSGSIZE;
	put_unaligned(v, (u64 *)nla_data(a));
	return 0;
}

void procscope_events_stats(struct procscope_event_stats *st);

#endif
