// SPDX-License-Identifier: GPL-2.0
/*
 * Compare procscope's page-table view with the kernel's own accounting.
 *
 *   pt_check pagemap PID [START END] < ptes.json
 *       every 4 KiB page of every VMA in /proc/PID/maps (or of [START,END)):
 *       present/swap state and PFN equal /proc/PID/pagemap; a page with a
 *       mapcount is "exclusive" in pagemap (bit 56) iff its mapcount is 1.
 *   pt_check smaps PID < maps.json
 *       per VMA: present == Rss, swap == Swap, huge == AnonHugePages.
 *   pt_check vmpte PID < pt.json
 *       vmpte_expected (PUD+PMD+PTE tables + deposited) == VmPTE.
 *   pt_check translate PID VA < translate.json
 *       pa == PFN from pagemap * 4096 + offset.
 *
 * Prints what it compared; exits 1 on any mismatch, 2 on a usage/IO error.
 * The JSON is procscope's one-line output; the scanning below only relies
 * on "key":value pairs, which is all procscope writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE ((uint64_t)4096)
#define PM_PRESENT ((uint64_t)1 << 63)
#define PM_SWAP ((uint64_t)1 << 62)
#define PM_EXCLUSIVE ((uint64_t)1 << 56)
#define PM_PFN_MASK (((uint64_t)1 << 55) - 1)

static char *slurp(FILE *f)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		exit(2);
	for (;;) {
		size_t r = fread(buf + n, 1, cap - n - 1, f);

		n += r;
		if (r == 0)
			break;
		if (n + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				exit(2);
		}
	}
	buf[n] = '\0';
	return buf;
}

/* Value of "key": at or after @p (within @end if set); NULL if absent. */
static const char *find_key(const char *p, const char *end, const char *key)
{
	char pat[64];
	const char *q;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	q = strstr(p, pat);
	if (!q || (end && q >= end))
		return NULL;
	return q + strlen(pat);
}

static uint64_t num(const char *v)
{
	if (!v || !strncmp(v, "null", 4))
		return 0;
	if (*v == '"')
		v++;
	return strtoull(v, NULL, 0);
}

static bool is_true(const char *v)
{
	return v && !strncmp(v, "true", 4);
}

struct ent {
	uint64_t va, size, pfn;
	bool present, swap, has_pfn;
	uint32_t mapcount;
};

static size_t parse_entries(const char *js, struct ent **out)
{
	const char *p = find_key(js, NULL, "entries");
	size_t n = 0, cap = 1024;
	struct ent *e = malloc(cap * sizeof(*e));

	while (p && (p = strstr(p, "{\"va\":"))) {
		const char *end = strchr(p, '}');
		const char *lv = find_key(p, end, "level");
		const char *pfn = find_key(p, end, "pfn");

		if (n == cap) {
			cap *= 2;
			e = realloc(e, cap * sizeof(*e));
		}
		e[n].va = num(find_key(p, end, "va"));
		e[n].size = !strncmp(lv, "\"pmd\"", 5) ? 512 * PAGE :
			    !strncmp(lv, "\"pud\"", 5) ? 262144 * PAGE : PAGE;
		e[n].has_pfn = pfn && strncmp(pfn, "null", 4);
		e[n].pfn = num(pfn);
		e[n].present = is_true(find_key(p, end, "present"));
		e[n].swap = is_true(find_key(p, end, "swap"));
		e[n].mapcount = (uint32_t)num(find_key(p, end, "mapcount"));
		n++;
		p = end;
	}
	*out = e;
	return n;
}

static int open_proc(int pid, const char *what)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		exit(2);
	}
	return fd;
}

static uint64_t pagemap_at(int fd, uint64_t va)
{
	uint64_t v = 0;

	if (pread(fd, &v, 8, (off_t)(va / PAGE * 8)) != 8) {
		perror("pagemap");
		exit(2);
	}
	return v;
}

