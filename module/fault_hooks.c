// SPDX-License-Identifier: GPL-2.0
/*
 * Page-fault hooks: every fault a watched process takes, classified, timed
 * and tied to its page-table entry.
 *
 * Which hook does what, and why that one (verified on Debian 6.1, see
 * docs/page-faults.md):
 *  - tracepoints exceptions:page_fault_user / page_fault_kernel fire once
 *    per hardware fault, first thing in exc_page_fault(), IRQs off: the
 *    entry timestamp, the raw error code and the faulting IP come from
 *    here. do_user_addr_fault() itself refuses kprobes.
 *  - handle_mm_fault's ftrace site: every fault that reaches mm, including
 *    GUP faults (regs == NULL) and each retry. mm_account_fault() counts
 *    min_flt/maj_flt at the end of exactly this function, so one event per
 *    call, with its vm_fault_t result, gives the kernel's own count. For a
 *    watched task an ftrace_ops with FTRACE_OPS_FL_IPMODIFY (livepatch's
 *    mechanism) diverts the call into mmf_wrapper(), which calls
 *    handle_mm_fault() itself and sees the result; the callback lets that
 *    inner call through (its caller is this module). Not a kretprobe: a
 *    kretprobe takes a rethook node from a freelist shared by all CPUs on
 *    every call, before its entry handler can decline, and every process
 *    would pay for that (docs/page-faults.md, "Third pass"). Not a kprobe
 *    either: kprobes ask ftrace for a full register save (pushfq/popfq
 *    around every call) and add their own bookkeeping, where x86's
 *    ftrace_caller saves the argument registers and honours a new ip
 *    without them. The price of diverting is that a watched fault
 *    sleeping in the mm has this module's text on its stack: unload waits
 *    for those (mmf_inflight) before the module goes.
 *  - kprobes bad_area_access_error (permission: SEGV_ACCERR/PKUERR) and
 *    bad_area_nosemaphore (no VMA: SEGV_MAPERR): faults that never reach
 *    handle_mm_fault. Both are noinline, so every such fault passes them.
 *  - kprobe expand_downwards: lock_mm_and_find_vma() grows the stack VMA
 *    through it before handle_mm_fault, for the "stack" class.
 *
 * Between the tracepoint and handle_mm_fault the task may sleep and move
 * CPUs, so the hardware fault's facts wait in a small table hashed by task.
 * Every hook first checks procscope_watch_any() and then the RCU watch
 * table, and returns before touching anything else for other processes.
 *
 * Clocks: the hooks read local_clock() (sched_clock: the TSC, per CPU),
 * never ktime_get_ns(). ktime reads the clocksource, and where the kernel
 * does not trust the TSC as one, that is the HPET: a device read, three of
 * them on every watched fault. The event's timestamp is moved to
 * CLOCK_MONOTONIC when the drain serializes it.
 */

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/trap_pf.h>

#include "compat.h"
#include "events.h"
#include "fault_classify.h"
#include "fault_hooks.h"
#include "fault_stats.h"
#include "genl.h"
#include "hooks.h"
#include "ptwalk.h"
#include "watch.h"

/*
 * One hardware fault of a watched task, waiting for handle_mm_fault.
 *
 * The lock is an arch_spinlock_t: every holder has IRQs off and refuses NMI
 * context, holds it for a few stores and takes nothing under it, so what a
 * raw_spinlock_t adds is its cost: two out-of-line calls and the preempt
 * count, ~110 of ~150 cycles a lock/unlock pair under TCG (the benchmarks'
 * VM), twice on every watched fault. Lockdep cannot see it, and has nothing
 * to see: it is a leaf lock, taken in no other order.
 */
struct hw_fault {
	arch_spinlock_t lock;
	struct task_struct *task;	/* compared only, never dereferenced */
	u64 ts;
	unsigned long addr;
	unsigned long ip;
	unsigned long error_code;
	bool stack_grew;	/* expand_downwards() ran for it */
	bool reported;		/* an event was emitted for it */
};

#define HW_FAULT_BITS 8
static struct hw_fault hw_faults[1 << HW_FAULT_BITS];

static struct hw_fault *hw_fault_of(struct task_struct *task)
{
	return &hw_faults[hash_ptr(task, HW_FAULT_BITS)];
}

static void hw_fault_lock(struct hw_fault *h)
{
	lockdep_assert_irqs_disabled();
	arch_spin_lock(&h->lock);
}

