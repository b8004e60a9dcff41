// SPDX-License-Identifier: GPL-2.0
/*
 * procscope faults: every page fault a process takes, live, then a
 * summary. Watches the process through the module (WATCH_ADD), listens on
 * the events group, reads the module's counters at the end (WATCH_GET)
 * and removes the watch (WATCH_DEL).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/live.h"
#include "cmd/subcommands.h"
#include "model/fault_event.h"
#include "model/fault_summary.h"
#include "model/symbolize.h"
#include "model/vmas.h"
#include "nl/attrs.h"
#include "nl/nl.h"
#include "nl/watch.h"
#include "render/fault_render.h"
#include "render/term.h"

#define TOP_N 10
#define VMA_CACHE 8
#define SITE_SLOTS 1024		/* power of two */
#define RANGE_SLOTS 8

struct pid_vmas {
	pid_t pid;
	struct vma_list l;
	bool have;
	unsigned int gen;	/* which fetch: cached lookups name it */
	uint64_t fetched_ns;
};

/*
 * A fault's code site and VMA are resolved (VMA lookup, ELF symbols,
 * string formatting) once, then found again by (pid, ip) or address range
 * and only counted: a fault-heavy process sends tens of thousands of
 * events a second with a handful of distinct sites and mappings. An entry
 * holds while the pid's VMA list is the one it was resolved from (gen).
 */
struct site_slot {
	bool used;
	pid_t pid;
	unsigned int gen;
	uint64_t ip;
	long idx;		/* in sum.sites; -1: beyond the tracked keys */
};

struct range_slot {
	bool used;
	pid_t pid;
	unsigned int gen;
	uint64_t start, end;
	long idx;		/* in sum.vmas */
	const char *kind;	/* vma_kind_name(), static */
};

struct faults_run {
	pid_t pid;
	struct live_opts o;		/* -d, -f, -q */
	bool events;		/* joined the events group */
	bool ev_open;		/* ev is open: at least family notifications */
	struct ps_nl ctl;		/* requests */
	struct ps_nl ev;		/* events group */
	struct fault_summary sum;
	uint64_t target_events;	/* received, of @pid itself */
	struct symbolizer *sz;
	struct pid_vmas vmas[VMA_CACHE];
	unsigned int vmas_next, vmas_gen;
	struct site_slot sites[SITE_SLOTS];
	struct range_slot ranges[RANGE_SLOTS];
	unsigned int ranges_next;
	long gup_idx, kernel_idx;	/* fixed sites; -2: not interned yet */
	pid_t related[256];		/* followed pids (children) */
	unsigned int nrelated;
	uint64_t t0;
	struct json j;
	bool color;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope faults [OPTIONS] PID\n"
		"       procscope faults [OPTIONS] -- CMD [ARG...]\n"
		"\n"
		"Show every page fault a process takes, live: when, which thread, what kind\n"
		"(class), where (address and the kind of mapping), how long the kernel took,\n"
		"whether it counted as a major fault, and the code that touched the memory\n"
		"as function+offset (binary). At the end: faults per class with latency\n"
		"p50/p99/max, the top code sites and mappings, and how many events were lost.\n"
		"\n"
		"Classes: anon (first touch of anonymous memory), stack (stack growth),\n"
		"cow (write after fork / to the zero page), swap (swap-in), file (page cache\n"
		"hit), file_major (read from storage), shared_write (write to a shared mapping),\n"
		"perm (permission, SIGSEGV), badaddr (no mapping, SIGSEGV), other.\n"
		"\n"
		"Options:\n"
		"  -d, --duration=TIME  stop after TIME (e.g. 5, 2.5s, 500ms); default: until\n"
		"                       the process exits or Ctrl-C\n"
		"  -f, --follow         also watch the children it forks from now on\n"
		"  -q, --quiet          no live lines, only the summary\n"
		"  -j, --json           one JSON object per fault, then {\"summary\": ...}\n"
		"      --color=WHEN     auto, always, never\n"
		"  -h, --help           this help\n"
		"\n"
		"Examples:\n"
		"  procscope faults 1234                 watch pid 1234 until Ctrl-C\n"
		"  procscope faults -d 5 1234            five seconds, then the summary\n"
		"  procscope faults -- ./myprog --arg    run myprog, from its first instruction\n"
		"  procscope faults -q -f -- make        summary only, including children\n"
		"  procscope faults --json -- ls | tail -1   the summary as JSON\n"
		"\n"
		"Live events need root (CAP_SYS_ADMIN: they show physical frames); without\n"
		"it the module still counts, and you get the summary from its counters.\n"
		"The counts match the kernel's: the faults marked minor/major are exactly\n"
		"what /proc/PID/stat minflt/majflt rise by.\n");
}

