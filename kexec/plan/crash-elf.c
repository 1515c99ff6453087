/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ELF core header builder for kexec -p, plus two helpers around it: carving
 * a hole out of the dumped RAM ranges and counting notes in a note buffer.
 * The layout follows what the capture kernel's /proc/vmcore parser
 * accepts: program headers right after the ELF header (it ignores
 * e_phoff), e_phnum read as is (no PN_XNUM), PT_NOTE p_offset and PT_LOAD
 * p_offset taken as physical addresses. */
#include <elf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "crash-elf.h"
#include "util.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "the header is written with host byte order and marked little endian");

#define U32_LAST 0xffffffffULL

typedef unsigned long long ull;

/* ---------------------------------------------------------------- checks */

static int pick_class(const struct crash_desc *d, bool *elf32)
{
	if (d->elf_class != 0 && d->elf_class != 32 && d->elf_class != 64) {
		kx_error("elfcorehdr: ELF class %d is neither 32 nor 64", d->elf_class);
		return -1;
	}
	*elf32 = d->elf_class == 32;
	return 0;
}

/* Zero-size entries are skipped, not refused: Xen reports start = size = 0
 * for a CPU whose note buffer it could not allocate. */
static int count_phdrs(const struct crash_desc *d, size_t *phnum)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nnotes; i++)
		n += d->notes[i].size != 0;
	for (size_t i = 0; i < d->nloads; i++)
		n += d->loads[i].size != 0;
	if (n == 0) {
		kx_error("elfcorehdr: nothing to describe (no non-empty note buffer or memory range)");
		return -1;
	}
	if (n > CRASH_ELF_MAX_PHDRS) {
		kx_error("elfcorehdr: %zu program headers exceed the limit of %d "
			 "(the capture kernel does not support PN_XNUM)", n, CRASH_ELF_MAX_PHDRS);
		return -1;
	}
	*phnum = n;
	return 0;
}

/* Last byte of [start, start + size), or false when it wraps. */
static bool last_byte(uint64_t start, uint64_t size, uint64_t *last)
{
	*last = start + size - 1;
	return *last >= start;
}

static int check_note(size_t i, const struct crash_note_buf *nb, bool elf32)
{
	uint64_t last;

	if (!last_byte(nb->addr, nb->size, &last)) {
		kx_error("elfcorehdr: note buffer %zu at 0x%llx size 0x%llx wraps past the end "
			 "of the address space", i, (ull)nb->addr, (ull)nb->size);
		return -1;
	}
	if (elf32 && last > U32_LAST) {
		kx_error("elfcorehdr: ELF32 cannot describe note buffer %zu at 0x%llx-0x%llx "
			 "(above 4 GiB); use ELF64 core headers", i, (ull)nb->addr, (ull)last);
		return -1;
	}
	return 0;
}

static int check_load(size_t i, const struct crash_load *l, bool elf32)
{
	uint64_t last, olast, vlast = 0;

	if (!last_byte(l->paddr, l->size, &last) || !last_byte(l->offset, l->size, &olast) ||
	    (l->vaddr && !last_byte(l->vaddr, l->size, &vlast))) {
		kx_error("elfcorehdr: memory range %zu at 0x%llx size 0x%llx (offset 0x%llx, "
			 "vaddr 0x%llx) wraps past the end of the address space",
			 i, (ull)l->paddr, (ull)l->size, (ull)l->offset, (ull)l->vaddr);
		return -1;
	}
	if (elf32 && (last > U32_LAST || olast > U32_LAST || vlast > U32_LAST ||
		      l->size > U32_LAST)) {
		kx_error("elfcorehdr: ELF32 cannot describe memory range %zu at 0x%llx-0x%llx "
			 "(offset 0x%llx, vaddr 0x%llx; above 4 GiB); use ELF64 core headers",
			 i, (ull)l->paddr, (ull)last, (ull)l->offset, (ull)l->vaddr);
		return -1;
	}
	return 0;
}

static int check_entries(const struct crash_desc *d, bool elf32)
{
	for (size_t i = 0; i < d->nnotes; i++)
		if (d->notes[i].size && check_note(i, &d->notes[i], elf32))
			return -1;
	for (size_t i = 0; i < d->nloads; i++)
		if (d->loads[i].size && check_load(i, &d->loads[i], elf32))
			return -1;
	return 0;
}

