/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the pre-4.4 v1 path (kexec/xen/v1-pre44.c): page_list
 * layout, the identity tables walked like the MMU would walk them, the
 * run-time mapping of Xen's fixmap VA modelled on what v1-pre44-reloc.S
 * writes, the state file, and a whole image handed to a simulated Xen 4.3
 * (tests/fixtures/xen-sim-v1.h). The relocation code itself runs only in the QEMU
 * harness (tests/xen-v1-reloc/). */
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>

#include "fixtures.h"
#include "xen-sim-v1.h"
#include "xen/private.h"

#define PG 4096ULL
#define P_RW 0x3ULL
#define PS 0x80ULL
#define USER 0x4ULL
#define NX (1ULL << 63)
#define ADDR_MASK 0x000ffffffffff000ULL

/* A control block in fake machine memory: frame numbers descend so that
 * the tables must really follow them. */
struct block {
	uint64_t top;
	size_t n;
	uint64_t *mfn;
	uint8_t *va;
	uint64_t pl[XEN_V1_PRE44_NO_PAGES];
};

static void block_make(struct block *b, uint64_t top, uint64_t first_mfn)
{
	b->top = top;
	b->n = xen_v1_pre44_pages(top);
	b->mfn = calloc(b->n, sizeof(*b->mfn));
	b->va = calloc(b->n, PG);
	assert_non_null(b->mfn);
	assert_non_null(b->va);
	for (size_t i = 0; i < b->n; i++)
		b->mfn[i] = first_mfn - i;
	assert_int_equal(xen_v1_pre44_fill(top, b->mfn, b->n, b->va, b->pl), 0);
}

static void block_free(struct block *b)
{
	free(b->mfn);
	free(b->va);
}

/* The page of the block at machine address ma, or NULL. */
static uint64_t *block_page(const struct block *b, uint64_t ma)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->mfn[i] * PG == (ma & ADDR_MASK))
			return (uint64_t *)(b->va + i * PG);
	return NULL;
}

/* 4-level walk from cr3. Returns the machine address va translates to,
 * or ~0 for a fault. Fails the test on a table outside the block or on
 * an entry a supervisor-only, executable identity map must not have. */
static uint64_t walk(const struct block *b, uint64_t cr3, uint64_t va)
{
	uint64_t *t = block_page(b, cr3);

	for (int level = 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (unsigned)(level - 1);
		uint64_t e;

		assert_non_null(t);
		e = t[(va >> shift) & 511];
		if (!(e & 1))
			return ~0ULL;
		if ((e & P_RW) != P_RW || (e & (USER | NX)))
			fail_msg("level %d entry 0x%" PRIx64 " for 0x%" PRIx64, level, e, va);
		if (level == 2 && (e & PS))
			return (e & ADDR_MASK & ~((1ULL << 21) - 1)) | (va & ((1ULL << 21) - 1));
		if (level == 1)
			return (e & ADDR_MASK) | (va & (PG - 1));
		t = block_page(b, e);
	}
	return ~0ULL;
}

static void test_page_list_layout(void **state UNUSED)
{
	struct block b;
	size_t code = (size_t)(xen_v1_reloc_end - xen_v1_reloc_start);

	block_make(&b, 4 * GiB, 0x90000);
	assert_int_equal(b.n, 5 + 1 + 4);
	assert_int_equal(b.pl[XEN_V1_PL_CONTROL], 0x90000 * PG);
	assert_int_equal(b.pl[XEN_V1_PL_PGD], 0x8ffff * PG);
	assert_int_equal(b.pl[XEN_V1_PL_PUD_0], 0x8fffe * PG);
	assert_int_equal(b.pl[XEN_V1_PL_PMD_0], 0x8fffd * PG);
	assert_int_equal(b.pl[XEN_V1_PL_PTE_0], 0x8fffc * PG);
	assert_int_equal(b.pl[XEN_V1_PL_TABLE], 0x8ffff * PG);
	/* Unused pairs name a page we own; Xen fills every odd entry. */
	for (unsigned k = 10; k < 16; k += 2)
		assert_int_equal(b.pl[k], 0x90000 * PG);
	for (unsigned k = 1; k < 16; k += 2)
		assert_int_equal(b.pl[k], 0);
	/* The control page: our code at offset 0, then zeros up to the
	 * stack at its end. */
	assert_true(code > 16 && code <= 2048);
	assert_memory_equal(b.va, xen_v1_reloc_start, code);
	assert_int_equal((uint8_t)xen_v1_reloc_start[0], 0xfa); /* cli */
	for (size_t i = code; i < PG; i++)
		assert_int_equal(b.va[i], 0);
	/* PUD_0, PMD_0, PTE_0 are left empty for the run-time mapping. */
	for (size_t i = XEN_V1_PRE44_F_PUD0 * PG; i < XEN_V1_PRE44_F_IDENT * PG; i++)
		assert_int_equal(b.va[i], 0);
	block_free(&b);
}

