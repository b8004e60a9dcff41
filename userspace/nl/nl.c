// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing on libmnl: family resolution, requests and
 * dumps with extended ACK, event reception.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "cmd/cli.h"
#include "nl/attrs.h"
#include "nl/nl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

struct family_info {
	uint16_t id;
	uint32_t version;
	uint32_t events_group;
};

static int mcgrp_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { NULL };
	struct family_info *fi = data;
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, attr) {
		int type = mnl_attr_get_type(a);

		if (type > CTRL_ATTR_MCAST_GRP_MAX)
			continue;
		if (type == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		if (type == CTRL_ATTR_MCAST_GRP_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		tb[type] = a;
	}
	if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
	    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
		    PROCSCOPE_MCGRP_EVENTS))
		fi->events_group = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type types[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID] = MNL_TYPE_U16,
		[CTRL_ATTR_FAMILY_NAME] = MNL_TYPE_NUL_STRING,
		[CTRL_ATTR_VERSION] = MNL_TYPE_U32,
		[CTRL_ATTR_MCAST_GROUPS] = MNL_TYPE_NESTED,
	};
	struct family_info *fi = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		int type = mnl_attr_get_type(a);

		if (type > CTRL_ATTR_MAX)
			continue;
		if (types[type] != MNL_TYPE_UNSPEC &&
		    mnl_attr_validate(a, types[type]) < 0)
			return MNL_CB_ERROR;
		switch (type) {
		case CTRL_ATTR_FAMILY_ID:
			fi->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			fi->version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (mnl_attr_parse_nested(a, mcgrp_cb, fi) < 0)
				return MNL_CB_ERROR;
			break;
		}
	}
	return MNL_CB_OK;
}

int ps_nl_parse_error(const struct nlmsghdr *nlh, char *msg, size_t len)
{
	const struct nlattr *a;
	unsigned int off;
	int err;

	if (msg && len)
		msg[0] = '\0';
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
			return 0;
		err = *(const int *)mnl_nlmsg_get_payload(nlh);
		off = sizeof(int);
	} else {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
			return -EBADMSG;
		err = e->error;
		off = sizeof(*e);
		/* Without NLM_F_CAPPED the request is echoed after the header. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || !msg || !len)
		return err;
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return err;
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0) {
			snprintf(msg, len, "%s", mnl_attr_get_str(a));
			break;
		}
	}
	return err;
}

/* What one request/dump carries through libmnl's callbacks. */
struct talk_ctx {
	struct ps_nl *nl;
	int err;
	mnl_cb_t cb;
	void *data;
};

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	int err = ps_nl_parse_error(nlh, ctx->nl->errmsg,
				    sizeof(ctx->nl->errmsg));

	if (err == 0)
		return MNL_CB_STOP;	/* plain ACK */
	ctx->err = err < 0 ? err : -err;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	int err = ps_nl_parse_error(nlh, ctx->nl->errmsg,
				    sizeof(ctx->nl->errmsg));

	if (err) {
		ctx->err = err < 0 ? err : -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

struct nlmsghdr *ps_nl_request(struct ps_nl *nl, void *buf, uint8_t cmd,
			       uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = PROCSCOPE_GENL_VERSION;
	return nlh;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	int ret;

	errno = 0;
	ret = ctx->cb(nlh, ctx->data);
	if (ret < 0 && !ctx->err)
		ctx->err = errno ? -errno : -EINVAL;
	return ret;
}

int ps_nl_talk(struct ps_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
	       void *data)
{
	struct talk_ctx talk = { .nl = nl, .cb = cb, .data = data };
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
	};
	int ret;

	nl->errmsg[0] = '\0';
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	do {
		ret = mnl_socket_recvfrom(nl->sock, nl->buf, PS_NL_BUFSIZE);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		ret = mnl_cb_run2(nl->buf, ret, req->nlmsg_seq, nl->portid,
				  cb ? data_cb : NULL, &talk, ctl,
				  NLMSG_MIN_TYPE);
	} while (ret > 0);
	if (talk.err)
		return talk.err;
	if (ret < 0)
		return errno ? -errno : -EIO;
	return 0;
}

static int resolve_family(struct ps_nl *nl, struct family_info *fi)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	uint16_t saved = nl->family;
	int ret;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PROCSCOPE_GENL_NAME);
	ret = ps_nl_talk(nl, nlh, family_cb, fi);
	nl->family = saved;
	return ret;
}