static void hw_fault_unlock(struct hw_fault *h)
{
	arch_spin_unlock(&h->lock);
}

/* A fault's leaf entry, decoded the way every other view decodes it. */
struct pte_snap {
	u64 raw;	/* raw entry, 0 when there is none */
	u64 pfn;	/* 0 unless present */
	u64 flags;	/* enum procscope_pte_flag */
	u8 state;	/* enum procscope_pte_state */
};

/*
 * The leaf entry mapping @addr in @mm, read by procscope_leaf_snapshot()
 * lockless, so with IRQs off (the caller's: both hot callers already run
 * an IRQ-off region around it): the mm is current's, or
 * handle_mm_fault()'s caller holds the faulting VMA's lock (see
 * mmf_return() on foreign mms). @vma_anon: the address is in an
 * anonymous VMA. @page: label the frame from its struct page too; a fault's
 * "before" needs only the state and the raw entry, so it skips that lookup.
 */
static void pte_snapshot(struct mm_struct *mm, unsigned long addr,
			 bool vma_anon, bool page, struct pte_snap *s)
{
	struct procscope_leaf_snap ls;

	lockdep_assert_irqs_disabled();
	s->raw = 0;
	s->pfn = 0;
	s->flags = 0;
	s->state = PROCSCOPE_PTE_STATE_UNKNOWN;
	/* Retracted meanwhile (6.6+): not known, rather than a guess. */
	if (!mm || addr >= TASK_SIZE_MAX ||
	    procscope_leaf_snapshot(mm, addr, vma_anon, page, &ls))
		return;
	s->raw = ls.raw;
	s->pfn = ls.pfn;
	s->flags = ls.flags;
	s->state = procscope_pte_state(ls.kind, ls.flags);
}

static bool same_page(unsigned long a, unsigned long b)
{
	return (a & PAGE_MASK) == (b & PAGE_MASK);
}

/*
 * Nanoseconds since @start (local_clock()). The fault may have slept and
 * moved CPUs, whose clocks may differ by up to a tick: never negative.
 */
static u64 clock_delta(u64 start)
{
	u64 now = local_clock();

	return now > start ? now - start : 0;
}

/* One event as buffered; the multicast attributes are built from it. */
struct fault_rec {
	u64 ts;
	u64 addr;
	u64 ip;
	u64 latency;
	u64 raw_before;
	u64 raw_after;
	u64 pfn_after;
	u64 flags_after;
	u32 pid;
	u32 tid;
	u32 error_code;
	u32 access;
	u32 cls;
	u32 outcome;
	u32 state_before;
	u32 vm_fault;
	u32 gen;
	u32 slot;
	u8 major;
	u8 counted;
	char comm[TASK_COMM_LEN];
};

static_assert(sizeof(struct fault_rec) <= PROCSCOPE_EVENT_PAYLOAD_MAX);

/*
 * CLOCK_MONOTONIC minus local_clock(), to turn a hook's timestamp into
 * the ktime_get_ns() the ABI promises. Read once per jiffy, not per event
 * (see the top of this file); sched_clock_cpu() keeps every CPU's
 * local_clock() within about a tick of that offset. Only the drain calls
 * fault_fill(), serialized by its mutex, so plain statics do.
 */
static u64 mono_offset(void)
{
	static unsigned long next;
	static u64 offset;
	static bool valid;

	if (!valid || time_after_eq(jiffies, next)) {
		next = jiffies + 1;
		offset = ktime_get_ns() - local_clock();
		valid = true;
	}
	return offset;
}

