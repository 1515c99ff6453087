/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host side of purgatory: copy the blob into the plan, fill its parameter
 * block, and arm the seal the staging pass fills (stage.c). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "purgatory.h"
#include "util.h"

/* Purgatory's own stack lives at the top of its memory; keep it off the
 * parameter block by taking the last 16-byte aligned address. */
static uint64_t blob_stack_top(uint64_t base, uint64_t memsz)
{
	return ALIGN_DOWN(base + memsz - 16, 16);
}

static struct purgatory_params *blob_params(void *blob, size_t len)
{
	struct purgatory_params *pp;

	if (len < PURGATORY_PARAMS_OFFSET + sizeof(*pp))
		return NULL;
	pp = (struct purgatory_params *)((char *)blob + PURGATORY_PARAMS_OFFSET);
	if (pp->magic != PURGATORY_MAGIC || pp->version != PURGATORY_VERSION ||
	    pp->size != sizeof(*pp))
		return NULL;
	return pp;
}

struct purgatory_params *purgatory_place(struct plan *p, const struct options *o,
					 uint64_t min, uint64_t max, bool top_down,
					 uint64_t *stack_top)
{
	size_t len = (size_t)(purgatory_blob_end - purgatory_blob);
	void *copy = kx_malloc(len);
	struct purgatory_params *pp;
	uint64_t addr, memsz;

	if (!copy)
		return NULL;
	memcpy(copy, purgatory_blob, len);
	pp = blob_params(copy, len);
	if (!pp) {
		kx_error("internal: the embedded purgatory has no valid parameter block");
		free(copy);
		return NULL;
	}
	if (plan_own(p, copy) < 0) {
		free(copy);
		return NULL;
	}
	memsz = pp->blob_memsz > len ? pp->blob_memsz : len;
	if (plan_place(p, &(struct placement){ .what = "purgatory", .buf = copy, .bufsz = len,
					       .memsz = memsz, .min = min, .max = max,
					       .top_down = top_down, .no_digest = true }, &addr) < 0)
		return NULL;
	p->entry = addr;
	*stack_top = blob_stack_top(addr, ALIGN_UP(memsz, PAGE_SIZE_4K));

	pp->console_serial = o->console_serial;
	pp->console_vga = o->console_vga;
	pp->reset_vga = o->reset_vga;
	pp->serial_base = o->serial_base ? o->serial_base : 0x3f8;
	pp->serial_baud = o->serial_baud;
	pp->preserve_context = o->load_preserve_context;
	pp->panic_kernel = p->crash;
	/* The VGA text buffer is outside every segment. */
	if (o->console_vga && plan_touch(p, 0xb8000, 0xc0000) < 0)
		return NULL;
	return pp;
}

/* The segment whose buffer holds pp. */
static int seal_segment(const struct plan *p, const struct purgatory_params *pp, unsigned *idx)
{
	const char *blob = (const char *)pp - PURGATORY_PARAMS_OFFSET;

	for (unsigned i = 0; i < p->nseg; i++)
		if (p->seg[i].buf == blob) {
			*idx = i;
			return 0;
		}
	kx_error("internal: purgatory's parameter block is in no segment");
	return -1;
}

int purgatory_seal(struct plan *p, struct purgatory_params *pp, bool skip_checks)
{
	unsigned n = 0;

	pp->skip_checks = skip_checks;
	pp->nregions = 0;
	memset(pp->digest, 0, sizeof(pp->digest));
	p->seal = NULL;
	if (skip_checks)
		return 0;
	for (unsigned i = 0; i < p->nseg; i++)
		n += !p->seg[i].no_digest && p->seg[i].bufsz;
	/* Said now, at load time, rather than by the backend mid-staging. */
	if (n > PURGATORY_MAX_REGIONS) {
		kx_error("too many segments to check (at most %d)", PURGATORY_MAX_REGIONS);
		return -1;
	}
	if (seal_segment(p, pp, &p->seal_seg) < 0)
		return -1;
	p->seal = pp;
	return 0;
}