/* Compare [lo, hi) page by page; @e is sorted, *i the cursor. */
static unsigned long check_range(int pm, uint64_t lo, uint64_t hi,
				 const struct ent *e, size_t n, size_t *i,
				 unsigned long *pages, unsigned long *present,
				 unsigned long *swapped)
{
	unsigned long bad = 0;
	uint64_t va;

	for (va = lo; va < hi; va += PAGE) {
		uint64_t pmv = pagemap_at(pm, va);
		bool want_p = false, want_s = false, has_pfn = false;
		uint64_t want_pfn = 0;
		uint32_t mc = 0;

		while (*i < n && e[*i].va + e[*i].size <= va)
			(*i)++;
		if (*i < n && e[*i].va <= va) {
			want_p = e[*i].present;
			want_s = e[*i].swap;
			has_pfn = e[*i].has_pfn;
			want_pfn = e[*i].pfn + (va - e[*i].va) / PAGE;
			mc = e[*i].mapcount;
		}
		(*pages)++;
		*present += want_p;
		*swapped += want_s;
		if (!!(pmv & PM_PRESENT) != want_p || !!(pmv & PM_SWAP) != want_s ||
		    (want_p && has_pfn && (pmv & PM_PFN_MASK) != want_pfn) ||
		    (want_p && mc && !!(pmv & PM_EXCLUSIVE) != (mc == 1))) {
			if (bad++ < 10)
				printf("MISMATCH 0x%" PRIx64 ": pagemap 0x%016" PRIx64
				       " (present %d swap %d pfn 0x%" PRIx64
				       " excl %d), procscope present %d swap %d pfn 0x%"
				       PRIx64 " mapcount %u\n", va, pmv,
				       !!(pmv & PM_PRESENT), !!(pmv & PM_SWAP),
				       pmv & PM_PFN_MASK, !!(pmv & PM_EXCLUSIVE),
				       want_p, want_s, want_pfn, mc);
		}
	}
	return bad;
}

static int cmd_pagemap(int pid, int argc, char **argv)
{
	unsigned long pages = 0, present = 0, swapped = 0, bad = 0;
	char *js = slurp(stdin), line[512];
	struct ent *e;
	size_t n = parse_entries(js, &e), i = 0;
	int pm = open_proc(pid, "pagemap");
	FILE *maps;

	if (argc >= 2) {
		bad = check_range(pm, strtoull(argv[0], NULL, 0),
				  strtoull(argv[1], NULL, 0), e, n, &i, &pages,
				  &present, &swapped);
	} else {
		snprintf(line, sizeof(line), "/proc/%d/maps", pid);
		maps = fopen(line, "r");
		if (!maps)
			return 2;
		while (fgets(line, sizeof(line), maps)) {
			uint64_t lo, hi;

			if (strstr(line, "[vsyscall]") ||
			    sscanf(line, "%" SCNx64 "-%" SCNx64, &lo, &hi) != 2)
				continue;
			bad += check_range(pm, lo, hi, e, n, &i, &pages,
					   &present, &swapped);
		}
		fclose(maps);
	}
	printf("pagemap: %zu procscope entries, %lu pages compared (%lu present, %lu swapped): %lu mismatches\n",
	       n, pages, present, swapped, bad);
	return bad ? 1 : 0;
}

