// SPDX-License-Identifier: GPL-2.0
/* procscope translate: one virtual address, walked level by level. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/procscope.h>

#include "cmd/cli.h"
#include "cmd/subcommands.h"
#include "cmd/translate.h"
#include "model/pt_summary.h"
#include "nl/attrs.h"
#include "nl/nl.h"
#include "render/pt_fmt.h"

int xlate_parse(const struct nlmsghdr *nlh, struct xlate_result *x)
{
	const struct nlattr *tb[PROCSCOPE_A_MAX + 1];
	const struct nlattr *a;

	memset(x, 0, sizeof(*x));
	if (attrs_parse_msg(nlh, &attrs_top, tb))
		return -EINVAL;
	if (!tb[PROCSCOPE_A_PID] || !tb[PROCSCOPE_A_VA] || !tb[PROCSCOPE_A_STOP])
		return -EINVAL;
	x->pid = (pid_t)attr_u32(tb[PROCSCOPE_A_PID], 0);
	x->va = attr_u64(tb[PROCSCOPE_A_VA], 0);
	x->pa = attr_u64(tb[PROCSCOPE_A_PA], 0);
	x->levels = attr_u32(tb[PROCSCOPE_A_PAGING_LEVELS], 4);
	x->stop = attr_u32(tb[PROCSCOPE_A_STOP], 0);
	x->pfn_visible = attr_u8(tb[PROCSCOPE_A_PFN_VISIBLE], 0);
	/* A_STEP repeats: walk every attribute, validated by attrs_parse_*. */
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		const struct nlattr *sb[PROCSCOPE_STEP_MAX + 1];
		struct xlate_step *s;

		if (mnl_attr_get_type(a) != PROCSCOPE_A_STEP)
			continue;
		if (x->nsteps == 5 || attrs_parse_nest(a, &attrs_step, sb) ||
		    !sb[PROCSCOPE_STEP_LEVEL])
			return -EINVAL;
		s = &x->step[x->nsteps++];
		s->level = attr_u32(sb[PROCSCOPE_STEP_LEVEL], 0);
		s->index = attr_u32(sb[PROCSCOPE_STEP_INDEX], 0);
		s->table_pa = attr_u64(sb[PROCSCOPE_STEP_TABLE_PA], 0);
		s->entry = attr_u64(sb[PROCSCOPE_STEP_ENTRY], 0);
		s->flags = attr_u64(sb[PROCSCOPE_STEP_FLAGS], 0);
		s->present = attr_u8(sb[PROCSCOPE_STEP_PRESENT], 0);
		s->leaf = attr_u8(sb[PROCSCOPE_STEP_LEAF], 0);
	}
	return 0;
}

void xlate_render_text(const struct xlate_result *x, FILE *f)
{
	unsigned int pgd_shift = x->levels == 5 ? 48 : 39;
	bool color = cli_use_color(f);
	char fl[256];
	int i;

	fprintf(f, "pid %d, virtual address 0x%" PRIx64 " (%u-level paging)\n",
		(int)x->pid, x->va, x->levels);
	fprintf(f, "  index bits: pgd %" PRIu64, (x->va >> pgd_shift) & 511);
	if (x->levels == 5)
		fprintf(f, " | p4d %" PRIu64, (x->va >> 39) & 511);
	fprintf(f, " | pud %" PRIu64 " | pmd %" PRIu64 " | pte %" PRIu64
		" | offset 0x%03" PRIx64 "\n\n",
		(x->va >> 30) & 511, (x->va >> 21) & 511, (x->va >> 12) & 511,
		x->va & 4095);
	fprintf(f, "%sLEVEL  INDEX  TABLE (PHYS)        ENTRY               FLAGS%s\n",
		color ? "\033[1m" : "", color ? "\033[0m" : "");
	for (i = 0; i < x->nsteps; i++) {
		const struct xlate_step *s = &x->step[i];

		fprintf(f, "%-5s  %5u  0x%016" PRIx64 "  0x%016" PRIx64 "  %s%s\n",
			pt_level_name(s->level), s->index, s->table_pa, s->entry,
			s->entry ? pt_flags_str(s->flags, fl, sizeof(fl)) : "(empty)",
			s->leaf && s->present ? "  <- leaf" : "");
	}
	if (x->stop == PROCSCOPE_STOP_MAPPED) {
		if (x->pfn_visible)
			fprintf(f, "\n=> physical address 0x%" PRIx64
				" (frame 0x%" PRIx64 " + offset 0x%" PRIx64 ")\n",
				x->pa, x->pa >> 12, x->pa & 4095);
		else
			fprintf(f, "\n=> mapped; physical addresses are shown to root (CAP_SYS_ADMIN) only\n");
	} else {
		fprintf(f, "\n=> walk stops at the %s level: %s\n",
			x->nsteps ? pt_level_name(x->step[x->nsteps - 1].level) : "pgd",
			pt_stop_why(x->stop));
	}
}

