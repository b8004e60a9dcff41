// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU event buffers drained in batches to the events multicast group.
 *
 * Producers run in fault context with IRQs off (exceptions tracepoints),
 * in kprobe handlers and in softirq (TCP), so they may neither sleep nor
 * allocate: they write into a preallocated per-CPU ring and poke an
 * irq_work, which is the one deferral primitive safe from all of those
 * contexts. The irq_work queues a delayed work item; the worker builds
 * netlink messages with GFP_KERNEL and multicasts them.
 *
 * Each ring has one producer, its CPU with IRQs off (so a softirq event
 * cannot interleave with a fault event), and one consumer, the drain under
 * drain_lock: it needs no lock. head and tail count records ever written
 * and taken; the producer owns head and the slot it fills, the consumer
 * owns tail. A producer may fill its slot itself (procscope_event_reserve()
 * then _commit()): the fault hooks store their record field by field, which
 * is no string copy (rep movs) of the whole slot. The drain, likewise, builds
 * its messages from the slots in place and only then moves tail past them.
 */

#include <linux/irq_work.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "events.h"
#include "genl.h"

static unsigned int ring_slots = 4096;
module_param(ring_slots, uint, 0444);
MODULE_PARM_DESC(ring_slots,
		 "Events buffered per CPU before new ones are dropped (default 4096)");

static unsigned int batch_delay_ms = 5;
module_param(batch_delay_ms, uint, 0644);
MODULE_PARM_DESC(batch_delay_ms,
		 "How long the first event of a batch may wait for delivery, in ms (default 5)");

struct event_slot {
	const struct procscope_event_kind *kind;
	u32 len;
	u8 payload[PROCSCOPE_EVENT_PAYLOAD_MAX] __aligned(8);
};

struct event_ring {
	unsigned long head;	/* records written: the producer's */
	unsigned long tail;	/* records taken: the consumer's */
	struct event_slot *slots;
	u64 seen;		/* written by the producer only */
	u64 dropped;		/* buffer full; the producer only */
	struct irq_work kick;
};

static DEFINE_PER_CPU(struct event_ring, event_rings);
static bool events_running;

/* The drain runs only in the worker (or at exit), serialized by this. */
static DEFINE_MUTEX(drain_lock);
static u64 drain_delivered;
static u64 drain_dropped;	/* multicast failed: listener gone or overrun */
static u64 lost_reported;	/* ring drops already announced by EVENTS_LOST */

static void drain_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(drain_work, drain_work_fn);

/*
 * The drain goes to the unbound workqueue: on system_wq it would run on
 * the CPU that raised the irq_work, which is the CPU of the process taking
 * the faults, and steal its time; unbound, the scheduler puts it on an
 * idle CPU when there is one.
 */
static void kick_fn(struct irq_work *work)
{
	struct event_ring *ring = container_of(work, struct event_ring, kick);
	unsigned long pending = READ_ONCE(ring->head) - READ_ONCE(ring->tail);

	/* A half-full buffer cannot wait for the batch delay. */
	if (pending >= ring_slots / 2)
		mod_delayed_work(system_unbound_wq, &drain_work, 0);
	else
		queue_delayed_work(system_unbound_wq, &drain_work,
				   msecs_to_jiffies(batch_delay_ms));
}

/*
 * genl_has_listeners() is an out-of-line netlink_has_listeners() around an
 * rcu_read_lock(): some 200 cycles under TCG (the benchmarks' VM), on every
 * watched fault. While this CPU's buffer holds records a batch is on its
 * way and its first record asked already; a listener that left since has
 * the rest of that batch counted as dropped by the drain (the multicast
 * finds nobody), as when it leaves between buffering and delivery. The
 * read is racy where IRQs are on (a kprobe): a hint, either way safe.
 */
bool procscope_events_wanted(void)
{
	const struct event_ring *ring = raw_cpu_ptr(&event_rings);

	if (READ_ONCE(ring->head) != READ_ONCE(ring->tail))
		return true;
	return genl_has_listeners(&procscope_genl_family, &init_net, 0) > 0;
}