static int cmd_smaps(int pid)
{
	char *js = slurp(stdin), line[512], path[64];
	unsigned long vmas = 0, bad = 0;
	uint64_t lo = 0, rss = 0, swp = 0, ahp = 0;
	bool have = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	f = fopen(path, "r");
	if (!f)
		return 2;
	for (;;) {
		char *ok = fgets(line, sizeof(line), f);
		uint64_t a, b, kb;

		if (!ok || sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &a, &b) == 2) {
			if (have) {
				/* find the VMA with this start in procscope's JSON */
				char pat[64];
				const char *p, *end;

				snprintf(pat, sizeof(pat), "{\"start\":\"0x%" PRIx64 "\"", lo);
				p = strstr(js, pat);
				if (p) {
					uint64_t pr, sw, hg;

					end = strchr(p, '}');
					pr = num(find_key(p, end, "present"));
					sw = num(find_key(p, end, "swap"));
					hg = num(find_key(p, end, "anon_huge"));
					vmas++;
					if (pr != rss * 1024 || sw != swp * 1024 || hg != ahp * 1024) {
						bad++;
						printf("MISMATCH vma 0x%" PRIx64 ": smaps Rss %" PRIu64 " kB Swap %" PRIu64
						       " kB AnonHugePages %" PRIu64 " kB; procscope present %" PRIu64
						       " swap %" PRIu64 " anon_huge %" PRIu64 " bytes\n",
						       lo, rss, swp, ahp, pr, sw, hg);
					}
				} else if (!strstr(line, "vsyscall")) {
					/* [vsyscall] is not a VMA of the mm */
				}
			}
			if (!ok)
				break;
			lo = a;
			have = !strstr(line, "[vsyscall]");
			rss = swp = ahp = 0;
			continue;
		}
		if (sscanf(line, "Rss: %" SCNu64, &kb) == 1)
			rss = kb;
		else if (sscanf(line, "Swap: %" SCNu64, &kb) == 1)
			swp = kb;
		else if (sscanf(line, "AnonHugePages: %" SCNu64, &kb) == 1)
			ahp = kb;
	}
	fclose(f);
	printf("smaps: %lu VMAs compared (Rss, Swap, AnonHugePages): %lu mismatches\n",
	       vmas, bad);
	return bad || !vmas ? 1 : 0;
}

static int cmd_vmpte(int pid)
{
	char *js = slurp(stdin), line[256], path[64];
	uint64_t kb = UINT64_MAX, want = num(find_key(js, NULL, "vmpte_expected"));
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return 2;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPTE: %" SCNu64, &kb) == 1)
			break;
	fclose(f);
	printf("VmPTE %" PRIu64 " kB; procscope PUD+PMD+PTE tables + deposited = %" PRIu64
	       " kB (pgd %" PRIu64 " p4d %" PRIu64 " pud %" PRIu64 " pmd %" PRIu64
	       " pte %" PRIu64 " deposited %" PRIu64 ")\n", kb, want / 1024,
	       num(find_key(js, NULL, "pgd")), num(find_key(js, NULL, "p4d")),
	       num(find_key(js, NULL, "pud")), num(find_key(js, NULL, "pmd")),
	       num(find_key(js, NULL, "pte")),
	       num(find_key(js, NULL, "deposited_tables")));
	return kb * 1024 == want ? 0 : 1;
}

static int cmd_translate(int pid, const char *vastr)
{
	char *js = slurp(stdin);
	uint64_t va = strtoull(vastr, NULL, 0);
	int pm = open_proc(pid, "pagemap");
	uint64_t pmv = pagemap_at(pm, va);
	uint64_t pa = num(find_key(js, NULL, "pa"));
	uint64_t want = (pmv & PM_PFN_MASK) * PAGE + (va & (PAGE - 1));

	printf("translate 0x%" PRIx64 ": procscope pa 0x%" PRIx64 ", pagemap 0x%016" PRIx64
	       " -> 0x%" PRIx64 "\n", va, pa, pmv, want);
	if (!(pmv & PM_PRESENT))
		return 1;
	return pa == want ? 0 : 1;
}

int main(int argc, char **argv)
{
	int pid;

	if (argc < 3) {
		fprintf(stderr, "usage: pt_check pagemap|smaps|vmpte|translate PID [ARGS] < JSON\n");
		return 2;
	}
	pid = atoi(argv[2]);
	if (!strcmp(argv[1], "pagemap"))
		return cmd_pagemap(pid, argc - 3, argv + 3);
	if (!strcmp(argv[1], "smaps"))
		return cmd_smaps(pid);
	if (!strcmp(argv[1], "vmpte"))
		return cmd_vmpte(pid);
	if (!strcmp(argv[1], "translate") && argc > 3)
		return cmd_translate(pid, argv[3]);
	fprintf(stderr, "pt_check: unknown mode '%s'\n", argv[1]);
	return 2;
}
