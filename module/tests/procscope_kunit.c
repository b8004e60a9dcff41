// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of procscope's pure helpers: page-table entry and swap
 * entry decoding (pte_decode.h), fault classification and outcomes
 * (fault_classify.c, compiled in here: this module does not need
 * procscope.ko), latency histogram buckets (fault_stats.h). Built as
 * procscope_kunit.ko only against a kernel with CONFIG_KUNIT (module/Kbuild);
 * tests/kunit/run.sh loads it in the VM and reads the results.
 */

#include <kunit/test.h>

#include "../fault_classify.c"
#include "../fault_stats.h"
#include "../pte_decode.h"

static u64 nx_flag(void)
{
	return (__supported_pte_mask & _PAGE_NX) ? PROCSCOPE_PTE_F_NX : 0;
}

static void decode_empty(struct kunit *test)
{
	struct procscope_entry e;

	procscope_entry_decode(0, PROCSCOPE_LEVEL_PTE, &e);
	KUNIT_EXPECT_EQ(test, e.kind, PROCSCOPE_ENTRY_NONE);
	KUNIT_EXPECT_EQ(test, e.flags, 0ULL);
	KUNIT_EXPECT_EQ(test, e.pfn, 0ULL);
}

static void decode_present_pte(struct kunit *test)
{
	u64 raw = (0x1234ULL << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW |
		  _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX;
	struct procscope_entry e;

	procscope_entry_decode(raw, PROCSCOPE_LEVEL_PTE, &e);
	KUNIT_EXPECT_EQ(test, e.kind, PROCSCOPE_ENTRY_PRESENT);
	KUNIT_EXPECT_EQ(test, e.pfn, 0x1234ULL);
	KUNIT_EXPECT_EQ(test, e.flags,
			PROCSCOPE_PTE_F_PRESENT | PROCSCOPE_PTE_F_WRITE |
			PROCSCOPE_PTE_F_USER | PROCSCOPE_PTE_F_ACCESSED |
			PROCSCOPE_PTE_F_DIRTY | nx_flag());

	/* Read-only and executable: neither WRITE nor NX. */
	procscope_entry_decode(raw & ~(u64)(_PAGE_RW | _PAGE_NX),
			       PROCSCOPE_LEVEL_PTE, &e);
	KUNIT_EXPECT_EQ(test, e.flags & (PROCSCOPE_PTE_F_WRITE |
					 PROCSCOPE_PTE_F_NX), 0ULL);
}

/* Bit 7 is PAT in a PTE, PSE above; bit 8 is GLOBAL only when present. */
static void decode_level_bits(struct kunit *test)
{
	u64 raw = (0x400ULL << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_USER |
		  _PAGE_PSE | _PAGE_GLOBAL;
	struct procscope_entry e;

	procscope_entry_decode(raw, PROCSCOPE_LEVEL_PTE, &e);
	KUNIT_EXPECT_FALSE(test, e.flags & PROCSCOPE_PTE_F_HUGE);
	KUNIT_EXPECT_TRUE(test, e.flags & PROCSCOPE_PTE_F_GLOBAL);
	KUNIT_EXPECT_FALSE(test, e.flags & PROCSCOPE_PTE_F_PROTNONE);

	procscope_entry_decode(raw, PROCSCOPE_LEVEL_PMD, &e);
	KUNIT_EXPECT_TRUE(test, e.flags & PROCSCOPE_PTE_F_HUGE);
	KUNIT_EXPECT_EQ(test, e.kind, PROCSCOPE_ENTRY_PRESENT);
	KUNIT_EXPECT_EQ(test, e.pfn, 0x400ULL);

	/* A huge PMD's PAT is bit 12: not part of its frame. */
	procscope_entry_decode(raw | _PAGE_PAT_LARGE, PROCSCOPE_LEVEL_PMD, &e);
	KUNIT_EXPECT_EQ(test, e.pfn, 0x400ULL);

	procscope_entry_decode(raw, PROCSCOPE_LEVEL_PUD, &e);
	KUNIT_EXPECT_TRUE(test, e.flags & PROCSCOPE_PTE_F_HUGE);
}

static void decode_feature_bits(struct kunit *test)
{
	u64 raw = (0x10ULL << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_USER;
	struct procscope_entry e;

	procscope_entry_decode(raw | _PAGE_SPECIAL | _PAGE_PWT | _PAGE_PCD,
			       PROCSCOPE_LEVEL_PTE, &e);
	KUNIT_EXPECT_EQ(test, e.flags,
			PROCSCOPE_PTE_F_PRESENT | PROCSCOPE_PTE_F_USER |
			PROCSCOPE_PTE_F_SPECIAL | PROCSCOPE_PTE_F_PWT |
			PROCSCOPE_PTE_F_PCD);
	/* Present-entry uffd-wp and soft-dirty: 0 masks without the feature. */
	procscope_entry_decode(raw | _PAGE_UFFD_WP | _PAGE_SOFT_DIRTY,
			       PROCSCOPE_LEVEL_PTE, &e);
	KUNIT_EXPECT_EQ(test, !!(e.flags & PROCSCOPE_PTE_F_UFFD_WP),
			!!_PAGE_UFFD_WP);
	KUNIT_EXPECT_EQ(test, !!(e.flags & PROCSCOPE_PTE_F_SOFT_DIRTY),
			!!_PAGE_SOFT_DIRTY);
}

/* PROT_NONE / NUMA hinting: present to the kernel, frame inverted (L1TF). */
static void decode_protnone(struct kunit *test)
{
	u64 raw = pte_val(pfn_pte(0x4321, PAGE_NONE));
	struct procscope_entry e;

	procscope_entry_decode(raw, PROCSCOPE_LEVEL_PTE, &e);
	KUNIT_EXPECT_EQ(test, e.kind, PROCSCOPE_ENTRY_PROTNONE);
	KUNIT_EXPECT_EQ(test, e.pfn, 0x4321ULL);
	KUNIT_EXPECT_TRUE(test, e.flags & PROCSCOPE_PTE_F_PROTNONE);
	KUNIT_EXPECT_TRUE(test, e.flags & PROCSCOPE_PTE_F_PRESENT);
	KUNIT_EXPECT_FALSE(test, e.flags & PROCSCOPE_PTE_F_GLOBAL);
	KUNIT_EXPECT_FALSE(test, e.flags & PROCSCOPE_PTE_F_SWAP);
}

static void decode_swap(struct kunit *test)
{
	pte_t pte = swp_entry_to_pte(swp_entry(3, 0x12345));
	struct procscope_entry e;

	procscope_entry_decode(pte_val(pte), PROCSCOPE_LEVEL_PTE, &e);
	KUNIT_EXPECT_EQ(test, e.kind, PROCSCOPE_ENTRY_SWAP);
	KUNIT_EXPECT_EQ(test, e.swp_type, 3U);
	KUNIT_EXPECT_EQ(test, e.swp_offset, 0x12345ULL);
	KUNIT_EXPECT_EQ(test, e.flags, PROCSCOPE_PTE_F_SWAP);
	KUNIT_EXPECT_EQ(test, e.pfn, 0ULL);

	/* The swap-format soft-dirty and uffd-wp bits, slot unchanged. */
	pte = pte_swp_mkuffd_wp(pte_swp_mksoft_dirty(pte));
	procscope_entry_decode(pte_val(pte), PROCSCOPE_LEVEL_PTE, &e);
	KUNIT_EXPECT_EQ(test, e.kind, PROCSCOPE_ENTRY_SWAP);
	KUNIT_EXPECT_EQ(test, e.swp_offset, 0x12345ULL);
	KUNIT_EXPECT_EQ(test, !!(e.flags & PROCSCOPE_PTE_F_SOFT_DIRTY),
			IS_ENABLED(CONFIG_MEM_SOFT_DIRTY));
	KUNIT_EXPECT_EQ(test, !!(e.flags & PROCSCOPE_PTE_F_UFFD_WP),
			IS_ENABLED(CONFIG_HAVE_ARCH_USERFAULTFD_WP));
	/* Hidden from a caller without CAP_SYS_ADMIN: the slot, not the type. */
	KUNIT_EXPECT_EQ(test,
			procscope_mask_entry(pte_val(pte), false) &
			GENMASK_ULL(64 - SWP_TYPE_BITS - 1,
				    SWP_OFFSET_FIRST_BIT), 0ULL);
}

static void decode_migration(struct kunit *test)
{
	struct procscope_entry e;
	swp_entry_t swp;

	if (!IS_ENABLED(CONFIG_MIGRATION))
		kunit_skip(test, "no CONFIG_MIGRATION");
	swp = make_writable_migration_entry(0x777);
	procscope_entry_decode(pte_val(swp_entry_to_pte(swp)),
			       PROCSCOPE_LEVEL_PTE, &e);
	KUNIT_EXPECT_EQ(test, e.kind, PROCSCOPE_ENTRY_MIGRATION);
	KUNIT_EXPECT_EQ(test, e.swp_offset, 0x777ULL);
	KUNIT_EXPECT_EQ(test, e.flags, PROCSCOPE_PTE_F_MIGRATION);

	if (!IS_ENABLED(CONFIG_ARCH_ENABLE_THP_MIGRATION))
		return;
	/* A THP being migrated: the PMD form of the same entry. */
	procscope_entry_decode(pmd_val(swp_entry_to_pmd(swp)),
			       PROCSCOPE_LEVEL_PMD, &e);
	KUNIT_EXPECT_EQ(test, e.kind, PROCSCOPE_ENTRY_MIGRATION);
	KUNIT_EXPECT_EQ(test, e.swp_offset, 0x777ULL);
	KUNIT_EXPECT_FALSE(test, e.flags & PROCSCOPE_PTE_F_HUGE);
}

/* Not swap, not migration: hwpoison, device-private, markers. */
static void decode_hwpoison(struct kunit *test)
{
	struct procscope_entry e;

	if (!IS_ENABLED(CONFIG_MEMORY_FAILURE))
		kunit_skip(test, "no CONFIG_MEMORY_FAILURE");
	procscope_entry_decode(pte_val(swp_entry_to_pte(swp_entry(MAX_SWAPFILES, 9))),
			       PROCSCOPE_LEVEL_PTE, &e);
	KUNIT_EXPECT_EQ(test, e.kind, PROCSCOPE_ENTRY_OTHER);
	KUNIT_EXPECT_EQ(test, e.flags & (PROCSCOPE_PTE_F_SWAP |
					 PROCSCOPE_PTE_F_MIGRATION), 0ULL);
}

/* A huge PMD being split (pmdp_invalidate()): not a swap entry. */
static void decode_split_pmd(struct kunit *test)
{
	struct procscope_entry e;

	procscope_entry_decode((0x200ULL << PAGE_SHIFT) | _PAGE_PSE | _PAGE_USER,
			       PROCSCOPE_LEVEL_PMD, &e);
	KUNIT_EXPECT_EQ(test, e.kind, PROCSCOPE_ENTRY_OTHER);
	KUNIT_EXPECT_EQ(test, e.flags & (PROCSCOPE_PTE_F_SWAP |
					 PROCSCOPE_PTE_F_MIGRATION), 0ULL);
}

static void mask_present(struct kunit *test)
{
	u64 raw = (0xabcdeULL << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW;

	KUNIT_EXPECT_EQ(test, procscope_mask_entry(raw, true),
			(u64)(_PAGE_PRESENT | _PAGE_RW));
}

static void pte_state(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, procscope_pte_state(PROCSCOPE_ENTRY_NONE, 0),
			PROCSCOPE_PTE_STATE_NONE);
	KUNIT_EXPECT_EQ(test, procscope_pte_state(PROCSCOPE_ENTRY_PRESENT,
						  PROCSCOPE_PTE_F_PRESENT),
			PROCSCOPE_PTE_STATE_RO);
	KUNIT_EXPECT_EQ(test, procscope_pte_state(PROCSCOPE_ENTRY_PRESENT,
						  PROCSCOPE_PTE_F_PRESENT |
						  PROCSCOPE_PTE_F_WRITE),
			PROCSCOPE_PTE_STATE_RW);
	KUNIT_EXPECT_EQ(test, procscope_pte_state(PROCSCOPE_ENTRY_PROTNONE,
						  PROCSCOPE_PTE_F_WRITE),
			PROCSCOPE_PTE_STATE_PROTNONE);
	KUNIT_EXPECT_EQ(test, procscope_pte_state(PROCSCOPE_ENTRY_SWAP, 0),
			PROCSCOPE_PTE_STATE_SWAP);
	KUNIT_EXPECT_EQ(test, procscope_pte_state(PROCSCOPE_ENTRY_MIGRATION, 0),
			PROCSCOPE_PTE_STATE_MIGRATION);
	KUNIT_EXPECT_EQ(test, procscope_pte_state(PROCSCOPE_ENTRY_OTHER, 0),
			PROCSCOPE_PTE_STATE_OTHER);
}

struct classify_case {
	const char *what;
	struct procscope_fault_facts f;
	enum procscope_fault_class want;
};

static const struct classify_case classify_cases[] = {
	{ "pkey refusal", { .state_before = PROCSCOPE_PTE_STATE_NONE,
			    .vma_anon = true,
			    .vm_fault = VMF(VM_FAULT_SIGSEGV) },
	  PROCSCOPE_FAULT_PERM },
	{ "swap-in", { .state_before = PROCSCOPE_PTE_STATE_SWAP },
	  PROCSCOPE_FAULT_SWAP },
	{ "write to RO private", { .state_before = PROCSCOPE_PTE_STATE_RO,
				   .write = true },
	  PROCSCOPE_FAULT_COW },
	{ "write to RO shared", { .state_before = PROCSCOPE_PTE_STATE_RO,
				  .write = true, .vma_shared = true },
	  PROCSCOPE_FAULT_SHARED_WRITE },
	{ "read of RO", { .state_before = PROCSCOPE_PTE_STATE_RO },
	  PROCSCOPE_FAULT_OTHER },
	{ "spurious RW", { .state_before = PROCSCOPE_PTE_STATE_RW,
			   .write = true },
	  PROCSCOPE_FAULT_OTHER },
	{ "NUMA hinting", { .state_before = PROCSCOPE_PTE_STATE_PROTNONE,
			    .vma_anon = true },
	  PROCSCOPE_FAULT_OTHER },
	{ "migration wait", { .state_before = PROCSCOPE_PTE_STATE_MIGRATION },
	  PROCSCOPE_FAULT_OTHER },
	{ "anon first touch", { .state_before = PROCSCOPE_PTE_STATE_NONE,
				.vma_anon = true, .write = true },
	  PROCSCOPE_FAULT_ANON },
	{ "unknown entry, anon", { .state_before = PROCSCOPE_PTE_STATE_UNKNOWN,
				   .vma_anon = true },
	  PROCSCOPE_FAULT_ANON },
	{ "stack VMA", { .state_before = PROCSCOPE_PTE_STATE_NONE,
			 .vma_anon = true, .vma_growsdown = true },
	  PROCSCOPE_FAULT_STACK },
	{ "stack grew", { .state_before = PROCSCOPE_PTE_STATE_NONE,
			  .stack_grew = true },
	  PROCSCOPE_FAULT_STACK },
	{ "file write private", { .state_before = PROCSCOPE_PTE_STATE_NONE,
				  .write = true },
	  PROCSCOPE_FAULT_COW },
	{ "file write shared", { .state_before = PROCSCOPE_PTE_STATE_NONE,
				 .write = true, .vma_shared = true },
	  PROCSCOPE_FAULT_SHARED_WRITE },
	{ "file read, cached", { .state_before = PROCSCOPE_PTE_STATE_NONE },
	  PROCSCOPE_FAULT_FILE },
	{ "file read, major", { .state_before = PROCSCOPE_PTE_STATE_NONE,
				.vm_fault = VMF(VM_FAULT_MAJOR) },
	  PROCSCOPE_FAULT_FILE_MAJOR },
	{ "file read, retried", { .state_before = PROCSCOPE_PTE_STATE_NONE,
				  .tried = true },
	  PROCSCOPE_FAULT_FILE_MAJOR },
};

static void classify(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(classify_cases); i++) {
		const struct classify_case *c = &classify_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, procscope_fault_classify(&c->f),
				    c->want, "case: %s", c->what);
	}
}

static void outcome(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, procscope_fault_outcome(0, true),
			PROCSCOPE_OUTCOME_HANDLED);
	KUNIT_EXPECT_EQ(test, procscope_fault_outcome(VMF(VM_FAULT_MAJOR), true),
			PROCSCOPE_OUTCOME_HANDLED);
	KUNIT_EXPECT_EQ(test, procscope_fault_outcome(VMF(VM_FAULT_RETRY), true),
			PROCSCOPE_OUTCOME_RETRY);
	KUNIT_EXPECT_EQ(test, procscope_fault_outcome(VMF(VM_FAULT_OOM), true),
			PROCSCOPE_OUTCOME_OOM);
	KUNIT_EXPECT_EQ(test, procscope_fault_outcome(VMF(VM_FAULT_SIGSEGV), true),
			PROCSCOPE_OUTCOME_SIGSEGV);
	KUNIT_EXPECT_EQ(test, procscope_fault_outcome(VMF(VM_FAULT_SIGBUS), true),
			PROCSCOPE_OUTCOME_SIGBUS);
	KUNIT_EXPECT_EQ(test, procscope_fault_outcome(VMF(VM_FAULT_SIGBUS), false),
			PROCSCOPE_OUTCOME_KERNEL_FIXUP);

	KUNIT_EXPECT_TRUE(test, procscope_fault_counted(VMF(VM_FAULT_MAJOR)));
	KUNIT_EXPECT_FALSE(test, procscope_fault_counted(VMF(VM_FAULT_RETRY)));
	KUNIT_EXPECT_FALSE(test, procscope_fault_counted(VMF(VM_FAULT_SIGBUS)));
	KUNIT_EXPECT_TRUE(test, procscope_fault_major(VMF(VM_FAULT_MAJOR), false));
	KUNIT_EXPECT_TRUE(test, procscope_fault_major(0, true));
	KUNIT_EXPECT_FALSE(test, procscope_fault_major(0, false));
}

