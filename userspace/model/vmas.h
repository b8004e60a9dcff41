/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_VMAS_H
#define PROCSCOPE_VMAS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "nl/nl.h"

/*
 * A process's address space as the module reports it (VMA_DUMP), with a
 * kind label per VMA. Shared by maps, faults, show and top.
 */
enum vma_kind {
	VMA_KIND_TEXT,		/* executable code of an ELF image */
	VMA_KIND_RODATA,	/* read-only data of an ELF image */
	VMA_KIND_DATA,		/* initialised writable data of an ELF image */
	VMA_KIND_BSS,		/* zero-initialised data (anon part past p_filesz) */
	VMA_KIND_HEAP,		/* [start_brk, brk) */
	VMA_KIND_STACK,		/* the main thread's stack */
	VMA_KIND_ANON,		/* anonymous mmap */
	VMA_KIND_FILE,		/* other file mapping */
	VMA_KIND_SHM,		/* shmem / SysV / memfd, shared */
	VMA_KIND_VDSO,		/* [vdso] */
	VMA_KIND_VVAR,		/* [vvar] */
	VMA_KIND_OTHER,
	VMA_KIND__COUNT
};

struct vma_info {
	uint64_t start, end;	/* [start, end) */
	uint64_t flags;		/* vm_flags */
	uint64_t pgoff;		/* file offset, bytes */
	uint64_t inode;
	uint64_t dev;		/* new_encode_dev(), comparable to st_dev */
	char *path;		/* file path or NULL */
	char *name;		/* [heap] [stack] [vdso] ... or NULL */
	bool anon, shmem;
	enum vma_kind kind;
	/* Leaf counts (enum procscope_leaf, index = attribute type). */
	uint64_t leaves[__PROCSCOPE_LEAF_LAST];
};

struct mm_info {
	uint64_t v[__PROCSCOPE_MM_LAST];	/* enum procscope_mm_attr */
};

struct vma_list {
	pid_t pid;
	struct mm_info mm;
	struct vma_info *v;
	size_t n, cap;
};

/* VMA_DUMP for @pid, then label every VMA. Returns 0 or -errno. */
int vmas_fetch(struct ps_nl *nl, pid_t pid, struct vma_list *out);
/* Label kinds from names, brk/stack and the mapped ELF's program headers. */
void vmas_classify(struct vma_list *l);
/* The VMA containing @addr, or NULL. */
const struct vma_info *vmas_find(const struct vma_list *l, uint64_t addr);
const char *vma_kind_name(enum vma_kind k);
/* "r-xp" style permissions from vm_flags into @buf (5 bytes). */
const char *vma_perms(uint64_t flags, char buf[5]);
void vmas_free(struct vma_list *l);

/*
 * Add one VMA_DUMP message to @l (the header with A_MM, or one A_VMA).
 * Returns 0 or -errno. vmas_fetch() uses it; exposed for tests.
 */
int vmas_parse_msg(const struct nlmsghdr *nlh, struct vma_list *l);
/*
 * Bytes resident the way /proc/PID/smaps counts Rss: present leaves
 * minus the zero page and entries without a struct page.
 */
uint64_t vma_resident_bytes(const struct vma_info *v);

#endif