static void test_identity_tables(void **state UNUSED)
{
	const uint64_t tops[] = { 1 * GiB, 4 * GiB, 513 * GiB, 1100 * GiB };

	for (size_t i = 0; i < ARRAY_SIZE(tops); i++) {
		uint64_t top = tops[i];
		const uint64_t probes[] = { 0, 0xb8000, 0x1fffff, 0x200000, 0x1234567,
					    top / 2 + 0x2345, top - PG, top - 1 };
		struct block b;
		uint64_t *pgd;

		block_make(&b, top, 0x7000000);
		assert_int_equal(b.n, 5 + (top + 512 * GiB - 1) / (512 * GiB) + top / GiB);
		for (size_t p = 0; p < ARRAY_SIZE(probes); p++)
			if (walk(&b, b.pl[XEN_V1_PL_PGD], probes[p]) != probes[p])
				fail_msg("top 0x%" PRIx64 ": 0x%" PRIx64 " not identity", top, probes[p]);
		/* Exactly 0..top: the next GiB, and the upper half, fault. */
		assert_int_equal(walk(&b, b.pl[XEN_V1_PL_PGD], top), ~0ULL);
		assert_int_equal(walk(&b, b.pl[XEN_V1_PL_PGD], simv1_fixmap_va(0, 0)), ~0ULL);
		pgd = block_page(&b, b.pl[XEN_V1_PL_PGD]);
		for (unsigned s = 256; s < 512; s++)
			assert_int_equal(pgd[s], 0);
		block_free(&b);
	}
}

/* What v1-pre44-reloc.S writes at entry, through Xen's VAs (here: the
 * block's own mapping): PGD -> PUD_0 -> PMD_0 -> PTE_0 -> control page
 * for Xen's fixmap VA. After it, the same tables map both that VA and
 * every machine address. */
static void model_reloc_entry(const struct block *b, uint64_t xen_va)
{
	uint64_t *pgd = block_page(b, b->pl[XEN_V1_PL_PGD]);
	uint64_t *pud = block_page(b, b->pl[XEN_V1_PL_PUD_0]);
	uint64_t *pmd = block_page(b, b->pl[XEN_V1_PL_PMD_0]);
	uint64_t *pte = block_page(b, b->pl[XEN_V1_PL_PTE_0]);

	assert_int_equal(pgd[(xen_va >> 39) & 511], 0); /* the asm halts otherwise */
	pgd[(xen_va >> 39) & 511] = b->pl[XEN_V1_PL_PUD_0] | P_RW;
	pud[(xen_va >> 30) & 511] = b->pl[XEN_V1_PL_PMD_0] | P_RW;
	pmd[(xen_va >> 21) & 511] = b->pl[XEN_V1_PL_PTE_0] | P_RW;
	pte[(xen_va >> 12) & 511] = b->pl[XEN_V1_PL_CONTROL] | P_RW;
}

static void test_fixmap_mapping_model(void **state UNUSED)
{
	for (unsigned slot = 0; slot < 4; slot++) {
		uint64_t va = simv1_fixmap_va(slot, 0);
		struct block b;

		block_make(&b, 8 * GiB, 0x100000);
		model_reloc_entry(&b, va);
		assert_int_equal(walk(&b, b.pl[XEN_V1_PL_PGD], va + 0x123),
				 b.pl[XEN_V1_PL_CONTROL] + 0x123);
		assert_int_equal(walk(&b, b.pl[XEN_V1_PL_PGD], va + PG), ~0ULL);
		assert_int_equal(walk(&b, b.pl[XEN_V1_PL_PGD], 0x3456789), 0x3456789);
		block_free(&b);
	}
}

