// SPDX-License-Identifier: GPL-2.0
/* WATCH_ADD / WATCH_DEL / WATCH_GET and the counters: see watch.h. */
#include <errno.h>
#include <string.h>

#include "nl/attrs.h"
#include "nl/watch.h"

static int parse_hist(const struct nlattr *nest, struct fault_watch *w)
{
	const struct nlattr *tb[PROCSCOPE_HIST_MAX + 1];
	struct fault_watch_hist *h;
	uint32_t cls;

	if (attrs_parse_nest(nest, &attrs_hist, tb) || !tb[PROCSCOPE_HIST_CLASS])
		return -EINVAL;
	cls = attr_u32(tb[PROCSCOPE_HIST_CLASS], 0);
	if (cls >= PROCSCOPE_FAULT_CLASS_COUNT)
		return 0;	/* a class this tool does not know */
	h = &w->hist[cls];
	h->max_ns = attr_u64(tb[PROCSCOPE_HIST_MAX_NS], 0);
	h->sum_ns = attr_u64(tb[PROCSCOPE_HIST_SUM_NS], 0);
	if (attrs_get_u64_array(tb[PROCSCOPE_HIST_BUCKETS_NEST], h->buckets,
				PROCSCOPE_HIST_BUCKETS, 1))
		return -EINVAL;
	h->count = w->by_class[cls];
	return 0;
}

int fault_watch_parse(const struct nlmsghdr *nlh, struct fault_watch *w)
{
	const struct nlattr *top[PROCSCOPE_A_MAX + 1];
	const struct nlattr *tb[PROCSCOPE_WATCH_MAX + 1];
	const struct nlattr *a;

	memset(w, 0, sizeof(*w));
	if (attrs_parse_msg(nlh, &attrs_top, top) || !top[PROCSCOPE_A_WATCH])
		return -EINVAL;
	if (attrs_parse_nest(top[PROCSCOPE_A_WATCH], &attrs_watch, tb) ||
	    !tb[PROCSCOPE_WATCH_PID])
		return -EINVAL;
	w->pid = attr_u32(tb[PROCSCOPE_WATCH_PID], 0);
	w->flags = attr_u32(tb[PROCSCOPE_WATCH_FLAGS], 0);
	w->seen = attr_u64(tb[PROCSCOPE_WATCH_SEEN], 0);
	w->delivered = attr_u64(tb[PROCSCOPE_WATCH_DELIVERED], 0);
	w->dropped = attr_u64(tb[PROCSCOPE_WATCH_DROPPED], 0);
	w->major = attr_u64(tb[PROCSCOPE_WATCH_MAJOR], 0);
	w->minor = attr_u64(tb[PROCSCOPE_WATCH_MINOR], 0);
	w->since_ns = attr_u64(tb[PROCSCOPE_WATCH_SINCE_NS], 0);
	w->listeners = attr_u32(tb[PROCSCOPE_WATCH_LISTENERS], 0);
	w->listeners_refused = attr_u64(tb[PROCSCOPE_WATCH_LISTENERS_REFUSED], 0);
	a = tb[PROCSCOPE_WATCH_EXITED];
	if (a && mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return -EINVAL;
	w->exited = attr_u8(a, 0);
	if (attrs_get_u64_array(tb[PROCSCOPE_WATCH_BY_CLASS], w->by_class,
				PROCSCOPE_FAULT_CLASS_COUNT, 1))
		return -EINVAL;
	if (tb[PROCSCOPE_WATCH_LATENCY]) {
		mnl_attr_for_each_nested(a, tb[PROCSCOPE_WATCH_LATENCY]) {
			if (mnl_attr_get_type(a) != PROCSCOPE_WATCH_HIST)
				continue;
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 ||
			    parse_hist(a, w))
				return -EINVAL;
		}
	}
	return 0;
}


int watch_add(struct ps_nl *nl, pid_t pid, uint32_t flags)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = ps_nl_request(nl, buf, PROCSCOPE_CMD_WATCH_ADD, 0);

	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, (uint32_t)pid);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_WATCH_FLAGS, flags);
	return ps_nl_talk(nl, nlh, NULL, NULL);
}

int watch_del(struct ps_nl *nl, pid_t pid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = ps_nl_request(nl, buf, PROCSCOPE_CMD_WATCH_DEL, 0);

	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, (uint32_t)pid);
	return ps_nl_talk(nl, nlh, NULL, NULL);
}

struct get_ctx {
	int (*fn)(const struct fault_watch *w, void *ctx);
	void *ctx;
};

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct get_ctx *c = data;
	struct fault_watch w;

	if (fault_watch_parse(nlh, &w)) {
		errno = EINVAL;
		return MNL_CB_ERROR;
	}
	return c->fn(&w, c->ctx) ? MNL_CB_ERROR : MNL_CB_OK;
}

int watch_get(struct ps_nl *nl, pid_t pid,
	      int (*fn)(const struct fault_watch *w, void *ctx), void *ctx)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct get_ctx c = { fn, ctx };
	struct nlmsghdr *nlh;
	int ret, tries;

	/* A dump interrupted by a concurrent change is simply retried. */
	for (tries = 0; tries < 3; tries++) {
		nlh = ps_nl_request(nl, buf, PROCSCOPE_CMD_WATCH_GET, NLM_F_DUMP);
		if (pid)
			mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, (uint32_t)pid);
		ret = ps_nl_talk(nl, nlh, get_cb, &c);
		if (ret != -EINTR)
			break;
	}
	return ret;
}

struct one_ctx {
	pid_t pid;
	struct fault_watch *w;
	bool found;
};

static int one_cb(const struct fault_watch *w, void *data)
{
	struct one_ctx *c = data;

	if (w->pid == (uint32_t)c->pid) {
		*c->w = *w;
		c->found = true;
	}
	return 0;
}

int watch_get_one(struct ps_nl *nl, pid_t pid, struct fault_watch *w)
{
	struct one_ctx c = { pid, w, false };
	int ret = watch_get(nl, pid, one_cb, &c);

	if (ret)
		return ret;
	return c.found ? 0 : -ENOENT;
}
