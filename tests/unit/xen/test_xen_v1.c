/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the v1 fallback: the choice of interface from the Xen
 * version (kexec/xen/choose.c) and the v1 indirection list (kexec/xen/v1-list.c),
 * judged by a simulated hypercall layer (tests/fixtures/xen-sim-v1.h) that walks
 * the list like Xen and behaves like Xen 4.3, 4.4.0, 4.17, 4.22 and 4.23. */
#include <inttypes.h>

#include "fixtures.h"
#include "xen/private.h"
#include "xen-sim-v1.h"

#define PG 4096ULL

/* ------------------------------------------------------------ choosing */

struct choice_case {
	int major, minor, micro;
	enum xen_ops want;
	bool xenlinux;
	int rc;
	enum xen_path path;
	const char *why; /* substring of the -d line or the error */
};

static const struct choice_case choice_cases[] = {
	{ 4, 17, 7, XEN_OPS_AUTO, false, 0, XEN_PATH_V2, "has the v2 ops" },
	{ 4, 17, 7, XEN_OPS_V2, false, 0, XEN_PATH_V2, "forced by --xen-ops=v2" },
	{ 4, 17, 7, XEN_OPS_V1, false, 0, XEN_PATH_V1, "forced by --xen-ops=v1" },
	{ 4, 17, -1, XEN_OPS_V1, false, 0, XEN_PATH_V1, "Xen 4.17 copies v1 images" },
	{ 4, 4, 3, XEN_OPS_V1, false, 0, XEN_PATH_V1, "--xen-ops=v1" },
	{ 4, 5, 2, XEN_OPS_V1, false, 0, XEN_PATH_V1, "--xen-ops=v1" },
	{ 4, 6, 0, XEN_OPS_V1, false, 0, XEN_PATH_V1, "--xen-ops=v1" },
	{ 4, 4, 0, XEN_OPS_V1, false, -1, 0, "v1 images fault on Xen 4.4 before 4.4.3/4.5.2" },
	{ 4, 4, 2, XEN_OPS_V1, false, -1, 0, "v1 images fault" },
	{ 4, 5, 1, XEN_OPS_V1, false, -1, 0, "v1 images fault on Xen 4.5" },
	{ 4, 5, -1, XEN_OPS_V1, false, -1, 0, "cannot tell the point release of Xen 4.5" },
	{ 4, 4, 0, XEN_OPS_AUTO, false, 0, XEN_PATH_V2, "has the v2 ops" },
	{ 4, 22, 0, XEN_OPS_V1, false, 0, XEN_PATH_V1, "--xen-ops=v1" },
	{ 4, 22, 0, XEN_OPS_AUTO, false, 0, XEN_PATH_V2, "has the v2 ops" },
	{ 4, 23, -1, XEN_OPS_V1, false, -1, 0, "no v1 kexec ops (removed after 4.22)" },
	{ 4, 23, -1, XEN_OPS_AUTO, false, 0, XEN_PATH_V2, "has the v2 ops" },
	{ 5, 0, 0, XEN_OPS_V1, false, -1, 0, "removed after 4.22" },
	{ 4, 3, 4, XEN_OPS_AUTO, false, 0, XEN_PATH_V1_PRE44, "pvops dom0 kernel cannot use them: loading with our own relocation code" },
	{ 4, 3, 4, XEN_OPS_V1, false, 0, XEN_PATH_V1_PRE44, "own relocation code and page tables" },
	{ 4, 3, 4, XEN_OPS_V2, false, -1, 0, "no v2 kexec ops (added in 4.4)" },
	{ 3, 4, 0, XEN_OPS_AUTO, false, 0, XEN_PATH_V1_PRE44, "Xen 3.4 has only the pre-4.4 v1 ops" },
	{ 4, 3, 4, XEN_OPS_AUTO, true, 0, XEN_PATH_NATIVE, "XenLinux dom0 kernel forwards kexec_load(2)" },
	{ 4, 3, 4, XEN_OPS_V1, true, 0, XEN_PATH_NATIVE, "XenLinux" },
	{ 4, 3, 4, XEN_OPS_V2, true, -1, 0, "no v2 kexec ops" },
	{ 4, 17, 7, XEN_OPS_AUTO, true, 0, XEN_PATH_V2, "has the v2 ops" },
};

