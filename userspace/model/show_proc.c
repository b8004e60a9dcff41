// SPDX-License-Identifier: GPL-2.0
/*
 * What `procscope show` gathers (struct show_data): who the process is,
 * from /proc/PID, and its memory by kind of mapping.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/show.h"

#define PAGE ((uint64_t)4096)
#define PF_KTHREAD 0x00200000u	/* include/linux/sched.h */

/* Read a whole small /proc file into @buf; returns its length or -errno. */
static ssize_t read_file(const char *path, char *buf, size_t len)
{
	ssize_t n, got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((size_t)got + 1 < len) {
		n = read(fd, buf + got, len - 1 - (size_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return got;
}

static uint64_t kb_value(const char *line)
{
	return strtoull(line, NULL, 10);
}

void show_identity_parse_status(const char *text, struct show_identity *id)
{
	const char *p = text;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		const char *v = strchr(p, ':');

		if (v && (!eol || v < eol)) {
			size_t klen = (size_t)(v - p);

			v++;
			while (*v == ' ' || *v == '\t')
				v++;
			if (klen == 4 && !strncmp(p, "Name", 4)) {
				size_t n = eol ? (size_t)(eol - v) : strlen(v);

				if (n >= sizeof(id->comm))
					n = sizeof(id->comm) - 1;
				memcpy(id->comm, v, n);
				id->comm[n] = '\0';
			} else if (klen == 3 && !strncmp(p, "Uid", 3)) {
				unsigned int r = 0, e = 0;

				if (sscanf(v, "%u %u", &r, &e) == 2) {
					id->uid = r;
					id->euid = e;
				}
			} else if (klen == 7 && !strncmp(p, "Threads", 7)) {
				id->threads = (uint32_t)strtoul(v, NULL, 10);
			} else if (klen == 5 && !strncmp(p, "VmRSS", 5)) {
				id->vm_rss_kb = kb_value(v);
			} else if (klen == 6 && !strncmp(p, "VmSwap", 6)) {
				id->vm_swap_kb = kb_value(v);
			} else if (klen == 5 && !strncmp(p, "VmPTE", 5)) {
				id->vm_pte_kb = kb_value(v);
			}
		}
		p = eol ? eol + 1 : NULL;
	}
}

int show_identity_parse_stat(const char *text, struct show_identity *id)
{
	const char *p = strrchr(text, ')');
	unsigned long long minflt, majflt;
	unsigned int flags;
	char state;
	int ppid;

	/* comm may hold spaces and ')': the fields start after the last ')'. */
	if (!p || sscanf(p + 1, " %c %d %*d %*d %*d %*d %u %llu %*u %llu",
			 &state, &ppid, &flags, &minflt, &majflt) != 5)
		return -EINVAL;
	id->state = state;
	id->ppid = ppid;
	id->minflt = minflt;
	id->majflt = majflt;
	id->kernel_thread = flags & PF_KTHREAD;
	return 0;
}

static void read_cmdline(pid_t pid, struct show_identity *id)
{
	char path[64];
	ssize_t n, i;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	n = read_file(path, id->cmdline, sizeof(id->cmdline));
	if (n <= 0) {
		id->cmdline[0] = '\0';
		return;
	}
	/* NUL-separated arguments, usually with a trailing NUL. */
	while (n > 0 && id->cmdline[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (id->cmdline[i] == '\0' || id->cmdline[i] == '\n')
			id->cmdline[i] = ' ';
	id->cmdline[n] = '\0';
}

int show_identity_read(pid_t pid, struct show_identity *id)
{
	char path[64], buf[4096];
	struct passwd *pw;
	ssize_t n;

	memset(id, 0, sizeof(*id));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = read_file(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (show_identity_parse_stat(buf, id))
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	n = read_file(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	show_identity_parse_status(buf, id);
	/* exe: only if we may ptrace it, like the module's own views. */
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, id->exe, sizeof(id->exe) - 1);
	id->exe[n > 0 ? n : 0] = '\0';
	read_cmdline(pid, id);
	pw = getpwuid(id->uid);
	if (pw)
		snprintf(id->user, sizeof(id->user), "%s", pw->pw_name);
	return 0;
}

void show_data_init(struct show_data *d, pid_t pid)
{
	memset(d, 0, sizeof(*d));
	d->pid = pid;
	d->maps_err = d->pt_err = d->socks_err = d->watch_err = -ENODATA;
}

void show_data_free(struct show_data *d)
{
	if (!d->maps_err)
		vmas_free(&d->maps);
	free(d->socks.socks);
	d->socks.socks = NULL;
	d->socks.n = 0;
}

void show_memory_by_kind(const struct vma_list *l,
			 struct show_kind_row rows[VMA_KIND__COUNT])
{
	size_t i;

	memset(rows, 0, sizeof(rows[0]) * VMA_KIND__COUNT);
	for (i = 0; i < l->n; i++) {
		const struct vma_info *v = &l->v[i];
		struct show_kind_row *r = &rows[(unsigned int)v->kind < VMA_KIND__COUNT ?
						v->kind : VMA_KIND_OTHER];

		r->vmas++;
		r->size += v->end - v->start;
		r->resident += vma_resident_bytes(v);
		r->swap += v->leaves[PROCSCOPE_LEAF_SWAP] * PAGE;
		r->huge += (v->leaves[PROCSCOPE_LEAF_PMD] << 21) +
			   (v->leaves[PROCSCOPE_LEAF_PUD] << 30);
	}
}