static void test_fill_refusals(void **state UNUSED)
{
	uint64_t mfn[16] = { 0 }, pl[XEN_V1_PRE44_NO_PAGES];
	static uint8_t va[16 * 4096];
	struct capture cap;

	assert_int_equal(xen_v1_pre44_top(0), GiB);
	assert_int_equal(xen_v1_pre44_top(1), GiB);
	assert_int_equal(xen_v1_pre44_top(GiB), GiB);
	assert_int_equal(xen_v1_pre44_top(GiB + 1), 2 * GiB);
	capture_start(&cap);
	assert_int_equal(xen_v1_pre44_fill(GiB, mfn, 6, va, pl), -1);
	assert_one_error(capture_end(&cap), "6 frames given, 7 needed");
	capture_start(&cap);
	assert_int_equal(xen_v1_pre44_fill(GiB + PG, mfn, 7, va, pl), -1);
	assert_one_error(capture_end(&cap), "not a GiB multiple");
	capture_start(&cap);
	assert_int_equal(xen_v1_pre44_fill(1ULL << 48, mfn, 7, va, pl), -1);
	assert_one_error(capture_end(&cap), "up to 128 TiB");
}

static void test_in_dest(void **state UNUSED)
{
	struct xen_seg_list v1;

	memset(&v1, 0, sizeof(v1));
	v1.n = 2;
	v1.seg[0] = (struct xen_seg){ 0, PG, 0x1000000, 0x5000 };
	v1.seg[1] = (struct xen_seg){ 1, PG, 0x3000000, 0x1000 };
	assert_false(xen_v1_pre44_in_dest(&v1, 0xfff));
	assert_true(xen_v1_pre44_in_dest(&v1, 0x1000));
	assert_true(xen_v1_pre44_in_dest(&v1, 0x1004));
	assert_false(xen_v1_pre44_in_dest(&v1, 0x1005));
	assert_true(xen_v1_pre44_in_dest(&v1, 0x3000));
	assert_false(xen_v1_pre44_in_dest(&v1, 0x3001));
}

static void test_state_file(void **state UNUSED)
{
	char dir[] = "/tmp/kexec-v1-state-XXXXXX", sub[128], path[256], bad[256];
	const uint64_t mfn[] = { 0x12345, 0x1, 0xfedcba987, 0x40000 };
	struct capture cap;
	uint64_t *back;
	struct stat st;
	size_t n;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/run", dir);
	assert_int_equal(xen_v1_state_path(sub, 1, path, sizeof(path)), 0);
	assert_non_null(strstr(path, "/run/xen-v1-crash.mfns"));
	assert_int_equal(xen_v1_state_read(path, &back, &n), 1);
	assert_int_equal(xen_v1_state_write(path, mfn, ARRAY_SIZE(mfn)), 0);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(xen_v1_state_read(path, &back, &n), 0);
	assert_int_equal(n, ARRAY_SIZE(mfn));
	assert_memory_equal(back, mfn, sizeof(mfn));
	free(back);
	/* Replacing keeps one file. */
	assert_int_equal(xen_v1_state_write(path, mfn, 2), 0);
	assert_int_equal(xen_v1_state_read(path, &back, &n), 0);
	assert_int_equal(n, 2);
	free(back);
	/* Truncated and foreign files are refused with one line. */
	f = fopen(path, "w");
	fprintf(f, "kexec-ng xen-v1 frames\n3\n1\n2\n");
	fclose(f);
	capture_start(&cap);
	assert_int_equal(xen_v1_state_read(path, &back, &n), -1);
	assert_one_error(capture_end(&cap), "ends after 2 of 3 frames");
	assert_null(back);
	snprintf(bad, sizeof(bad), "%s/other", sub);
	f = fopen(bad, "w");
	fprintf(f, "hello\n");
	fclose(f);
	capture_start(&cap);
	assert_int_equal(xen_v1_state_read(bad, &back, &n), -1);
	assert_one_error(capture_end(&cap), "not a kexec frame list");
	assert_int_equal(xen_v1_state_remove(path), 0);
	assert_int_equal(xen_v1_state_remove(path), 0);
	assert_int_equal(xen_v1_state_read(path, &back, &n), 1);
	unlink(bad);
	rmdir(sub);
	rmdir(dir);
}