static void test_choose(void **state UNUSED)
{
	for (size_t i = 0; i < ARRAY_SIZE(choice_cases); i++) {
		const struct choice_case *t = &choice_cases[i];
		struct xen_version v = { t->major, t->minor, t->micro };
		struct xen_path_choice c;
		int rc = xen_choose_path(v, t->want, t->xenlinux, &c);

		if (rc != t->rc || (rc == 0 && c.path != t->path) || !strstr(c.why, t->why))
			fail_msg("case %zu (Xen %d.%d.%d want %d): rc %d path %d \"%s\"", i,
				 t->major, t->minor, t->micro, t->want, rc, c.path, c.why);
		if (strchr(c.why, '\n'))
			fail_msg("case %zu: reason is not one line", i);
	}
}

static void test_micro_and_xenlinux(void **state UNUSED)
{
	assert_int_equal(xen_version_make(4, 17, ".7").micro, 7);
	assert_int_equal(xen_version_make(4, 17, ".0").micro, 0);
	assert_int_equal(xen_version_make(4, 17, "-dev").micro, -1);
	assert_int_equal(xen_version_make(4, 17, ".0-rc").micro, -1);
	assert_int_equal(xen_version_make(4, 17, "").micro, -1);
	assert_int_equal(xen_version_make(4, 17, NULL).micro, -1);
	assert_true(xen_version_before(xen_version_make(4, 3, ".0"), 4, 4));
	assert_false(xen_version_before(xen_version_make(4, 4, ".0"), 4, 4));
	assert_true(xen_version_before(xen_version_make(3, 9, ".0"), 4, 4));
	assert_false(xen_version_before(xen_version_make(5, 0, ".0"), 4, 23));
	assert_true(xen_version_is(xen_version_make(4, 5, "-dev"), 4, 5));
	assert_true(xen_iomem_is_xenlinux("  00100000-001fffff : Hypervisor code and data\n"));
	assert_false(xen_iomem_is_xenlinux("00100000-3fffffff : System RAM\n"));
	assert_false(xen_iomem_is_xenlinux(NULL));
}

/* ------------------------------------------------------------ staging */

/* What a v1 staging does, with fake machine frames: source pages get the
 * data then zeros; frames are handed out in reverse order so the list
 * must really follow frame numbers. */
struct staged {
	uint8_t *frames;
	uint64_t base, n;
	uint64_t ind;   /* machine address of the first list page */
	size_t nsrc, nlist;
};

static uint8_t pattern(unsigned seg, uint64_t off) { return (uint8_t)(seg * 37 + off / PG * 7 + off + 1); }

static void stage(const struct xen_seg_list *v1, struct staged *st)
{
	uint64_t *src, *list;
	size_t k = 0;

	st->nsrc = xen_v1_source_pages(v1);
	st->nlist = xen_v1_list_pages(st->nsrc, v1->n);
	st->n = st->nsrc + st->nlist;
	st->base = 0x40000;
	st->frames = calloc(st->n, PG);
	src = calloc(st->nsrc, sizeof(*src));
	list = calloc(st->nlist, sizeof(*list));
	assert_non_null(st->frames);
	for (size_t i = 0; i < st->nsrc; i++)
		src[i] = st->base + st->n - 1 - i;
	for (size_t i = 0; i < st->nlist; i++)
		list[i] = st->base + st->nlist - 1 - i;
	for (unsigned i = 0; i < v1->n; i++)
		for (uint64_t off = 0; off < v1->seg[i].dest_size; off += PG, k++) {
			uint8_t *pg = st->frames + (src[k] - st->base) * PG;

			for (uint64_t b = 0; b < PG && off + b < v1->seg[i].buf_size; b++)
				pg[b] = pattern(i, off + b);
		}
	uint64_t *words = calloc(st->nlist, PG);
	assert_int_equal(xen_v1_list_fill(v1, src, st->nsrc, list, st->nlist, words), 0);
	for (size_t i = 0; i < st->nlist; i++)
		memcpy(st->frames + (list[i] - st->base) * PG, words + i * XEN_V1_WORDS, PG);
	st->ind = list[0] * PG;
	free(words);
	free(src);
	free(list);
}