static bool is_related(struct faults_run *r, pid_t pid)
{
	unsigned int i;
	pid_t ppid;

	if (pid == r->pid)
		return true;
	if (!r->o.follow)
		return false;
	for (i = 0; i < r->nrelated; i++)
		if (r->related[i] == pid)
			return true;
	/* A new pid: is its parent one of ours? (The module only follows ours.) */
	ppid = proc_parent(pid);
	if (!ppid)
		return false;
	for (i = 0; i < r->nrelated; i++)
		if (r->related[i] == ppid)
			break;
	if (ppid != r->pid && i == r->nrelated)
		return false;
	if (r->nrelated < sizeof(r->related) / sizeof(r->related[0]))
		r->related[r->nrelated++] = pid;
	return true;
}

static struct pid_vmas *vmas_of(struct faults_run *r, pid_t pid, uint64_t addr)
{
	struct pid_vmas *pv = NULL;
	unsigned int i;
	uint64_t t;

	for (i = 0; i < VMA_CACHE; i++)
		if (r->vmas[i].pid == pid)
			pv = &r->vmas[i];
	if (!pv) {
		pv = &r->vmas[r->vmas_next++ % VMA_CACHE];
		if (pv->have)
			vmas_free(&pv->l);
		memset(pv, 0, sizeof(*pv));
		pv->pid = pid;
	}
	if (pv->have && vmas_find(&pv->l, addr))
		return pv;
	/* New mappings appear all the time: refetch, at most every 20 ms. */
	t = term_now_ns();
	if (pv->fetched_ns && t - pv->fetched_ns < 20000000ull)
		return pv->have ? pv : NULL;
	pv->fetched_ns = t;
	if (pv->have)
		vmas_free(&pv->l);
	pv->have = !vmas_fetch(&r->ctl, pid, &pv->l);
	pv->gen = ++r->vmas_gen;
	return pv->have ? pv : NULL;
}

/* The VMA list of @pid as cached now (no fetch), or NULL. */
static const struct pid_vmas *vmas_cached(const struct faults_run *r, pid_t pid)
{
	unsigned int i;

	for (i = 0; i < VMA_CACHE; i++)
		if (r->vmas[i].pid == pid && r->vmas[i].have)
			return &r->vmas[i];
	return NULL;
}

static bool gen_current(const struct faults_run *r, pid_t pid, unsigned int gen)
{
	const struct pid_vmas *pv = vmas_cached(r, pid);

	return pv && pv->gen == gen;
}

static const char *site_of(struct faults_run *r, const struct fault_event *ev,
			   char *buf, size_t len)
{
	const struct vma_info *v;
	struct pid_vmas *pv;

	if (ev->access & PROCSCOPE_ACCESS_GUP)
		return "[gup]";		/* get_user_pages: the kernel, no trap */
	/* Kernel-mode faults carry no IP: no kernel text addresses are sent. */
	if (!(ev->access & PROCSCOPE_ACCESS_USER))
		return "[kernel]";
	pv = vmas_of(r, ev->pid, ev->ip);
	v = pv ? vmas_find(&pv->l, ev->ip) : NULL;
	if (!v) {
		snprintf(buf, len, "0x%llx", (unsigned long long)ev->ip);
		return buf;
	}
	if (v->path && v->path[0] == '/') {
		const struct mapped_file mf = {
			.pid = ev->pid, .start = v->start, .end = v->end, .path = v->path,
			.dev = v->dev, .ino = v->inode,
		};

		symbolize_ip(r->sz, &mf, v->pgoff, ev->ip, buf, len);
		return buf;
	}
	snprintf(buf, len, "0x%llx (%s)", (unsigned long long)ev->ip,
		 v->name ? v->name : vma_kind_name(v->kind));
	return buf;
}

static const char *vma_of(struct faults_run *r, const struct fault_event *ev,
			  char *label, size_t len, const struct vma_info **vp)
{
	const struct vma_info *v;
	struct pid_vmas *pv = vmas_of(r, ev->pid, ev->addr);

	v = pv ? vmas_find(&pv->l, ev->addr) : NULL;
	*vp = v;
	if (!v)
		return NULL;
	if (v->path && v->path[0] == '/') {
		const char *b = strrchr(v->path, '/');

		snprintf(label, len, "%s %s", vma_kind_name(v->kind), b + 1);
	} else {
		snprintf(label, len, "%s", vma_kind_name(v->kind));
	}
	return vma_kind_name(v->kind);
}

