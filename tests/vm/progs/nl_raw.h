/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for the netlink tests (nl_malformed, nl_fuzz): bytes
 * built by hand, no libmnl, because the point is to send what a library
 * would refuse to build. Header-only: the progs are single-file builds.
 */
#ifndef NL_RAW_H
#define NL_RAW_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/procscope.h>

struct nlr_msg {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	unsigned char attrs[8192];
};

/* Append one attribute at @p; returns the aligned size it takes. */
static inline size_t nlr_put_attr(unsigned char *p, uint16_t type,
				  const void *v, uint16_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len),
			    .nla_type = type };

	memcpy(p, &a, sizeof(a));
	if (len)
		memcpy(p + NLA_HDRLEN, v, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_ALIGN(NLA_HDRLEN + len);
}

/* A bound NETLINK_GENERIC socket with NETLINK_CAP_ACK, or -errno. */
static inline int nlr_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1;

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = -errno;

		close(fd);
		return e;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

/* What the extended ACK of an answer said (NETLINK_EXT_ACK). */
struct nlr_ack {
	char msg[256];		/* NLMSGERR_ATTR_MSG, or "" */
	long offs;		/* NLMSGERR_ATTR_OFFS, or -1 */
	long miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
};

/* The TLVs after an NLMSG_ERROR's struct nlmsgerr or an NLMSG_DONE's int. */
static inline void nlr_parse_ack(const struct nlmsghdr *nh, struct nlr_ack *ack)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);
	const struct nlattr *at;
	size_t off;

	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nh->nlmsg_type == NLMSG_DONE) {
		off = NLMSG_HDRLEN + sizeof(int);
	} else {
		/* Without NETLINK_CAP_ACK the request follows the header. */
		off = NLMSG_HDRLEN + sizeof(*e);
		if (!(nh->nlmsg_flags & NLM_F_CAPPED))
			off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	}
	while (off + NLA_HDRLEN <= nh->nlmsg_len) {
		size_t len;

		at = (const struct nlattr *)((const char *)nh + off);
		if (at->nla_len < NLA_HDRLEN || off + at->nla_len > nh->nlmsg_len)
			break;
		len = at->nla_len - NLA_HDRLEN;
		switch (at->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (len >= sizeof(ack->msg))
				len = sizeof(ack->msg) - 1;
			memcpy(ack->msg, (const char *)at + NLA_HDRLEN, len);
			ack->msg[len] = 0;
			break;
		case NLMSGERR_ATTR_OFFS:
			if (len == 4)
				ack->offs = *(const uint32_t *)((const char *)at + NLA_HDRLEN);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (len == 4)
				ack->miss_type = *(const uint32_t *)((const char *)at + NLA_HDRLEN);
			break;
		}
		off += NLA_ALIGN(at->nla_len);
	}
}

/*
 * Send @cmd with @alen bytes of attributes (sequence number *@seq + 1) and
 * read until its ACK, error or NLMSG_DONE; return that errno (0: success).
 * The last data message of the answer, if it fits, is copied to @reply;
 * the extended ACK of the error or NLMSG_DONE, if @ack, to @ack (the
 * socket needs NETLINK_EXT_ACK for there to be one).
 */
static inline int nlr_talk_ack(int fd, uint32_t *seq, uint16_t type,
			       uint8_t cmd, uint16_t flags, const void *attrs,
			       size_t alen, void *reply, size_t rlen,
			       struct nlr_ack *ack)
{
	static struct nlr_msg m;
	static char buf[65536];
	ssize_t n;

	if (ack) {
		ack->msg[0] = 0;
		ack->offs = -1;
		ack->miss_type = -1;
	}
	if (alen > sizeof(m.attrs))
		return -EMSGSIZE;
	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + alen;
	m.nh.nlmsg_type = type;
	m.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m.nh.nlmsg_seq = ++*seq;
	m.gh.cmd = cmd;
	m.gh.version = PROCSCOPE_GENL_VERSION;
	if (alen)
		memcpy(m.attrs, attrs, alen);
	if (send(fd, &m, m.nh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *nh;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != *seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				if (ack)
					nlr_parse_ack(nh, ack);
				return ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			}
			if (nh->nlmsg_type == NLMSG_DONE) {
				if (ack)
					nlr_parse_ack(nh, ack);
				return *(int *)NLMSG_DATA(nh);
			}
			if (reply && nh->nlmsg_len <= rlen)
				memcpy(reply, nh, nh->nlmsg_len);
		}
	}
}

static inline int nlr_talk(int fd, uint32_t *seq, uint16_t type, uint8_t cmd,
			   uint16_t flags, const void *attrs, size_t alen,
			   void *reply, size_t rlen)
{
	return nlr_talk_ack(fd, seq, type, cmd, flags, attrs, alen, reply,
			    rlen, NULL);
}

/* The id of the family called @name, or 0. */
static inline uint16_t nlr_resolve_family(int fd, const char *name)
{
	unsigned char a[64], reply[4096];
	struct nlmsghdr *nh = (struct nlmsghdr *)reply;
	uint32_t seq = 0;
	size_t len = nlr_put_attr(a, CTRL_ATTR_FAMILY_NAME, name,
				  (uint16_t)(strlen(name) + 1));
	struct nlattr *at;
	int rem;

	memset(reply, 0, sizeof(reply));
	if (nlr_talk(fd, &seq, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, a, len,
		     reply, sizeof(reply)))
		return 0;
	at = (struct nlattr *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
	rem = (int)nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (rem >= NLA_HDRLEN && at->nla_len >= NLA_HDRLEN &&
	       at->nla_len <= rem) {
		if (at->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)((char *)at + NLA_HDRLEN);
		rem -= NLA_ALIGN(at->nla_len);
		at = (struct nlattr *)((char *)at + NLA_ALIGN(at->nla_len));
	}
	return 0;
}

#endif
