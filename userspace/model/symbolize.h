/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SYMBOLIZE_H
#define PROCSCOPE_SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/mapped_file.h"

/*
 * Instruction pointer -> "function+0xoff (binary)" from ELF symbol tables
 * (.symtab, else .dynsym) of the executable and shared libraries, through
 * libelf. Each file is read once and cached. An address is mapped to the
 * ELF's virtual address with the VMA's start and file offset and the
 * PT_LOAD segment that holds that offset, so PIE and libraries work.
 */
struct symbolizer;

/*
 * @pid: the process whose mappings are symbolized; its files are opened
 * through /proc/PID/map_files or /proc/PID/root when possible (0: not).
 */
struct symbolizer *symbolizer_new(pid_t pid);
void symbolizer_free(struct symbolizer *sz);

/*
 * @ip inside the file mapping @mf (start, end, path, dev, inode; its pid
 * is the symbolizer's) with file offset @pgoff (bytes). The file is read
 * only if mapped_file_open() finds it. Writes "func+0x1a (name)" into @buf
 * and returns 0; without a covering symbol writes "name+0xOFFSET" (file
 * offset) and returns -ENOENT; -errno if the file cannot be read (buf:
 * "name+0xOFFSET").
 */
int symbolize_ip(struct symbolizer *sz, const struct mapped_file *mf,
		 uint64_t pgoff, uint64_t ip, char *buf, size_t len);

#endif