void *procscope_event_reserve(const struct procscope_event_kind *kind,
			      size_t len, unsigned long *irqflags)
{
	struct event_ring *ring;
	struct event_slot *slot;
	unsigned long tail;

	if (WARN_ON_ONCE(len > PROCSCOPE_EVENT_PAYLOAD_MAX))
		return NULL;
	/*
	 * One producer per CPU holds only with IRQs off: an NMI would fill
	 * the slot of the producer it interrupted, which then commits one
	 * slot too many, unwritten. Every hook refuses NMI context first.
	 */
	if (WARN_ON_ONCE(in_nmi()))
		return NULL;
	local_irq_save(*irqflags);
	ring = this_cpu_ptr(&event_rings);
	ring->seen++;
	if (!READ_ONCE(events_running))
		goto drop;
	/* Pairs with the release of tail in ring_release(): the slot is free. */
	tail = smp_load_acquire(&ring->tail);
	if (ring->head - tail >= ring_slots)
		goto drop;
	slot = &ring->slots[ring->head % ring_slots];
	slot->kind = kind;
	slot->len = len;
	return slot->payload;
drop:
	ring->dropped++;
	local_irq_restore(*irqflags);
	return NULL;
}

void procscope_event_commit(unsigned long irqflags)
{
	struct event_ring *ring = this_cpu_ptr(&event_rings);
	unsigned long head = ring->head + 1, pending;

	/* Pairs with the acquire of head in ring_peek(): the slot is filled. */
	smp_store_release(&ring->head, head);
	/*
	 * Kick the drain when this record made the ring non-empty or half
	 * full. The full barrier pairs with the one in ring_release() after it
	 * moves tail: either the drain sees this record before it stops, or
	 * this sees the ring emptied and kicks.
	 */
	smp_mb();
	pending = head - READ_ONCE(ring->tail);
	if (pending == 1 || pending == ring_slots / 2)
		irq_work_queue(&ring->kick);
	local_irq_restore(irqflags);
}

#define DRAIN_BATCH 64

/*
 * Up to @max records of @ring, oldest first, in place: the slots stay the
 * consumer's until ring_release(). Under drain_lock. No copy: a memcpy of
 * a whole slot is a string move on every event, which CPUs without fast
 * string moves (and emulators) run byte by byte.
 */
static unsigned int ring_peek(struct event_ring *ring,
			      const struct event_slot **out, unsigned int max)
{
	unsigned long tail = ring->tail;
	unsigned int n, i;

	/* Pairs with the release in procscope_event_commit(). */
	n = min_t(unsigned long, smp_load_acquire(&ring->head) - tail, max);
	for (i = 0; i < n; i++)
		out[i] = &ring->slots[(tail + i) % ring_slots];
	return n;
}

/* The first @n records are delivered: the producer may reuse their slots. */
static void ring_release(struct event_ring *ring, unsigned int n)
{
	/* Pairs with the acquire of tail in procscope_event_reserve(). */
	smp_store_release(&ring->tail, ring->tail + n);
	/* See procscope_event_commit(): then drain_all() looks at head again. */
	smp_mb();
}

static void send_batch(struct sk_buff *skb, void *hdr,
		       const struct event_slot *const *recs, unsigned int n)
{
	bool delivered;
	unsigned int i;

	genlmsg_end(skb, hdr);
	delivered = !genlmsg_multicast(&procscope_genl_family, skb, 0, 0,
				       GFP_KERNEL);
	if (delivered)
		drain_delivered += n;
	else
		drain_dropped += n;
	for (i = 0; i < n; i++)
		if (recs[i]->kind->done)
			recs[i]->kind->done(recs[i]->payload, delivered);
}

static void drop_records(const struct event_slot *const *recs, unsigned int n)
{
	unsigned int i;

	drain_dropped += n;
	for (i = 0; i < n; i++)
		if (recs[i]->kind->done)
			recs[i]->kind->done(recs[i]->payload, false);
}

/*
 * Pack consecutive records of one kind into as few messages as fit;
 * a record that does not fit even an empty message is dropped and counted.
 */