/* Every destination page of v1 got exactly what the segment holds. */
static void assert_image(const struct simv1 *s, const struct xen_seg_list *v1)
{
	unsigned k = 0;

	for (unsigned i = 0; i < v1->n; i++)
		for (uint64_t off = 0; off < v1->seg[i].dest_size; off += PG, k++) {
			assert_true(k < s->ncopy);
			assert_int_equal(s->copy[k].dest, v1->seg[i].dest + off);
			for (uint64_t b = 0; b < PG; b++) {
				uint8_t want = off + b < v1->seg[i].buf_size ? pattern(i, off + b) : 0;

				if (s->copy[k].src[b] != want)
					fail_msg("segment %u byte 0x%" PRIx64 ": %u, want %u", i,
						 off + b, s->copy[k].src[b], want);
			}
		}
	assert_int_equal(k, s->ncopy);
}

static struct xen_seg_list seg_list(uint8_t type, const struct xen_seg *segs, unsigned n)
{
	struct xen_seg_list l;

	memset(&l, 0, sizeof(l));
	l.type = type;
	l.arch = 62;
	l.entry = segs[0].dest;
	l.n = n;
	memcpy(l.seg, segs, n * sizeof(*segs));
	return l;
}

/* A bzImage-like plan: kernel (memsz > filesz), initrd, purgatory with
 * data, and purgatory's map-only low memory (VGA), which v1 drops because
 * Xen maps 0-1 MiB itself. */
static const struct xen_seg plan_segs[] = {
	{ 0, 0x2345, 0x1000000, 0x5000 },
	{ 1, 0x3000, 0x3000000, 0x3000 },
	{ 2, 0x800, 0x2ff0000, 0x1000 },
	{ -1, 0, 0xb8000, 0x8000 },
};

static void test_v1_image_on_4_17(void **state UNUSED)
{
	struct xen_seg_list l = seg_list(0, plan_segs, 4), v1;
	struct simv1 s = { .xen = SIMV1_4_17 };
	struct staged st;

	assert_int_equal(xen_v1_select(&l, &v1), 0);
	assert_int_equal(v1.n, 3);
	stage(&v1, &st);
	s.frames = st.frames, s.base = st.base, s.n = st.n;
	assert_int_equal(simv1_load_v1(&s, 0, st.ind, l.entry), 0);
	assert_true(s.loaded[0]);
	assert_int_equal(s.nseg, 3);
	assert_image(&s, &v1);
	assert_int_equal(simv1_unload(&s, SIMV1_CMD_UNLOAD_V1, 0), 0);
	assert_false(s.loaded[0]);
	free(st.frames);
}

/* Lists of 1, 511 (one full page), 512 and thousands of entries: each list
 * page must end in INDIRECTION or DONE, since Xen reads on otherwise. */
static void test_list_page_boundaries(void **state UNUSED)
{
	const uint64_t pages[] = { 1, 510, 511, 1021, 1022, 3000 };

	assert_int_equal(xen_v1_list_pages(510, 1), 1);
	assert_int_equal(xen_v1_list_pages(511, 1), 2);
	assert_int_equal(xen_v1_list_pages(1021, 1), 2);
	assert_int_equal(xen_v1_list_pages(1022, 1), 3);
	for (size_t i = 0; i < ARRAY_SIZE(pages); i++) {
		struct xen_seg seg = { 0, pages[i] * PG - 3, 0x200000, pages[i] * PG };
		struct xen_seg_list l = seg_list(1, &seg, 1), v1;
		struct simv1 s = { .xen = SIMV1_4_22 };
		struct staged st;

		assert_int_equal(xen_v1_select(&l, &v1), 0);
		stage(&v1, &st);
		s.frames = st.frames, s.base = st.base, s.n = st.n;
		if (simv1_load_v1(&s, 1, st.ind, l.entry))
			fail_msg("%" PRIu64 " pages: %s", pages[i], s.why);
		assert_true(s.loaded[1]);
		assert_image(&s, &v1);
		free(st.frames);
	}
}