static int fault_fill(struct sk_buff *skb, const void *payload)
{
	const struct fault_rec *r = payload;
	struct nlattr *nest = nla_nest_start(skb, PROCSCOPE_A_FAULT);

	if (!nest)
		return -EMSGSIZE;
	if (procscope_ev_put_u64(skb, PROCSCOPE_FAULT_A_TS_NS,
				 r->ts + mono_offset(),
				 PROCSCOPE_FAULT_A_PAD) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_FAULT_A_PID, r->pid) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_FAULT_A_TID, r->tid) ||
	    nla_put_string(skb, PROCSCOPE_FAULT_A_COMM, r->comm) ||
	    procscope_ev_put_u64(skb, PROCSCOPE_FAULT_A_ADDR, r->addr,
				 PROCSCOPE_FAULT_A_PAD) ||
	    procscope_ev_put_u64(skb, PROCSCOPE_FAULT_A_IP, r->ip,
				 PROCSCOPE_FAULT_A_PAD) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_FAULT_A_ERROR_CODE, r->error_code) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_FAULT_A_ACCESS, r->access) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_FAULT_A_CLASS, r->cls) ||
	    nla_put_u8(skb, PROCSCOPE_FAULT_A_MAJOR, r->major) ||
	    procscope_ev_put_u64(skb, PROCSCOPE_FAULT_A_LATENCY_NS, r->latency,
				 PROCSCOPE_FAULT_A_PAD) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_FAULT_A_OUTCOME, r->outcome) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_FAULT_A_STATE_BEFORE, r->state_before) ||
	    procscope_ev_put_u64(skb, PROCSCOPE_FAULT_A_RAW_BEFORE, r->raw_before,
				 PROCSCOPE_FAULT_A_PAD) ||
	    procscope_ev_put_u64(skb, PROCSCOPE_FAULT_A_RAW_AFTER, r->raw_after,
				 PROCSCOPE_FAULT_A_PAD) ||
	    procscope_ev_put_u64(skb, PROCSCOPE_FAULT_A_PFN_AFTER, r->pfn_after,
				 PROCSCOPE_FAULT_A_PAD) ||
	    procscope_ev_put_u64(skb, PROCSCOPE_FAULT_A_FLAGS_AFTER, r->flags_after,
				 PROCSCOPE_FAULT_A_PAD) ||
	    procscope_ev_put_u32(skb, PROCSCOPE_FAULT_A_VM_FAULT, r->vm_fault) ||
	    nla_put_u8(skb, PROCSCOPE_FAULT_A_COUNTED, r->counted)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Process context, from the drain: follow the record in its watch. */
static void fault_done(const void *payload, bool delivered)
{
	const struct fault_rec *r = payload;
	struct procscope_watch *w;

	/* By slot: the process may have exited, its watch lingering. */
	rcu_read_lock();
	w = procscope_watch_slot(r->slot, r->gen);
	if (w) {
		struct procscope_fault_stats *st = procscope_watch_fault_stats(w);

		atomic64_inc(delivered ? &st->delivered : &st->dropped);
	}
	rcu_read_unlock();
}

static const struct procscope_event_kind fault_kind = {
	.cmd = PROCSCOPE_CMD_FAULT_EVENT,
	.fill = fault_fill,
	.done = fault_done,
};

/*
 * The watch of the current process if it watches faults, under RCU. The
 * first check is one load. The fault path's callers read it with
 * preemption (or IRQs) off, rcu_read_lock_sched(), which synchronize_rcu()
 * waits for as it does for rcu_read_lock(): under Debian's PREEMPT_RCU
 * rcu_read_lock() is two out-of-line calls where the sched flavour is a
 * preempt count the caller already holds, and a watched fault takes four
 * such sections.
 */
static struct procscope_watch *current_fault_watch(void)
{
	struct procscope_watch *w;

	if (!procscope_watch_any())
		return NULL;
	w = procscope_watch_find(current->tgid);
	return w && (READ_ONCE(w->flags) & PROCSCOPE_WATCH_F_FAULTS) ? w : NULL;
}

/* Whether the current process watches faults: the filter of every hook. */
static bool current_fault_watched(void)
{
	bool watched;

	if (!procscope_watch_any())
		return false;
	rcu_read_lock_sched_notrace();	/* notrace: ftrace callback */
	watched = current_fault_watch();
	rcu_read_unlock_sched_notrace();
	return watched;
}

/*
 * Fill the event slot @e from @r, field by field: a struct copy would be a
 * string copy (rep movs), and @r's pid, tid and comm are not set.
 */
static void fault_rec_store(struct fault_rec *e, const struct fault_rec *r)
{
	e->ts = r->ts;
	e->addr = r->addr;
	e->ip = r->ip;
	e->latency = r->latency;
	e->raw_before = r->raw_before;
	e->raw_after = r->raw_after;
	e->pfn_after = r->pfn_after;
	e->flags_after = r->flags_after;
	e->pid = current->tgid;
	e->tid = current->pid;
	e->error_code = r->error_code;
	e->access = r->access;
	e->cls = r->cls;
	e->outcome = r->outcome;
	e->state_before = r->state_before;
	e->vm_fault = r->vm_fault;
	e->gen = r->gen;
	e->slot = r->slot;
	e->major = r->major;
	e->counted = r->counted;
	memcpy(e->comm, current->comm, sizeof(e->comm));
	e->comm[sizeof(e->comm) - 1] = '\0';
}

