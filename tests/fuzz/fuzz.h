/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the libFuzzer harnesses share: quiet error lines, a fixed machine
 * description, and an image view of the input. Each harness is its own
 * program (tests/fuzz/build.sh), so everything here is static. */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "memmap.h"
#include "plan.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaders print one error line per bad input: send stdio to /dev/null
 * (FUZZ_VERBOSE=1 keeps it). Sanitizer reports bypass stdio and still
 * reach the real stderr. */
static inline void fuzz_quiet(void)
{
	FILE *null;

	if (getenv("FUZZ_VERBOSE"))
		return;
	null = fopen("/dev/null", "w");
	if (null) {
		stderr = null;
		stdout = null;
	}
}

/* A small PC: low RAM, 1 MiB - 512 MiB, a hole, 4 GiB - 4.5 GiB; a crash
 * region at 256 MiB - 384 MiB. Small enough that what it accepts never
 * costs the fuzzer much memory. */
static inline int fuzz_machine(struct machine *m, bool crash)
{
	memset(m, 0, sizeof(*m));
	m->backend = "fuzz";
	m->max_segments = PLAN_MAX_SEGMENTS;
	if (memmap_add(&m->ram, 0, 0x9fc00, MEM_RAM) < 0 ||
	    memmap_add(&m->ram, 0x9fc00, 0xa0000, MEM_RESERVED) < 0 ||
	    memmap_add(&m->ram, 0x100000, 0x20000000, MEM_RAM) < 0 ||
	    memmap_add(&m->ram, 0xfee00000, 0xfee01000, MEM_RESERVED) < 0 ||
	    memmap_add(&m->ram, 0x100000000ULL, 0x120000000ULL, MEM_RAM) < 0)
		return -1;
	memmap_normalize(&m->ram);
	if (!crash)
		return 0;
	m->dump.e_machine = 62; /* EM_X86_64 */
	if (memmap_add(&m->crash, 0x10000000, 0x18000000, MEM_RAM) < 0 ||
	    memmap_add(&m->crash_all, 0x10000000, 0x18000000, MEM_RAM) < 0 ||
	    memmap_add(&m->dump.ram, 0x100000, 0x20000000, MEM_RAM) < 0 ||
	    dump_add_note(&m->dump, 0x10000, 0x400) < 0 ||
	    dump_add_note(&m->dump, 0x11000, 0x1000) < 0)
		return -1;
	m->dump.ncpu_notes = 1;
	return 0;
}

/* The input as a kernel file already read into memory. */
static inline void fuzz_image(struct kernel_image *k, const uint8_t *data, size_t size)
{
	memset(k, 0, sizeof(*k));
	k->path = "fuzz-input";
	k->buf = data;
	k->len = size;
	k->reason = k->reason_buf;
}

/* Probe, then (when it is this type) load against the fuzz machine; the
 * last input byte picks a normal or a crash plan. */
static inline void fuzz_probe_load(const struct file_type *t, const uint8_t *data, size_t size,
				   struct options *o)
{
	struct kernel_image k;
	struct machine m;
	struct plan p;
	const char *why = NULL;
	bool crash = size && (data[size - 1] & 1);

	fuzz_image(&k, data, size);
	if (t->probe(&k, &why) < 0)
		return;
	if (fuzz_machine(&m, crash) == 0) {
		plan_init(&p, &m, crash);
		o->panic = crash;
		if (t->load(o, &k, &p) == 0)
			(void)plan_validate(&p);
		plan_release(&p);
	}
	machine_free(&m);
}

#endif
