/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_FAULT_EVENT_H
#define PROCSCOPE_FAULT_EVENT_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/procscope.h>

/* One page fault as the module reports it (A_FAULT). */
struct fault_event {
	uint64_t ts_ns, addr, ip, latency_ns;
	uint64_t raw_before, raw_after, pfn_after, flags_after;
	uint32_t pid, tid, error_code, access, cls, outcome, state_before;
	uint32_t vm_fault;
	bool major, counted;
	char comm[16];
};

/*
 * Call @fn for every A_FAULT of a FAULT_EVENT message, in order. Returns
 * the number of events, or -EINVAL for a malformed one (the rest skipped).
 */
int fault_msg_for_each(const struct nlmsghdr *nlh,
		       int (*fn)(const struct fault_event *ev, void *data),
		       void *data);

const char *fault_class_name(unsigned int cls);
const char *fault_outcome_name(unsigned int outcome);
const char *pte_state_name(unsigned int state);

#endif
