/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_NL_H
#define PROCSCOPE_NL_H

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdint.h>

#include <linux/procscope.h>

/* Big enough for the largest dump message the kernel builds (32 KiB). */
#define PS_NL_BUFSIZE (64 * 1024)

struct ps_nl {
	struct mnl_socket *sock;
	uint16_t family;	/* resolved family id */
	uint32_t version;	/* the module's ABI version */
	uint32_t events_group;	/* multicast group id, 0 if none */
	uint32_t portid;
	uint32_t seq;
	char *buf;		/* PS_NL_BUFSIZE receive buffer */
	char errmsg[256];	/* the kernel's extended-ack message, if any */
};

/*
 * Open a socket and resolve the procscope family. Returns 0 or -errno:
 * -ENOENT when the module is not loaded, -EPROTO on an ABI mismatch.
 */
int ps_nl_open(struct ps_nl *nl);
/*
 * ps_nl_open() for command @cmd: 0, or 1 (the exit status) after saying
 * why on stderr ("procscope: CMD: ..." with what to do about it).
 */
int ps_nl_open_cmd(struct ps_nl *nl, const char *cmd);
void ps_nl_close(struct ps_nl *nl);

/* Start a request for @cmd in @buf (at least MNL_SOCKET_BUFFER_SIZE). */
struct nlmsghdr *ps_nl_request(struct ps_nl *nl, void *buf, uint8_t cmd,
			       uint16_t flags);

/*
 * Send @req and feed every reply message to @cb until the ACK or the end
 * of the dump. Returns 0, the callback's negative value, or -errno from
 * the kernel (with nl->errmsg set when it said why).
 */
int ps_nl_talk(struct ps_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
	       void *data);

/*
 * Subscribe to nlctrl's family notifications, so that the module's
 * unloading ends a stream (anyone), then to the events group (needs
 * CAP_SYS_ADMIN: -EPERM leaves the first subscription in place).
 */
int ps_nl_join_events(struct ps_nl *nl);

/*
 * Receive one batch of event messages and feed them to @cb. Returns the
 * number of bytes processed, 0 on timeout (@timeout_ms; -1 waits forever),
 * or -errno; -ENOBUFS means the socket overran and events were lost,
 * -ENODEV that the module was unloaded (its family went away).
 */
int ps_nl_recv_events(struct ps_nl *nl, int timeout_ms, mnl_cb_t cb,
		      void *data);

/*
 * A message for the user: what failed, why (the kernel's own words when
 * it gave some) and what to do about it.
 */
const char *ps_nl_strerror(const struct ps_nl *nl, int err, char *buf,
			   size_t len);

/* Extract the error and extended-ack message of an NLMSG_ERROR/DONE. */
int ps_nl_parse_error(const struct nlmsghdr *nlh, char *msg, size_t len);

#endif
