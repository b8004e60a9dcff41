// SPDX-License-Identifier: GPL-2.0
/* ip -> function+0xoff (binary), from ELF symbol tables, cached per file. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/symbolize.h"

struct sym {
	uint64_t addr, size;
	char *name;
};

struct load_seg {
	uint64_t offset, vaddr, filesz;
};

struct elf_file {
	char *path;
	uint64_t dev, ino;
	int err;		/* -errno if it could not be read */
	struct sym *syms;
	size_t nsyms;
	struct load_seg *segs;
	size_t nsegs;
	struct elf_file *next;
};

struct symbolizer {
	pid_t pid;
	struct elf_file *files;
};

struct symbolizer *symbolizer_new(pid_t pid)
{
	struct symbolizer *sz = calloc(1, sizeof(*sz));

	if (sz)
		sz->pid = pid;
	return sz;
}

static void file_free(struct elf_file *f)
{
	size_t i;

	for (i = 0; i < f->nsyms; i++)
		free(f->syms[i].name);
	free(f->syms);
	free(f->segs);
	free(f->path);
	free(f);
}

void symbolizer_free(struct symbolizer *sz)
{
	struct elf_file *f, *n;

	if (!sz)
		return;
	for (f = sz->files; f; f = n) {
		n = f->next;
		file_free(f);
	}
	free(sz);
}

static int sym_cmp(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Same address: the sized one first, then the shorter name. */
	if ((x->size != 0) != (y->size != 0))
		return x->size ? -1 : 1;
	return (int)strlen(x->name) - (int)strlen(y->name);
}

static int add_sym(struct elf_file *f, size_t *cap, uint64_t addr,
		   uint64_t size, const char *name)
{
	if (f->nsyms == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct sym *n = realloc(f->syms, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		f->syms = n;
		*cap = ncap;
	}
	f->syms[f->nsyms].name = strdup(name);
	if (!f->syms[f->nsyms].name)
		return -ENOMEM;
	f->syms[f->nsyms].addr = addr;
	f->syms[f->nsyms].size = size;
	f->nsyms++;
	return 0;
}

/* Function symbols of one table (SHT_SYMTAB or SHT_DYNSYM). */
static int read_symtab(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh,
		       struct elf_file *f, size_t *cap)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t i, n;

	if (!data || !sh->sh_entsize)
		return 0;
	n = sh->sh_size / sh->sh_entsize;
	for (i = 0; i < n; i++) {
		GElf_Sym s;
		const char *name;
		int type;

		if (!gelf_getsym(data, (int)i, &s))
			continue;
		type = GELF_ST_TYPE(s.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) ||
		    s.st_shndx == SHN_UNDEF || !s.st_value)
			continue;
		name = elf_strptr(elf, sh->sh_link, s.st_name);
		if (!name || !*name)
			continue;
		if (add_sym(f, cap, s.st_value, s.st_size, name))
			return -ENOMEM;
	}
	return 0;
}

static int load_elf(struct elf_file *f, int fd)
{
	size_t nph, i, cap = 0;
	Elf_Scn *scn = NULL;
	int have_symtab = 0, ret = 0;
	Elf *elf;

	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &nph)) {
		if (elf)
			elf_end(elf);
		return -ENOEXEC;
	}
	f->segs = calloc(nph ? nph : 1, sizeof(*f->segs));
	if (!f->segs) {
		elf_end(elf);
		return -ENOMEM;
	}
	for (i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD) {
			f->segs[f->nsegs].offset = ph.p_offset;
			f->segs[f->nsegs].vaddr = ph.p_vaddr;
			f->segs[f->nsegs].filesz = ph.p_filesz;
			f->nsegs++;
		}
	}
	/* .symtab has everything; .dynsym is what a stripped file keeps. */
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			have_symtab = 1;
			ret = read_symtab(elf, scn, &sh, f, &cap);
		}
	}
	scn = NULL;
	while (!ret && !have_symtab && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_DYNSYM)
			ret = read_symtab(elf, scn, &sh, f, &cap);
	}
	elf_end(elf);
	if (f->nsyms)
		qsort(f->syms, f->nsyms, sizeof(*f->syms), sym_cmp);
	return ret;
}

static struct elf_file *get_file(struct symbolizer *sz,
				 const struct mapped_file *mf)
{
	struct mapped_file m = *mf;
	struct elf_file *f;
	int fd;

	for (f = sz->files; f; f = f->next)
		if (f->ino == mf->ino && f->dev == mf->dev &&
		    !strcmp(f->path, mf->path))
			return f;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->path = strdup(mf->path);
	if (!f->path) {
		free(f);
		return NULL;
	}
	f->dev = mf->dev;
	f->ino = mf->ino;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		f->err = -ENOSYS;
	} else {
		if (m.pid <= 0)
			m.pid = sz->pid;
		fd = mapped_file_open(&m);
		if (fd < 0) {
			f->err = fd;
		} else {
			f->err = load_elf(f, fd);
			close(fd);
		}
	}
	f->next = sz->files;
	sz->files = f;
	return f;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int symbolize_ip(struct symbolizer *sz, const struct mapped_file *mf,
		 uint64_t pgoff, uint64_t ip, char *buf, size_t len)
{
	struct elf_file *f = get_file(sz, mf);
	const char *path = mf->path;
	uint64_t off = ip - mf->start + pgoff, vaddr = 0;
	size_t lo, hi, i;
	int found = 0;

	if (!f || f->err) {
		snprintf(buf, len, "%s+0x%llx", base_name(path),
			 (unsigned long long)off);
		return f ? f->err : -ENOMEM;
	}
	for (i = 0; i < f->nsegs; i++) {
		const struct load_seg *s = &f->segs[i];

		if (off >= s->offset && off < s->offset + s->filesz) {
			vaddr = off - s->offset + s->vaddr;
			found = 1;
			break;
		}
	}
	if (!found || !f->nsyms || vaddr < f->syms[0].addr)
		goto nosym;
	/* Last symbol at or below vaddr. */
	lo = 0;
	hi = f->nsyms;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->syms[mid].addr <= vaddr)
			lo = mid;
		else
			hi = mid;
	}
	/* Among equal addresses, the first (best) one. */
	while (lo > 0 && f->syms[lo - 1].addr == f->syms[lo].addr)
		lo--;
	if (f->syms[lo].size && vaddr >= f->syms[lo].addr + f->syms[lo].size)
		goto nosym;
	snprintf(buf, len, "%s+0x%llx (%s)", f->syms[lo].name,
		 (unsigned long long)(vaddr - f->syms[lo].addr), base_name(path));
	return 0;
nosym:
	snprintf(buf, len, "%s+0x%llx", base_name(path), (unsigned long long)off);
	return -ENOENT;
}