void xlate_render_json(const struct xlate_result *x, struct json *j)
{
	int i;

	json_obj_begin(j, NULL);
	json_u64(j, "pid", (uint64_t)x->pid);
	json_hex(j, "va", x->va);
	json_u64(j, "levels", x->levels);
	json_arr_begin(j, "steps");
	for (i = 0; i < x->nsteps; i++) {
		const struct xlate_step *s = &x->step[i];

		json_obj_begin(j, NULL);
		json_str(j, "level", pt_level_name(s->level));
		json_u64(j, "index", s->index);
		json_hex(j, "table", s->table_pa);
		json_hex(j, "entry", s->entry);
		json_bool(j, "present", s->present);
		json_bool(j, "leaf", s->leaf);
		pt_flags_json(j, "flags", s->flags);
		json_obj_end(j);
	}
	json_arr_end(j);
	if (x->stop == PROCSCOPE_STOP_MAPPED && x->pfn_visible)
		json_hex(j, "pa", x->pa);
	else
		json_null(j, "pa");
	json_str(j, "stop", pt_stop_name(x->stop));
	json_bool(j, "pfn_visible", x->pfn_visible);
	json_obj_end(j);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope translate [--json] PID ADDR\n"
		"\n"
		"Translate one virtual address of process PID the way the MMU does: for\n"
		"each level (PGD, P4D with 5-level paging, PUD, PMD, PTE) show the index\n"
		"taken from the address, the table's physical address, the raw entry and\n"
		"its decoded flags, down to the physical address - or where the walk\n"
		"stops and why (empty entry, swapped out, no mapping ...).\n"
		"\n"
		"ADDR is hex (0x...) or decimal. Physical addresses and frames are shown\n"
		"to root (CAP_SYS_ADMIN) only, as in /proc/PID/pagemap.\n"
		"\n"
		"Examples:\n"
		"  procscope translate 1234 0x7ffd1c3a2000\n"
		"  procscope translate --json $$ 0x400000\n");
}

static int xlate_cb(const struct nlmsghdr *nlh, void *data)
{
	return xlate_parse(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

int translate_main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_LONGOPTS };
	char buf[MNL_SOCKET_BUFFER_SIZE], err[512];
	struct xlate_result x;
	struct nlmsghdr *nlh;
	struct ps_nl nl;
	struct json j;
	uint64_t va;
	pid_t pid;
	int ret;

	ret = cli_getopt(argc, argv, "jh", opts, NULL, NULL, usage);
	if (ret < 0)
		return cli_exit_status(ret);
	if (ret != argc - 2) {
		usage(stderr);
		return 2;
	}
	if (parse_pid(argv[ret], &pid))
		return cli_error("translate", "'%s' is not a process id", argv[ret]);
	if (parse_addr(argv[ret + 1], &va))
		return cli_error("translate", "'%s' is not an address (hex 0x... or decimal)",
				 argv[ret + 1]);
	if (pt_check_user_addr(va, 5))
		return cli_error("translate",
				 "0x%" PRIx64 " is not a user-space address: user addresses are in the lower half (below 0x%" PRIx64 " with 5-level paging, 0x%" PRIx64 " with 4)",
				 va, (uint64_t)1 << 56, (uint64_t)1 << 47);
	if (ps_nl_open_cmd(&nl, "translate"))
		return 1;
	nlh = ps_nl_request(&nl, buf, PROCSCOPE_CMD_TRANSLATE, 0);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, (uint32_t)pid);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_VA, va);
	ret = ps_nl_talk(&nl, nlh, xlate_cb, &x);
	if (ret) {
		cli_error("translate", "pid %d, 0x%" PRIx64 ": %s", (int)pid, va,
			  ps_nl_strerror(&nl, ret, err, sizeof(err)));
		ps_nl_close(&nl);
		return 1;
	}
	ps_nl_close(&nl);
	if (cli.json) {
		json_init(&j, stdout);
		xlate_render_json(&x, &j);
	} else {
		xlate_render_text(&x, stdout);
	}
	return 0;
}