struct span {
	uint64_t first, last;
	size_t idx;
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Two PT_LOADs for the same physical byte would put it twice in the dump
 * and make address lookups ambiguous. Sorting keeps this O(n log n) for
 * the tens of thousands of ranges a virtio-mem host can have. */
static int check_overlaps(const struct crash_load *loads, size_t n)
{
	struct span *s = kx_calloc(n ? n : 1, sizeof(*s));
	size_t k = 0;
	int rc = 0;

	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (loads[i].size && !loads[i].alias)
			s[k++] = (struct span){ loads[i].paddr,
						loads[i].paddr + loads[i].size - 1, i };
	qsort(s, k, sizeof(*s), cmp_span);
	for (size_t i = 1; i < k && !rc; i++) {
		if (s[i].first > s[i - 1].last)
			continue;
		kx_error("elfcorehdr: memory ranges %zu (0x%llx-0x%llx) and %zu (0x%llx-0x%llx) "
			 "overlap", s[i - 1].idx, (ull)s[i - 1].first, (ull)s[i - 1].last,
			 s[i].idx, (ull)s[i].first, (ull)s[i].last);
		rc = -1;
	}
	free(s);
	return rc;
}

/* ---------------------------------------------------------------- writers */

static void fill_ident(unsigned char *ident, unsigned char cls)
{
	memcpy(ident, ELFMAG, SELFMAG);
	ident[EI_CLASS] = cls;
	ident[EI_DATA] = ELFDATA2LSB;
	ident[EI_VERSION] = EV_CURRENT;
	ident[EI_OSABI] = ELFOSABI_NONE;
}

static void write64(const struct crash_desc *d, size_t phnum, void *buf)
{
	Elf64_Ehdr *eh = buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(eh + 1);

	fill_ident(eh->e_ident, ELFCLASS64);
	eh->e_type = ET_CORE;
	eh->e_machine = d->e_machine;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = (Elf64_Half)phnum;
	for (size_t i = 0; i < d->nnotes; i++) {
		const struct crash_note_buf *nb = &d->notes[i];

		if (nb->size)
			*ph++ = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = nb->addr,
					      .p_paddr = nb->addr, .p_filesz = nb->size,
					      .p_memsz = nb->size };
	}
	for (size_t i = 0; i < d->nloads; i++) {
		const struct crash_load *l = &d->loads[i];

		if (l->size)
			*ph++ = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
					      .p_offset = l->offset, .p_vaddr = l->vaddr,
					      .p_paddr = l->paddr, .p_filesz = l->size,
					      .p_memsz = l->size };
	}
}

/* Values were checked to fit 32 bits before this runs. */
static void write32(const struct crash_desc *d, size_t phnum, void *buf)
{
	Elf32_Ehdr *eh = buf;
	Elf32_Phdr *ph = (Elf32_Phdr *)(eh + 1);

	fill_ident(eh->e_ident, ELFCLASS32);
	eh->e_type = ET_CORE;
	eh->e_machine = d->e_machine;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = (Elf32_Half)phnum;
	for (size_t i = 0; i < d->nnotes; i++) {
		const struct crash_note_buf *nb = &d->notes[i];

		if (nb->size)
			*ph++ = (Elf32_Phdr){ .p_type = PT_NOTE, .p_offset = (Elf32_Off)nb->addr,
					      .p_paddr = (Elf32_Addr)nb->addr,
					      .p_filesz = (Elf32_Word)nb->size,
					      .p_memsz = (Elf32_Word)nb->size };
	}
	for (size_t i = 0; i < d->nloads; i++) {
		const struct crash_load *l = &d->loads[i];

		if (l->size)
			*ph++ = (Elf32_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
					      .p_offset = (Elf32_Off)l->offset,
					      .p_vaddr = (Elf32_Addr)l->vaddr,
					      .p_paddr = (Elf32_Addr)l->paddr,
					      .p_filesz = (Elf32_Word)l->size,
					      .p_memsz = (Elf32_Word)l->size };
	}
}

