/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_ELFKIND_H
#define PROCSCOPE_ELFKIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/mapped_file.h"

/* A PT_LOAD segment of an ELF image (libelf program headers). */
struct elf_seg {
	uint64_t vaddr, memsz;		/* p_vaddr, p_memsz */
	uint64_t offset, filesz;	/* p_offset, p_filesz */
	uint32_t flags;			/* PF_R | PF_W | PF_X */
};

struct elf_image {
	char *path;
	uint64_t dev, ino;	/* the mapping's, part of the cache key */
	bool is_elf;
	struct elf_seg *seg;
	size_t nseg;
};

/*
 * Read the PT_LOAD headers of the file @mf maps, opened with
 * mapped_file_open() (never a FIFO, device or other inode). Not an ELF,
 * or not safely readable: is_elf false.
 */
int elf_image_load(const struct mapped_file *mf, struct elf_image *img);
void elf_image_free(struct elf_image *img);

/* The PT_LOAD segment that file offset @off falls in, or NULL. */
const struct elf_seg *elf_seg_for_offset(const struct elf_image *img,
					 uint64_t off);

#endif