/*
 * Count @r in the watch its hook found (r->slot, r->gen) and stream it if
 * anyone listens. Any context. By slot, not by pid: one array load, and a
 * watch deleted meanwhile (slot released or reused) is told by its gen.
 * The hooks fill every field of @r but pid, tid and comm.
 */
static void fault_report(const struct fault_rec *r)
{
	struct procscope_fault_stats *st;
	struct procscope_watch *w;
	unsigned long irqflags;
	struct fault_rec *e;

	rcu_read_lock_sched();	/* see current_fault_watch() */
	w = procscope_watch_slot(r->slot, r->gen);
	if (!w)
		goto out;	/* unwatched meanwhile */
	st = procscope_watch_fault_stats(w);
	procscope_fault_stats_account(st, r->cls, r->latency, r->counted,
				      r->major);
	/* Nobody subscribed, or counters only: do not even buffer. */
	if ((READ_ONCE(w->flags) & PROCSCOPE_WATCH_F_NO_EVENTS) ||
	    !procscope_events_wanted())
		goto out;
	atomic64_inc(&st->seen);
	e = procscope_event_reserve(&fault_kind, sizeof(*e), &irqflags);
	if (!e) {
		atomic64_inc(&st->dropped);
		goto out;
	}
	fault_rec_store(e, r);
	procscope_event_commit(irqflags);
out:
	rcu_read_unlock_sched();
}

static u32 access_bits(unsigned long error_code)
{
	u32 a = 0;

	if (error_code & X86_PF_WRITE)
		a |= PROCSCOPE_ACCESS_WRITE;
	if (error_code & X86_PF_INSTR)
		a |= PROCSCOPE_ACCESS_EXEC;
	if (error_code & X86_PF_USER)
		a |= PROCSCOPE_ACCESS_USER;
	if (error_code & X86_PF_PROT)
		a |= PROCSCOPE_ACCESS_PROT;
	if (error_code & X86_PF_PK)
		a |= PROCSCOPE_ACCESS_PKEY;
	return a;
}

/* exceptions:page_fault_user / page_fault_kernel. IRQs are off. */
static void probe_page_fault(void *data, unsigned long address,
			     struct pt_regs *regs, unsigned long error_code)
{
	struct hw_fault *h;

	if (!procscope_watch_any())
		return;
	/*
	 * Kernel-mode faults count only on user addresses with a user mm.
	 * Not in NMI (copy_from_user_nmi() of a perf callchain): the code it
	 * interrupted may hold h->lock.
	 */
	if (address >= TASK_SIZE_MAX || !current->mm || in_nmi() ||
	    !current_fault_watched())
		return;

	h = hw_fault_of(current);
	hw_fault_lock(h);	/* IRQs are off here already */
	h->task = current;
	h->ts = local_clock();
	h->addr = address;
	h->ip = instruction_pointer(regs);
	h->error_code = error_code;
	h->stack_grew = false;
	h->reported = false;
	hw_fault_unlock(h);
}

/* Per-call state of handle_mm_fault, on mmf_wrapper()'s stack. */
struct mmf_data {
	struct mm_struct *mm;	/* compared/walked while the fault runs */
	u64 ts;
	u64 raw_before;
	unsigned long addr;
	unsigned long ip;
	unsigned long error_code;
	u32 access;
	u32 gen;
	u32 slot;
	u8 state_before;
	bool user_mode;
	bool tried;
	bool write;
	bool anon;
	bool shared;
	bool growsdown;
	bool stack_grew;
};

/*
 * Fill @d for a call of handle_mm_fault() by a process that watches faults;
 * false (and @d untouched) for any other: the watch may have gone since the
 * probe diverted the call.
 */
static bool mmf_entry(struct mmf_data *d, struct vm_area_struct *vma,
		      unsigned long address, unsigned int flags,
		      struct pt_regs *fregs)
{
	struct pte_snap snap;
	struct procscope_watch *w;
	struct hw_fault *h;
	unsigned long irqflags;

	if (!procscope_watch_any())
		return false;
	rcu_read_lock_sched();	/* see current_fault_watch() */
	w = current_fault_watch();
	if (w) {
		d->gen = w->gen;
		d->slot = w->idx;
	}
	rcu_read_unlock_sched();
	if (!w)
		return false;

