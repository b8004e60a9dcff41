/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * procscope: generic netlink ABI between procscope.ko and the procscope tool.
 *
 * Family PROCSCOPE_GENL_NAME, version PROCSCOPE_GENL_VERSION. Every enum is
 * append-only: new values go before the __*_LAST sentinel, nothing is ever
 * renumbered. All integers are host endian; 64-bit values are u64 attributes
 * padded with PROCSCOPE_A_PAD. There are no binary structures: every field is
 * its own attribute, so old tools skip what they do not know. Every
 * attribute enum starts with *_UNSPEC (never sent) and, where it has u64
 * members, *_PAD (the padding type nla_put_u64_64bit() uses; skip it).
 *
 * Requests carry their arguments as top-level attributes (PROCSCOPE_A_*);
 * replies carry top-level attributes and nested objects whose members are
 * listed in the enum named next to the nest.
 *
 * Each command has its own policy: a request may carry only the attributes
 * listed as its request below (anything else, a reply-only attribute or
 * another command's, is refused with EINVAL, the extended ACK pointing at
 * it), and one it requires is reported missing with EINVAL, its type in
 * NLMSGERR_ATTR_MISS_TYPE (requests answered by a single message) and a
 * message naming it.
 *
 * PROCSCOPE_CMD_GET_STATUS (doit)
 *   request: - (no attribute)
 *   reply:   A_MODULE_VERSION, A_ABI_VERSION, A_HOOKS (bitmask of
 *            enum procscope_hook), A_EVENTS_SEEN, A_EVENTS_DELIVERED,
 *            A_EVENTS_DROPPED, A_WATCHES, A_WATCHES_MAX, A_PAGING_LEVELS,
 *            A_PROBES_MISSED (kprobe hits the kernel skipped, summed: a
 *            probe already running on that CPU; those produced no event),
 *            A_LISTENERS, A_LISTENERS_MAX, A_LISTENERS_REFUSED
 *
 * PROCSCOPE_CMD_PT_SUMMARY (doit)
 *   request: A_PID (required)
 *   reply:   A_PID, A_PAGING_LEVELS, A_TABLES { enum procscope_level: u64 },
 *            A_LEAVES { enum procscope_leaf: u64 }, A_MM { enum procscope_mm_attr },
 *            A_PT_BYTES (u64 bytes of table pages below the PGD),
 *            A_PFN_VISIBLE (u8)
 *
 * PROCSCOPE_CMD_VMA_DUMP (dumpit)
 *   request: A_PID (required)
 *   reply:   first message A_PID, A_PAGING_LEVELS, A_PFN_VISIBLE,
 *            A_MM { enum procscope_mm_attr }; then one message per VMA
 *            with A_VMA { enum procscope_vma_attr }.
 *
 * PROCSCOPE_CMD_PTE_DUMP (dumpit)
 *   request: A_PID (required), A_ADDR_START, A_ADDR_END (exclusive;
 *            default: the whole user address space)
 *   reply:   one message per batch, each with A_PID and A_PFN_VISIBLE
 *            and holding A_PTE
 *            { enum procscope_pte_attr } and A_PTE_RUN
 *            { enum procscope_pte_run_attr } nests in address order. A
 *            dump that returns NLMSG_DONE is complete; the kernel resumes
 *            the walk from the last address between messages and never
 *            holds the mmap lock across them.
 *            Present 4 KiB leaves at consecutive addresses come as runs:
 *            one A_PTE_RUN carries up to 512 of them as parallel arrays
 *            (raw entries, flags, mapcounts; flags and mapcounts sent
 *            once when the same for the whole run), so that a dense dump
 *            costs 8 to 16 bytes an entry instead of ~70 as single A_PTE;
 *            entry i of a run maps RUN_VA + i * 4096. Swap, migration,
 *            PROT_NONE and huge leaves always come as single A_PTE.
 *
 * PROCSCOPE_CMD_TRANSLATE (doit)
 *   request: A_PID, A_VA (both required)
 *   reply:   A_PID, A_VA, A_PAGING_LEVELS, one A_STEP { enum procscope_step_attr }
 *            per level walked (top first), A_PA (0 unless A_PFN_VISIBLE),
 *            A_STOP (enum procscope_stop), A_PFN_VISIBLE
 *
 * PROCSCOPE_CMD_WATCH_ADD (doit)
 *   request: A_PID (required), A_WATCH_FLAGS (enum procscope_watch_flag
 *            bits; default PROCSCOPE_WATCH_F_FAULTS)
 *   reply:   the A_WATCH nest of the new watch (a bare ACK if it does not
 *            fit a message).
 *
 * PROCSCOPE_CMD_WATCH_DEL (doit)
 *   request: A_PID (required)
 *   reply:   ACK, once the watch is gone.
 *
 *   Without CAP_SYS_ADMIN a user holds at most watch_user_max watches
 *   (followed children included; EDQUOT past it), may not take the last
 *   watch_admin_reserve slots (ENOSPC), may end (WATCH_DEL) only watches
 *   it made, and its watches end when the socket that sent WATCH_ADD is
 *   closed or the process execs a program the user may not read.
 *
 * PROCSCOPE_CMD_WATCH_GET (dumpit)
 *   request: A_PID (optional: only that process's watch)
 *   reply:   one message per watch with A_WATCH { enum procscope_watch_attr }.
 *
 *   A watch ends with WATCH_DEL or when its process exits. After the exit
 *   it stops seeing faults but lingers with WATCH_EXITED set, so WATCH_GET
 *   and WATCH_DEL still find it by its pid number for a while (module
 *   parameter watch_linger_s); WATCH_DEL then frees it at once.
 *
 * PROCSCOPE_CMD_FAULT_EVENT (multicast, group PROCSCOPE_MCGRP_EVENTS)
 *   message: one or more A_FAULT { enum procscope_fault_attr } nests, in the
 *            order the module saw the faults on each CPU.
 *
 * PROCSCOPE_CMD_SOCK_DUMP (dumpit)
 *   request: A_PID (required)
 *   reply:   one message per socket with A_SOCK { enum procscope_sock_attr },
 *            in fd order; the dump resumes from the next fd number between
 *            messages and holds nothing across them. Listener fields
 *            (BACKLOG ... REUSEPORT_*) are present only for TCP LISTEN
 *            sockets, UNREAD/UNACKED for TCP connections (UNREAD also for
 *            UDP: /proc/net/udp's rx_queue), DROPS only while the owner is
 *            watched with PROCSCOPE_WATCH_F_SOCKETS.
 *
 * PROCSCOPE_CMD_SOCK_EVENT (multicast, group PROCSCOPE_MCGRP_EVENTS)
 *   message: one or more A_SOCK_EVENT { enum procscope_sock_event_attr } nests.
 *
 * PROCSCOPE_CMD_EVENTS_LOST (multicast): A_EVENTS_DROPPED, the number of
 *   records dropped because a per-CPU buffer was full since the previous
 *   EVENTS_LOST, sent with the next drain so a live listener knows it missed
 *   events (per-watch totals are in WATCH_GET).
 *
 * Access rules follow /proc/PID/pagemap: the caller must be allowed to
 * ptrace-read the target (same uids and dumpable, or CAP_SYS_PTRACE), and
 * PFNs/physical addresses are reported as 0 unless it has CAP_SYS_ADMIN
 * (A_PFN_VISIBLE says which). Errors come back as negative errno with an
 * extended-ack message.
 */
#ifndef _UAPI_LINUX_PROCSCOPE_H
#define _UAPI_LINUX_PROCSCOPE_H

#include <linux/types.h>

#define PROCSCOPE_GENL_NAME		"procscope"
#define PROCSCOPE_GENL_VERSION		1
#define PROCSCOPE_MCGRP_EVENTS		"events"

enum procscope_cmd {
	PROCSCOPE_CMD_UNSPEC,
	PROCSCOPE_CMD_GET_STATUS,
	PROCSCOPE_CMD_PT_SUMMARY,
	PROCSCOPE_CMD_VMA_DUMP,
	PROCSCOPE_CMD_PTE_DUMP,
	PROCSCOPE_CMD_TRANSLATE,
	PROCSCOPE_CMD_WATCH_ADD,
	PROCSCOPE_CMD_WATCH_DEL,
	PROCSCOPE_CMD_WATCH_GET,
	PROCSCOPE_CMD_FAULT_EVENT,
	PROCSCOPE_CMD_SOCK_DUMP,
	PROCSCOPE_CMD_SOCK_EVENT,
	PROCSCOPE_CMD_EVENTS_LOST,
	__PROCSCOPE_CMD_LAST
};

#define PROCSCOPE_CMD_MAX (__PROCSCOPE_CMD_LAST - 1)

/* Top-level attributes. */
enum procscope_attr {
	PROCSCOPE_A_UNSPEC,		/* never sent, refused */
	PROCSCOPE_A_PAD,		/* padding before a u64, never read */
	PROCSCOPE_A_PID,		/* u32, pid in the caller's namespace
					 * (request: 1 .. PID_MAX_LIMIT; reply:
					 * the process the answer is about)
					 */
	PROCSCOPE_A_MODULE_VERSION,	/* string, procscope.ko's version */
	PROCSCOPE_A_ABI_VERSION,	/* u32, PROCSCOPE_GENL_VERSION */
	PROCSCOPE_A_HOOKS,		/* u32, bits of enum procscope_hook */
	PROCSCOPE_A_EVENTS_SEEN,	/* u64, event records produced */
	PROCSCOPE_A_EVENTS_DELIVERED,	/* u64, ... multicast */
	PROCSCOPE_A_EVENTS_DROPPED,	/* u64, ... not delivered (seen =
					 * delivered + dropped once drained);
					 * in EVENTS_LOST: dropped since the
					 * previous EVENTS_LOST
					 */
	PROCSCOPE_A_WATCHES,		/* u32, active watches */
	PROCSCOPE_A_WATCHES_MAX,	/* u32, watch table size (watch_max) */
	PROCSCOPE_A_PAGING_LEVELS,	/* u32, 4 or 5 */
	PROCSCOPE_A_TABLES,		/* nest: enum procscope_level -> u64
					 * page-table pages at that level
					 */
	PROCSCOPE_A_LEAVES,		/* nest: enum procscope_leaf -> u64 */
	PROCSCOPE_A_MM,			/* nest: enum procscope_mm_attr */
	PROCSCOPE_A_PT_BYTES,		/* u64, bytes of table pages below the
					 * PGD
					 */
	PROCSCOPE_A_PFN_VISIBLE,	/* u8, 1 when PFNs and physical
					 * addresses are real (CAP_SYS_ADMIN),
					 * 0 when they are sent as 0
					 */
	PROCSCOPE_A_VMA,		/* nest: enum procscope_vma_attr */
	PROCSCOPE_A_ADDR_START,		/* u64, request: first address */
	PROCSCOPE_A_ADDR_END,		/* u64, request: end (exclusive) */
	PROCSCOPE_A_PTE,		/* nest: enum procscope_pte_attr, one
					 * leaf entry of a PTE_DUMP
					 */
	PROCSCOPE_A_VA,			/* u64, the virtual address TRANSLATE
					 * walks (request and reply)
					 */
	PROCSCOPE_A_STEP,		/* nest: enum procscope_step_attr */
	PROCSCOPE_A_PA,			/* u64, the physical address VA maps
					 * to; 0 unless A_PFN_VISIBLE and
					 * A_STOP is PROCSCOPE_STOP_MAPPED
					 */
	PROCSCOPE_A_STOP,		/* u32, enum procscope_stop */
	PROCSCOPE_A_WATCH_FLAGS,	/* u32, bits of enum procscope_watch_flag */
	PROCSCOPE_A_WATCH,		/* nest: enum procscope_watch_attr */
	PROCSCOPE_A_FAULT,		/* nest: enum procscope_fault_attr */
	PROCSCOPE_A_SOCK,		/* nest: enum procscope_sock_attr */
	PROCSCOPE_A_SOCK_EVENT,		/* nest: enum procscope_sock_event_attr */
	PROCSCOPE_A_PTE_RUN,		/* nest: enum procscope_pte_run_attr, a
					 * run of up to
					 * PROCSCOPE_PTE_RUN_MAX_ENTRIES present
					 * 4 KiB leaves at consecutive
					 * addresses (PTE_DUMP), in address
					 * order with the A_PTEs around it
					 */
	PROCSCOPE_A_PROBES_MISSED,	/* u64, probe hits skipped (nmissed), summed */
	PROCSCOPE_A_LISTENERS,		/* u32, listeners socket watches hold */
	PROCSCOPE_A_LISTENERS_MAX,	/* u32, their global cap (listeners_max) */
	PROCSCOPE_A_LISTENERS_REFUSED,	/* u64, listeners left unwatched: cap */
	__PROCSCOPE_A_LAST
};

#define PROCSCOPE_A_MAX (__PROCSCOPE_A_LAST - 1)

/* Hooks the module attached, reported by GET_STATUS as a bitmask. */
enum procscope_hook {
	PROCSCOPE_HOOK_FAULT_USER,	/* tracepoint exceptions:page_fault_user */
	PROCSCOPE_HOOK_FAULT_KERNEL,	/* tracepoint exceptions:page_fault_kernel */
	PROCSCOPE_HOOK_HANDLE_MM_FAULT,	/* ftrace_ops on handle_mm_fault */
	PROCSCOPE_HOOK_FAULT_DETAIL,	/* kprobes classifying the fault path */
	PROCSCOPE_HOOK_BAD_AREA,	/* kprobes on the SIGSEGV paths */
	PROCSCOPE_HOOK_TCP_SYN,		/* kprobes on the SYN path */
	PROCSCOPE_HOOK_TCP_ACCEPT,	/* kprobes on the accept-queue path */
	PROCSCOPE_HOOK_SOCK_STATE,	/* tracepoint sock:inet_sock_set_state */
	PROCSCOPE_HOOK_SYNACK_RETRANS,	/* tracepoint tcp:tcp_retransmit_synack */
	__PROCSCOPE_HOOK_LAST
};

/* Page-table levels, used as attribute types in A_TABLES and A_STEP. */
enum procscope_level {
	PROCSCOPE_LEVEL_UNSPEC,
	PROCSCOPE_LEVEL_PGD,
	PROCSCOPE_LEVEL_P4D,
	PROCSCOPE_LEVEL_PUD,
	PROCSCOPE_LEVEL_PMD,
	PROCSCOPE_LEVEL_PTE,
	__PROCSCOPE_LEVEL_LAST
};

#define PROCSCOPE_LEVEL_MAX (__PROCSCOPE_LEVEL_LAST - 1)

/* Leaf counters: attribute types inside A_LEAVES (u64 each). */
enum procscope_leaf {
	PROCSCOPE_LEAF_UNSPEC,
	PROCSCOPE_LEAF_PAD,
	PROCSCOPE_LEAF_PTE,		/* present 4 KiB leaves */
	PROCSCOPE_LEAF_PMD,		/* present 2 MiB leaves */
	PROCSCOPE_LEAF_PUD,		/* present 1 GiB leaves */
	PROCSCOPE_LEAF_SWAP,		/* swap entries (in 4 KiB pages) */
	PROCSCOPE_LEAF_NONPRESENT,	/* migration/hwpoison/other non-present */
	PROCSCOPE_LEAF_WRITABLE,	/* present leaves with _PAGE_RW (4 KiB units) */
	PROCSCOPE_LEAF_DIRTY,		/* ... with the dirty bit */
	PROCSCOPE_LEAF_ACCESSED,	/* ... with the accessed bit */
	PROCSCOPE_LEAF_NX,		/* ... not executable */
	PROCSCOPE_LEAF_SHARED,		/* ... mapped more than once */
	PROCSCOPE_LEAF_ZERO,		/* ... mapping the shared zero page */
	PROCSCOPE_LEAF_ANON_HUGE,	/* bytes of anonymous PMD leaves */
	PROCSCOPE_LEAF_USED_ENTRIES,	/* non-empty entries over all tables */
	/*
	 * 4 KiB pages of present leaves with no struct page behind them
	 * (pte_special other than the zero page, devmap, no memmap):
	 * /proc/PID/smaps leaves them out of Rss, as it does the zero page.
	 */
	PROCSCOPE_LEAF_SPECIAL,
	/*
	 * PTE tables deposited under anonymous huge PMD leaves
	 * (pgtable_trans_huge_deposit): allocated and counted in VmPTE, but
	 * not reachable from the tree until the huge page is split.
	 */
	PROCSCOPE_LEAF_PT_DEPOSITED,
	/* Non-empty entries per level (PGD/P4D/PUD/PMD/PTE tables). */
	PROCSCOPE_LEAF_USED_PGD,
	PROCSCOPE_LEAF_USED_P4D,	/* 0 with 4-level paging (folded) */
	PROCSCOPE_LEAF_USED_PUD,
	PROCSCOPE_LEAF_USED_PMD,
	PROCSCOPE_LEAF_USED_PTE,
	/* Huge leaves (not 4 KiB units) with the accessed bit: TLB reach. */
	PROCSCOPE_LEAF_ACCESSED_PMD,
	PROCSCOPE_LEAF_ACCESSED_PUD,
	__PROCSCOPE_LEAF_LAST
};

#define PROCSCOPE_LEAF_MAX (__PROCSCOPE_LEAF_LAST - 1)

/*
 * Memory-layout boundaries and counters of an mm: members of A_MM (u64
 * each), the struct mm_struct fields of the same names, all always sent.
 */
enum procscope_mm_attr {
	PROCSCOPE_MM_UNSPEC,
	PROCSCOPE_MM_PAD,
	PROCSCOPE_MM_START_CODE,	/* addresses: text ... */
	PROCSCOPE_MM_END_CODE,
	PROCSCOPE_MM_START_DATA,	/* ... data ... */
	PROCSCOPE_MM_END_DATA,
	PROCSCOPE_MM_START_BRK,		/* ... heap (brk) ... */
	PROCSCOPE_MM_BRK,
	PROCSCOPE_MM_START_STACK,	/* ... stack ... */
	PROCSCOPE_MM_MMAP_BASE,		/* ... where mmap() searches from */
	PROCSCOPE_MM_TASK_SIZE,		/* end of the user address space */
	PROCSCOPE_MM_MAP_COUNT,		/* number of VMAs */
	PROCSCOPE_MM_RSS_ANON,		/* pages, the mm's own RSS counters */
	PROCSCOPE_MM_RSS_FILE,		/* pages */
	PROCSCOPE_MM_RSS_SHMEM,		/* pages */
	PROCSCOPE_MM_SWAP_ENTS,		/* swap entries */
	PROCSCOPE_MM_PGTABLES_BYTES,	/* mm_pgtables_bytes(): VmPTE's source */
	__PROCSCOPE_MM_LAST
};

#define PROCSCOPE_MM_MAX (__PROCSCOPE_MM_LAST - 1)

/* One VMA: members of A_VMA. */
enum procscope_vma_attr {
	PROCSCOPE_VMA_UNSPEC,
	PROCSCOPE_VMA_PAD,
	PROCSCOPE_VMA_START,		/* u64 */
	PROCSCOPE_VMA_END,		/* u64 */
	PROCSCOPE_VMA_FLAGS,		/* u64, vm_flags (VM_READ = 1 ...) */
	PROCSCOPE_VMA_PGOFF,		/* u64, file offset in bytes */
	PROCSCOPE_VMA_PATH,		/* string, d_path of the file */
	PROCSCOPE_VMA_NAME,		/* string: [heap] [stack] [vdso] [vvar] ... */
	PROCSCOPE_VMA_INODE,		/* u64 */
	PROCSCOPE_VMA_DEV,		/* u32, new_encode_dev() */
	PROCSCOPE_VMA_LEAVES,		/* nest: enum procscope_leaf */
	PROCSCOPE_VMA_ANON,		/* u8, has anon_vma (private COW pages) */
	PROCSCOPE_VMA_SHMEM,		/* u8, shmem/tmpfs/SysV backing */
	__PROCSCOPE_VMA_LAST
};

#define PROCSCOPE_VMA_MAX (__PROCSCOPE_VMA_LAST - 1)

/*
 * Decoded leaf-entry flags (u64 bitmask), x86 bits named portably. Keep
 * every flag below bit 32: A_PTE_RUN carries them as u32.
 */
enum procscope_pte_flag {
	PROCSCOPE_PTE_F_PRESENT		= 1ULL << 0,
	PROCSCOPE_PTE_F_WRITE		= 1ULL << 1,
	PROCSCOPE_PTE_F_USER		= 1ULL << 2,
	PROCSCOPE_PTE_F_ACCESSED	= 1ULL << 3,
	PROCSCOPE_PTE_F_DIRTY		= 1ULL << 4,
	PROCSCOPE_PTE_F_HUGE		= 1ULL << 5,	/* PSE leaf */
	PROCSCOPE_PTE_F_GLOBAL		= 1ULL << 6,
	PROCSCOPE_PTE_F_NX		= 1ULL << 7,
	PROCSCOPE_PTE_F_SOFT_DIRTY	= 1ULL << 8,
	PROCSCOPE_PTE_F_SPECIAL		= 1ULL << 9,
	PROCSCOPE_PTE_F_PROTNONE	= 1ULL << 10,	/* NUMA hinting */
	PROCSCOPE_PTE_F_SWAP		= 1ULL << 11,
	PROCSCOPE_PTE_F_MIGRATION	= 1ULL << 12,
	PROCSCOPE_PTE_F_ZERO_PAGE	= 1ULL << 13,
	PROCSCOPE_PTE_F_SHARED		= 1ULL << 14,	/* mapcount > 1 */
	PROCSCOPE_PTE_F_ANON		= 1ULL << 15,
	PROCSCOPE_PTE_F_UFFD_WP		= 1ULL << 16,
	PROCSCOPE_PTE_F_DEVMAP		= 1ULL << 17,
	PROCSCOPE_PTE_F_PWT		= 1ULL << 18,
	PROCSCOPE_PTE_F_PCD		= 1ULL << 19,
};

/* One leaf entry: members of A_PTE. */
enum procscope_pte_attr {
	PROCSCOPE_PTE_UNSPEC,
	PROCSCOPE_PTE_PAD,
	PROCSCOPE_PTE_VA,		/* u64, first address the leaf maps */
	PROCSCOPE_PTE_LEVEL,		/* u32, enum procscope_level of the leaf */
	PROCSCOPE_PTE_RAW,		/* u64, raw entry (PFN bits masked if hidden) */
	PROCSCOPE_PTE_PFN,		/* u64, 0 if not visible */
	PROCSCOPE_PTE_FLAGS,		/* u64, enum procscope_pte_flag bits */
	PROCSCOPE_PTE_SWP_TYPE,		/* u32, swap device index */
	PROCSCOPE_PTE_SWP_OFFSET,	/* u64, slot in the swap device */
	PROCSCOPE_PTE_MAPCOUNT,		/* u32 */
	__PROCSCOPE_PTE_LAST
};

#define PROCSCOPE_PTE_MAX (__PROCSCOPE_PTE_LAST - 1)

/*
 * A run of present 4 KiB leaves at consecutive addresses: members of
 * A_PTE_RUN. The arrays are native-endian and of one scalar type each (no
 * structs); n = len(RUN_RAW) / 8, and entry i maps RUN_VA + i * 4096. Its
 * flags are RUN_FLAGS[i], or RUN_FLAGS_ALL when all n are the same; its
 * mapcount RUN_MAPCOUNT[i] or RUN_MAPCOUNT_ALL likewise (exactly one of
 * each pair is present). Its PFN is (raw & RUN_PFN_MASK) >> ctz(RUN_PFN_MASK),
 * the kernel's own pte_pfn() for a present entry; RUN_PFN_MASK is only
 * sent when PFNs are visible, otherwise the raw entries are masked.
 */
#define PROCSCOPE_PTE_RUN_MAX_ENTRIES	512
enum procscope_pte_run_attr {
	PROCSCOPE_RUN_UNSPEC,
	PROCSCOPE_RUN_PAD,
	PROCSCOPE_RUN_VA,		/* u64, address of entry 0 */
	PROCSCOPE_RUN_RAW,		/* binary: u64[n] raw entries (masked if hidden) */
	PROCSCOPE_RUN_FLAGS,		/* binary: u32[n] enum procscope_pte_flag */
	PROCSCOPE_RUN_MAPCOUNT,		/* binary: u32[n] */
	PROCSCOPE_RUN_PFN_MASK,		/* u64, frame bits of a raw entry */
	PROCSCOPE_RUN_FLAGS_ALL,	/* u32, the flags of every entry */
	PROCSCOPE_RUN_MAPCOUNT_ALL,	/* u32, the mapcount of every entry */
	__PROCSCOPE_RUN_LAST
};

#define PROCSCOPE_RUN_MAX (__PROCSCOPE_RUN_LAST - 1)

/* One level of a TRANSLATE walk: members of A_STEP. */
enum procscope_step_attr {
	PROCSCOPE_STEP_UNSPEC,
	PROCSCOPE_STEP_PAD,
	PROCSCOPE_STEP_LEVEL,		/* u32, enum procscope_level */
	PROCSCOPE_STEP_INDEX,		/* u32, index into this level's table */
	PROCSCOPE_STEP_TABLE_PA,	/* u64, physical address of the table */
	PROCSCOPE_STEP_ENTRY,		/* u64, raw entry (PFN masked if hidden) */
	PROCSCOPE_STEP_FLAGS,		/* u64, enum procscope_pte_flag bits */
	PROCSCOPE_STEP_PRESENT,		/* u8 */
	PROCSCOPE_STEP_LEAF,		/* u8, this entry maps memory */
	__PROCSCOPE_STEP_LAST
};

#define PROCSCOPE_STEP_MAX (__PROCSCOPE_STEP_LAST - 1)

/* Where and why a TRANSLATE walk stopped. */
enum procscope_stop {
	PROCSCOPE_STOP_MAPPED,		/* reached a present leaf: A_PA valid */
	PROCSCOPE_STOP_NO_VMA,		/* no VMA covers the address */
	PROCSCOPE_STOP_NONE,		/* empty entry: never touched */
	PROCSCOPE_STOP_SWAP,		/* swap entry */
	PROCSCOPE_STOP_MIGRATION,	/* migration entry */
	PROCSCOPE_STOP_NONPRESENT,	/* other non-present entry (PROT_NONE...) */
	PROCSCOPE_STOP_BAD,		/* corrupt entry: pXd_bad() */
	__PROCSCOPE_STOP_LAST
};

enum procscope_watch_flag {
	PROCSCOPE_WATCH_F_FAULTS	= 1U << 0,	/* page-fault events */
	PROCSCOPE_WATCH_F_SOCKETS	= 1U << 1,	/* accept-queue events */
	PROCSCOPE_WATCH_F_CHILDREN	= 1U << 2,	/* follow forked children */
	PROCSCOPE_WATCH_F_NO_EVENTS	= 1U << 3,	/* counters only, no stream */
};

/* One watch: members of A_WATCH. */
enum procscope_watch_attr {
	PROCSCOPE_WATCH_UNSPEC,
	PROCSCOPE_WATCH_PAD,
	PROCSCOPE_WATCH_PID,		/* u32 (tgid, in the caller's namespace) */
	PROCSCOPE_WATCH_FLAGS,		/* u32, enum procscope_watch_flag bits */
	PROCSCOPE_WATCH_SEEN,		/* u64 events seen */
	PROCSCOPE_WATCH_DELIVERED,	/* u64 events multicast */
	PROCSCOPE_WATCH_DROPPED,	/* u64 events lost (buffer full) */
	PROCSCOPE_WATCH_BY_CLASS,	/* nest: enum procscope_fault_class+1 -> u64 */
	PROCSCOPE_WATCH_LATENCY,	/* nest of A_WATCH_HIST, one per class */
	PROCSCOPE_WATCH_HIST,		/* nest: enum procscope_hist_attr */
	PROCSCOPE_WATCH_MAJOR,		/* u64 faults counted as major */
	PROCSCOPE_WATCH_MINOR,		/* u64 faults counted as minor */
	/*
	 * Reserved: was a nest of enum procscope_drop+1 -> u64, the drops of
	 * the watch's listeners. No longer sent (no tool read it); the same
	 * counts are per listener in A_SOCK's PROCSCOPE_SOCK_DROPS.
	 */
	PROCSCOPE_WATCH_SOCK_DROPS,
	PROCSCOPE_WATCH_SINCE_NS,	/* u64 ktime_get_ns() at WATCH_ADD */
	PROCSCOPE_WATCH_EXITED,		/* u8, 1: the process exited; the watch
					 * lingers (module parameter
					 * watch_linger_s) so its counters can
					 * still be read, until WATCH_DEL;
					 * 0: the process is alive. Always sent
					 */
	PROCSCOPE_WATCH_LISTENERS,	/* u32, TCP listeners it watches now */
	PROCSCOPE_WATCH_LISTENERS_REFUSED, /* u64, listeners of its process
					    * left unwatched because the
					    * per-watch (listeners_per_watch)
					    * or global (listeners_max) cap
					    * was reached
					    */
	__PROCSCOPE_WATCH_LAST
};

#define PROCSCOPE_WATCH_MAX (__PROCSCOPE_WATCH_LAST - 1)

/*
 * A latency histogram: log2 buckets of nanoseconds; bucket i counts
 * latencies in [2^i, 2^(i+1)) ns (bucket 0 also takes 0).
 */
#define PROCSCOPE_HIST_BUCKETS		40
enum procscope_hist_attr {
	PROCSCOPE_HIST_UNSPEC,
	PROCSCOPE_HIST_PAD,
	PROCSCOPE_HIST_CLASS,		/* u32, enum procscope_fault_class */
	PROCSCOPE_HIST_MAX_NS,		/* u64 */
	PROCSCOPE_HIST_SUM_NS,		/* u64 */
	PROCSCOPE_HIST_BUCKETS_NEST,	/* nest: bucket index+1 -> u64 count */
	__PROCSCOPE_HIST_LAST
};

#define PROCSCOPE_HIST_MAX (__PROCSCOPE_HIST_LAST - 1)

/* Fault classes, as ../shared/topics.md names them. */
enum procscope_fault_class {
	PROCSCOPE_FAULT_ANON,
	PROCSCOPE_FAULT_STACK,
	PROCSCOPE_FAULT_COW,
	PROCSCOPE_FAULT_SWAP,
	PROCSCOPE_FAULT_FILE,
	PROCSCOPE_FAULT_FILE_MAJOR,
	PROCSCOPE_FAULT_SHARED_WRITE,
	PROCSCOPE_FAULT_PERM,
	PROCSCOPE_FAULT_BADADDR,
	PROCSCOPE_FAULT_OTHER,
	__PROCSCOPE_FAULT_CLASS_LAST
};

#define PROCSCOPE_FAULT_CLASS_COUNT __PROCSCOPE_FAULT_CLASS_LAST

enum procscope_fault_outcome {
	PROCSCOPE_OUTCOME_HANDLED,
	PROCSCOPE_OUTCOME_SIGSEGV,
	PROCSCOPE_OUTCOME_SIGBUS,
	PROCSCOPE_OUTCOME_RETRY,	/* VM_FAULT_RETRY: not counted, retried */
	PROCSCOPE_OUTCOME_OOM,
	PROCSCOPE_OUTCOME_KERNEL_FIXUP,	/* kernel-mode fault fixed by exception table */
	__PROCSCOPE_OUTCOME_LAST
};

/* State of the leaf entry just before the fault was handled. */
enum procscope_pte_state {
	PROCSCOPE_PTE_STATE_NONE,	/* no table or empty entry */
	PROCSCOPE_PTE_STATE_SWAP,
	PROCSCOPE_PTE_STATE_MIGRATION,
	PROCSCOPE_PTE_STATE_RO,		/* present, read-only */
	PROCSCOPE_PTE_STATE_RW,		/* present, writable (spurious/perm) */
	PROCSCOPE_PTE_STATE_PROTNONE,	/* NUMA hinting */
	PROCSCOPE_PTE_STATE_OTHER,
	PROCSCOPE_PTE_STATE_UNKNOWN,	/* could not be read safely */
	__PROCSCOPE_PTE_STATE_LAST
};

/* Bits of PROCSCOPE_FAULT_ACCESS, decoded from the x86 error code. */
enum procscope_access {
	PROCSCOPE_ACCESS_WRITE		= 1U << 0,
	PROCSCOPE_ACCESS_EXEC		= 1U << 1,
	PROCSCOPE_ACCESS_USER		= 1U << 2,	/* fault in user mode */
	PROCSCOPE_ACCESS_PROT		= 1U << 3,	/* page was present */
	PROCSCOPE_ACCESS_PKEY		= 1U << 4,
	PROCSCOPE_ACCESS_GUP		= 1U << 5,	/* get_user_pages, no trap */
};

/* One page fault: members of A_FAULT. */
enum procscope_fault_attr {
	PROCSCOPE_FAULT_A_UNSPEC,
	PROCSCOPE_FAULT_A_PAD,
	PROCSCOPE_FAULT_A_TS_NS,	/* u64, ktime_get_ns() at entry */
	PROCSCOPE_FAULT_A_PID,		/* u32 tgid */
	PROCSCOPE_FAULT_A_TID,		/* u32 */
	PROCSCOPE_FAULT_A_COMM,		/* string */
	PROCSCOPE_FAULT_A_ADDR,		/* u64 */
	PROCSCOPE_FAULT_A_IP,		/* u64, user-mode IP; 0 when the fault
					 * was taken in kernel mode (uaccess,
					 * GUP): kernel text addresses are not
					 * sent, whatever kptr_restrict says,
					 * so the stream never helps defeat
					 * KASLR; A_ACCESS's USER bit tells the
					 * two apart
					 */
	PROCSCOPE_FAULT_A_ERROR_CODE,	/* u32, raw x86 error code */
	PROCSCOPE_FAULT_A_ACCESS,	/* u32, enum procscope_access bits */
	PROCSCOPE_FAULT_A_CLASS,	/* u32, enum procscope_fault_class */
	PROCSCOPE_FAULT_A_MAJOR,	/* u8, counted in majflt */
	PROCSCOPE_FAULT_A_LATENCY_NS,	/* u64 */
	PROCSCOPE_FAULT_A_OUTCOME,	/* u32, enum procscope_fault_outcome */
	PROCSCOPE_FAULT_A_STATE_BEFORE,	/* u32, enum procscope_pte_state */
	PROCSCOPE_FAULT_A_RAW_BEFORE,	/* u64 */
	PROCSCOPE_FAULT_A_RAW_AFTER,	/* u64; 0 (unknown) for a fault in
					 * another process's mm (remote GUP)
					 */
	PROCSCOPE_FAULT_A_PFN_AFTER,	/* u64, 0 unless visible */
	PROCSCOPE_FAULT_A_FLAGS_AFTER,	/* u64, enum procscope_pte_flag */
	PROCSCOPE_FAULT_A_VM_FAULT,	/* u32, raw vm_fault_t result */
	PROCSCOPE_FAULT_A_COUNTED,	/* u8, counted in minflt/majflt */
	__PROCSCOPE_FAULT_A_LAST
};

#define PROCSCOPE_FAULT_A_MAX (__PROCSCOPE_FAULT_A_LAST - 1)

/* Per-listener drop causes: PROCSCOPE_SOCK_DROPS types (+1). */
enum procscope_drop {
	PROCSCOPE_DROP_SYN_ACCEPTQ_FULL,	/* SYN dropped: accept queue full */
	PROCSCOPE_DROP_ACK_OVERFLOW,		/* 3rd ACK dropped on overflow */
	PROCSCOPE_DROP_SYNQ_FULL,		/* SYN dropped: SYN queue full */
	PROCSCOPE_DROP_SYN_COOKIE,		/* SYN queue full, cookie sent */
	__PROCSCOPE_DROP_LAST
};

/* One socket: members of A_SOCK. Addresses are raw network-order bytes. */
enum procscope_sock_attr {
	PROCSCOPE_SOCK_UNSPEC,
	PROCSCOPE_SOCK_PAD,
	PROCSCOPE_SOCK_FD,		/* u32 */
	PROCSCOPE_SOCK_FAMILY,		/* u16, AF_INET / AF_INET6 / ... */
	PROCSCOPE_SOCK_TYPE,		/* u16, SOCK_STREAM / SOCK_DGRAM */
	PROCSCOPE_SOCK_PROTO,		/* u16, IPPROTO_* */
	PROCSCOPE_SOCK_STATE,		/* u8, TCP_* state numbers */
	PROCSCOPE_SOCK_LOCAL_ADDR,	/* binary, 4 or 16 bytes */
	PROCSCOPE_SOCK_LOCAL_PORT,	/* u16, host order */
	PROCSCOPE_SOCK_REMOTE_ADDR,	/* binary, 4 or 16 bytes */
	PROCSCOPE_SOCK_REMOTE_PORT,	/* u16, host order */
	PROCSCOPE_SOCK_INODE,		/* u64 */
	PROCSCOPE_SOCK_COOKIE,		/* u64, sock_gen_cookie() */
	PROCSCOPE_SOCK_BACKLOG,		/* u32, sk_max_ack_backlog (effective) */
	PROCSCOPE_SOCK_BACKLOG_REQUESTED, /* u32, listen() argument if seen */
	PROCSCOPE_SOCK_SOMAXCONN,	/* u32, net.core.somaxconn */
	PROCSCOPE_SOCK_ACCEPT_QUEUE,	/* u32 */
	PROCSCOPE_SOCK_SYN_QUEUE,	/* u32 */
	PROCSCOPE_SOCK_SYN_QUEUE_YOUNG,	/* u32 */
	PROCSCOPE_SOCK_LISTEN_DROPS,	/* u32, sk_drops */
	PROCSCOPE_SOCK_SYNCOOKIES,	/* u8, cookies sent recently */
	PROCSCOPE_SOCK_REUSEPORT_ID,	/* u32 */
	PROCSCOPE_SOCK_REUSEPORT_NUM,	/* u32 members */
	PROCSCOPE_SOCK_REUSEPORT_INDEX,	/* u32 this socket's index */
	PROCSCOPE_SOCK_REUSEPORT_PIDS,	/* nest: index+1 -> u32 pid (0: none) */
	PROCSCOPE_SOCK_RCVBUF,		/* u32, sk_rcvbuf */
	PROCSCOPE_SOCK_SNDBUF,		/* u32, sk_sndbuf */
	PROCSCOPE_SOCK_RMEM,		/* u32, sk_rmem_alloc */
	PROCSCOPE_SOCK_WMEM,		/* u32, sk_wmem_alloc - 1 */
	PROCSCOPE_SOCK_UNREAD,		/* u32, bytes not read (rcv_nxt - copied_seq) */
	PROCSCOPE_SOCK_UNACKED,		/* u32, bytes not acknowledged */
	PROCSCOPE_SOCK_UDP_DROPS,	/* u32, sk_drops of a UDP socket */
	PROCSCOPE_SOCK_DROPS,		/* nest: enum procscope_drop+1 -> u64 */
	PROCSCOPE_SOCK_WATCHED,		/* u8 */
	__PROCSCOPE_SOCK_LAST
};

#define PROCSCOPE_SOCK_MAX (__PROCSCOPE_SOCK_LAST - 1)

enum procscope_sock_event_type {
	PROCSCOPE_SEV_SYN,		/* SYN in: request sock into SYN queue */
	PROCSCOPE_SEV_SYNACK_RETRANS,	/* SYN-ACK retransmitted */
	PROCSCOPE_SEV_HANDSHAKE,	/* child into the accept queue */
	PROCSCOPE_SEV_ACCEPT,		/* accept() took the child */
	PROCSCOPE_SEV_OVERFLOW,		/* accept queue full: dropped */
	PROCSCOPE_SEV_SYNQ_FULL,	/* SYN queue full: dropped */
	PROCSCOPE_SEV_COOKIE,		/* SYN queue full: cookie sent */
	__PROCSCOPE_SEV_LAST
};

/* One accept-path event: members of A_SOCK_EVENT. */
enum procscope_sock_event_attr {
	PROCSCOPE_SEV_A_UNSPEC,
	PROCSCOPE_SEV_A_PAD,
	PROCSCOPE_SEV_A_TYPE,		/* u32, enum procscope_sock_event_type */
	PROCSCOPE_SEV_A_TS_NS,		/* u64 */
	PROCSCOPE_SEV_A_PID,		/* u32, owner of the listener */
	PROCSCOPE_SEV_A_FAMILY,		/* u16 */
	PROCSCOPE_SEV_A_LOCAL_ADDR,	/* binary */
	PROCSCOPE_SEV_A_LOCAL_PORT,	/* u16 */
	PROCSCOPE_SEV_A_REMOTE_ADDR,	/* binary */
	PROCSCOPE_SEV_A_REMOTE_PORT,	/* u16 */
	PROCSCOPE_SEV_A_LISTENER,	/* u64, listener's socket inode */
	PROCSCOPE_SEV_A_WAIT_NS,	/* u64, HANDSHAKE/SYNACK_RETRANS: since
					 * the first SYN-ACK; ACCEPT: in the
					 * accept queue; absent if unknown
					 */
	PROCSCOPE_SEV_A_QUEUE_LEN,	/* u32, accept-queue length after */
	PROCSCOPE_SEV_A_BACKLOG,	/* u32 */
	PROCSCOPE_SEV_A_SHARD,		/* u32, reuseport index of listener */
	PROCSCOPE_SEV_A_SHARDS,		/* u32, reuseport group size */
	PROCSCOPE_SEV_A_TID,		/* u32, accepting thread (ACCEPT) */
	__PROCSCOPE_SEV_A_LAST
};

#define PROCSCOPE_SEV_A_MAX (__PROCSCOPE_SEV_A_LAST - 1)

#endif /* _UAPI_LINUX_PROCSCOPE_H */
