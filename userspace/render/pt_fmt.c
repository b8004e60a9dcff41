// SPDX-License-Identifier: GPL-2.0
/* Names and decoding shared by the page-table commands. */
#include <string.h>

#include "render/pt_fmt.h"

static const char *const level_names[__PROCSCOPE_LEVEL_LAST] = {
	[PROCSCOPE_LEVEL_PGD] = "pgd",
	[PROCSCOPE_LEVEL_P4D] = "p4d",
	[PROCSCOPE_LEVEL_PUD] = "pud",
	[PROCSCOPE_LEVEL_PMD] = "pmd",
	[PROCSCOPE_LEVEL_PTE] = "pte",
};

const char *pt_level_name(uint32_t level)
{
	if (level < __PROCSCOPE_LEVEL_LAST && level_names[level])
		return level_names[level];
	return "?";
}

uint64_t pt_level_size(uint32_t level)
{
	switch (level) {
	case PROCSCOPE_LEVEL_PTE:
		return 4096;
	case PROCSCOPE_LEVEL_PMD:
		return 2ULL << 20;
	case PROCSCOPE_LEVEL_PUD:
		return 1ULL << 30;
	case PROCSCOPE_LEVEL_P4D:
		return 1ULL << 39;
	case PROCSCOPE_LEVEL_PGD:
		return 1ULL << 48;
	}
	return 0;
}

static const struct {
	const char *name;
	const char *why;
} stops[__PROCSCOPE_STOP_LAST] = {
	[PROCSCOPE_STOP_MAPPED] = { "mapped", "the leaf entry is present: this is the physical address" },
	[PROCSCOPE_STOP_NO_VMA] = { "no_vma", "no mapping (VMA) covers this address: an access would be a SIGSEGV" },
	[PROCSCOPE_STOP_NONE] = { "none", "empty entry: never touched (or freed), the first access will fault it in" },
	[PROCSCOPE_STOP_SWAP] = { "swap", "the page is swapped out: an access faults and reads it back" },
	[PROCSCOPE_STOP_MIGRATION] = { "migration", "the page is being migrated: an access waits for it" },
	[PROCSCOPE_STOP_NONPRESENT] = { "nonpresent", "not present for the MMU (PROT_NONE, NUMA hinting or another special entry)" },
	[PROCSCOPE_STOP_BAD] = { "bad", "corrupt entry (pXd_bad): the kernel would report it" },
};

const char *pt_stop_name(uint32_t stop)
{
	return stop < __PROCSCOPE_STOP_LAST ? stops[stop].name : "unknown";
}

const char *pt_stop_why(uint32_t stop)
{
	return stop < __PROCSCOPE_STOP_LAST ? stops[stop].why : "unknown reason";
}

static const char *const flag_names[] = {
	"present", "write", "user", "accessed", "dirty", "huge", "global",
	"nx", "soft_dirty", "special", "protnone", "swap", "migration",
	"zero_page", "shared", "anon", "uffd_wp", "devmap", "pwt", "pcd",
};
#define NFLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

const char *pt_flags_str(uint64_t flags, char *buf, size_t len)
{
	size_t i, off = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < NFLAGS && off < len; i++) {
		int n;

		if (!(flags & (1ULL << i)))
			continue;
		n = snprintf(buf + off, len - off, "%s%s", off ? " " : "",
			     flag_names[i]);
		if (n < 0)
			break;
		off += (size_t)n;
	}
	return buf;
}

void pt_flags_json(struct json *j, const char *key, uint64_t flags)
{
	size_t i;

	json_arr_begin(j, key);
	for (i = 0; i < NFLAGS; i++)
		if (flags & (1ULL << i))
			json_str(j, NULL, flag_names[i]);
	json_arr_end(j);
}

const char *pt_flags_short(uint64_t flags, char buf[8])
{
	buf[0] = flags & PROCSCOPE_PTE_F_PRESENT ? 'r' : '-';
	buf[1] = flags & PROCSCOPE_PTE_F_WRITE ? 'w' : '-';
	buf[2] = (flags & PROCSCOPE_PTE_F_PRESENT) &&
		 !(flags & PROCSCOPE_PTE_F_NX) ? 'x' : '-';
	buf[3] = flags & PROCSCOPE_PTE_F_USER ? 'u' : '-';
	buf[4] = flags & PROCSCOPE_PTE_F_ACCESSED ? 'a' : '-';
	buf[5] = flags & PROCSCOPE_PTE_F_DIRTY ? 'd' : '-';
	buf[6] = flags & PROCSCOPE_PTE_F_HUGE ? 'h' : '-';
	buf[7] = '\0';
	return buf;
}