/* Contiguous segments are one run for Xen's 16-segment limit; 15 separate
 * ones (our maximum) stay within it. */
static void test_many_segments(void **state UNUSED)
{
	struct xen_seg segs[XEN_MAX_SEGMENTS];
	struct simv1 s = { .xen = SIMV1_4_17 };
	struct xen_seg_list l, v1;
	struct staged st;

	for (unsigned i = 0; i < XEN_MAX_SEGMENTS; i++)
		segs[i] = (struct xen_seg){ (int)i, PG, 0x100000 + i * 0x10000 * (i % 2 + 1), PG };
	l = seg_list(0, segs, XEN_MAX_SEGMENTS);
	assert_int_equal(xen_v1_select(&l, &v1), 0);
	stage(&v1, &st);
	s.frames = st.frames, s.base = st.base, s.n = st.n;
	assert_int_equal(simv1_load_v1(&s, 0, st.ind, l.entry), 0);
	assert_image(&s, &v1);
	free(st.frames);
}

static void test_select_refusals(void **state UNUSED)
{
	const struct xen_seg high[] = { { 0, PG, 0x1000000, PG }, { -1, 0, 0xf0000, 0x20000 } };
	const struct xen_seg only_map[] = { { -1, 0, 0xb8000, 0x8000 } };
	struct xen_seg_list l = seg_list(0, high, 2), v1;
	struct capture cap;
	uint64_t one = 1, words[XEN_V1_WORDS];

	capture_start(&cap);
	assert_int_equal(xen_v1_select(&l, &v1), -1);
	assert_one_error(capture_end(&cap), "v1 ops cannot map 0xf0000-0x10ffff");
	l = seg_list(0, only_map, 1);
	capture_start(&cap);
	assert_int_equal(xen_v1_select(&l, &v1), -1);
	assert_one_error(capture_end(&cap), "no segment with memory");
	l = seg_list(0, high, 1);
	capture_start(&cap);
	assert_int_equal(xen_v1_list_fill(&l, &one, 2, &one, 1, words), -1);
	assert_one_error(capture_end(&cap), "do not fit the image");
}

/* ------------------------------------------ choice and hypervisor together */

/* Load through the path xen_choose_path picks, on the simulated Xen. */
static int load_as_chosen(struct simv1 *s, struct xen_version v, enum xen_ops want,
			  struct xen_path_choice *c)
{
	struct xen_seg_list l = seg_list(0, plan_segs, 4), v1;
	struct staged st;
	int rc;

	if (xen_choose_path(v, want, false, c) < 0)
		return 1; /* refused before any hypercall */
	if (c->path == XEN_PATH_V2)
		return simv1_load_v2(s, &l);
	assert_int_equal(xen_v1_select(&l, &v1), 0);
	stage(&v1, &st);
	s->frames = st.frames, s->base = st.base, s->n = st.n;
	if (c->path == XEN_PATH_V1_PRE44) {
		/* page_list's layout is tests/test_xen_v1_pre44.c's business;
		 * here: 4.3 stores the image, and the list it stored, walked
		 * as our relocation code walks it, yields the image. */
		uint64_t pl[SIMV1_NO_PAGES] = { 0x1234000 };

		rc = simv1_load_v1_pl(s, 0, st.ind, l.entry, pl);
		if (rc == 0 && s->stored[0].set) {
			assert_int_equal(s->stored[0].entry, l.entry);
			assert_int_equal(simv1_walk(s, s->stored[0].ind), 0);
		}
	} else {
		rc = simv1_load_v1(s, 0, st.ind, l.entry);
	}
	if (rc == 0 && s->loaded[0])
		assert_image(s, &v1);
	free(st.frames);
	s->frames = NULL;
	return rc;
}

struct hv_case {
	enum simv1_xen xen;
	struct xen_version v;
	enum xen_ops want;
	int rc;            /* 1: refused by the choice */
	bool loaded;
	const char *why;   /* substring of the reason */
};