	d->ts = 0;
	d->mm = vma->vm_mm;
	d->addr = address;
	d->user_mode = fregs && user_mode(fregs);
	/* Kernel text addresses are not reported (uapi: FAULT_A_IP). */
	d->ip = d->user_mode ? instruction_pointer(fregs) : 0;
	d->error_code = 0;
	d->stack_grew = false;
	d->access = 0;
	if (flags & FAULT_FLAG_WRITE)
		d->access |= PROCSCOPE_ACCESS_WRITE;
	if (flags & FAULT_FLAG_INSTRUCTION)
		d->access |= PROCSCOPE_ACCESS_EXEC;
	if (flags & FAULT_FLAG_USER)
		d->access |= PROCSCOPE_ACCESS_USER;
	if (!fregs)
		d->access |= PROCSCOPE_ACCESS_GUP;

	/*
	 * One IRQ-off region for the hardware fault's record and the walk:
	 * every local_irq_restore() that enables interrupts is a point where
	 * pending ones are taken, dear under virtualisation and emulation.
	 */
	local_irq_save(irqflags);
	if (fregs) {
		h = hw_fault_of(current);
		hw_fault_lock(h);
		if (h->task == current && same_page(h->addr, address)) {
			d->error_code = h->error_code;
			d->access |= access_bits(h->error_code);
			d->stack_grew = h->stack_grew;
			/*
			 * Every call is timed from the hardware fault: the
			 * one that completes a retried fault (counted major)
			 * then carries what the whole fault cost, I/O wait
			 * in the retried attempt included.
			 */
			d->ts = h->ts;
			h->reported = true;
		}
		hw_fault_unlock(h);
	}
	if (!d->ts)
		d->ts = local_clock();
	pte_snapshot(vma->vm_mm, address, vma_is_anonymous(vma), false, &snap);
	local_irq_restore(irqflags);

	d->tried = flags & FAULT_FLAG_TRIED;
	d->write = flags & FAULT_FLAG_WRITE;
	d->anon = vma_is_anonymous(vma);
	d->shared = vma->vm_flags & VM_SHARED;
	d->growsdown = vma->vm_flags & VM_GROWSDOWN;
	d->state_before = snap.state;
	d->raw_before = snap.raw;
	return true;
}

static void mmf_return(const struct mmf_data *d, vm_fault_t vmf)
{
	u32 ret = (__force u32)vmf;	/* the ABI's bits: VM_FAULT_* */
	struct procscope_fault_facts facts = {
		.state_before = d->state_before,
		.write = d->write,
		.vma_anon = d->anon,
		.vma_shared = d->shared,
		.vma_growsdown = d->growsdown,
		.stack_grew = d->stack_grew,
		.tried = d->tried,
		.vm_fault = ret,
	};
	struct pte_snap after;
	/*
	 * Every field fault_report() reads is set. __uninitialized: the
	 * kernel's stack auto-init would clear it with a string store on
	 * every watched fault (see events.c on string moves).
	 */
	struct fault_rec r __uninitialized;
	unsigned long irqflags;

	r.ts = d->ts;
	r.addr = d->addr;
	r.ip = d->ip;
	r.raw_before = d->raw_before;
	r.error_code = d->error_code;
	r.access = d->access;
	r.state_before = d->state_before;
	r.vm_fault = ret;
	r.gen = d->gen;
	r.slot = d->slot;
	r.latency = clock_delta(d->ts);
	/*
	 * The entry after the fault. Safe without the mmap lock, which a
	 * retry or a completed fault has dropped, only in current's own mm:
	 * with IRQs off this CPU, being in that mm's cpumask, holds off the
	 * TLB-flush IPI that precedes freeing its page tables (the GUP-fast
	 * argument). A remote GUP (process_vm_readv() of another process)
	 * faults in a foreign mm whose tables x86 may free after an IPI to
	 * other CPUs only: that "after" is not read, and stays unknown.
	 * IRQs stay off through the report, whose ring needs them off too:
	 * one enabling restore, not two (see mmf_entry()).
	 */
	local_irq_save(irqflags);
	if (likely(d->mm == current->mm)) {
		pte_snapshot(d->mm, d->addr, d->anon, true, &after);
	} else {
		after.state = PROCSCOPE_PTE_STATE_UNKNOWN;
		after.raw = 0;
		after.pfn = 0;
		after.flags = 0;
	}
	r.raw_after = after.raw;
	r.pfn_after = after.pfn;
	r.flags_after = after.flags;
	r.cls = procscope_fault_classify(&facts);
	r.outcome = procscope_fault_outcome(ret, d->user_mode);
	r.counted = procscope_fault_counted(ret);
	r.major = r.counted && procscope_fault_major(ret, d->tried);
	fault_report(&r);
	local_irq_restore(irqflags);
}