/* A whole pre-4.4 image in fake dom0 memory: sources, list, control
 * block, all frames outside the destinations. */
static void test_image_on_simulated_4_3(void **state UNUSED)
{
	const struct xen_seg segs[] = { { 0, 0x2345, 0x1000000, 0x3000 },
					{ 1, 0x800, 0x2ff0000, 0x1000 } };
	struct xen_seg_list v1;
	struct simv1 s = { .xen = SIMV1_4_3 };
	uint64_t src[4], list[1], nsrc = 4;
	uint64_t words[XEN_V1_WORDS];
	struct block b;

	memset(&v1, 0, sizeof(v1));
	v1.n = 2;
	memcpy(v1.seg, segs, sizeof(segs));
	v1.entry = 0x2ff0000;
	block_make(&b, 2 * GiB, 0x50000);
	s.base = 0x40000;
	s.n = 0x10;
	s.frames = calloc(s.n, PG);
	for (unsigned i = 0; i < nsrc; i++) {
		src[i] = s.base + 1 + i;
		memset(s.frames + (1 + i) * PG, 0xa0 + i, PG);
	}
	list[0] = s.base;
	assert_int_equal(xen_v1_list_fill(&v1, src, nsrc, list, 1, words), 0);
	memcpy(s.frames, words, PG);
	for (size_t i = 0; i < b.n; i++)
		assert_false(xen_v1_pre44_in_dest(&v1, b.mfn[i]));
	assert_int_equal(simv1_load_v1_pl(&s, 0, list[0] * PG, v1.entry, b.pl), 0);
	assert_true(s.loaded[0]);
	assert_true(s.stored[0].set);
	/* Xen wrote its VAs; our machine addresses are untouched. */
	for (unsigned k = 0; k < 16; k += 2) {
		assert_int_equal(s.stored[0].page_list[k], b.pl[k]);
		assert_int_equal(s.stored[0].page_list[k + 1], simv1_fixmap_va(0, k));
	}
	assert_int_equal(s.stored[0].page_list[16], b.pl[16]);
	/* 4.3 copied nothing; the stored list, walked as the relocation code
	 * walks it, gives every page its data. */
	assert_int_equal(s.ncopy, 0);
	assert_int_equal(simv1_walk(&s, s.stored[0].ind), 0);
	assert_int_equal(s.ncopy, 4);
	assert_int_equal(s.copy[3].dest, 0x2ff0000);
	assert_int_equal(s.copy[3].src[0], 0xa3);
	/* The VA the code will run at is mappable by the stored tables. */
	model_reloc_entry(&b, s.stored[0].page_list[1]);
	assert_int_equal(walk(&b, b.pl[XEN_V1_PL_PGD], s.stored[0].page_list[1]),
			 b.pl[XEN_V1_PL_CONTROL]);
	assert_int_equal(simv1_unload(&s, SIMV1_CMD_UNLOAD_V1, 0), 0);
	assert_false(s.stored[0].set);
	/* Xen >= 4.4 ignores page_list and copies the image itself. */
	s.xen = SIMV1_4_17;
	assert_int_equal(simv1_load_v1_pl(&s, 0, list[0] * PG, v1.entry, b.pl), 0);
	assert_false(s.stored[0].set);
	assert_int_equal(s.ncopy, 4);
	free(s.frames);
	block_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_list_layout),
		cmocka_unit_test(test_identity_tables),
		cmocka_unit_test(test_fixmap_mapping_model),
		cmocka_unit_test(test_fill_refusals),
		cmocka_unit_test(test_in_dest),
		cmocka_unit_test(test_state_file),
		cmocka_unit_test(test_image_on_simulated_4_3),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
