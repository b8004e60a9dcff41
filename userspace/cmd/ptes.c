// SPDX-License-Identifier: GPL-2.0
/* procscope ptes: every leaf entry over an address range. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "nl/attrs.h"
#include "nl/nl.h"
#include <linux/procscope.h>
#include "cmd/ptes.h"
#include "cmd/subcommands.h"
#include "render/pt_fmt.h"
#include "render/term.h"

/* The arrays of a run are 4-byte aligned in the message: copy, don't cast. */
static uint64_t get_u64(const struct nlattr *a, size_t i)
{
	uint64_t v;

	memcpy(&v, (const char *)mnl_attr_get_payload(a) + i * sizeof(v),
	       sizeof(v));
	return v;
}

static uint32_t get_u32(const struct nlattr *a, size_t i)
{
	uint32_t v;

	memcpy(&v, (const char *)mnl_attr_get_payload(a) + i * sizeof(v),
	       sizeof(v));
	return v;
}

/*
 * One per-entry u32 array of a run, or the single value standing for all
 * n entries: exactly one of the two must be there.
 */
static int run_u32s(const struct nlattr *arr, const struct nlattr *all,
		    size_t n, const struct nlattr **out, uint32_t *same)
{
	if (!arr == !all)
		return -EINVAL;
	if (arr && mnl_attr_get_payload_len(arr) != n * sizeof(uint32_t))
		return -EINVAL;
	*out = arr;
	*same = all ? mnl_attr_get_u32(all) : 0;
	return 0;
}

