/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_MAPPED_FILE_H
#define PROCSCOPE_MAPPED_FILE_H

#include <stdint.h>
#include <sys/types.h>

/*
 * The file behind one VMA of a target process, as the module reported it.
 * The path is the target's d_path, i.e. a string its owner controls: by
 * the time we open it, the file may have been replaced by a FIFO (a plain
 * open() hangs), a symlink to a device node (an open() as root has the
 * driver's side effects) or another file (attacker-chosen ELF parsed as
 * root). mapped_file_open() therefore never opens anything but a regular
 * file whose device and inode are the VMA's.
 */
struct mapped_file {
	pid_t pid;		/* > 0: try /proc/PID/map_files, /proc/PID/root */
	uint64_t start, end;	/* the VMA, for /proc/PID/map_files/START-END */
	const char *path;	/* PROCSCOPE_VMA_PATH */
	uint64_t dev;		/* PROCSCOPE_VMA_DEV (new_encode_dev, as st_dev) */
	uint64_t ino;		/* PROCSCOPE_VMA_INODE */
};

/*
 * A read-only, close-on-exec fd of the mapped file, or -errno: -ENOENT if
 * nothing is found, -ELOOP for a symlink in the last component, -EBADFD
 * if what is found is not a regular file or not the mapped inode
 * (@ino 0 never matches; the device is compared too, except through
 * map_files, which is the mapped file by construction). Candidates are opened with O_PATH (no driver or
 * FIFO open), checked with fstat(), and only then reopened for reading
 * through /proc/self/fd, which gives the same inode.
 */
int mapped_file_open(const struct mapped_file *mf);

#endif