/* Bucket i holds [2^i, 2^(i+1)) ns, bucket 0 also 0, the last the rest. */
static void hist_bucket(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, procscope_hist_bucket(0), 0U);
	KUNIT_EXPECT_EQ(test, procscope_hist_bucket(1), 0U);
	KUNIT_EXPECT_EQ(test, procscope_hist_bucket(2), 1U);
	KUNIT_EXPECT_EQ(test, procscope_hist_bucket(3), 1U);
	KUNIT_EXPECT_EQ(test, procscope_hist_bucket(1023), 9U);
	KUNIT_EXPECT_EQ(test, procscope_hist_bucket(1024), 10U);
	KUNIT_EXPECT_EQ(test, procscope_hist_bucket(1ULL << (PROCSCOPE_HIST_BUCKETS - 1)),
			PROCSCOPE_HIST_BUCKETS - 1);
	KUNIT_EXPECT_EQ(test, procscope_hist_bucket(1ULL << PROCSCOPE_HIST_BUCKETS),
			PROCSCOPE_HIST_BUCKETS - 1);
	KUNIT_EXPECT_EQ(test, procscope_hist_bucket(U64_MAX),
			PROCSCOPE_HIST_BUCKETS - 1);
}

static struct kunit_case procscope_decode_cases[] = {
	KUNIT_CASE(decode_empty),
	KUNIT_CASE(decode_present_pte),
	KUNIT_CASE(decode_level_bits),
	KUNIT_CASE(decode_feature_bits),
	KUNIT_CASE(decode_protnone),
	KUNIT_CASE(decode_swap),
	KUNIT_CASE(decode_migration),
	KUNIT_CASE(decode_hwpoison),
	KUNIT_CASE(decode_split_pmd),
	KUNIT_CASE(mask_present),
	{}
};

static struct kunit_suite procscope_decode_suite = {
	.name = "procscope_decode",
	.test_cases = procscope_decode_cases,
};

static struct kunit_case procscope_fault_cases[] = {
	KUNIT_CASE(pte_state),
	KUNIT_CASE(classify),
	KUNIT_CASE(outcome),
	KUNIT_CASE(hist_bucket),
	{}
};

static struct kunit_suite procscope_fault_suite = {
	.name = "procscope_fault",
	.test_cases = procscope_fault_cases,
};

kunit_test_suites(&procscope_decode_suite, &procscope_fault_suite);

MODULE_DESCRIPTION("KUnit tests of procscope's entry decoding and fault classification");
MODULE_LICENSE("GPL");