/* @ev's code site as an index into the top sites (see struct site_slot). */
static long site_index(struct faults_run *r, const struct fault_event *ev)
{
	uint64_t h = (ev->ip ^ ((uint64_t)ev->pid << 32)) * 0x9e3779b97f4a7c15ull;
	struct site_slot *c = &r->sites[(h >> 40) & (SITE_SLOTS - 1)];
	const struct pid_vmas *pv;
	long *fixed = NULL;
	char buf[512];
	long idx;

	/* The same tests as site_of(): the two fixed labels. */
	if (ev->access & PROCSCOPE_ACCESS_GUP)
		fixed = &r->gup_idx;
	else if (!(ev->access & PROCSCOPE_ACCESS_USER))
		fixed = &r->kernel_idx;
	if (fixed && *fixed != -2)
		return *fixed;
	if (!fixed && c->used && c->pid == (pid_t)ev->pid && c->ip == ev->ip &&
	    gen_current(r, c->pid, c->gen))
		return c->idx;
	idx = fault_tops_intern(&r->sum.sites, site_of(r, ev, buf, sizeof(buf)));
	if (fixed) {
		*fixed = idx;
		return idx;
	}
	pv = vmas_cached(r, (pid_t)ev->pid);
	if (pv && vmas_find(&pv->l, ev->ip)) {
		c->used = true;
		c->pid = (pid_t)ev->pid;
		c->ip = ev->ip;
		c->gen = pv->gen;
		c->idx = idx;
	}
	return idx;
}

/* @ev's VMA as an index into the top VMAs, and its kind (NULL: none). */
static long vma_index(struct faults_run *r, const struct fault_event *ev,
		      const char **kind)
{
	const struct vma_info *v;
	struct range_slot *c;
	char label[300];
	unsigned int i;
	long idx;

	for (i = 0; i < RANGE_SLOTS; i++) {
		c = &r->ranges[i];
		if (c->used && c->pid == (pid_t)ev->pid && ev->addr >= c->start &&
		    ev->addr < c->end && gen_current(r, c->pid, c->gen)) {
			*kind = c->kind;
			return c->idx;
		}
	}
	*kind = vma_of(r, ev, label, sizeof(label), &v);
	if (!*kind)
		return fault_tops_intern(&r->sum.vmas, "(unmapped)");
	idx = fault_tops_intern(&r->sum.vmas, label);
	c = &r->ranges[r->ranges_next++ % RANGE_SLOTS];
	c->used = true;
	c->pid = (pid_t)ev->pid;
	c->gen = vmas_cached(r, c->pid)->gen;
	c->start = v->start;
	c->end = v->end;
	c->idx = idx;
	c->kind = *kind;
	return idx;
}

