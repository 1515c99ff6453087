/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capture-kernel extras for x86_64 Linux: the low-memory backup, the ELF
 * core header, the capture kernel's memory map and command line. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crash-elf.h"
#include "util.h"
#include "x86-linux.h"

#define LOW_RAM_END 0xa0000ULL /* the first 640 KiB the capture kernel reuses */

/* The first RAM range below 640 KiB: the capture kernel boots through low
 * memory outside the crash region, so purgatory saves it first. */
static void find_backup_src(const struct mem_map *ram, struct crash_setup *cs)
{
	for (size_t i = 0; i < ram->n; i++) {
		const struct mem_range *r = &ram->r[i];

		if (r->type != MEM_RAM || r->start >= LOW_RAM_END)
			continue;
		cs->backup_src = r->start;
		cs->backup_size = (r->end < LOW_RAM_END ? r->end : LOW_RAM_END) - r->start;
		return;
	}
}

static int add_load(struct crash_load **v, size_t *n, struct crash_load l)
{
	struct crash_load *nv = kx_realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -1;
	nv[(*n)++] = l;
	*v = nv;
	return 0;
}

/* PT_LOADs: the RAM to dump minus the crash regions, with the backup
 * source read from its copy, and the kernel text mapping if known. */
static int dump_loads(const struct machine *m, const struct crash_setup *cs,
		      struct crash_load **loads, size_t *n)
{
	const struct dump_source *d = &m->dump;

	*loads = NULL;
	*n = 0;
	for (size_t i = 0; i < d->ram.n; i++) {
		uint64_t s = d->ram.r[i].start, e = d->ram.r[i].end;
		struct crash_load l = { .paddr = s, .size = e - s, .offset = s,
					.vaddr = d->page_offset ? d->page_offset + s : 0 };

		if (add_load(loads, n, l) < 0)
			return -1;
	}
	for (size_t i = 0; i < m->crash_all.n; i++)
		if (crash_ranges_exclude(loads, n, m->crash_all.r[i].start, m->crash_all.r[i].end) < 0)
			return -1;
	if (cs->backup_size) {
		struct crash_load b = { .paddr = cs->backup_src, .size = cs->backup_size,
					.vaddr = d->page_offset ? d->page_offset + cs->backup_src : 0,
					.offset = cs->backup_dst };

		if (crash_ranges_exclude(loads, n, cs->backup_src, cs->backup_src + cs->backup_size) < 0 ||
		    add_load(loads, n, b) < 0)
			return -1;
	}
	if (d->have_text && add_load(loads, n, d->text) < 0)
		return -1;
	return 0;
}

static int place_core_header(struct plan *p, const struct options *o, struct crash_setup *cs)
{
	const struct machine *m = p->machine;
	struct crash_desc desc = { .e_machine = m->dump.e_machine,
				   .elf_class = o->elf_core_headers == 32 ? 32 : 64,
				   .notes = m->dump.notes, .nnotes = m->dump.nnotes };
	void *hdr = NULL;
	size_t len;
	int rc = -1;

	if (dump_loads(m, cs, &desc.loads, &desc.nloads) < 0 ||
	    crash_elf_build(&desc, &hdr, &len) < 0)
		goto out;
	if (plan_own(p, hdr) < 0) {
		free(hdr);
		goto out;
	}
	/* At the top of the crash region, away from the kernel's growth. */
	rc = plan_place(p, &(struct placement){ .what = "ELF core header", .buf = hdr,
						.bufsz = len, .top_down = true }, &cs->elfcorehdr);
	cs->elfcorehdr_size = ALIGN_UP(len, PAGE_SIZE_4K);
out:
	free(desc.loads);
	return rc;
}

/* RAM for the capture kernel: its own region(s) and the saved low memory;
 * firmware ranges keep their types so ACPI and friends stay reachable. */
static int capture_memmap(const struct plan *p, struct crash_setup *cs)
{
	const struct machine *m = p->machine;
	struct mem_map *e = &cs->e820;

	memmap_init(e);
	if (cs->backup_size && memmap_add(e, cs->backup_src, cs->backup_src + cs->backup_size, MEM_RAM) < 0)
		return -1;
	for (size_t i = 0; i < m->crash_all.n; i++)
		if (memmap_add(e, m->crash_all.r[i].start, m->crash_all.r[i].end, MEM_RAM) < 0)
			return -1;
	/* The header and the backup copy must survive the capture kernel. */
	if (memmap_exclude(e, cs->elfcorehdr, cs->elfcorehdr + cs->elfcorehdr_size) < 0 ||
	    (cs->backup_size &&
	     memmap_exclude(e, cs->backup_dst, cs->backup_dst + ALIGN_UP(cs->backup_size, PAGE_SIZE_4K)) < 0))
		return -1;
	for (size_t i = 0; i < m->ram.n; i++)
		if (m->ram.r[i].type != MEM_RAM &&
		    memmap_add(e, m->ram.r[i].start, m->ram.r[i].end, m->ram.r[i].type) < 0)
			return -1;
	memmap_normalize(e);
	return 0;
}

