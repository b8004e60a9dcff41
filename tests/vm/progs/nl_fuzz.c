// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink fuzzer for the procscope family: random and mutated requests for
 * every command and attribute of module/uapi/linux/procscope.h, sent for a fixed
 * time (or number of messages) on a few sockets at once.
 *
 *   nl_fuzz [-s SEED] [-t SECS] [-n COUNT] [-p PID]... [-F PID]... [-v]
 *
 * Messages start valid (the request attributes each command documents, with
 * values that matter: pids of this process, its child, other processes
 * (-p), pid 0, 1, 2, INT_MAX, an exited pid; addresses at the edges of the
 * address space; ranges; watch flags) and are then mutated: wrong attribute
 * types and lengths, lying nla_len, duplicates, nested garbage, unknown
 * attributes and commands, truncated and short headers, odd netlink flags,
 * several messages in one datagram, random bytes. Dumps are read fully,
 * left half-read (the next dump on that socket must be refused, not
 * confused) or abandoned by closing the socket mid-dump.
 *
 * Every reply is checked: netlink framing, attribute framing down the known
 * nests, the exact size of the scalar attributes the header declares, and
 * for a caller without CAP_SYS_ADMIN that no PFN or physical address is
 * visible and that no reply carries data of a process given with -F (one
 * the caller must not be able to read). The kernel side is checked by the
 * VM run (kernel log) and by the test afterwards (procscope status).
 *
 * The sequence is a function of SEED alone: "nl_fuzz -s SEED -n COUNT"
 * replays a run (the seed and the message count are printed). Prints
 * "FAIL ..." lines and exits 1 if a check failed, 2 on a usage or setup error.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>

#include "nl_raw.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ the ABI */

enum kind { K_NONE, K_PAD, K_U8, K_U16, K_U32, K_U64, K_STR, K_BIN, K_NEST };

struct attr_desc {
	const char *name;
	enum kind kind;
	int nest_max;		/* K_NEST: the inner enum's *_MAX */
};

#define A(n, k, m) [PROCSCOPE_A_##n] = { #n, k, m }
/* Types as the comments in procscope.h give them. */
static const struct attr_desc top_attrs[] = {
	A(UNSPEC, K_NONE, 0),
	A(PAD, K_PAD, 0),
	A(PID, K_U32, 0),
	A(MODULE_VERSION, K_STR, 0),
	A(ABI_VERSION, K_U32, 0),
	A(HOOKS, K_U32, 0),
	A(EVENTS_SEEN, K_U64, 0),
	A(EVENTS_DELIVERED, K_U64, 0),
	A(EVENTS_DROPPED, K_U64, 0),
	A(WATCHES, K_U32, 0),
	A(WATCHES_MAX, K_U32, 0),
	A(PAGING_LEVELS, K_U32, 0),
	A(TABLES, K_NEST, PROCSCOPE_LEVEL_MAX),
	A(LEAVES, K_NEST, PROCSCOPE_LEAF_MAX),
	A(MM, K_NEST, PROCSCOPE_MM_MAX),
	A(PT_BYTES, K_U64, 0),
	A(PFN_VISIBLE, K_U8, 0),
	A(VMA, K_NEST, PROCSCOPE_VMA_MAX),
	A(ADDR_START, K_U64, 0),
	A(ADDR_END, K_U64, 0),
	A(PTE, K_NEST, PROCSCOPE_PTE_MAX),
	A(VA, K_U64, 0),
	A(STEP, K_NEST, PROCSCOPE_STEP_MAX),
	A(PA, K_U64, 0),
	A(STOP, K_U32, 0),
	A(WATCH_FLAGS, K_U32, 0),
	A(WATCH, K_NEST, PROCSCOPE_WATCH_MAX),
	A(FAULT, K_NEST, PROCSCOPE_FAULT_A_MAX),
	A(SOCK, K_NEST, PROCSCOPE_SOCK_MAX),
	A(SOCK_EVENT, K_NEST, PROCSCOPE_SEV_A_MAX),
	A(PTE_RUN, K_NEST, PROCSCOPE_RUN_MAX),
	A(PROBES_MISSED, K_U64, 0),
	A(LISTENERS, K_U32, 0),
	A(LISTENERS_MAX, K_U32, 0),
	A(LISTENERS_REFUSED, K_U64, 0),
};
#undef A
/* A new attribute in procscope.h must be added here (with its type). */
_Static_assert(ARRAY_SIZE(top_attrs) == __PROCSCOPE_A_LAST,
	       "top_attrs[] must list every enum procscope_attr value");

struct cmd_desc {
	const char *name;
	bool dump;
	uint16_t req[3];	/* request attributes (0: none) */
};