static int event_cb(const struct fault_event *ev, void *data)
{
	struct faults_run *r = data;
	struct fault_line_ctx c = { .t0_ns = r->t0, .color = r->color };
	char site[512];
	long sidx, vidx;

	if (!is_related(r, (pid_t)ev->pid))
		return 0;	/* someone else's watch */
	if ((pid_t)ev->pid == r->pid)
		r->target_events++;
	fault_summary_count(&r->sum, ev);
	sidx = site_index(r, ev);
	vidx = vma_index(r, ev, &c.vma);
	fault_tops_hit(&r->sum.sites, sidx);
	fault_tops_hit(&r->sum.vmas, vidx);
	if (r->o.quiet)
		return 0;
	/* Live lines: the interned string, unless the table was full. */
	c.site = sidx >= 0 ? r->sum.sites.v[sidx].key :
			     site_of(r, ev, site, sizeof(site));
	if (cli.json)
		fault_render_json(ev, &c, &r->j);
	else
		fault_render_line(ev, &c, stdout);
	return 0;
}

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct faults_run *r = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (g->cmd != PROCSCOPE_CMD_FAULT_EVENT)
		return MNL_CB_OK;
	if (fault_msg_for_each(nlh, event_cb, r) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

int faults_main(int argc, char **argv)
{
	static const struct option opts[] = {
		LIVE_LONGOPTS,
		CLI_COMMON_LONGOPTS
	};
	struct faults_run r;
	struct fault_watch w;
	struct live_loop loop;
	bool child = false, have_w = false;
	char err[512];
	int idx, ret, go_fd = -1, rc = 0;
	uint32_t flags = PROCSCOPE_WATCH_F_FAULTS;

	memset(&r, 0, sizeof(r));
	r.o.cmd = "faults";
	r.gup_idx = -2;
	r.kernel_idx = -2;
	idx = cli_getopt(argc, argv, LIVE_SHORTOPTS "jh", opts, live_opt, &r.o, usage);
	if (idx < 0)
		return cli_exit_status(idx);
	if (idx < argc && idx > 0 && !strcmp(argv[idx - 1], "--")) {
		child = true;
	} else if (idx + 1 == argc) {
		if (parse_pid(argv[idx], &r.pid))
			return cli_error("faults", "'%s' is not a pid (to run a command: procscope faults -- CMD)",
					 argv[idx]);
	} else {
		usage(stderr);
		return 2;
	}

	if (ps_nl_open_cmd(&r.ctl, "faults"))
		return 1;
	r.ev_open = !ps_nl_open(&r.ev);
	r.events = r.ev_open && !ps_nl_join_events(&r.ev);
	if (r.events) {
		/*
		 * Bursts of thousands of faults arrive faster than we symbolize:
		 * a deep socket buffer keeps them (the module counts any loss).
		 */
		int sz = 64 << 20, fd = mnl_socket_get_fd(r.ev.sock);

		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	}
	if (!r.events) {
		flags |= PROCSCOPE_WATCH_F_NO_EVENTS;
		if (!r.o.quiet)
			fprintf(stderr, "procscope: faults: live events need root (CAP_SYS_ADMIN); counting only, summary at the end\n");
	}
	if (r.o.follow)
		flags |= PROCSCOPE_WATCH_F_CHILDREN;

	if (child) {
		r.pid = live_spawn_held("faults", &argv[idx], &go_fd);
		if (r.pid < 0) {
			rc = cli_error("faults", "cannot fork: %s", strerror(-r.pid));
			goto out;
		}
	}
	ret = watch_add(&r.ctl, r.pid, flags);
	if (ret) {
		rc = cli_error("faults", "cannot watch pid %d: %s", (int)r.pid,
			       ps_nl_strerror(&r.ctl, ret, err, sizeof(err)));
		if (child)
			live_abandon(r.pid, go_fd);
		goto out;
	}

	r.sz = symbolizer_new(r.pid);
	fault_summary_init(&r.sum);
	r.color = cli_use_color(stdout);
	json_init(&r.j, stdout);
	r.t0 = term_now_ns();
	if (!cli.json && !r.o.quiet && r.events)
		fault_render_header(stdout);

	/* Without the events group only an unloading arrives on ev. */
	loop = (struct live_loop){
		.o = &r.o, .ev = r.ev_open ? &r.ev : NULL,
		.child = child ? r.pid : 0, .go_fd = child ? go_fd : -1,
		.pids = &r.pid, .n_pids = 1,
		.msg = msg_cb, .data = &r, .own = &r.target_events,
	};
	ret = live_run(&loop);
	r.sum.lost_local = loop.overruns;
	if (loop.start_err)
		rc = cli_error("faults", "cannot start the command");
	if (ret)
		rc = cli_error("faults", "receiving events: %s",
			       ps_nl_strerror(&r.ev, ret, err, sizeof(err)));

	if (!watch_get_one(&r.ctl, r.pid, &w)) {
		fault_summary_set_watch(&r.sum, &w);
		have_w = true;
	}
	watch_del(&r.ctl, r.pid);
	if (!have_w && !cli.json)
		fprintf(stderr, "procscope: faults: the module's counters for pid %d were gone; summary from the events received\n",
			(int)r.pid);
	if (cli.json)
		fault_summary_render_json(&r.sum, &r.j, TOP_N);
	else
		fault_summary_render_text(&r.sum, stdout, TOP_N);
	rc = live_exit_status(&loop, rc);
	fault_summary_free(&r.sum);
	symbolizer_free(r.sz);
	for (idx = 0; idx < VMA_CACHE; idx++)
		if (r.vmas[idx].have)
			vmas_free(&r.vmas[idx].l);
out:
	if (r.ev_open)
		ps_nl_close(&r.ev);
	ps_nl_close(&r.ctl);
	return rc;
}
