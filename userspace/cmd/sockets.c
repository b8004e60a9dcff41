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
