// SPDX-License-Identifier: GPL-2.0
/* Parsing of fault events, and the names of their enums. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/fault_event.h"
#include "nl/attrs.h"

static const char *const class_names[PROCSCOPE_FAULT_CLASS_COUNT] = {
	[PROCSCOPE_FAULT_ANON] = "anon",
	[PROCSCOPE_FAULT_STACK] = "stack",
	[PROCSCOPE_FAULT_COW] = "cow",
	[PROCSCOPE_FAULT_SWAP] = "swap",
	[PROCSCOPE_FAULT_FILE] = "file",
	[PROCSCOPE_FAULT_FILE_MAJOR] = "file_major",
	[PROCSCOPE_FAULT_SHARED_WRITE] = "shared_write",
	[PROCSCOPE_FAULT_PERM] = "perm",
	[PROCSCOPE_FAULT_BADADDR] = "badaddr",
	[PROCSCOPE_FAULT_OTHER] = "other",
};

static const char *const outcome_names[__PROCSCOPE_OUTCOME_LAST] = {
	[PROCSCOPE_OUTCOME_HANDLED] = "handled",
	[PROCSCOPE_OUTCOME_SIGSEGV] = "SIGSEGV",
	[PROCSCOPE_OUTCOME_SIGBUS] = "SIGBUS",
	[PROCSCOPE_OUTCOME_RETRY] = "retried",
	[PROCSCOPE_OUTCOME_OOM] = "oom",
	[PROCSCOPE_OUTCOME_KERNEL_FIXUP] = "kernel_fixup",
};

static const char *const state_names[__PROCSCOPE_PTE_STATE_LAST] = {
	[PROCSCOPE_PTE_STATE_NONE] = "none",
	[PROCSCOPE_PTE_STATE_SWAP] = "swap",
	[PROCSCOPE_PTE_STATE_MIGRATION] = "migration",
	[PROCSCOPE_PTE_STATE_RO] = "ro",
	[PROCSCOPE_PTE_STATE_RW] = "rw",
	[PROCSCOPE_PTE_STATE_PROTNONE] = "protnone",
	[PROCSCOPE_PTE_STATE_OTHER] = "other",
	[PROCSCOPE_PTE_STATE_UNKNOWN] = "unknown",
};

const char *fault_class_name(unsigned int cls)
{
	return cls < PROCSCOPE_FAULT_CLASS_COUNT ? class_names[cls] : "unknown";
}

const char *fault_outcome_name(unsigned int outcome)
{
	return outcome < __PROCSCOPE_OUTCOME_LAST ? outcome_names[outcome] :
		"unknown";
}

const char *pte_state_name(unsigned int state)
{
	return state < __PROCSCOPE_PTE_STATE_LAST ? state_names[state] :
		"unknown";
}

/* One A_FAULT nest. -EINVAL if invalid or without class/address. */
static int fault_event_parse(const struct nlattr *nest, struct fault_event *ev)
{
	const struct nlattr *tb[PROCSCOPE_FAULT_A_MAX + 1];
	const char *comm;

	memset(ev, 0, sizeof(*ev));
	if (attrs_parse_nest(nest, &attrs_fault, tb))
		return -EINVAL;
	if (!tb[PROCSCOPE_FAULT_A_CLASS] || !tb[PROCSCOPE_FAULT_A_ADDR] ||
	    !tb[PROCSCOPE_FAULT_A_PID])
		return -EINVAL;
	ev->ts_ns = attr_u64(tb[PROCSCOPE_FAULT_A_TS_NS], 0);
	ev->pid = attr_u32(tb[PROCSCOPE_FAULT_A_PID], 0);
	ev->tid = attr_u32(tb[PROCSCOPE_FAULT_A_TID], ev->pid);
	comm = attr_str(tb[PROCSCOPE_FAULT_A_COMM], "");
	/* Per event at tens of thousands a second: no printf machinery. */
	memcpy(ev->comm, comm, strnlen(comm, sizeof(ev->comm) - 1));
	ev->addr = attr_u64(tb[PROCSCOPE_FAULT_A_ADDR], 0);
	ev->ip = attr_u64(tb[PROCSCOPE_FAULT_A_IP], 0);
	ev->error_code = attr_u32(tb[PROCSCOPE_FAULT_A_ERROR_CODE], 0);
	ev->access = attr_u32(tb[PROCSCOPE_FAULT_A_ACCESS], 0);
	ev->cls = attr_u32(tb[PROCSCOPE_FAULT_A_CLASS], PROCSCOPE_FAULT_OTHER);
	ev->major = attr_u8(tb[PROCSCOPE_FAULT_A_MAJOR], 0);
	ev->latency_ns = attr_u64(tb[PROCSCOPE_FAULT_A_LATENCY_NS], 0);
	ev->outcome = attr_u32(tb[PROCSCOPE_FAULT_A_OUTCOME], 0);
	ev->state_before = attr_u32(tb[PROCSCOPE_FAULT_A_STATE_BEFORE],
				    PROCSCOPE_PTE_STATE_UNKNOWN);
	ev->raw_before = attr_u64(tb[PROCSCOPE_FAULT_A_RAW_BEFORE], 0);
	ev->raw_after = attr_u64(tb[PROCSCOPE_FAULT_A_RAW_AFTER], 0);
	ev->pfn_after = attr_u64(tb[PROCSCOPE_FAULT_A_PFN_AFTER], 0);
	ev->flags_after = attr_u64(tb[PROCSCOPE_FAULT_A_FLAGS_AFTER], 0);
	ev->vm_fault = attr_u32(tb[PROCSCOPE_FAULT_A_VM_FAULT], 0);
	ev->counted = attr_u8(tb[PROCSCOPE_FAULT_A_COUNTED], 0);
	return 0;
}

int fault_msg_for_each(const struct nlmsghdr *nlh,
		       int (*fn)(const struct fault_event *ev, void *data),
		       void *data)
{
	const struct nlattr *a;
	struct fault_event ev;
	int n = 0, ret;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != PROCSCOPE_A_FAULT)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 ||
		    fault_event_parse(a, &ev))
			return -EINVAL;
		n++;
		if (fn) {
			ret = fn(&ev, data);
			if (ret < 0)
				return ret;
		}
	}
	return n;
}
