// SPDX-License-Identifier: GPL-2.0
/*
 * procscope sockets PID: what the kernel holds for a process's sockets -
 * listeners with their SYN and accept queues, drops and SO_REUSEPORT
 * group, then every other socket with its buffers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/cli.h"
#include "cmd/sockets.h"
#include "cmd/subcommands.h"
#include "render/sock_render.h"
#include "render/term.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope sockets [--json] PID\n"
		"\n"
		"Show every socket process PID holds, as the kernel keeps it.\n"
		"\n"
		"Listening TCP sockets first: a listener is not a connection. A SYN\n"
		"creates a request sock in its SYN queue (half-open); the finished\n"
		"handshake moves a full socket to its accept queue; accept() takes it\n"
		"out. The backlog caps the accept queue (which holds backlog+1); when it\n"
		"is full, SYNs and third ACKs are dropped (DROPS, the kernel's\n"
		"ListenDrops for this socket). A full SYN queue means drops or SYN\n"
		"cookies. REUSEPORT shows the SO_REUSEPORT group: which member this\n"
		"socket is and which processes hold the others.\n"
		"\n"
		"Then every other socket with its buffers: RECV-Q is data received but\n"
		"not read by the process, SEND-Q data sent but not acknowledged by the\n"
		"peer, RMEM/WMEM the kernel memory they use against RCVBUF/SNDBUF.\n"
		"\n"
		"Drop causes are counted per listener only while the process is watched\n"
		"(procscope accept PID).\n"
		"\n"
		"Examples:\n"
		"  procscope sockets $(pidof nginx)      queues of a web server\n"
		"  procscope sockets --json 1234         one JSON document: pid, sockets[]\n"
		"\n"
		"JSON keys per socket: fd, family, type, state, local, remote,\n"
		"accept_queue, backlog, syn_queue, drops, reuseport, rcvbuf, sndbuf,\n"
		"rmem, wmem (and more; null where a field does not apply).\n");
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PROCSCOPE_A_MAX + 1];
	struct sock_list *list = data;
	struct ps_sock *s;

	if (attrs_parse_msg(nlh, &attrs_top, tb))
		return MNL_CB_ERROR;
	if (!tb[PROCSCOPE_A_SOCK])
		return MNL_CB_OK;
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;

		s = realloc(list->socks, cap * sizeof(*s));
		if (!s) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		list->socks = s;
		list->cap = cap;
	}
	if (sock_parse(tb[PROCSCOPE_A_SOCK], &list->socks[list->n])) {
		errno = EINVAL;
		return MNL_CB_ERROR;
	}
	list->n++;
	return MNL_CB_OK;
}

static bool is_tcp_listener(const struct ps_sock *s)
{
	return s->listener;
}

void sockets_render_text(pid_t pid, const struct sock_list *l, FILE *f)
{
	char a[SOCK_ADDR_STRLEN], r[SOCK_ADDR_STRLEN], b1[16], b2[16];
	char g[TERM_BAR_BUFSIZE(10) + 2];
	bool unicode = term_style_for(f).unicode;
	size_t i, nl = 0;
	unsigned int k;

	for (i = 0; i < l->n; i++)
		nl += is_tcp_listener(&l->socks[i]);
	fprintf(f, "pid %d: %zu socket%s, %zu listening\n", (int)pid, l->n,
		l->n == 1 ? "" : "s", nl);
	if (!l->n)
		return;
	if (nl) {
		fprintf(f, "\nLISTENING TCP SOCKETS\n");
		fprintf(f, "%4s  %-24s %-12s %-22s %7s  %-7s %s\n", "FD",
			"LOCAL", "SYN-Q", "ACCEPT-Q/BACKLOG", "DROPS",
			"COOKIES", "REUSEPORT");
	}
	for (i = 0; i < l->n; i++) {
		const struct ps_sock *s = &l->socks[i];
		char sq[24], aq[24], rp[48];

		if (!is_tcp_listener(s))
			continue;
		snprintf(sq, sizeof(sq), "%u (%u young)", s->syn_queue,
			 s->syn_young);
		/* The queue holds backlog + 1: a full gauge is a full queue. */
		term_gauge(g, sizeof(g), s->accept_queue,
			   (uint64_t)s->backlog + 1, 10, unicode);
		snprintf(aq, sizeof(aq), "%u/%u", s->accept_queue, s->backlog);
		if (s->has_rp)
			snprintf(rp, sizeof(rp), "group %u: member %u of %u",
				 s->rp_id, s->rp_index, s->rp_num);
		else
			snprintf(rp, sizeof(rp), "-");
		fprintf(f, "%4u  %-24s %-12s %-9s %s %7u  %-7s %s\n", s->fd,
			sock_fmt_addr(s->family, s->laddr, s->lport, a,
				      sizeof(a)),
			sq, aq, g, s->listen_drops, s->syncookies ? "SENT" : "no",
			rp);
		if (s->has_requested && s->requested > s->backlog)
			fprintf(f, "      backlog: listen() asked for %u, net.core.somaxconn=%u clamped it to %u\n",
				s->requested, s->somaxconn, s->backlog);
		if (s->accept_queue > s->backlog)
			fprintf(f, "      accept queue FULL: new connections are being dropped\n");
		if (s->has_rp && s->n_rp_pids) {
			fprintf(f, "      reuseport members held by pid:");
			for (k = 0; k < s->n_rp_pids; k++) {
				if (s->rp_pids[k])
					fprintf(f, " %s%u", k == s->rp_index ?
						"*" : "", s->rp_pids[k]);
				else
					fprintf(f, " ?");
			}
			fprintf(f, "\n");
		}
		if (s->watched) {
			fprintf(f, "      drops since watched:");
			for (k = 0; k < __PROCSCOPE_DROP_LAST; k++)
				fprintf(f, " %s %llu", sock_drop_name(k),
					(unsigned long long)s->drops[k]);
			fprintf(f, "\n");
		}
	}
	if (nl == l->n)
		return;
	fprintf(f, "\nOTHER SOCKETS\n");
	fprintf(f, "%4s  %-6s %-6s %-12s %-24s %-24s %8s %8s %19s %19s\n", "FD",
		"FAMILY", "TYPE", "STATE", "LOCAL", "REMOTE", "RECV-Q",
		"SEND-Q", "RMEM/RCVBUF", "WMEM/SNDBUF");
	for (i = 0; i < l->n; i++) {
		const struct ps_sock *s = &l->socks[i];
		bool inet = s->family == AF_INET || s->family == AF_INET6;
		char rq[16] = "-", tq[16] = "-", rm[32], wm[32];

		if (is_tcp_listener(s))
			continue;
		if (s->has_unread)
			snprintf(rq, sizeof(rq), "%u", s->unread);
		if (s->has_unacked)
			snprintf(tq, sizeof(tq), "%u", s->unacked);
		snprintf(rm, sizeof(rm), "%s/%s",
			 fmt_bytes(s->rmem, b1, sizeof(b1)),
			 fmt_bytes(s->rcvbuf, b2, sizeof(b2)));
		snprintf(wm, sizeof(wm), "%s/", fmt_bytes(s->wmem, b1,
							 sizeof(b1)));
		strncat(wm, fmt_bytes(s->sndbuf, b2, sizeof(b2)),
			sizeof(wm) - strlen(wm) - 1);
		fprintf(f, "%4u  %-6s %-6s %-12s %-24s %-24s %8s %8s %19s %19s\n",
			s->fd, sock_family_name(s->family),
			sock_type_name(s->type), sock_state_name(s),
			inet ? sock_fmt_addr(s->family, s->laddr, s->lport, a,
					     sizeof(a)) : "-",
			inet ? sock_fmt_addr(s->family, s->raddr, s->rport, r,
					     sizeof(r)) : "-",
			rq, tq, rm, wm);
	}
}