/* --pass-memmap-cmdline: the memory map as memmap= parameters (KiB), for
 * capture kernels that should not trust the e820 table. RAM ranges under
 * 100 KiB are left out, as upstream does. */
static size_t memmap_params(const struct mem_map *e, char *out, size_t n)
{
	size_t len = out ? (size_t)snprintf(out, n, " memmap=exactmap") : 17;

	for (size_t i = 0; i < e->n; i++) {
		const struct mem_range *r = &e->r[i];
		uint64_t s = r->start >> 10, sz;
		char kind;

		switch (r->type) {
		case MEM_RAM:
			kind = '@';
			sz = (r->end - r->start) >> 10;
			if (sz < 100)
				continue;
			break;
		case MEM_ACPI:
		case MEM_NVS:
			kind = '#';
			sz = (r->end - r->start + 1023) >> 10;
			break;
		case MEM_PMEM:
			kind = '!';
			sz = (r->end - r->start + 1023) >> 10;
			break;
		default:
			kind = '$';
			sz = (r->end - r->start + 1023) >> 10;
			break;
		}
		len += out ? (size_t)snprintf(out + len, len < n ? n - len : 0,
					      " memmap=%" PRIu64 "K%c%" PRIu64 "K", sz, kind, s)
			   : 48;
	}
	return len;
}

static int capture_cmdline(const struct plan *p, const struct options *o, const char *user,
			   struct crash_setup *cs)
{
	size_t n = strlen(user) + 96 + (o->pass_memmap_cmdline ? memmap_params(&cs->e820, NULL, 0) : 0);

	cs->cmdline = kx_malloc(n);
	if (!cs->cmdline)
		return -1;
	/* elfcorehdr= takes KiB; the header is page aligned. acpi_rsdp= for
	 * capture kernels that get no EFI tables to find it through. */
	snprintf(cs->cmdline, n, "%s%selfcorehdr=%" PRIu64 "K", user, *user ? " " : "",
		 cs->elfcorehdr >> 10);
	if (p->machine->acpi_rsdp) {
		size_t len = strlen(cs->cmdline);

		snprintf(cs->cmdline + len, n - len, " acpi_rsdp=0x%" PRIx64, p->machine->acpi_rsdp);
	}
	if (o->pass_memmap_cmdline) {
		size_t len = strlen(cs->cmdline);

		memmap_params(&cs->e820, cs->cmdline + len, n - len);
	}
	return 0;
}

int x86_crash_prepare(struct plan *p, const struct options *o, const char *cmdline,
		      struct crash_setup *cs)
{
	memset(cs, 0, sizeof(*cs));
	find_backup_src(&p->machine->ram, cs);
	if (cs->backup_size) {
		if (plan_place(p, &(struct placement){ .what = "low-memory backup",
						       .memsz = cs->backup_size }, &cs->backup_dst) < 0 ||
		    plan_touch(p, cs->backup_src, cs->backup_src + cs->backup_size) < 0)
			return -1;
	}
	if (place_core_header(p, o, cs) < 0 || capture_memmap(p, cs) < 0 ||
	    capture_cmdline(p, o, cmdline, cs) < 0) {
		x86_crash_free(cs);
		return -1;
	}
	return 0;
}

/* Boot parameters, purgatory, ELF header, backup copy, alignment slack. */
#define CRASH_EXTRA (4ULL << 20)

static uint64_t map_total(const struct mem_map *m)
{
	uint64_t t = 0;

	for (size_t i = 0; i < m->n; i++)
		t += m->r[i].end - m->r[i].start;
	return t;
}

int x86_crash_check_room(const struct plan *p, const char *kernel, uint64_t kernel_memsz,
			 const char *initrd)
{
	const struct machine *m = p->machine;
	uint64_t have = map_total(&m->crash), whole = map_total(&m->crash_all);
	uint64_t rd = 0, need;
	struct stat st;

	if (initrd && stat(initrd, &st) == 0)
		rd = (uint64_t)st.st_size;
	need = ALIGN_UP(kernel_memsz, 2ULL << 20) + ALIGN_UP(rd, PAGE_SIZE_4K) + CRASH_EXTRA;
	if (need <= have)
		return 0;
	kx_error("%s: the crash region (%" PRIu64 " MiB%s) is too small: this capture kernel needs about %" PRIu64
		 " MiB (kernel %" PRIu64 " MiB, initrd %" PRIu64 " MiB, 4 MiB more); enlarge crashkernel=",
		 kernel, whole >> 20, whole > have ? ", part of it kept free for the hypervisor" : "",
		 (need + (1 << 20) - 1) >> 20, (kernel_memsz + (1 << 20) - 1) >> 20, (rd + (1 << 20) - 1) >> 20);
	return -1;
}

void x86_crash_free(struct crash_setup *cs)
{
	memmap_free(&cs->e820);
	free(cs->cmdline);
	cs->cmdline = NULL;
}