int ps_nl_open(struct ps_nl *nl)
{
	struct family_info fi = { 0 };
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->seq = (uint32_t)time(NULL);
	nl->buf = malloc(PS_NL_BUFSIZE);
	if (!nl->buf)
		return -ENOMEM;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		ret = -errno;
		goto err;
	}
	/* The kernel's reason for an error, not just the errno. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	ret = resolve_family(nl, &fi);
	if (ret)
		goto err;
	if (fi.version != PROCSCOPE_GENL_VERSION) {
		nl->version = fi.version;
		ret = -EPROTO;
		goto err_keep_version;
	}
	nl->family = fi.id;
	nl->version = fi.version;
	nl->events_group = fi.events_group;
	return 0;

err:
	nl->version = 0;
err_keep_version:
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	free(nl->buf);
	nl->buf = NULL;
	return ret;
}

int ps_nl_open_cmd(struct ps_nl *nl, const char *cmd)
{
	char err[512];
	int ret = ps_nl_open(nl);

	if (!ret)
		return 0;
	return cli_error(cmd, "%s", ps_nl_strerror(nl, ret, err, sizeof(err)));
}

void ps_nl_close(struct ps_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	nl->sock = NULL;
	nl->buf = NULL;
}

/*
 * nlctrl's one multicast group, "notify", always has the id GENL_ID_CTRL
 * (net/netlink/genetlink.c, genl_validate_assign_mc_groups()).
 */
#define NLCTRL_NOTIFY_GROUP GENL_ID_CTRL

int ps_nl_join_events(struct ps_nl *nl)
{
	int grp = (int)nl->events_group, ctrl = NLCTRL_NOTIFY_GROUP;

	/*
	 * Family changes first, which anyone may follow: when the module is
	 * unloaded its family goes, and a reader would otherwise wait forever
	 * on a silent socket. Without CAP_SYS_ADMIN the events group is then
	 * refused, and the socket still tells of the unloading.
	 */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &ctrl,
				  sizeof(ctrl)) < 0)
		return -errno;
	if (!grp)
		return -ENOENT;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		return -errno;
	return 0;
}

struct events_ctx {
	const struct ps_nl *nl;
	mnl_cb_t cb;
	void *data;
};

/* Our events go to the caller; nlctrl's DELFAMILY of our family ends it. */
static int events_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct events_ctx *c = data;
	const struct genlmsghdr *g;
	struct family_info fi = { 0 };

	if (nlh->nlmsg_type != GENL_ID_CTRL)
		return c->cb(nlh, c->data);
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		return MNL_CB_OK;
	g = mnl_nlmsg_get_payload(nlh);
	if (g->cmd != CTRL_CMD_DELFAMILY)
		return MNL_CB_OK;
	if (family_cb(nlh, &fi) != MNL_CB_OK || fi.id != c->nl->family)
		return MNL_CB_OK;
	errno = ENODEV;
	return MNL_CB_ERROR;
}

int ps_nl_recv_events(struct ps_nl *nl, int timeout_ms, mnl_cb_t cb,
		      void *data)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl->sock),
			      .events = POLLIN };
	struct events_ctx c = { .nl = nl, .cb = cb, .data = data };
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;
	ret = mnl_socket_recvfrom(nl->sock, nl->buf, PS_NL_BUFSIZE);
	if (ret < 0)
		return -errno;
	/* Multicast messages carry seq 0 and portid 0: no checks. */
	errno = 0;
	if (mnl_cb_run(nl->buf, ret, 0, 0, events_cb, &c) < 0)
		return errno ? -errno : -EBADMSG;
	return ret;
}

const char *ps_nl_strerror(const struct ps_nl *nl, int err, char *buf,
			   size_t len)
{
	const char *why = nl && nl->errmsg[0] ? nl->errmsg : NULL;

	switch (err) {
	case -ENODEV:
		snprintf(buf, len,
			 "the procscope kernel module was unloaded");
		return buf;
	case -ENOENT:
		if (!why) {
			snprintf(buf, len,
				 "the procscope kernel module is not loaded: run 'procscope load' (or 'modprobe procscope', or 'insmod module/procscope.ko')");
			return buf;
		}
		break;
	case -EPROTO:
		if (nl && nl->version) {
			snprintf(buf, len,
				 "ABI version mismatch: the loaded module speaks version %u, this tool speaks %d; use the procscope tool built with that module (or reload the matching module)",
				 nl->version, PROCSCOPE_GENL_VERSION);
			return buf;
		}
		break;
	case -EPERM:
	case -EACCES:
		/* The kernel's own message may already say it. */
		if (why && !strncmp(why, "not permitted", 13))
			snprintf(buf, len, "%s", why);
		else
			snprintf(buf, len, "not permitted: %s",
				 why ? why : "this needs more privilege (try as root)");
		return buf;
	case -ESRCH:
		snprintf(buf, len, "%s", why ? why : "no such process");
		return buf;
	case -EOPNOTSUPP:
		snprintf(buf, len, "%s",
			 why ? why : "the loaded module does not support this command");
		return buf;
	}
	if (why)
		snprintf(buf, len, "%s (%s)", why, strerror(-err));
	else
		snprintf(buf, len, "%s", strerror(-err));
	return buf;
}