void sockets_render_json(pid_t pid, const struct sock_list *l, struct json *j)
{
	size_t i;

	json_obj_begin(j, NULL);
	json_u64(j, "pid", pid);
	json_arr_begin(j, "sockets");
	for (i = 0; i < l->n; i++)
		sock_render_json(&l->socks[i], j);
	json_arr_end(j);
	json_obj_end(j);
}

int sockets_fetch(struct ps_nl *nl, pid_t pid, struct sock_list *list)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *req;
	int ret, tries;

	/* A dump interrupted by a concurrent change is simply retried. */
	for (tries = 0; tries < 3; tries++) {
		list->n = 0;
		req = ps_nl_request(nl, buf, PROCSCOPE_CMD_SOCK_DUMP,
				    NLM_F_DUMP);
		mnl_attr_put_u32(req, PROCSCOPE_A_PID, (uint32_t)pid);
		ret = ps_nl_talk(nl, req, dump_cb, list);
		if (ret != -EINTR)
			break;
	}
	return ret;
}

int sockets_main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_LONGOPTS };
	struct sock_list list = { 0 };
	char err[512];
	struct ps_nl nl;
	struct json j;
	pid_t pid;
	int ret;

	ret = cli_getopt(argc, argv, "jh", opts, NULL, NULL, usage);
	if (ret < 0)
		return cli_exit_status(ret);
	if (cli_pid_operand("sockets", argc, argv, ret, &pid))
		return 2;
	if (ps_nl_open_cmd(&nl, "sockets"))
		return 1;
	ret = sockets_fetch(&nl, pid, &list);
	if (ret) {
		cli_error("sockets", "pid %d: %s", (int)pid,
			  ps_nl_strerror(&nl, ret, err, sizeof(err)));
		ps_nl_close(&nl);
		free(list.socks);
		return 1;
	}
	ps_nl_close(&nl);
	if (cli.json) {
		json_init(&j, stdout);
		sockets_render_json(pid, &list, &j);
	} else {
		sockets_render_text(pid, &list, stdout);
	}
	free(list.socks);
	return 0;
}
