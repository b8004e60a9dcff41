/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SYMBOLIZE_H
#define PROCSCOPE_SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Instruction pointer -> "function+0xoff (binary)" from ELF symbol tables
 * (.symtab, else .dynsym) of the executable and shared libraries, through
 * libelf. Each file is read once and cached. An address is mapped to the
 * ELF's virtual address with the VMA's start and file offset and the
 * PT_LOAD segment that holds that offset, so PIE and libraries work.
 */
struct symbolizer;

/* @pid: files are also looked up under /proc/PID/root (0: not). */
struct symbolizer *symbolizer_new(pid_t pid);
void symbolizer_free(struct symbolizer *sz);

/*
 * @ip inside a file mapping of @path that starts at @vma_start with file
 * offset @pgoff (bytes). Writes "func+0x1a (name)" into @buf and returns
 * 0; without a covering symbol writes "name+0xOFFSET" (file offset) and
 * returns -ENOENT; -errno if the file cannot be read (buf: "name").
 */
int symbolize_ip(struct symbolizer *sz, const char *path, uint64_t vma_start,
		 uint64_t pgoff, uint64_t ip, char *buf, size_t len);

#endif