/* Expand one A_PTE_RUN into entries; every array must hold n elements. */
static int parse_run(const struct nlattr *run,
		     int (*fn)(const struct pte_entry *e, void *ctx), void *ctx)
{
	const struct nlattr *rb[PROCSCOPE_RUN_MAX + 1];
	const struct nlattr *raw, *flags, *mapc;
	uint64_t va, pfn_mask = 0;
	uint32_t flags_all, mapc_all;
	struct pte_entry e;
	int ret, pfn_shift = 0;
	size_t n, i;

	if (attrs_parse_nest(run, &attrs_pte_run, rb))
		return -EINVAL;
	raw = rb[PROCSCOPE_RUN_RAW];
	if (!rb[PROCSCOPE_RUN_VA] || !raw)
		return -EINVAL;
	n = mnl_attr_get_payload_len(raw) / sizeof(uint64_t);
	if (!n || n > PROCSCOPE_PTE_RUN_MAX_ENTRIES ||
	    mnl_attr_get_payload_len(raw) != n * sizeof(uint64_t) ||
	    run_u32s(rb[PROCSCOPE_RUN_FLAGS], rb[PROCSCOPE_RUN_FLAGS_ALL], n,
		     &flags, &flags_all) ||
	    run_u32s(rb[PROCSCOPE_RUN_MAPCOUNT], rb[PROCSCOPE_RUN_MAPCOUNT_ALL],
		     n, &mapc, &mapc_all))
		return -EINVAL;
	if (rb[PROCSCOPE_RUN_PFN_MASK]) {
		pfn_mask = mnl_attr_get_u64(rb[PROCSCOPE_RUN_PFN_MASK]);
		if (!pfn_mask)
			return -EINVAL;
		pfn_shift = __builtin_ctzll(pfn_mask);
	}
	va = mnl_attr_get_u64(rb[PROCSCOPE_RUN_VA]);
	memset(&e, 0, sizeof(e));
	e.level = PROCSCOPE_LEVEL_PTE;
	for (i = 0; i < n; i++) {
		e.va = va + i * 4096;
		e.raw = get_u64(raw, i);
		e.flags = flags ? get_u32(flags, i) : flags_all;
		e.pfn = (e.raw & pfn_mask) >> pfn_shift;
		e.mapcount = mapc ? get_u32(mapc, i) : mapc_all;
		ret = fn(&e, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

int ptes_parse_msg(const struct nlmsghdr *nlh, bool *pfn_visible,
		   int (*fn)(const struct pte_entry *e, void *ctx), void *ctx)
{
	const struct nlattr *tb[PROCSCOPE_A_MAX + 1];
	const struct nlattr *a;
	int ret;

	if (attrs_parse_msg(nlh, &attrs_top, tb))
		return -EINVAL;
	if (tb[PROCSCOPE_A_PFN_VISIBLE])
		*pfn_visible = attr_u8(tb[PROCSCOPE_A_PFN_VISIBLE], 0);
	/* A_PTE repeats: attrs_parse_msg() validated each one already. */
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		const struct nlattr *pb[PROCSCOPE_PTE_MAX + 1];
		struct pte_entry e;

		if (mnl_attr_get_type(a) == PROCSCOPE_A_PTE_RUN) {
			ret = parse_run(a, fn, ctx);
			if (ret)
				return ret;
			continue;
		}
		if (mnl_attr_get_type(a) != PROCSCOPE_A_PTE)
			continue;
		if (attrs_parse_nest(a, &attrs_pte, pb) ||
		    !pb[PROCSCOPE_PTE_VA] || !pb[PROCSCOPE_PTE_LEVEL])
			return -EINVAL;
		memset(&e, 0, sizeof(e));
		e.va = attr_u64(pb[PROCSCOPE_PTE_VA], 0);
		e.level = attr_u32(pb[PROCSCOPE_PTE_LEVEL], 0);
		e.raw = attr_u64(pb[PROCSCOPE_PTE_RAW], 0);
		e.pfn = attr_u64(pb[PROCSCOPE_PTE_PFN], 0);
		e.flags = attr_u64(pb[PROCSCOPE_PTE_FLAGS], 0);
		e.swp_type = attr_u32(pb[PROCSCOPE_PTE_SWP_TYPE], 0);
		e.swp_offset = attr_u64(pb[PROCSCOPE_PTE_SWP_OFFSET], 0);
		e.has_swp_offset = pb[PROCSCOPE_PTE_SWP_OFFSET] != NULL;
		e.mapcount = attr_u32(pb[PROCSCOPE_PTE_MAPCOUNT], 0);
		ret = fn(&e, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

static void pte_render_text_header(FILE *f)
{
	bool color = cli_use_color(f);

	fprintf(f, "%sVIRTUAL ADDRESS     LEVEL  RAW ENTRY           PFN          RWXUADH  MAP  DETAILS%s\n",
		color ? "\033[1m" : "", color ? "\033[0m" : "");
}

void pte_render_text(const struct pte_entry *e, bool pfn_visible, FILE *f)
{
	char sh[8], fl[256], pfn[20];
	bool present = e->flags & PROCSCOPE_PTE_F_PRESENT;

	if (present && pfn_visible)
		snprintf(pfn, sizeof(pfn), "0x%" PRIx64, e->pfn);
	else
		snprintf(pfn, sizeof(pfn), "%s", present ? "(hidden)" : "-");
	fprintf(f, "0x%016" PRIx64 "  %-5s  0x%016" PRIx64 "  %-11s  %s  %3u  ",
		e->va, pt_level_name(e->level), e->raw, pfn,
		pt_flags_short(e->flags, sh), e->mapcount);
	if (!present) {
		if (e->flags & PROCSCOPE_PTE_F_SWAP)
			fprintf(f, "swapped out: device %u", e->swp_type);
		else if (e->flags & PROCSCOPE_PTE_F_MIGRATION)
			fprintf(f, "migration entry");
		else
			fprintf(f, "non-present entry (type %u)", e->swp_type);
		if (e->has_swp_offset)
			fprintf(f, ", slot 0x%" PRIx64, e->swp_offset);
		fputc('\n', f);
		return;
	}
	/* The long names, minus what the short columns already say. */
	pt_flags_str(e->flags & ~(PROCSCOPE_PTE_F_PRESENT | PROCSCOPE_PTE_F_WRITE |
				  PROCSCOPE_PTE_F_USER | PROCSCOPE_PTE_F_ACCESSED |
				  PROCSCOPE_PTE_F_DIRTY | PROCSCOPE_PTE_F_HUGE |
				  PROCSCOPE_PTE_F_NX), fl, sizeof(fl));
	fprintf(f, "%s\n", fl);
}

void pte_render_json(const struct pte_entry *e, bool pfn_visible,
		     struct json *j)
{
	bool present = e->flags & PROCSCOPE_PTE_F_PRESENT;

	json_obj_begin(j, NULL);
	json_hex(j, "va", e->va);
	json_str(j, "level", pt_level_name(e->level));
	json_hex(j, "raw", e->raw);
	if (present && pfn_visible)
		json_hex(j, "pfn", e->pfn);
	else
		json_null(j, "pfn");
	json_bool(j, "present", present);
	json_bool(j, "swap", e->flags & PROCSCOPE_PTE_F_SWAP);
	if (!present) {
		json_u64(j, "swap_type", e->swp_type);
		if (e->has_swp_offset)
			json_hex(j, "swap_offset", e->swp_offset);
	}
	json_u64(j, "mapcount", e->mapcount);
	pt_flags_json(j, "flags", e->flags);
	json_obj_end(j);
}

struct fetch_ctx {
	bool *pfn_visible;
	int (*fn)(const struct pte_entry *e, void *ctx);
	void *ctx;
};

static int fetch_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fetch_ctx *c = data;
	int ret = ptes_parse_msg(nlh, c->pfn_visible, c->fn, c->ctx);

	if (ret) {
		/* The consumer's own -errno (say -ENOMEM) says more. */
		errno = ret < 0 && ret != -EINVAL ? -ret : EINVAL;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int ptes_fetch(struct ps_nl *nl, pid_t pid, uint64_t start, uint64_t end,
	       bool *pfn_visible,
	       int (*fn)(const struct pte_entry *e, void *ctx), void *ctx)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct fetch_ctx c = { pfn_visible, fn, ctx };
	struct nlmsghdr *nlh;

	nlh = ps_nl_request(nl, buf, PROCSCOPE_CMD_PTE_DUMP, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, (uint32_t)pid);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_ADDR_START, start);
	mnl_attr_put_u64(nlh, PROCSCOPE_A_ADDR_END, end);
	return ps_nl_talk(nl, nlh, fetch_cb, &c);
}

struct ptes_ctx {
	struct json j;
	bool pfn_visible;
	bool count_only;
	uint64_t n;
	struct term_progress progress;	/* on stderr, for big dumps */
	uint64_t start, span;		/* span 0: the whole space */
};

static int entry_cb(const struct pte_entry *e, void *data)
{
	struct ptes_ctx *c = data;

	c->n++;
	/* Formatting and reading the clock per entry would dominate a dump. */
	if (c->progress.on && !(c->n & 4095)) {
		char at[48];

		snprintf(at, sizeof(at), "%" PRIu64 " entries, at 0x%" PRIx64,
			 c->n, e->va);
		term_progress_update(&c->progress,
				     c->span ? e->va - c->start : c->n, at);
	}
	if (c->count_only)
		return 0;
	if (cli.json)
		pte_render_json(e, c->pfn_visible, &c->j);
	else
		pte_render_text(e, c->pfn_visible, stdout);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope ptes [--json] [--count] PID [ADDR | ADDR-END | ADDR+SIZE]\n"
		"\n"
		"List the leaf page-table entries of process PID over a range (default:\n"
		"the whole user address space), as the kernel holds them: the address each\n"
		"maps, the level the leaf sits at (pte = 4 KiB, pmd = 2 MiB, pud = 1 GiB),\n"
		"the raw entry, the physical frame (PFN, root only), the flags (RWXUADH:\n"
		"read/present, write, execute, user, accessed, dirty, huge), the page's\n"
		"mapcount, and for swapped-out pages the swap device and slot.\n"
		"Empty entries are not listed; untouched memory has none.\n"
		"\n"
		"Options:\n"
		"  -c, --count     only count the entries (what a dump costs, no output)\n"
		"\n"
		"Examples:\n"
		"  procscope ptes 1234 0x7f0000000000-0x7f0000200000\n"
		"  procscope ptes 1234 0x555555554000+64K\n"
		"  procscope ptes --json $$ | head -c 600\n"
		"\n"
		"The dump is resumable: the kernel takes the mmap lock for one batch at a\n"
		"time, so a huge range does not stall the process.\n");
}

static int opt_cb(int opt, const char *arg, void *ctx)
{
	(void)arg;
	if (opt != 'c')
		return -1;
	((struct ptes_ctx *)ctx)->count_only = true;
	return 0;
}

int ptes_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", no_argument, NULL, 'c' },
		CLI_COMMON_LONGOPTS
	};
	struct ptes_ctx c = { 0 };
	uint64_t start = 0, end = UINT64_MAX;
	struct ps_nl nl;
	char err[512];
	pid_t pid;
	int ret;

	ret = cli_getopt(argc, argv, "cjh", opts, opt_cb, &c, usage);
	if (ret < 0)
		return cli_exit_status(ret);
	if (ret != argc - 1 && ret != argc - 2) {
		usage(stderr);
		return 2;
	}
	if (parse_pid(argv[ret], &pid))
		return cli_error("ptes", "'%s' is not a process id", argv[ret]);
	if (ret == argc - 2) {
		int r = parse_range(argv[ret + 1], &start, &end);

		if (r == -ERANGE)
			return cli_error("ptes", "'%s': the end must be above the start", argv[ret + 1]);
		if (r)
			return cli_error("ptes", "'%s' is not an address or range (ADDR, ADDR-END or ADDR+SIZE)",
					 argv[ret + 1]);
		if (pt_check_user_addr(start, 5))
			return cli_error("ptes", "0x%" PRIx64 " is not a user-space address (user addresses are below 0x%" PRIx64 ")",
					 start, (uint64_t)1 << 56);
	}
	if (ps_nl_open_cmd(&nl, "ptes"))
		return 1;
	if (cli.json && !c.count_only) {
		json_init(&c.j, stdout);
		json_obj_begin(&c.j, NULL);
		json_u64(&c.j, "pid", (uint64_t)pid);
		json_hex(&c.j, "start", start);
		json_hex(&c.j, "end", end);
		json_arr_begin(&c.j, "entries");
	} else if (!c.count_only) {
		pte_render_text_header(stdout);
	}
	/* Progress only where it does not interleave with the entries. */
	c.start = start;
	c.span = end == UINT64_MAX ? 0 : end - start;
	if (c.count_only || !isatty(STDOUT_FILENO))
		term_progress_start(&c.progress, "ptes", c.span);
	ret = ptes_fetch(&nl, pid, start, end, &c.pfn_visible, entry_cb, &c);
	term_progress_end(&c.progress);
	if (ret) {
		if (cli.json && !c.count_only)
			fputc('\n', stdout);
		cli_error("ptes", "pid %d: %s", (int)pid,
			  ps_nl_strerror(&nl, ret, err, sizeof(err)));
		ps_nl_close(&nl);
		return 1;
	}
	ps_nl_close(&nl);
	if (c.count_only) {
		if (cli.json)
			printf("{\"pid\":%d,\"entries\":%" PRIu64 "}\n", (int)pid, c.n);
		else
			printf("%" PRIu64 " entries\n", c.n);
	} else if (cli.json) {
		json_arr_end(&c.j);
		json_u64(&c.j, "count", c.n);
		json_bool(&c.j, "pfn_visible", c.pfn_visible);
		json_obj_end(&c.j);
	} else if (!c.n) {
		printf("(no entries: nothing in this range was ever touched)\n");
	}
	return 0;
}
