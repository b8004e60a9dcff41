// SPDX-License-Identifier: GPL-2.0
/* procscope ptes: every leaf entry over an address range. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <linux/procscope.h>

#include "cmd/cli.h"
#include "cmd/subcommands.h"
#include "model/pt_summary.h"
#include "model/pte_dump.h"
#include "nl/nl.h"
#include "render/pt_fmt.h"
#include "render/pte_render.h"
#include "render/term.h"

/* The arrays of a run are 4-byte aligned in the message: copy, don't cast. */
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