/*
 * Calls diverted into mmf_wrapper() and not yet out of it. Unload waits for
 * none to be left once the probe is gone (no new ones), then for every task
 * to pass a voluntary schedule (synchronize_rcu_tasks()), which no task
 * between the decrement and mmf_wrapper()'s return has done.
 */
static atomic_t mmf_inflight = ATOMIC_INIT(0);
static bool mmf_stopping;

/*
 * A watched task's handle_mm_fault() runs through this wrapper: the ftrace
 * callback below diverts it here, with the caller's arguments and return
 * address, and the call back into handle_mm_fault() passes the callback
 * (its caller is this module). The watch is looked up again: it may have
 * gone meanwhile.
 */
static noinline vm_fault_t mmf_wrapper(struct vm_area_struct *vma,
				       unsigned long address,
				       unsigned int flags,
				       struct pt_regs *fregs)
{
	struct mmf_data d __uninitialized;	/* filled by mmf_entry() */
	vm_fault_t ret;
	bool on;

	on = mmf_entry(&d, vma, address, flags, fregs);
	ret = handle_mm_fault(vma, address, flags, fregs);
	if (on)
		mmf_return(&d, ret);
	/* Full barrier; pairs with the one after mmf_stopping is set. */
	if (atomic_dec_and_test(&mmf_inflight) && READ_ONCE(mmf_stopping))
		wake_up_var(&mmf_inflight);
	return ret;
}

/*
 * handle_mm_fault()'s ftrace callback, for every fault of every process:
 * filter first. Called with preemption enabled, from the ops' own
 * trampoline; ftrace keeps the trampoline and this callback alive for
 * any task inside them until unregister_ftrace_function() returns.
 */
static void notrace mmf_ftrace(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *ops,
			       struct ftrace_regs *fregs)
{
	if (!procscope_watch_any() || within_module(parent_ip, THIS_MODULE) ||
	    !current_fault_watched())
		return;
	atomic_inc(&mmf_inflight);
	/* ftrace_caller returns to this ip, arguments and stack untouched. */
	procscope_ftrace_set_ip(fregs, (unsigned long)mmf_wrapper);
}

/* After the ops is unregistered: no diverted call is left in the module. */
static void mmf_drain(void)
{
	WRITE_ONCE(mmf_stopping, true);
	smp_mb();	/* pairs with atomic_dec_and_test() in mmf_wrapper() */
	while (!wait_var_event_timeout(&mmf_inflight,
				       !atomic_read(&mmf_inflight), 10 * HZ))
		pr_info("unload waits for %d faults of watched processes still in handle_mm_fault\n",
			atomic_read(&mmf_inflight));
	synchronize_rcu_tasks();
}

/*
 * IPMODIFY: the one ops allowed to move this site's ip (a livepatch of
 * handle_mm_fault would make registration fail: fail closed). PERMANENT:
 * the ftrace_enabled sysctl cannot switch it off behind the watches' back.
 * No SAVE_REGS: with DYNAMIC_FTRACE_WITH_ARGS the ip is settable without.
 */
static struct ftrace_ops mmf_ops = {
	.func = mmf_ftrace,
	.flags = FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT,
};

static int mmf_attach(void)
{
	int ret = ftrace_set_filter_ip(&mmf_ops, (unsigned long)handle_mm_fault,
				       0, 0);

	if (!ret)
		ret = register_ftrace_function(&mmf_ops);
	if (ret) {
		ftrace_free_filter(&mmf_ops);
		pr_warn("cannot attach to handle_mm_fault's ftrace site: %d\n",
			ret);
	}
	return ret;
}

