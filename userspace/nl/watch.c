// SPDX-License-Identifier: GPL-2.0
/* WATCH_ADD / WATCH_DEL / WATCH_GET: see watch.h. */
#include <errno.h>
#include <string.h>

#include "nl/watch.h"

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
