// SPDX-License-Identifier: GPL-2.0
/*
 * The vmas.h contract: a process's VMAs from VMA_DUMP, each labelled with
 * what it holds (text, rodata, data, bss, heap, stack, ...).
 */
#include <errno.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "model/elfkind.h"
#include "model/vmas.h"
#include "nl/attrs.h"

#define VM_READ		0x1ULL
#define VM_WRITE	0x2ULL
#define VM_EXEC		0x4ULL
#define VM_SHARED	0x8ULL

static const char *const kind_names[VMA_KIND__COUNT] = {
	[VMA_KIND_TEXT] = "text",
	[VMA_KIND_RODATA] = "rodata",
	[VMA_KIND_DATA] = "data",
	[VMA_KIND_BSS] = "bss",
	[VMA_KIND_HEAP] = "heap",
	[VMA_KIND_STACK] = "stack",
	[VMA_KIND_ANON] = "anon",
	[VMA_KIND_FILE] = "file",
	[VMA_KIND_SHM] = "shm",
	[VMA_KIND_VDSO] = "vdso",
	[VMA_KIND_VVAR] = "vvar",
	[VMA_KIND_OTHER] = "other",
};

const char *vma_kind_name(enum vma_kind k)
{
	return (unsigned int)k < VMA_KIND__COUNT ? kind_names[k] : "other";
}

const char *vma_perms(uint64_t flags, char buf[5])
{
	buf[0] = flags & VM_READ ? 'r' : '-';
	buf[1] = flags & VM_WRITE ? 'w' : '-';
	buf[2] = flags & VM_EXEC ? 'x' : '-';
	buf[3] = flags & VM_SHARED ? 's' : 'p';
	buf[4] = '\0';
	return buf;
}