#define C(n, d, ...) [PROCSCOPE_CMD_##n] = { #n, d, { __VA_ARGS__ } }
/* Requests as the header documents them; multicast-only ones too. */
static const struct cmd_desc cmds[] = {
	C(UNSPEC, false, 0),
	C(GET_STATUS, false, 0),
	C(PT_SUMMARY, false, PROCSCOPE_A_PID),
	C(VMA_DUMP, true, PROCSCOPE_A_PID),
	C(PTE_DUMP, true, PROCSCOPE_A_PID, PROCSCOPE_A_ADDR_START,
	  PROCSCOPE_A_ADDR_END),
	C(TRANSLATE, false, PROCSCOPE_A_PID, PROCSCOPE_A_VA),
	C(WATCH_ADD, false, PROCSCOPE_A_PID, PROCSCOPE_A_WATCH_FLAGS),
	C(WATCH_DEL, false, PROCSCOPE_A_PID),
	C(WATCH_GET, true, PROCSCOPE_A_PID),
	C(FAULT_EVENT, false, PROCSCOPE_A_FAULT),
	C(SOCK_DUMP, true, PROCSCOPE_A_PID),
	C(SOCK_EVENT, false, PROCSCOPE_A_SOCK_EVENT),
	C(EVENTS_LOST, false, PROCSCOPE_A_EVENTS_DROPPED),
};
#undef C
_Static_assert(ARRAY_SIZE(cmds) == __PROCSCOPE_CMD_LAST,
	       "cmds[] must list every enum procscope_cmd value");

/* Commands whose reply data belongs to the process named by A_PID. */
static bool reads_target(uint8_t cmd)
{
	return cmd == PROCSCOPE_CMD_PT_SUMMARY || cmd == PROCSCOPE_CMD_VMA_DUMP ||
	       cmd == PROCSCOPE_CMD_PTE_DUMP || cmd == PROCSCOPE_CMD_TRANSLATE ||
	       cmd == PROCSCOPE_CMD_SOCK_DUMP || cmd == PROCSCOPE_CMD_WATCH_ADD;
}

/* ------------------------------------------------------------ random */

static uint64_t rng;

static uint64_t rnd(void)	/* splitmix64 */
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* ------------------------------------------------------------ state */

#define NSOCK 4
#define MAXPIDS 32

struct sock_state {
	int fd;
};

static struct sock_state socks[NSOCK];
static uint16_t family;
static uint32_t seq;
static bool privileged;
static bool verbose;
static uint32_t pids[MAXPIDS], foreign[MAXPIDS];
static unsigned int npids, nforeign;
static uint64_t target_addr;	/* a touched mapping in the child */
static unsigned long failures, msgs, replies, acks, errors;
static uint64_t iter;

/* Recent requests, for the reply checks (a dump may answer later). */
struct request {
	uint32_t seq;
	uint8_t cmd;
	uint32_t pid;		/* the A_PID it named; 0: none or ambiguous */
};
static struct request recent[256];

static struct request *request_of(uint32_t s)
{
	struct request *r = &recent[s % ARRAY_SIZE(recent)];

	return r->seq == s ? r : NULL;
}

static uint64_t start_ns;	/* CLOCK_MONOTONIC = the kernel's ktime_get_ns() */

static unsigned char watched_pid[(1u << 22) / 8];	/* WATCH_ADD targets */

static void note_watch(uint32_t pid)
{
	if (pid < (1u << 22))
		watched_pid[pid / 8] |= (unsigned char)(1u << (pid % 8));
}

static bool is_foreign(uint32_t pid)
{
	unsigned int i;

	for (i = 0; i < nforeign; i++)
		if (foreign[i] == pid)
			return true;
	return false;
}