static void deliver(const struct event_slot *const *recs, unsigned int n)
{
	unsigned int first = 0, i;
	struct sk_buff *skb = NULL;
	void *hdr = NULL;

	for (i = 0; i < n; i++) {
		if (skb && recs[i]->kind != recs[first]->kind) {
			send_batch(skb, hdr, &recs[first], i - first);
			skb = NULL;
		}
		if (!skb) {
			first = i;
			skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
			hdr = skb ? procscope_genl_put(skb, 0, 0, 0,
						       recs[i]->kind->cmd) : NULL;
			if (!hdr) {
				nlmsg_free(skb);
				skb = NULL;
				drop_records(&recs[i], 1);
				continue;
			}
		}
		if (recs[i]->kind->fill(skb, recs[i]->payload) == 0)
			continue;
		if (i == first) {
			/* Cannot fit an empty message: count and go on. */
			nlmsg_free(skb);
			skb = NULL;
			drop_records(&recs[i], 1);
			continue;
		}
		send_batch(skb, hdr, &recs[first], i - first);
		skb = NULL;
		i--;	/* retry this record in a fresh message */
	}
	if (skb)
		send_batch(skb, hdr, &recs[first], n - first);
}

/*
 * Tell listeners right away that records were dropped because a ring was
 * full, so a live reader does not mistake a gap for silence.
 */
static void report_lost(void)
{
	struct sk_buff *skb;
	unsigned int cpu;
	u64 lost = 0;
	void *hdr;

	for_each_possible_cpu(cpu)
		lost += READ_ONCE(per_cpu_ptr(&event_rings, cpu)->dropped);
	if (lost == lost_reported)
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = procscope_genl_put(skb, 0, 0, 0, PROCSCOPE_CMD_EVENTS_LOST);
	if (!hdr ||
	    nla_put_u64_64bit(skb, PROCSCOPE_A_EVENTS_DROPPED,
			      lost - lost_reported, PROCSCOPE_A_PAD)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&procscope_genl_family, skb, 0, 0, GFP_KERNEL);
	lost_reported = lost;
}

static void drain_all(void)
{
	/* Under drain_lock: not on the worker's stack. */
	static const struct event_slot *recs[DRAIN_BATCH];
	unsigned int cpu, n;

	mutex_lock(&drain_lock);
	for_each_possible_cpu(cpu) {
		struct event_ring *ring = per_cpu_ptr(&event_rings, cpu);

		while ((n = ring_peek(ring, recs, DRAIN_BATCH))) {
			deliver(recs, n);
			ring_release(ring, n);
		}
	}
	report_lost();
	mutex_unlock(&drain_lock);
}

static void drain_work_fn(struct work_struct *work)
{
	drain_all();
}

void procscope_events_stats(struct procscope_event_stats *st)
{
	unsigned int cpu;

	memset(st, 0, sizeof(*st));
	for_each_possible_cpu(cpu) {
		struct event_ring *ring = per_cpu_ptr(&event_rings, cpu);

		st->seen += READ_ONCE(ring->seen);
		st->dropped += READ_ONCE(ring->dropped);
	}
	mutex_lock(&drain_lock);
	st->delivered = drain_delivered;
	st->dropped += drain_dropped;
	mutex_unlock(&drain_lock);
}

static void free_rings(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct event_ring *ring = per_cpu_ptr(&event_rings, cpu);

		kvfree(ring->slots);
		ring->slots = NULL;
	}
}

int __init procscope_events_init(void)
{
	unsigned int cpu;

	if (ring_slots < 16 || ring_slots > (1U << 20)) {
		pr_err("ring_slots must be between 16 and 1048576\n");
		return -EINVAL;
	}
	for_each_possible_cpu(cpu) {
		struct event_ring *ring = per_cpu_ptr(&event_rings, cpu);

		init_irq_work(&ring->kick, kick_fn);
		ring->slots = kvcalloc(ring_slots, sizeof(*ring->slots),
				       GFP_KERNEL);
		if (!ring->slots) {
			free_rings();
			return -ENOMEM;
		}
	}
	WRITE_ONCE(events_running, true);
	return 0;
}

/* Called after every hook is detached: no producer can run any more. */
void procscope_events_exit(void)
{
	unsigned int cpu;

	WRITE_ONCE(events_running, false);
	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu_ptr(&event_rings, cpu)->kick);
	cancel_delayed_work_sync(&drain_work);
	drain_all();
	free_rings();
}