static int vmas_push(struct vma_list *l, struct vma_info **out)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct vma_info *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	*out = &l->v[l->n++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

int vmas_parse_msg(const struct nlmsghdr *nlh, struct vma_list *l)
{
	const struct nlattr *tb[PROCSCOPE_A_MAX + 1];
	const struct nlattr *vb[PROCSCOPE_VMA_MAX + 1];
	struct vma_info *v;
	int ret;

	if (attrs_parse_msg(nlh, &attrs_top, tb))
		return -EINVAL;
	if (tb[PROCSCOPE_A_PID])
		l->pid = (pid_t)attr_u32(tb[PROCSCOPE_A_PID], 0);
	if (tb[PROCSCOPE_A_MM] &&
	    attrs_get_u64_array(tb[PROCSCOPE_A_MM], l->mm.v,
				__PROCSCOPE_MM_LAST, 0))
		return -EINVAL;
	if (!tb[PROCSCOPE_A_VMA])
		return 0;
	if (attrs_parse_nest(tb[PROCSCOPE_A_VMA], &attrs_vma, vb))
		return -EINVAL;
	if (!vb[PROCSCOPE_VMA_START] || !vb[PROCSCOPE_VMA_END])
		return -EINVAL;
	ret = vmas_push(l, &v);
	if (ret)
		return ret;
	v->start = attr_u64(vb[PROCSCOPE_VMA_START], 0);
	v->end = attr_u64(vb[PROCSCOPE_VMA_END], 0);
	v->flags = attr_u64(vb[PROCSCOPE_VMA_FLAGS], 0);
	v->pgoff = attr_u64(vb[PROCSCOPE_VMA_PGOFF], 0);
	v->inode = attr_u64(vb[PROCSCOPE_VMA_INODE], 0);
	v->dev = attr_u32(vb[PROCSCOPE_VMA_DEV], 0);
	v->anon = attr_u8(vb[PROCSCOPE_VMA_ANON], 0);
	v->shmem = attr_u8(vb[PROCSCOPE_VMA_SHMEM], 0);
	v->kind = VMA_KIND_OTHER;
	if (vb[PROCSCOPE_VMA_PATH] &&
	    !(v->path = strdup(attr_str(vb[PROCSCOPE_VMA_PATH], ""))))
		return -ENOMEM;
	if (vb[PROCSCOPE_VMA_NAME] &&
	    !(v->name = strdup(attr_str(vb[PROCSCOPE_VMA_NAME], ""))))
		return -ENOMEM;
	if (attrs_get_u64_array(vb[PROCSCOPE_VMA_LEAVES], v->leaves,
				__PROCSCOPE_LEAF_LAST, 0))
		return -EINVAL;
	return 0;
}

static int vma_cb(const struct nlmsghdr *nlh, void *data)
{
	int ret = vmas_parse_msg(nlh, data);

	if (ret) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int vmas_fetch(struct ps_nl *nl, pid_t pid, struct vma_list *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	memset(out, 0, sizeof(*out));
	out->pid = pid;
	nlh = ps_nl_request(nl, buf, PROCSCOPE_CMD_VMA_DUMP, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, PROCSCOPE_A_PID, (uint32_t)pid);
	ret = ps_nl_talk(nl, nlh, vma_cb, out);
	if (ret) {
		vmas_free(out);
		return ret;
	}
	vmas_classify(out);
	return 0;
}

/* Cache of ELF images by file: a library maps 4-5 VMAs. */
struct elf_cache {
	struct elf_image *img;
	size_t n;
};

static const struct elf_image *elf_lookup(struct elf_cache *c, pid_t pid,
					  const struct vma_info *v)
{
	const struct mapped_file mf = {
		.pid = pid, .start = v->start, .end = v->end,
		.path = v->path, .dev = v->dev, .ino = v->inode,
	};
	struct elf_image *img;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->img[i].ino == v->inode && c->img[i].dev == v->dev &&
		    !strcmp(c->img[i].path, v->path))
			return &c->img[i];
	img = realloc(c->img, (c->n + 1) * sizeof(*img));
	if (!img)
		return NULL;
	c->img = img;
	if (elf_image_load(&mf, &c->img[c->n]))
		return NULL;
	return &c->img[c->n++];
}

/*
 * An ELF VMA: the VMA's own permissions say which part of the image it
 * is (RELRO data turns read-only after relocation: rodata then); the
 * writable segment's p_memsz says how far its bss reaches past the file.
 * Returns the end of that segment's bss in memory, or 0.
 */
static uint64_t classify_elf(struct vma_info *v, const struct elf_image *img)
{
	const struct elf_seg *s = elf_seg_for_offset(img, v->pgoff);

	if (v->flags & VM_EXEC)
		v->kind = VMA_KIND_TEXT;
	else if (v->flags & VM_WRITE)
		v->kind = VMA_KIND_DATA;
	else
		v->kind = VMA_KIND_RODATA;
	if (!s || !(s->flags & PF_W))
		return 0;
	/* load bias: the VMA maps file offset pgoff at v->start */
	return v->start - (s->vaddr + (v->pgoff - s->offset)) + s->vaddr +
	       s->memsz;
}

static bool overlaps(const struct vma_info *v, uint64_t lo, uint64_t hi)
{
	return lo < hi && v->start < hi && v->end > lo;
}

void vmas_classify(struct vma_list *l)
{
	const uint64_t *mm = l->mm.v;
	struct elf_cache cache = { 0 };
	uint64_t bss_end = 0;
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct vma_info *v = &l->v[i];
		const struct elf_image *img;

		if (v->name && !strcmp(v->name, "[vdso]")) {
			v->kind = VMA_KIND_VDSO;
		} else if (v->name && !strcmp(v->name, "[vvar]")) {
			v->kind = VMA_KIND_VVAR;
		} else if (overlaps(v, mm[PROCSCOPE_MM_START_BRK],
				    mm[PROCSCOPE_MM_BRK]) ||
			   (v->name && !strcmp(v->name, "[heap]"))) {
			v->kind = VMA_KIND_HEAP;
		} else if (mm[PROCSCOPE_MM_START_STACK] >= v->start &&
			   mm[PROCSCOPE_MM_START_STACK] < v->end) {
			v->kind = VMA_KIND_STACK;
		} else if (v->shmem && (v->flags & VM_SHARED)) {
			v->kind = VMA_KIND_SHM;
		} else if (v->path) {
			img = elf_lookup(&cache, l->pid, v);
			if (img && img->is_elf) {
				bss_end = classify_elf(v, img);
				continue;
			}
			v->kind = VMA_KIND_FILE;
		} else if (v->start < bss_end) {
			v->kind = VMA_KIND_BSS;
		} else {
			v->kind = VMA_KIND_ANON;
		}
		bss_end = 0;
	}
	for (i = 0; i < cache.n; i++)
		elf_image_free(&cache.img[i]);
	free(cache.img);
}

const struct vma_info *vmas_find(const struct vma_list *l, uint64_t addr)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < l->v[mid].start)
			hi = mid;
		else if (addr >= l->v[mid].end)
			lo = mid + 1;
		else
			return &l->v[mid];
	}
	return NULL;
}

uint64_t vma_resident_bytes(const struct vma_info *v)
{
	const uint64_t *lv = v->leaves;
	uint64_t pages = lv[PROCSCOPE_LEAF_PTE] +
			 (lv[PROCSCOPE_LEAF_PMD] << 9) +
			 (lv[PROCSCOPE_LEAF_PUD] << 18);
	uint64_t nopage = lv[PROCSCOPE_LEAF_ZERO] + lv[PROCSCOPE_LEAF_SPECIAL];

	return (pages > nopage ? pages - nopage : 0) * 4096;
}

void vmas_free(struct vma_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].name);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
