/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SHOW_H
#define PROCSCOPE_SHOW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "model/pt_summary.h"
#include "model/sock.h"
#include "model/vmas.h"
#include "nl/watch.h"

/* Who the process is, from /proc/PID (no module needed). */
struct show_identity {
	char comm[64];
	char exe[512];		/* "" when unreadable */
	char cmdline[512];	/* arguments joined by spaces */
	char state;		/* R S D T Z ... */
	pid_t ppid;
	uint32_t uid, euid;
	char user[64];		/* the uid's name, or "" */
	uint32_t threads;
	uint64_t vm_rss_kb, vm_swap_kb, vm_pte_kb;
	uint64_t minflt, majflt;	/* /proc/PID/stat: since the start */
	bool kernel_thread;	/* no address space */
};

/*
 * Everything `procscope show` prints: each part with its own error, so one
 * missing view (say a permission refused) does not hide the others.
 */
struct show_data {
	pid_t pid;
	struct show_identity id;
	int id_err;

	struct vma_list maps;
	int maps_err;			/* -errno; 0 with the data */
	struct pt_summary pt;
	int pt_err;
	struct sock_list socks;
	int socks_err;

	struct fault_watch watch;
	int watch_err;			/* -ENOENT: nobody watches the pid */
	uint64_t now_ns;		/* CLOCK_MONOTONIC at the read */
	double sampled_s;		/* > 0: show watched it this long itself */

	bool admin;			/* CAP_SYS_ADMIN: PFNs, live events */
	char errmsg[4][256];		/* the kernel's words per failed part */
};

enum show_part { SHOW_MAPS, SHOW_PT, SHOW_SOCKS, SHOW_WATCH };

void show_data_init(struct show_data *d, pid_t pid);
void show_data_free(struct show_data *d);

/* Fill @id from /proc/PID. Returns 0 or -errno (-ENOENT: no such pid). */
int show_identity_read(pid_t pid, struct show_identity *id);
/* Parse the text of /proc/PID/status into @id (tests use it directly). */
void show_identity_parse_status(const char *text, struct show_identity *id);
/* Parse the text of /proc/PID/stat (minflt, majflt, state, ppid). */
int show_identity_parse_stat(const char *text, struct show_identity *id);

/* Memory by VMA kind. */
struct show_kind_row {
	unsigned int vmas;
	uint64_t size, resident, swap, huge;
};

void show_memory_by_kind(const struct vma_list *l,
			 struct show_kind_row rows[VMA_KIND__COUNT]);

/* The one-screen page, and the merged JSON object (one line). */
#endif
