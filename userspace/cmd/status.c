// SPDX-License-Identifier: GPL-2.0
/* procscope status: is the module there, what it hooked, what it delivered. */
#include <errno.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/status.h"
#include "cmd/subcommands.h"
#include "nl/attrs.h"

static const char *const hook_names[__PROCSCOPE_HOOK_LAST] = {
	[PROCSCOPE_HOOK_FAULT_USER] = "page_fault_user",
	[PROCSCOPE_HOOK_FAULT_KERNEL] = "page_fault_kernel",
	[PROCSCOPE_HOOK_HANDLE_MM_FAULT] = "handle_mm_fault",
	[PROCSCOPE_HOOK_FAULT_DETAIL] = "fault_detail",
	[PROCSCOPE_HOOK_BAD_AREA] = "bad_area",
	[PROCSCOPE_HOOK_TCP_SYN] = "tcp_syn",
	[PROCSCOPE_HOOK_TCP_ACCEPT] = "tcp_accept",
	[PROCSCOPE_HOOK_SOCK_STATE] = "inet_sock_set_state",
	[PROCSCOPE_HOOK_SYNACK_RETRANS] = "tcp_retransmit_synack",
};

/* Name of a hook bit (enum procscope_hook), NULL if unknown. */
static const char *status_hook_name(unsigned int bit)
{
	return bit < __PROCSCOPE_HOOK_LAST ? hook_names[bit] : NULL;
}

int status_parse(const struct nlmsghdr *nlh, struct ps_status *st)
{
	const struct nlattr *tb[PROCSCOPE_A_MAX + 1];

	memset(st, 0, sizeof(*st));
	if (attrs_parse_msg(nlh, &attrs_top, tb))
		return -EINVAL;
	if (!tb[PROCSCOPE_A_MODULE_VERSION] || !tb[PROCSCOPE_A_ABI_VERSION])
		return -EINVAL;
	snprintf(st->module_version, sizeof(st->module_version), "%s",
		 attr_str(tb[PROCSCOPE_A_MODULE_VERSION], ""));
	st->abi_version = attr_u32(tb[PROCSCOPE_A_ABI_VERSION], 0);
	st->hooks = attr_u32(tb[PROCSCOPE_A_HOOKS], 0);
	st->seen = attr_u64(tb[PROCSCOPE_A_EVENTS_SEEN], 0);
	st->delivered = attr_u64(tb[PROCSCOPE_A_EVENTS_DELIVERED], 0);
	st->dropped = attr_u64(tb[PROCSCOPE_A_EVENTS_DROPPED], 0);
	st->watches = attr_u32(tb[PROCSCOPE_A_WATCHES], 0);
	st->watches_max = attr_u32(tb[PROCSCOPE_A_WATCHES_MAX], 0);
	st->paging_levels = attr_u32(tb[PROCSCOPE_A_PAGING_LEVELS], 0);
	st->probes_missed = attr_u64(tb[PROCSCOPE_A_PROBES_MISSED], 0);
	st->listeners = attr_u32(tb[PROCSCOPE_A_LISTENERS], 0);
	st->listeners_max = attr_u32(tb[PROCSCOPE_A_LISTENERS_MAX], 0);
	st->listeners_refused = attr_u64(tb[PROCSCOPE_A_LISTENERS_REFUSED], 0);
	return 0;
}