/* A fault that ends in SIGSEGV (or a kernel fixup) without reaching mm. */
static void report_bad_area(struct pt_regs *fregs, unsigned long error_code,
			    unsigned long address, struct vm_area_struct *vma,
			    unsigned int cls)
{
	struct pte_snap before;
	struct fault_rec r;	/* every field fault_report() reads is set */
	struct procscope_watch *w;
	struct hw_fault *h;
	unsigned long flags;
	bool done = false;
	u64 now;

	if (!procscope_watch_any())
		return;
	/*
	 * Not in NMI, not with page faults disabled: an NMI's user access
	 * (copy_from_user_nmi() of a perf call chain) faults straight into
	 * bad_area_nosemaphore() and may interrupt this very code holding
	 * h->lock, or a producer between reserving and committing its ring
	 * slot; and pagefault_disable()d accesses (futex, perf, *_inatomic)
	 * are the kernel probing memory, not faults of the process. Not
	 * faulthandler_disabled(): in_atomic() is always true in a kprobe.
	 */
	if (in_nmi() || pagefault_disabled())
		return;
	rcu_read_lock();
	w = current_fault_watch();
	if (w) {
		r.gen = w->gen;
		r.slot = w->idx;
	}
	rcu_read_unlock();
	if (!w)
		return;

	now = local_clock();
	r.ts = now;
	h = hw_fault_of(current);
	local_irq_save(flags);
	hw_fault_lock(h);
	if (h->task == current && same_page(h->addr, address)) {
		/* VM_FAULT_SIGSEGV from handle_mm_fault: reported there. */
		done = h->reported;
		h->reported = true;
		r.ts = h->ts;
	}
	hw_fault_unlock(h);
	local_irq_restore(flags);
	if (done)
		return;

	local_irq_save(flags);
	/* Also the "after" of this fault: labelled in full. */
	pte_snapshot(current->mm, address, vma && vma_is_anonymous(vma), true,
		     &before);
	local_irq_restore(flags);
	r.addr = address;
	r.ip = user_mode(fregs) ? instruction_pointer(fregs) : 0;
	r.latency = now > r.ts ? now - r.ts : 0;
	r.error_code = error_code;
	r.access = access_bits(error_code);
	r.cls = cls;
	r.outcome = user_mode(fregs) ? PROCSCOPE_OUTCOME_SIGSEGV :
				       PROCSCOPE_OUTCOME_KERNEL_FIXUP;
	r.state_before = before.state;
	r.raw_before = before.raw;
	r.raw_after = before.raw;	/* nothing changed */
	r.pfn_after = before.pfn;
	r.flags_after = before.flags;
	r.vm_fault = 0;
	r.counted = false;
	r.major = false;
	fault_report(&r);
}

/*
 * bad_area_access_error(regs, error_code, address, vma). Reached in NMI
 * only if an NMI-time access found a VMA, which needs the mmap lock it
 * cannot take; report_bad_area() refuses NMI context all the same.
 */
static int pre_access_error(struct kprobe *p, struct pt_regs *regs)
{
	report_bad_area((struct pt_regs *)regs_get_kernel_argument(regs, 0),
			regs_get_kernel_argument(regs, 1),
			regs_get_kernel_argument(regs, 2),
			procscope_access_error_vma(regs), PROCSCOPE_FAULT_PERM);
	return 0;
}

/*
 * bad_area_nosemaphore(regs, error_code, address). Runs in NMI context
 * (a faulting copy_from_user_nmi()): report_bad_area() bails out there.
 */
static int pre_no_vma(struct kprobe *p, struct pt_regs *regs)
{
	report_bad_area((struct pt_regs *)regs_get_kernel_argument(regs, 0),
			regs_get_kernel_argument(regs, 1),
			regs_get_kernel_argument(regs, 2), NULL,
			PROCSCOPE_FAULT_BADADDR);
	return 0;
}

/*
 * expand_downwards(vma, address): the stack VMA grows for this fault.
 * Needs the mmap lock, so never in NMI; refused there anyway, as the
 * per-task record's lock may be held by the code an NMI interrupted.
 */
static int pre_expand(struct kprobe *p, struct pt_regs *regs)
{
	unsigned long address = regs_get_kernel_argument(regs, 1);
	struct hw_fault *h;
	unsigned long flags;

	if (in_nmi() || !current_fault_watched())
		return 0;
	h = hw_fault_of(current);
	local_irq_save(flags);
	hw_fault_lock(h);
	if (h->task == current && same_page(h->addr, address))
		h->stack_grew = true;
	hw_fault_unlock(h);
	local_irq_restore(flags);
	return 0;
}

