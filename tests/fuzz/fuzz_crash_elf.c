/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The crash ELF header builder over random memory maps: a header byte
 * (class, machine), an exclusion range, up to 8 note buffers and up to
 * 512 RAM ranges, all taken from the input; then the note walker over the
 * raw input. */
#include "crash-elf.h"
#include "fuzz.h"

#define MAX_NOTES 8
#define MAX_LOADS 512

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_quiet();
	return 0;
}

struct reader {
	const uint8_t *p;
	size_t left;
};

static uint64_t take(struct reader *r, size_t n)
{
	uint64_t v = 0;

	if (n > r->left)
		n = r->left;
	memcpy(&v, r->p, n);
	r->p += n;
	r->left -= n;
	return v;
}

static void build(struct reader *r)
{
	uint8_t flags = (uint8_t)take(r, 1);
	size_t nnotes = take(r, 1) % (MAX_NOTES + 1);
	uint64_t ex_start = take(r, 8), ex_end = take(r, 8);
	struct crash_note_buf notes[MAX_NOTES];
	struct crash_load *loads = calloc(MAX_LOADS, sizeof(*loads));
	struct crash_desc d = { .e_machine = flags & 2 ? 3 : 62, .elf_class = flags & 1 ? 32 : 64,
				.notes = notes, .nnotes = nnotes };
	size_t n = 0, len;
	void *buf;

	if (!loads)
		return;
	for (size_t i = 0; i < nnotes; i++)
		notes[i] = (struct crash_note_buf){ take(r, 8), take(r, 4) };
	while (r->left && n < MAX_LOADS) {
		uint64_t paddr = take(r, 8), size = take(r, 4) << 12;

		loads[n++] = (struct crash_load){ .paddr = paddr, .size = size, .offset = paddr,
						  .vaddr = flags & 4 ? paddr + 0xffff888000000000ULL : 0,
						  .alias = (int)(take(r, 1) & 1) };
	}
	if (!(flags & 8) && crash_ranges_exclude(&loads, &n, ex_start, ex_end) < 0) {
		free(loads);
		return;
	}
	d.loads = loads;
	d.nloads = n;
	if (crash_elf_build(&d, &buf, &len) == 0)
		free(buf);
	free(loads);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = { data, size };
	size_t count;

	build(&r);
	(void)crash_note_desc_count(data, size, "CORE", 1, &count);
	(void)crash_note_desc_count(data, size, "VMCOREINFO", 0, &count);
	return 0;
}
