// SPDX-License-Identifier: GPL-2.0
/* One line per page fault: human columns or one JSON object. */
#include <inttypes.h>

#include "render/fault_render.h"

void fault_render_header(FILE *f)
{
	fprintf(f, "%10s %7s %-12s %-18s %-8s %5s %9s %-5s  %s\n", "TIME(s)",
		"TID", "CLASS", "ADDRESS", "VMA", "ACC", "LATENCY", "MAJ",
		"SITE");
}

static const char *access_str(uint32_t a, char buf[5])
{
	buf[0] = a & PROCSCOPE_ACCESS_WRITE ? 'w' : 'r';
	buf[1] = a & PROCSCOPE_ACCESS_EXEC ? 'x' : '-';
	buf[2] = a & PROCSCOPE_ACCESS_GUP ? 'g' :
		 a & PROCSCOPE_ACCESS_USER ? 'u' : 'k';
	buf[3] = a & PROCSCOPE_ACCESS_PROT ? 'p' : '-';
	buf[4] = '\0';
	return buf;
}

static const char *class_color(uint32_t cls)
{
	switch (cls) {
	case PROCSCOPE_FAULT_FILE_MAJOR:
	case PROCSCOPE_FAULT_SWAP:
		return "\033[33m";	/* yellow: I/O */
	case PROCSCOPE_FAULT_PERM:
	case PROCSCOPE_FAULT_BADADDR:
		return "\033[31m";	/* red: signal */
	default:
		return "";
	}
}

void fault_render_line(const struct fault_event *ev,
		       const struct fault_line_ctx *c, FILE *f)
{
	double t = ev->ts_ns >= c->t0_ns ? (double)(ev->ts_ns - c->t0_ns) / 1e9 : 0;
	char acc[5], lat[32];
	const char *col = c->color ? class_color(ev->cls) : "";

	if (ev->latency_ns < 1000)
		snprintf(lat, sizeof(lat), "%" PRIu64 "ns", ev->latency_ns);
	else if (ev->latency_ns < 1000000)
		snprintf(lat, sizeof(lat), "%.1fus", ev->latency_ns / 1e3);
	else
		snprintf(lat, sizeof(lat), "%.2fms", ev->latency_ns / 1e6);
	fprintf(f, "%10.6f %7u %s%-12s%s 0x%016" PRIx64 " %-8s %5s %9s %-5s  %s",
		t, ev->tid, col, fault_class_name(ev->cls), *col ? "\033[0m" : "",
		ev->addr, c->vma ? c->vma : "?", access_str(ev->access, acc), lat,
		!ev->counted ? "-" : ev->major ? "major" : "minor",
		c->site ? c->site : "?");
	if (ev->outcome != PROCSCOPE_OUTCOME_HANDLED)
		fprintf(f, " [%s]", fault_outcome_name(ev->outcome));
	fputc('\n', f);
}

void fault_render_json(const struct fault_event *ev,
		       const struct fault_line_ctx *c, struct json *j)
{
	json_obj_begin(j, NULL);
	json_u64(j, "ts_ns", ev->ts_ns);
	json_u64(j, "pid", ev->pid);
	json_u64(j, "tid", ev->tid);
	json_str(j, "comm", ev->comm);
	json_str(j, "class", fault_class_name(ev->cls));
	json_hex(j, "addr", ev->addr);
	json_hex(j, "ip", ev->ip);
	json_bool(j, "major", ev->major);
	json_bool(j, "counted", ev->counted);
	json_u64(j, "latency_ns", ev->latency_ns);
	json_str(j, "outcome", fault_outcome_name(ev->outcome));
	json_hex(j, "error_code", ev->error_code);
	json_bool(j, "write", ev->access & PROCSCOPE_ACCESS_WRITE);
	json_bool(j, "exec", ev->access & PROCSCOPE_ACCESS_EXEC);
	json_bool(j, "user", ev->access & PROCSCOPE_ACCESS_USER);
	json_bool(j, "gup", ev->access & PROCSCOPE_ACCESS_GUP);
	json_str(j, "state_before", pte_state_name(ev->state_before));
	json_hex(j, "pte_before", ev->raw_before);
	json_hex(j, "pte_after", ev->raw_after);
	json_hex(j, "pfn_after", ev->pfn_after);
	json_hex(j, "flags_after", ev->flags_after);
	json_hex(j, "vm_fault", ev->vm_fault);
	json_str(j, "vma", c->vma ? c->vma : "?");
	json_str(j, "site", c->site ? c->site : "?");
	json_obj_end(j);
}