static void failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void failf(const char *fmt, ...)
{
	va_list ap;

	failures++;
	printf("FAIL message %" PRIu64 " (seed replay: -n %" PRIu64 "): ",
	       iter, iter + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* ------------------------------------------------------------ values */

static uint32_t pick_pid(void)
{
	switch (below(12)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 2;			/* kthreadd: a kernel thread */
	case 3: return 0x7fffffff;
	case 4: return 0xffffffff;
	case 5: return 1 + below(1u << 22);	/* anyone, or no one */
	case 6: return 4194304 + below(16);	/* above pid_max */
	default: return pids[below(npids)];
	}
}

static uint64_t pick_addr(void)
{
	static const uint64_t edges[] = {
		0, 1, 0xfff, 0x1000, 0x400000, 0x7ffffffff000ull,
		0x7fffffffffffull, 0x800000000000ull, 0xfffffffffff000ull,
		0x100000000000000ull, 0xffff800000000000ull,
		0xffffffffff600000ull, ~0ull, ~0ull - 0xfff,
	};

	switch (below(6)) {
	case 0: return edges[below(ARRAY_SIZE(edges))];
	case 1: return rnd();
	case 2: return rnd() & 0x7ffffffff000ull;
	case 3: return target_addr + (below(64) << 12) + below(2) * below(4096);
	default: return target_addr + (below(8192) << 12);
	}
}

static uint32_t pick_flags(void)
{
	switch (below(5)) {
	case 0: return (uint32_t)rnd();
	case 1: return 1u << below(32);
	case 2: return 0;
	default: return below(16);	/* the four defined bits */
	}
}

/* ------------------------------------------------------------ building */

struct buf {
	unsigned char b[16384];
	size_t len;
};

static void put(struct buf *m, uint16_t type, const void *v, size_t len)
{
	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(m->b) || len > 0xfff0)
		return;
	m->len += nlr_put_attr(m->b + m->len, type, v, (uint16_t)len);
}

static void put_garbage_nest(struct buf *m, uint16_t type, int max, int depth);

/* An attribute of @type with a value of @kind (maybe the wrong one). */
static void put_value(struct buf *m, uint16_t type, enum kind kind, int nest_max,
		      int depth)
{
	unsigned char v[320];
	uint64_t u;
	size_t n;

	switch (kind) {
	case K_NONE:
	case K_PAD:
		put(m, type, NULL, 0);
		return;
	case K_U8:
		u = rnd();
		put(m, type, &u, 1);
		return;
	case K_U16:
		u = rnd();
		put(m, type, &u, 2);
		return;
	case K_U32:
		if ((type & NLA_TYPE_MASK) == PROCSCOPE_A_PID)
			u = pick_pid();
		else if ((type & NLA_TYPE_MASK) == PROCSCOPE_A_WATCH_FLAGS)
			u = pick_flags();
		else
			u = chance(50) ? below(8) : rnd();
		put(m, type, &u, 4);
		return;
	case K_U64:
		u = pick_addr();
		put(m, type, &u, 8);
		return;
	case K_STR:
	case K_BIN:
		n = below(chance(90) ? 32 : sizeof(v));
		for (size_t i = 0; i < n; i++)
			v[i] = (unsigned char)rnd();
		if (kind == K_STR && n && chance(50))
			v[n - 1] = 0;
		put(m, type, v, n);
		return;
	case K_NEST:
		put_garbage_nest(m, type, nest_max, depth);
		return;
	}
}

static void put_garbage_nest(struct buf *m, uint16_t type, int max, int depth)
{
	size_t start = m->len, k, n = below(6);
	struct nlattr *nest;

	if (m->len + NLA_HDRLEN > sizeof(m->b) - 1024)
		return;
	put(m, type | (chance(80) ? NLA_F_NESTED : 0), NULL, 0);
	for (k = 0; k < n; k++) {
		uint16_t t = (uint16_t)below((uint32_t)max + 3);
		enum kind kd = (enum kind)(1 + below(K_NEST));

		if (kd == K_NEST && depth >= 3)
			kd = K_U64;
		put_value(m, t, kd, max, depth + 1);
	}
	nest = (struct nlattr *)(m->b + start);
	nest->nla_len = (uint16_t)(m->len - start);
}

/* The request attributes of @cmd, most of them with the right types. */
static void build_attrs(struct buf *m, uint8_t cmd)
{
	const struct cmd_desc *c = cmd < ARRAY_SIZE(cmds) ? &cmds[cmd] : NULL;
	unsigned int i;

	if (c) {
		for (i = 0; i < ARRAY_SIZE(c->req) && c->req[i]; i++) {
			const struct attr_desc *d = &top_attrs[c->req[i]];

			if (chance(90))
				put_value(m, c->req[i], d->kind, d->nest_max, 0);
		}
		/* A range that makes sense: inside the child's mapping. */
		if (cmd == PROCSCOPE_CMD_PTE_DUMP && chance(30)) {
			uint64_t s = target_addr + (below(64) << 12);
			uint64_t e = s + ((uint64_t)below(64) << 12);

			m->len = 0;
			put(m, PROCSCOPE_A_PID, &pids[below(npids)], 4);
			put(m, PROCSCOPE_A_ADDR_START, &s, 8);
			put(m, PROCSCOPE_A_ADDR_END, &e, 8);
		}
	}
	/* Any other attribute of the family, with its own type or not. */
	while (chance(25)) {
		uint16_t t = (uint16_t)below(PROCSCOPE_A_MAX + 4);
		const struct attr_desc *d = t < ARRAY_SIZE(top_attrs) ?
					    &top_attrs[t] : NULL;

		if (d && chance(70))
			put_value(m, t, d->kind, d->nest_max, 0);
		else
			put_value(m, t, (enum kind)below(K_NEST + 1),
				  PROCSCOPE_LEAF_MAX, 0);
	}
}

/* Walk the attributes of @m (top level): the n-th one, or NULL. */
static struct nlattr *nth_attr(struct buf *m, unsigned int n)
{
	size_t off = 0;

	while (off + NLA_HDRLEN <= m->len) {
		struct nlattr *a = (struct nlattr *)(m->b + off);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > m->len)
			return NULL;
		if (!n--)
			return a;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static unsigned int count_attrs(struct buf *m)
{
	unsigned int n = 0;

	while (nth_attr(m, n))
		n++;
	return n;
}

/* Mutations of the attribute stream. */
static void mutate_attrs(struct buf *m)
{
	unsigned int n = count_attrs(m), rounds = 1 + below(3);
	struct nlattr *a;

	while (rounds--) {
		a = n ? nth_attr(m, below(n)) : NULL;
		switch (below(8)) {
		case 0:		/* another type, or type flag bits */
			if (a)
				a->nla_type = chance(50) ?
					(uint16_t)below(PROCSCOPE_A_MAX + 4) :
					a->nla_type ^ (chance(50) ? NLA_F_NESTED :
						       NLA_F_NET_BYTEORDER);
			break;
		case 1:		/* payload shorter or longer than the type */
			if (a) {
				int l = a->nla_len + (int)below(13) - 8;

				a->nla_len = (uint16_t)(l < 0 ? 0 : l);
			}
			break;
		case 2:		/* nla_len lies: past the end, or below 4 */
			if (a)
				a->nla_len = chance(50) ? (uint16_t)rnd() :
					     (uint16_t)below(NLA_HDRLEN);
			break;
		case 3:		/* duplicated */
			if (a && m->len + NLA_ALIGN(a->nla_len) < sizeof(m->b)) {
				size_t l = NLA_ALIGN(a->nla_len);

				memcpy(m->b + m->len, a, l);
				m->len += l;
			}
			break;
		case 4:		/* nested garbage under any type */
			put_garbage_nest(m, (uint16_t)below(PROCSCOPE_A_MAX + 3),
					 (int)below(40), 0);
			break;
		case 5:		/* a byte flipped somewhere */
			if (m->len)
				m->b[below((uint32_t)m->len)] ^=
					(unsigned char)(1u << below(8));
			break;
		case 6:		/* cut short */
			m->len = below((uint32_t)m->len + 1);
			break;
		default:	/* huge or extreme values in place */
			if (a && a->nla_len >= NLA_HDRLEN + 4 &&
			    (uint8_t *)a + a->nla_len <= m->b + m->len) {
				static const uint32_t v[] = {
					0, 1, 0x7fffffff, 0x80000000, 0xffffffff,
				};
				uint32_t x = v[below(ARRAY_SIZE(v))];

				memcpy((uint8_t *)a + NLA_HDRLEN, &x, 4);
			}
			break;
		}
		n = count_attrs(m);
	}
}

/* ------------------------------------------------------------ checking */

/* Scalar size the header declares for a top-level attribute, or 0. */
static size_t scalar_size(enum kind k)
{
	switch (k) {
	case K_U8: return 1;
	case K_U16: return 2;
	case K_U32: return 4;
	case K_U64: return 8;
	default: return 0;
	}
}

static uint64_t get_u(const struct nlattr *a)
{
	uint64_t v = 0;
	size_t l = a->nla_len - NLA_HDRLEN;

	memcpy(&v, (const char *)a + NLA_HDRLEN, l < 8 ? l : 8);
	return v;
}

/* Framing of an attribute stream; @what names it in failures. */
static bool check_stream(const unsigned char *p, size_t len, const char *what)
{
	size_t off = 0;

	while (off < len) {
		const struct nlattr *a = (const struct nlattr *)(p + off);

		if (len - off < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
		    a->nla_len > len - off) {
			failf("reply: bad attribute framing in %s at offset %zu", what, off);
			return false;
		}
		off += NLA_ALIGN(a->nla_len);
	}
	return true;
}

#define for_each_attr(a, p, len)					\
	for (a = (const struct nlattr *)(p);				\
	     (const unsigned char *)a + NLA_HDRLEN <= (p) + (len) &&	\
	     a->nla_len >= NLA_HDRLEN &&				\
	     (const unsigned char *)a + a->nla_len <= (p) + (len);	\
	     a = (const struct nlattr *)((const unsigned char *)a +	\
					 NLA_ALIGN(a->nla_len)))

#define PAYLOAD(a) ((const unsigned char *)(a) + NLA_HDRLEN)
#define PLEN(a) ((size_t)(a)->nla_len - NLA_HDRLEN)

/* Inner nests the module sends inside the top-level nests. */
static bool inner_is_nest(uint16_t outer, uint16_t t)
{
	return (outer == PROCSCOPE_A_VMA && t == PROCSCOPE_VMA_LEAVES) ||
	       (outer == PROCSCOPE_A_WATCH &&
		(t == PROCSCOPE_WATCH_BY_CLASS || t == PROCSCOPE_WATCH_LATENCY ||
		 t == PROCSCOPE_WATCH_SOCK_DROPS)) ||
	       (outer == PROCSCOPE_A_SOCK &&
		(t == PROCSCOPE_SOCK_REUSEPORT_PIDS || t == PROCSCOPE_SOCK_DROPS));
}

static void check_hidden(uint16_t outer, const struct nlattr *a)
{
	uint16_t t = a->nla_type & NLA_TYPE_MASK;

	if (privileged)
		return;
	if ((outer == PROCSCOPE_A_PTE && t == PROCSCOPE_PTE_PFN && get_u(a)) ||
	    (outer == PROCSCOPE_A_STEP && t == PROCSCOPE_STEP_TABLE_PA && get_u(a)) ||
	    (outer == PROCSCOPE_A_PTE_RUN && t == PROCSCOPE_RUN_PFN_MASK))
		failf("reply: a physical address without CAP_SYS_ADMIN (nest %u attr %u = %#" PRIx64 ")",
		      outer, t, get_u(a));
}

static void check_genl(const struct nlmsghdr *nh)
{
	const unsigned char *p = (const unsigned char *)NLMSG_DATA(nh) + GENL_HDRLEN;
	size_t len = nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	const struct genlmsghdr *g = NLMSG_DATA(nh);
	const struct nlattr *a, *b, *c;
	const struct request *r = request_of(nh->nlmsg_seq);

	if (g->cmd == 0 || g->cmd > PROCSCOPE_CMD_MAX)
		failf("reply: unknown command %u", g->cmd);
	if (!check_stream(p, len, "the reply"))
		return;
	if (!privileged && r && r->pid && is_foreign(r->pid) &&
	    reads_target(r->cmd))
		failf("reply: %s data about pid %u, which this caller may not read",
		      cmds[r->cmd].name, r->pid);
	for_each_attr(a, p, len) {
		uint16_t t = a->nla_type & NLA_TYPE_MASK;
		const struct attr_desc *d;
		size_t want;

		if (t >= ARRAY_SIZE(top_attrs)) {
			failf("reply: attribute %u is not in procscope.h", t);
			continue;
		}
		d = &top_attrs[t];
		want = scalar_size(d->kind);
		if (want && PLEN(a) != want)
			failf("reply: %s has %zu bytes, not %zu", d->name, PLEN(a), want);
		if (d->kind == K_STR && (!PLEN(a) || PAYLOAD(a)[PLEN(a) - 1]))
			failf("reply: %s is not NUL-terminated", d->name);
		if (!privileged && t == PROCSCOPE_A_PFN_VISIBLE && get_u(a))
			failf("reply: PFN_VISIBLE without CAP_SYS_ADMIN");
		if (!privileged && t == PROCSCOPE_A_PA && get_u(a))
			failf("reply: PA %#" PRIx64 " without CAP_SYS_ADMIN", get_u(a));
		if (d->kind != K_NEST)
			continue;
		if (!check_stream(PAYLOAD(a), PLEN(a), d->name))
			continue;
		for_each_attr(b, PAYLOAD(a), PLEN(a)) {
			uint16_t u = b->nla_type & NLA_TYPE_MASK;

			if (u > d->nest_max && t != PROCSCOPE_A_WATCH &&
			    t != PROCSCOPE_A_SOCK)
				failf("reply: %s holds attribute %u above its enum", d->name, u);
			check_hidden(t, b);
			if (!inner_is_nest(t, u) ||
			    !check_stream(PAYLOAD(b), PLEN(b), d->name))
				continue;
			/* WATCH_LATENCY: HIST nests, each with a bucket nest. */
			for_each_attr(c, PAYLOAD(b), PLEN(b))
				if ((c->nla_type & NLA_TYPE_MASK) == PROCSCOPE_WATCH_HIST &&
				    u == PROCSCOPE_WATCH_LATENCY)
					check_stream(PAYLOAD(c), PLEN(c), "a histogram");
		}
	}
}

/* Check and count one datagram of replies; true if it ended an answer. */
static bool check_datagram(const unsigned char *buf, size_t n)
{
	const struct nlmsghdr *nh;
	size_t left = n;
	bool done = false;

	for (nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, left);
	     nh = NLMSG_NEXT(nh, left)) {
		replies++;
		if (nh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			if (nh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
				failf("reply: short NLMSG_ERROR (%u bytes)", nh->nlmsg_len);
				continue;
			}
			if (e->error > 0)
				failf("reply: positive error %d", e->error);
			e->error ? errors++ : acks++;
			if (nh->nlmsg_flags & NLM_F_ACK_TLVS)
				check_stream((const unsigned char *)e + sizeof(*e),
					     nh->nlmsg_len - NLMSG_HDRLEN - sizeof(*e),
					     "the extended ACK");
			/* An error ends a dump too. */
			done = true;
		} else if (nh->nlmsg_type == NLMSG_DONE) {
			if (nh->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
				failf("reply: short NLMSG_DONE");
			done = true;
		} else if (nh->nlmsg_type == family) {
			if (nh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
				failf("reply: message shorter than its headers");
			else
				check_genl(nh);
		}
		/*
		 * Other types: a mutated nlmsg_type reached another family
		 * (nlctrl answers with its own messages); not ours to check.
		 */
	}
	if (left >= NLMSG_HDRLEN)
		failf("reply: %zu bytes left after the last message", left);
	return done;
}

/* ------------------------------------------------------------ sockets */

static int open_sock(struct sock_state *s)
{
	int fd = nlr_socket();

	if (fd < 0) {
		fprintf(stderr, "nl_fuzz: netlink socket: %s\n", strerror(-fd));
		return -1;
	}
	s->fd = fd;
	return 0;
}

/*
 * Read what the socket has (each read lets a running dump go on); at most
 * @max datagrams. MSG_DONTWAIT: a request is handled in send(), a dump's
 * next part in recv(), so nothing more comes once the queue is empty.
 */
static void drain(struct sock_state *s, unsigned int max)
{
	static unsigned char buf[65536];

	while (max--) {
		ssize_t n = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0) {
			if (errno == ENOBUFS)	/* replies lost: no room */
				continue;
			if (errno != EAGAIN && errno != EINTR)
				failf("recv: %s", strerror(errno));
			return;
		}
		check_datagram(buf, (size_t)n);
	}
}

/* ------------------------------------------------------------ one message */

static void one_message(void)
{
	struct sock_state *s = &socks[below(NSOCK)];
	static struct buf attrs;
	static unsigned char out[sizeof(struct nlr_msg) + 512];
	struct nlmsghdr *nh = (struct nlmsghdr *)out;
	struct genlmsghdr *g = (struct genlmsghdr *)(out + NLMSG_HDRLEN);
	uint8_t cmd = (uint8_t)(chance(95) ? below(__PROCSCOPE_CMD_LAST + 1) : rnd());
	size_t len, sendlen, body;
	const struct nlattr *a;
	struct request *r;
	unsigned int k;
	bool dump;

	attrs.len = 0;
	if (chance(3)) {	/* nothing but random bytes */
		attrs.len = below(256);
		for (k = 0; k < attrs.len; k++)
			attrs.b[k] = (unsigned char)rnd();
	} else {
		build_attrs(&attrs, cmd);
		if (chance(60))
			mutate_attrs(&attrs);
	}
	dump = cmd < ARRAY_SIZE(cmds) && cmds[cmd].dump;
	if (chance(10))
		dump = !dump;

	len = NLMSG_HDRLEN + GENL_HDRLEN + attrs.len;
	if (len > sizeof(out) - 512)
		len = sizeof(out) - 512;
	memset(out, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	memcpy(out + NLMSG_HDRLEN + GENL_HDRLEN, attrs.b, len - NLMSG_HDRLEN - GENL_HDRLEN);
	nh->nlmsg_len = (uint32_t)len;
	nh->nlmsg_type = family;
	nh->nlmsg_flags = NLM_F_REQUEST | (chance(80) ? NLM_F_ACK : 0) |
			  (dump ? NLM_F_DUMP : 0);
	nh->nlmsg_seq = ++seq;
	g->cmd = cmd;
	g->version = PROCSCOPE_GENL_VERSION;
	sendlen = len;

	if (chance(15)) {	/* the headers */
		switch (below(7)) {
		case 0: nh->nlmsg_flags ^= (uint16_t)(1u << below(16)); break;
		case 1: g->version = (uint8_t)rnd(); break;
		case 2: g->reserved = (uint16_t)rnd(); break;
		case 3: nh->nlmsg_type = (uint16_t)(chance(50) ? (uint32_t)family + 1 : below(32)); break;
		case 4: nh->nlmsg_len = (uint32_t)below((uint32_t)len + 64); break;
		case 5: sendlen = below((uint32_t)len + 1); break;	/* cut */
		default: nh->nlmsg_flags = (uint16_t)rnd(); break;
		}
	}

	/* What the reply checks need: which pid this request named. */
	r = &recent[nh->nlmsg_seq % ARRAY_SIZE(recent)];
	r->seq = nh->nlmsg_seq;
	r->cmd = cmd;
	r->pid = 0;
	body = sendlen > NLMSG_HDRLEN + GENL_HDRLEN ? sendlen - NLMSG_HDRLEN - GENL_HDRLEN : 0;
	for_each_attr(a, out + NLMSG_HDRLEN + GENL_HDRLEN, body) {
		uint32_t p;

		if ((a->nla_type & NLA_TYPE_MASK) != PROCSCOPE_A_PID || PLEN(a) < 4)
			continue;
		memcpy(&p, PAYLOAD(a), 4);
		if (cmd == PROCSCOPE_CMD_WATCH_ADD)
			note_watch(p);
		/* Two different pids: whichever the kernel took, skip the check. */
		r->pid = r->pid && r->pid != p ? (uint32_t)-1 : p;
	}
	if (r->pid == (uint32_t)-1)
		r->pid = 0;

	/* Sometimes a second request in the same datagram. */
	if (chance(5) && sendlen == len && len * 2 <= sizeof(out) - 512) {
		struct request *r2;

		memcpy(out + NLMSG_ALIGN(len), out, len);
		((struct nlmsghdr *)(out + NLMSG_ALIGN(len)))->nlmsg_seq = ++seq;
		r2 = &recent[seq % ARRAY_SIZE(recent)];
		*r2 = *r;
		r2->seq = seq;
		sendlen = NLMSG_ALIGN(len) + len;
	}
	if (verbose)
		printf("%" PRIu64 ": sock %d cmd %u flags %#x len %zu/%zu pid %u\n",
		       iter, (int)(s - socks), cmd, nh->nlmsg_flags, sendlen, len, r->pid);

	/* The kernel may refuse a datagram outright (other families' errnos). */
	if (send(s->fd, out, sendlen, 0) < 0 &&
	    (errno == EBADF || errno == ENOTSOCK || errno == EFAULT))
		failf("send: %s", strerror(errno));
	msgs++;

	k = below(100);
	if (k < 85) {
		drain(s, ~0u);
	} else if (k < 95) {
		drain(s, below(3));	/* a dump left half-read */
	} else {
		close(s->fd);		/* closed mid-dump, maybe */
		if (open_sock(s))
			exit(2);
	}
}

/* ------------------------------------------------------------ setup */

static bool has_cap_sys_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return false;
	return d[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32));
}

/* The child: a process of ours with memory and sockets to look at. */
static pid_t start_child(void)
{
	size_t len = 8 << 20, i;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	if (p == MAP_FAILED)
		return -1;
	target_addr = (uint64_t)(uintptr_t)p;
	pid = fork();
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (i = 0; i < len; i += 4096 * (1 + (i >> 20)))
		p[i] = 1;
	socket(AF_INET, SOCK_STREAM, 0);
	socket(AF_INET6, SOCK_DGRAM, 0);
	socket(AF_UNIX, SOCK_STREAM, 0);
	for (;;)
		pause();
}

/* Remove every watch this run may have added (they outlive it otherwise). */
static void cleanup_watches(void)
{
	static unsigned char buf[65536];
	uint32_t list[4096];
	unsigned int n = 0, i;
	struct sock_state s;
	uint32_t cseq = 1000000;
	bool done = false;

	if (open_sock(&s))
		return;
	{
		struct { struct nlmsghdr nh; struct genlmsghdr g; } req = {
			.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = family,
				.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
				.nlmsg_seq = ++cseq },
			.g = { .cmd = PROCSCOPE_CMD_WATCH_GET,
			       .version = PROCSCOPE_GENL_VERSION },
		};

		if (send(s.fd, &req, sizeof(req), 0) < 0)
			done = true;
	}
	while (!done) {
		ssize_t r = recv(s.fd, buf, sizeof(buf), 0);
		const struct nlmsghdr *nh;
		size_t left;

		if (r <= 0)
			break;
		left = (size_t)r;
		for (nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			const unsigned char *p;
			const struct nlattr *a, *b;
			size_t len;

			if (nh->nlmsg_type == NLMSG_DONE || nh->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			if (nh->nlmsg_type != family)
				continue;
			p = (const unsigned char *)NLMSG_DATA(nh) + GENL_HDRLEN;
			len = nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			for_each_attr(a, p, len) {
				if ((a->nla_type & NLA_TYPE_MASK) != PROCSCOPE_A_WATCH)
					continue;
				uint32_t w = 0;
				bool ours = false;

				for_each_attr(b, PAYLOAD(a), PLEN(a)) {
					uint16_t t = b->nla_type & NLA_TYPE_MASK;

					if (t == PROCSCOPE_WATCH_PID)
						w = (uint32_t)get_u(b);
					/* Added during the run: a followed child, too. */
					if (t == PROCSCOPE_WATCH_SINCE_NS &&
					    get_u(b) >= start_ns)
						ours = true;
				}
				if (w < (1u << 22) && (watched_pid[w / 8] & (1u << (w % 8))))
					ours = true;
				if (ours && w && n < ARRAY_SIZE(list))
					list[n++] = w;
			}
		}
	}
	close(s.fd);
	if (open_sock(&s))
		return;
	for (i = 0; i < n; i++) {
		unsigned char a[16];
		size_t l = nlr_put_attr(a, PROCSCOPE_A_PID, &list[i], 4);

		nlr_talk(s.fd, &cseq, family, PROCSCOPE_CMD_WATCH_DEL, 0, a, l,
			 NULL, 0);
	}
	close(s.fd);
	printf("nl_fuzz: removed %u watches it had added\n", n);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = 20, end;
	uint64_t seed = 0, count = 0;
	bool have_seed = false;
	pid_t child, gone;
	unsigned int i;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < ARRAY_SIZE(top_attrs); i++)
		if (!top_attrs[i].name) {
			fprintf(stderr, "nl_fuzz: attribute %u missing from top_attrs[]\n", i);
			return 2;
		}
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!cmds[i].name) {
			fprintf(stderr, "nl_fuzz: command %u missing from cmds[]\n", i);
			return 2;
		}
	while ((opt = getopt(argc, argv, "s:t:n:p:F:v")) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); have_seed = true; break;
		case 't': secs = atof(optarg); break;
		case 'n': count = strtoull(optarg, NULL, 0); break;
		case 'p':
		case 'F':
			if (npids + 1 >= MAXPIDS)
				return 2;
			pids[npids++] = (uint32_t)atoi(optarg);
			if (opt == 'F')
				foreign[nforeign++] = (uint32_t)atoi(optarg);
			break;
		case 'v': verbose = true; break;
		default:
			fprintf(stderr, "usage: nl_fuzz [-s SEED] [-t SECS] [-n COUNT] [-p PID]... [-F PID]... [-v]\n");
			return 2;
		}
	}
	if (!have_seed)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	rng = seed;
	privileged = has_cap_sys_admin();
	/* pid 1 belongs to root: a caller without root may not read it. */
	if (geteuid() != 0)
		foreign[nforeign++] = 1;

	child = start_child();
	if (child < 0)
		return perror("fork"), 2;
	gone = fork();
	if (!gone)
		_exit(0);
	waitpid(gone, NULL, 0);
	pids[npids++] = (uint32_t)getpid();
	pids[npids++] = (uint32_t)child;
	pids[npids++] = (uint32_t)child;
	pids[npids++] = (uint32_t)getppid();
	pids[npids++] = (uint32_t)gone;

	for (i = 0; i < NSOCK; i++)
		if (open_sock(&socks[i]))
			return 2;
	family = nlr_resolve_family(socks[0].fd, PROCSCOPE_GENL_NAME);
	if (!family) {
		fprintf(stderr, "nl_fuzz: the procscope family is not registered\n");
		return 2;
	}
	printf("nl_fuzz: seed %" PRIu64 " (replay: nl_fuzz -s %" PRIu64 " -n COUNT), %s, uid %u, child %d, %s\n",
	       seed, seed, privileged ? "CAP_SYS_ADMIN" : "unprivileged",
	       (unsigned int)geteuid(), (int)child,
	       count ? "a fixed count" : "for a fixed time");

	start_ns = (uint64_t)(now() * 1e9);
	end = now() + secs;
	for (iter = 0; count ? iter < count : now() < end; iter++)
		one_message();
	for (i = 0; i < NSOCK; i++) {
		drain(&socks[i], ~0u);
		close(socks[i].fd);
	}
	cleanup_watches();
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("nl_fuzz: seed %" PRIu64 ": %lu messages (replay: -n %lu), %lu replies: %lu acks, %lu errors\n",
	       seed, msgs, msgs, replies, acks, errors);
	printf("nl_fuzz: %lu failures\n", failures);
	return failures ? 1 : 0;
}