void status_render_text(const struct ps_status *st, FILE *f)
{
	unsigned int bit;
	int n = 0;

	fprintf(f, "module:   procscope %s (netlink ABI %u)\n",
		st->module_version, st->abi_version);
	fprintf(f, "paging:   %u levels%s\n", st->paging_levels,
		st->paging_levels == 5 ? " (LA57, 57-bit addresses)" :
		" (48-bit addresses)");
	fprintf(f, "hooks:   ");
	for (bit = 0; bit < 32; bit++) {
		if (!(st->hooks & (1U << bit)))
			continue;
		if (status_hook_name(bit))
			fprintf(f, " %s", status_hook_name(bit));
		else
			fprintf(f, " hook%u", bit);
		n++;
	}
	fprintf(f, "%s\n", n ? "" : " none attached");
	/* What this kernel lacks (the module logged why: see dmesg). */
	n = 0;
	for (bit = 0; bit < __PROCSCOPE_HOOK_LAST; bit++) {
		if (st->hooks & (1U << bit))
			continue;
		fprintf(f, "%s %s", n++ ? "" : "missing: ", hook_names[bit]);
	}
	if (n)
		fprintf(f, " (unavailable on this kernel: see the kernel log)\n");
	fprintf(f, "watches:  %u of %u\n", st->watches, st->watches_max);
	fprintf(f, "listeners: %u of %u watched", st->listeners,
		st->listeners_max);
	if (st->listeners_refused)
		fprintf(f, ", %llu left unwatched (a cap was reached)",
			(unsigned long long)st->listeners_refused);
	fprintf(f, "\n");
	fprintf(f, "events:   %llu seen, %llu delivered, %llu dropped\n",
		(unsigned long long)st->seen,
		(unsigned long long)st->delivered,
		(unsigned long long)st->dropped);
	if (st->probes_missed)
		fprintf(f, "missed:   %llu calls the probes could not follow (too many in flight, or a probe already running on that CPU): they produced no event\n",
			(unsigned long long)st->probes_missed);
}

void status_render_json(const struct ps_status *st, struct json *j)
{
	unsigned int bit;

	json_obj_begin(j, NULL);
	json_str(j, "module_version", st->module_version);
	json_u64(j, "abi_version", st->abi_version);
	json_u64(j, "tool_abi_version", PROCSCOPE_GENL_VERSION);
	json_u64(j, "paging_levels", st->paging_levels);
	json_arr_begin(j, "hooks");
	for (bit = 0; bit < 32; bit++)
		if ((st->hooks & (1U << bit)) && status_hook_name(bit))
			json_str(j, NULL, status_hook_name(bit));
	json_arr_end(j);
	json_obj_begin(j, "watches");
	json_u64(j, "active", st->watches);
	json_u64(j, "max", st->watches_max);
	json_obj_end(j);
	json_obj_begin(j, "listeners");
	json_u64(j, "watched", st->listeners);
	json_u64(j, "max", st->listeners_max);
	json_u64(j, "refused", st->listeners_refused);
	json_obj_end(j);
	json_obj_begin(j, "events");
	json_u64(j, "seen", st->seen);
	json_u64(j, "delivered", st->delivered);
	json_u64(j, "dropped", st->dropped);
	json_u64(j, "probes_missed", st->probes_missed);
	json_obj_end(j);
	json_obj_end(j);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope status [--json]\n"
		"\n"
		"Show whether the procscope module is loaded, its version and netlink ABI,\n"
		"the paging mode, which kernel hooks it attached, the number of active\n"
		"watches and how many events it has seen, delivered and dropped.\n"
		"\n"
		"Exit status: 0 when the module answers, 1 otherwise (with the reason).\n");
}

static int status_cb(const struct nlmsghdr *nlh, void *data)
{
	return status_parse(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

int status_main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_LONGOPTS };
	char buf[MNL_SOCKET_BUFFER_SIZE], err[512];
	struct ps_status st;
	struct ps_nl nl;
	struct json j;
	int ret;

	ret = cli_getopt(argc, argv, "jh", opts, NULL, NULL, usage);
	if (ret < 0)
		return cli_exit_status(ret);
	if (ret < argc)
		return cli_error("status", "unexpected argument '%s'", argv[ret]);

	if (ps_nl_open_cmd(&nl, "status"))
		return 1;
	ret = ps_nl_talk(&nl, ps_nl_request(&nl, buf, PROCSCOPE_CMD_GET_STATUS, 0),
			 status_cb, &st);
	if (ret) {
		cli_error("status", "%s", ps_nl_strerror(&nl, ret, err, sizeof(err)));
		ps_nl_close(&nl);
		return 1;
	}
	ps_nl_close(&nl);
	if (cli.json) {
		json_init(&j, stdout);
		status_render_json(&st, &j);
	} else {
		status_render_text(&st, stdout);
	}
	return 0;
}