static struct kprobe kp_access_error = {
	.symbol_name = "bad_area_access_error",
	.pre_handler = pre_access_error,
};

static struct kprobe kp_no_vma = {
	.symbol_name = "bad_area_nosemaphore",
	.pre_handler = pre_no_vma,
};

static struct kprobe kp_expand = {
	.symbol_name = "expand_downwards",
	.pre_handler = pre_expand,
};

static struct tracepoint *tp_user, *tp_kernel;
static bool tp_user_on, tp_kernel_on, mmf_on, access_on, no_vma_on, expand_on;

static bool attach_tp(struct tracepoint **tp, const char *name, void *data)
{
	*tp = procscope_tracepoint_find(name);
	if (!*tp) {
		pr_warn("tracepoint %s not found\n", name);
		return false;
	}
	if (tracepoint_probe_register(*tp, probe_page_fault, data)) {
		pr_warn("cannot attach to tracepoint %s\n", name);
		return false;
	}
	return true;
}

static bool attach_kp(struct kprobe *kp)
{
	int ret = register_kprobe(kp);

	if (ret)
		pr_warn("cannot kprobe %s: %d\n", kp->symbol_name, ret);
	return !ret;
}

/* handle_mm_fault's ftrace callback is never skipped; the kprobes can be. */
static unsigned long fault_hooks_missed(void)
{
	return READ_ONCE(kp_access_error.nmissed) + READ_ONCE(kp_no_vma.nmissed) +
	       READ_ONCE(kp_expand.nmissed);
}

int __init procscope_fault_hooks_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hw_faults); i++)
		hw_faults[i].lock = (arch_spinlock_t)__ARCH_SPIN_LOCK_UNLOCKED;

	/*
	 * Without the hardware-fault tracepoint and handle_mm_fault there is
	 * no fault view: fault watches are then refused (fail closed), while
	 * the rest of the module keeps working.
	 */
	tp_user_on = attach_tp(&tp_user, "page_fault_user", NULL);
	tp_kernel_on = attach_tp(&tp_kernel, "page_fault_kernel", NULL);
	mmf_on = !mmf_attach();
	access_on = attach_kp(&kp_access_error);
	no_vma_on = attach_kp(&kp_no_vma);
	expand_on = attach_kp(&kp_expand);

	procscope_hook_attached(PROCSCOPE_HOOK_FAULT_USER, tp_user_on);
	procscope_hook_attached(PROCSCOPE_HOOK_FAULT_KERNEL, tp_kernel_on);
	procscope_hook_attached(PROCSCOPE_HOOK_HANDLE_MM_FAULT, mmf_on);
	procscope_hook_attached(PROCSCOPE_HOOK_FAULT_DETAIL, expand_on);
	procscope_hook_attached(PROCSCOPE_HOOK_BAD_AREA, access_on && no_vma_on);
	procscope_hooks_set_missed(PROCSCOPE_HOOKS_FAULT, fault_hooks_missed);
	return 0;
}

void procscope_fault_hooks_exit(void)
{
	procscope_hooks_set_missed(PROCSCOPE_HOOKS_FAULT, NULL);
	if (expand_on)
		unregister_kprobe(&kp_expand);
	if (no_vma_on)
		unregister_kprobe(&kp_no_vma);
	if (access_on)
		unregister_kprobe(&kp_access_error);
	if (mmf_on) {
		/* No new diversions, then none left in the module. */
		unregister_ftrace_function(&mmf_ops);
		ftrace_free_filter(&mmf_ops);
		mmf_drain();
	}
	if (tp_kernel_on)
		tracepoint_probe_unregister(tp_kernel, probe_page_fault, NULL);
	if (tp_user_on)
		tracepoint_probe_unregister(tp_user, probe_page_fault, NULL);
	tracepoint_synchronize_unregister();
	tp_user_on = false;
	tp_kernel_on = false;
	mmf_on = false;
	access_on = false;
	no_vma_on = false;
	expand_on = false;
	procscope_hook_attached(PROCSCOPE_HOOK_FAULT_USER, false);
	procscope_hook_attached(PROCSCOPE_HOOK_FAULT_KERNEL, false);
	procscope_hook_attached(PROCSCOPE_HOOK_HANDLE_MM_FAULT, false);
	procscope_hook_attached(PROCSCOPE_HOOK_FAULT_DETAIL, false);
	procscope_hook_attached(PROCSCOPE_HOOK_BAD_AREA, false);
}
