// SPDX-License-Identifier: GPL-2.0
/* Open a target's mapped file without trusting its path: see mapped_file.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/mapped_file.h"

/*
 * -errno unless @st is the mapped regular file. @any_dev: the device is
 * not compared. Only for /proc/PID/map_files, which the kernel resolves to
 * the mapped file itself: there st_dev may legitimately differ from the
 * VMA's (btrfs reports a per-subvolume device in stat, the superblock's in
 * the maps), and a mismatch would only cost the label, not safety.
 */
static int check(const struct stat *st, const struct mapped_file *mf,
		 int any_dev)
{
	if (!S_ISREG(st->st_mode))
		return -EBADFD;
	if (!mf->ino || (uint64_t)st->st_ino != mf->ino ||
	    (!any_dev && (uint64_t)st->st_dev != mf->dev))
		return -EBADFD;
	return 0;
}

/*
 * An O_PATH fd of @path that passed check(). @map_files: @path is a
 * /proc/PID/map_files entry, a magic link that must be followed (it leads
 * to the mapped file itself); any other symlink as the last component is
 * refused.
 */
static int open_checked(const char *path, const struct mapped_file *mf,
			int map_files)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_PATH | O_CLOEXEC | (map_files ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
	} else if (S_ISLNK(st.st_mode)) {
		ret = -ELOOP;	/* O_PATH|O_NOFOLLOW gave us the link itself */
	} else {
		ret = check(&st, mf, map_files);
		if (!ret)
			return fd;
	}
	close(fd);
	return ret;
}

int mapped_file_open(const struct mapped_file *mf)
{
	char p[4200];
	struct stat st;
	int pfd = -ENOENT, any_dev = 0, fd, ret;

	if (mf->pid > 0 && mf->end > mf->start) {
		/* Needs CAP_SYS_ADMIN (or CHECKPOINT_RESTORE): root's case. */
		snprintf(p, sizeof(p), "/proc/%d/map_files/%llx-%llx",
			 (int)mf->pid, (unsigned long long)mf->start,
			 (unsigned long long)mf->end);
		pfd = open_checked(p, mf, 1);
		any_dev = pfd >= 0;
	}
	if (pfd < 0 && mf->path && mf->path[0] == '/') {
		/* The target may live in another mount namespace. */
		if (mf->pid > 0) {
			snprintf(p, sizeof(p), "/proc/%d/root%s", (int)mf->pid,
				 mf->path);
			pfd = open_checked(p, mf, 0);
		}
		if (pfd < 0) {
			ret = open_checked(mf->path, mf, 0);
			/* Keep the more telling error of the two. */
			pfd = ret >= 0 || pfd == -ENOENT ? ret : pfd;
		}
	}
	if (pfd < 0)
		return pfd;
	/* Reopen the very inode we checked, now for reading. */
	snprintf(p, sizeof(p), "/proc/self/fd/%d", pfd);
	fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	ret = fd < 0 ? -errno : 0;
	close(pfd);
	if (fd >= 0 && (fstat(fd, &st) || check(&st, mf, any_dev))) {
		close(fd);
		return -EBADFD;
	}
	return fd >= 0 ? fd : ret;
}