static const struct hv_case hv_cases[] = {
	{ SIMV1_4_3, { 4, 3, 4 }, XEN_OPS_AUTO, 0, true, "own relocation code" },
	{ SIMV1_4_3, { 4, 3, 4 }, XEN_OPS_V1, 0, true, "own relocation code" },
	{ SIMV1_4_3, { 4, 3, 4 }, XEN_OPS_V2, 1, false, "would accept them and load nothing" },
	{ SIMV1_4_4_0, { 4, 4, 0 }, XEN_OPS_AUTO, 0, true, "v2 ops" },
	{ SIMV1_4_4_0, { 4, 4, 0 }, XEN_OPS_V1, 1, false, "v1 images fault" },
	{ SIMV1_4_17, { 4, 17, 7 }, XEN_OPS_AUTO, 0, true, "v2 ops" },
	{ SIMV1_4_17, { 4, 17, 7 }, XEN_OPS_V1, 0, true, "forced by --xen-ops=v1" },
	{ SIMV1_4_22, { 4, 22, 0 }, XEN_OPS_V1, 0, true, "forced by --xen-ops=v1" },
	{ SIMV1_4_23, { 4, 23, -1 }, XEN_OPS_AUTO, 0, true, "v2 ops" },
	{ SIMV1_4_23, { 4, 23, -1 }, XEN_OPS_V1, 1, false, "removed after 4.22" },
};

static void test_choice_on_simulated_xen(void **state UNUSED)
{
	for (size_t i = 0; i < ARRAY_SIZE(hv_cases); i++) {
		const struct hv_case *t = &hv_cases[i];
		struct simv1 s = { .xen = t->xen };
		struct xen_path_choice c;
		int rc = load_as_chosen(&s, t->v, t->want, &c);

		if (rc != t->rc || s.loaded[0] != t->loaded || s.broken[0] || !strstr(c.why, t->why))
			fail_msg("case %zu: rc %d loaded %d broken %d \"%s\"", i, rc, s.loaded[0],
				 s.broken[0], c.why);
	}
}

/* What the refusals avoid: the ops they would have sent do harm quietly. */
static void test_what_refusals_avoid(void **state UNUSED)
{
	struct xen_seg_list l = seg_list(0, plan_segs, 4), v1;
	struct simv1 s43 = { .xen = SIMV1_4_3 }, s440 = { .xen = SIMV1_4_4_0 };
	struct simv1 s422 = { .xen = SIMV1_4_22 }, s423 = { .xen = SIMV1_4_23 };
	struct staged st;

	/* 4.3 answers a v2 load with success and loads nothing, and takes
	 * a user-space v1 load that would run code dom0 never supplied. */
	assert_int_equal(simv1_load_v2(&s43, &l), 0);
	assert_false(s43.loaded[0]);
	assert_int_equal(simv1_load_v1(&s43, 0, 0x1000, l.entry), 0);
	assert_true(s43.broken[0]);
	/* 4.4.0 walks the list and "loads" an image that faults. */
	assert_int_equal(xen_v1_select(&l, &v1), 0);
	stage(&v1, &st);
	s440.frames = st.frames, s440.base = st.base, s440.n = st.n;
	assert_int_equal(simv1_load_v1(&s440, 0, st.ind, l.entry), 0);
	assert_true(s440.broken[0]);
	free(st.frames);
	/* Probing cannot tell: 4.3 and 4.17 both answer op 7 with 0; 4.22
	 * refuses it but still has v1; 4.23 refuses v1. */
	assert_int_equal(simv1_op(&s43, 7), 0);
	assert_int_equal(simv1_op(&s422, 7), -EOPNOTSUPP);
	assert_int_equal(simv1_unload(&s422, SIMV1_CMD_UNLOAD_V1, 0), 0);
	assert_int_equal(simv1_load_v1(&s423, 0, 0x1000, 0), -EOPNOTSUPP);
	assert_int_equal(simv1_unload(&s423, SIMV1_CMD_UNLOAD_V1, 0), -EOPNOTSUPP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_micro_and_xenlinux),
		cmocka_unit_test(test_v1_image_on_4_17),
		cmocka_unit_test(test_list_page_boundaries),
		cmocka_unit_test(test_many_segments),
		cmocka_unit_test(test_select_refusals),
		cmocka_unit_test(test_choice_on_simulated_xen),
		cmocka_unit_test(test_what_refusals_avoid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
