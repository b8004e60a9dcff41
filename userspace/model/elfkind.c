// SPDX-License-Identifier: GPL-2.0
/* Program headers of a mapped ELF image, through libelf. */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/elfkind.h"

int elf_image_load(const struct mapped_file *mf, struct elf_image *img)
{
	size_t i, n;
	Elf *elf;
	int fd;

	memset(img, 0, sizeof(*img));
	img->path = strdup(mf->path ? mf->path : "");
	if (!img->path)
		return -ENOMEM;
	img->dev = mf->dev;
	img->ino = mf->ino;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return 0;
	fd = mapped_file_open(mf);
	if (fd < 0)
		return 0;	/* not ours to read: labelled "file" */
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &n))
		goto out;
	img->seg = calloc(n ? n : 1, sizeof(*img->seg));
	if (!img->seg)
		goto out;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		img->seg[img->nseg++] = (struct elf_seg){
			.vaddr = ph.p_vaddr, .memsz = ph.p_memsz,
			.offset = ph.p_offset, .filesz = ph.p_filesz,
			.flags = ph.p_flags,
		};
	}
	img->is_elf = true;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return 0;
}

void elf_image_free(struct elf_image *img)
{
	free(img->path);
	free(img->seg);
	memset(img, 0, sizeof(*img));
}

const struct elf_seg *elf_seg_for_offset(const struct elf_image *img,
					 uint64_t off)
{
	size_t i;

	for (i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];
		/* Segments are mapped from their page-aligned offset. */
		uint64_t lo = s->offset & ~4095ULL;
		uint64_t hi = s->offset + (s->filesz ? s->filesz : 1);

		if (off >= lo && off < hi)
			return s;
	}
	return NULL;
}