int crash_elf_build(const struct crash_desc *d, void **buf, size_t *len)
{
	bool elf32;
	size_t phnum, raw;
	void *out;

	if (d->e_machine == EM_NONE) {
		kx_error("elfcorehdr: no machine type (e_machine) given");
		return -1;
	}
	if (pick_class(d, &elf32) || count_phdrs(d, &phnum) || check_entries(d, elf32) ||
	    check_overlaps(d->loads, d->nloads))
		return -1;
	raw = elf32 ? sizeof(Elf32_Ehdr) + phnum * sizeof(Elf32_Phdr)
		    : sizeof(Elf64_Ehdr) + phnum * sizeof(Elf64_Phdr);
	raw = ALIGN_UP(raw, CRASH_ELF_ALIGN);
	out = kx_calloc(1, raw);
	if (!out)
		return -1;
	if (elf32)
		write32(d, phnum, out);
	else
		write64(d, phnum, out);
	*buf = out;
	*len = raw;
	return 0;
}

/* ---------------------------------------------------------------- exclude */

/* The part of l at or above end, with offset/vaddr moved along. */
static struct crash_load tail_from(const struct crash_load *l, uint64_t end)
{
	uint64_t cut = end - l->paddr;
	struct crash_load t = *l;

	t.paddr = end;
	t.size = l->size - cut;
	t.offset = l->offset + cut;
	if (t.vaddr)
		t.vaddr += cut;
	return t;
}

/* Appends to out what is left of l once [start, end) is removed. */
static size_t cut_one(const struct crash_load *l, uint64_t start, uint64_t end,
		      struct crash_load *out)
{
	/* Inclusive end: a range may reach the top of the address space. */
	uint64_t last = l->paddr + l->size - 1; /* no wrap: checked by the caller */
	size_t k = 0;

	if (!l->size || last < start || l->paddr >= end) {
		out[k++] = *l;
		return k;
	}
	if (l->paddr < start) {
		out[k] = *l;
		out[k++].size = start - l->paddr;
	}
	if (last >= end)
		out[k++] = tail_from(l, end);
	return k;
}

int crash_ranges_exclude(struct crash_load **loads, size_t *n, uint64_t start, uint64_t end)
{
	const struct crash_load *in = *loads;
	size_t splits = 0, k = 0;
	struct crash_load *out;

	if (start >= end)
		return 0;
	for (size_t i = 0; i < *n; i++) {
		uint64_t last = 0;

		if (in[i].size && !last_byte(in[i].paddr, in[i].size, &last)) {
			kx_error("crash ranges: range %zu at 0x%llx size 0x%llx wraps past the end "
				 "of the address space", i, (ull)in[i].paddr, (ull)in[i].size);
			return -1;
		}
		splits += in[i].size && in[i].paddr < start && last >= end;
	}
	out = kx_malloc((*n + splits ? *n + splits : 1) * sizeof(*out));
	if (!out)
		return -1;
	for (size_t i = 0; i < *n; i++)
		k += cut_one(&in[i], start, end, out + k);
	free(*loads);
	*loads = out;
	*n = k;
	return 0;
}

/* ---------------------------------------------------------------- notes */

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static bool name_is(const unsigned char *p, uint32_t namesz, const char *name)
{
	size_t want = strlen(name) + 1;

	return namesz == want && !memcmp(p, name, want);
}

int crash_note_desc_count(const void *buf, size_t len, const char *name, uint32_t type,
			  size_t *count)
{
	const unsigned char *p = buf;
	size_t off = 0, found = 0;

	while (len - off >= 12) {
		uint32_t namesz = get_u32(p + off), descsz = get_u32(p + off + 4);
		uint64_t size = 12 + ALIGN_UP((uint64_t)namesz, 4) + ALIGN_UP((uint64_t)descsz, 4);

		if (namesz == 0)
			break;
		if (size > len - off) {
			kx_error("note buffer: note at offset %zu (namesz %u, descsz %u) runs past "
				 "the end of the %zu-byte buffer", off, namesz, descsz, len);
			return -1;
		}
		if (get_u32(p + off + 8) == type && name_is(p + off + 12, namesz, name))
			found++;
		off += (size_t)size;
	}
	*count = found;
	return 0;
}
