/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Relocation-code harness (runs under QEMU, loaded by multiboot with the
 * image from mkimage as its module). It plays Xen < 4.4 at exec time
 * (doc/xen-kexec-interface.md §10.3): maps each even page_list entry at a
 * fixmap-like VA in the upper half, writes those VAs into the odd entries
 * of its own copy of page_list (itself reachable only at such a VA), and
 * calls the control page at its VA with rdi = list, rsi = page_list,
 * rdx = start, rcx = 0. The start address is target_entry, which checks
 * that every destination page holds its data and the state is as
 * documented.
 * Prints "TARGET OK" and exits QEMU with 33, or "TARGET BAD ..." (35). */
#include <stddef.h>
#include <stdint.h>

#include "image.h"

#define PG 4096ULL
#define FIXADDR_TOP 0xffff82cfffe00000ULL
#define FIX_KEXEC_BASE 40
#define FIX_PAGE_LIST 80
#define CR4_PGE 0x80ULL

void harness_main(uint32_t mbi);
void call_reloc(uint64_t ind, uint64_t pl, uint64_t start, uint64_t code) __attribute__((noreturn));
void target_entry(void);
void target_check(void);
extern uint64_t tgt[4]; /* rsp, cr3, cr4, rflags at the start address */

static uint64_t l3_fix[512] __attribute__((aligned(4096)));
static uint64_t l2_fix[512] __attribute__((aligned(4096)));
static uint64_t l1_fix[512] __attribute__((aligned(4096)));
static uint64_t xen_pl[512] __attribute__((aligned(4096))); /* Xen's copy */
static struct rimg_hdr hdr;
static char test[32];

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static void putc_(char c)
{
	while (!(inb(0x3f8 + 5) & 0x20))
		;
	outb(0x3f8, (uint8_t)c);
}

static void puts_(const char *s) { while (*s) putc_(*s++); }

static void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		putc_("0123456789abcdef"[(v >> i) & 15]);
}

static void __attribute__((noreturn)) finish(int ok, const char *why, uint64_t what)
{
	puts_(ok ? "TARGET OK\n" : "TARGET BAD: ");
	if (!ok) {
		puts_(why);
		puts_(" ");
		puthex(what);
		puts_("\n");
	}
	outb(0xf4, ok ? 0x10 : 0x11);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;

	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

static uint64_t fix_va(unsigned idx) { return FIXADDR_TOP - (idx + 1) * PG; }

static uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* One L1 covers the fixmap slots used (all in the 2 MiB below the top). */
static void fixmap(unsigned idx, uint64_t ma)
{
	uint64_t va = fix_va(idx);
	uint64_t *pml4 = (uint64_t *)(read_cr3() & ~0xfffULL);

	pml4[(va >> 39) & 511] = (uint64_t)(uintptr_t)l3_fix | 3;
	l3_fix[(va >> 30) & 511] = (uint64_t)(uintptr_t)l2_fix | 3;
	l2_fix[(va >> 21) & 511] = (uint64_t)(uintptr_t)l1_fix | 3;
	l1_fix[(va >> 12) & 511] = ma | 3;
	__asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" : : : "rax", "memory");
}

/* Flush everything, global entries included (boot tables are global). */
static void flush_all(void)
{
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4; mov %1, %%cr4" : : "r"(cr4 & ~CR4_PGE), "r"(cr4) : "memory");
}

/* Drop the boot identity mapping of [start, start + len): Xen's tables do
 * not map machine memory at VA == MA, so the relocation code must not
 * touch the control block or a destination before it switches tables. */
static void unmap_identity(uint64_t start, uint64_t len)
{
	uint64_t *pml4 = (uint64_t *)(read_cr3() & ~0xfffULL);
	uint64_t *pdpt = (uint64_t *)(uintptr_t)(pml4[0] & ~0xfffULL);
	uint64_t *pd = (uint64_t *)(uintptr_t)(pdpt[0] & ~0xfffULL);

	for (uint64_t a = start & ~0x1fffffULL; a < start + len; a += 0x200000)
		pd[a >> 21] = 0;
	flush_all();
}

static void parse_test(const uint32_t *mbi)
{
	const char *c = (const char *)(uintptr_t)mbi[4];

	if (!(mbi[0] & 4))
		return;
	for (; *c; c++)
		if (c[0] == 't' && c[1] == 'e' && c[2] == 's' && c[3] == 't' && c[4] == '=') {
			for (int i = 0; i < 31 && c[5 + i] && c[5 + i] != ' '; i++)
				test[i] = c[5 + i];
			return;
		}
}

static int is(const char *name)
{
	const char *a = test;

	while (*a && *a == *name)
		a++, name++;
	return *a == 0 && *name == 0;
}

void harness_main(uint32_t mbi_addr)
{
	const uint32_t *mbi = (const uint32_t *)(uintptr_t)mbi_addr;
	const uint32_t *mod = (const uint32_t *)(uintptr_t)mbi[6];
	const uint8_t *m;

	parse_test(mbi);
	puts_("harness: test ");
	puts_(test);
	puts_("\n");
	if (!(mbi[0] & 8) || mbi[5] < 1)
		finish(0, "no module", 0);
	m = (const uint8_t *)(uintptr_t)mod[0];
	memcpy(&hdr, m, sizeof(hdr));
	if (hdr.magic != RIMG_MAGIC || mod[1] - mod[0] < RIMG_HDR + hdr.bytes || mod[1] > hdr.base)
		finish(0, "bad module", mod[0]);
	memcpy((void *)(uintptr_t)hdr.base, m + RIMG_HDR, hdr.bytes);
	for (unsigned s = 0; s < hdr.nseg; s++)
		memset((void *)(uintptr_t)hdr.seg[s].dest, 0xcc, hdr.seg[s].size);

	/* What Xen < 4.4 does at load time, then at exec time. */
	memcpy(xen_pl, hdr.page_list, sizeof(hdr.page_list));
	for (unsigned k = 0; k + 1 < RIMG_NO_PAGES; k += 2) {
		fixmap(FIX_KEXEC_BASE + k / 2, xen_pl[k]);
		xen_pl[k + 1] = fix_va(FIX_KEXEC_BASE + k / 2);
	}
	fixmap(FIX_PAGE_LIST, (uint64_t)(uintptr_t)xen_pl);
	if (is("detect")) /* last byte of the last source page */
		((uint8_t *)(uintptr_t)hdr.base)[hdr.bytes - 1 - 7 * PG] ^= 0x55;
	if (is("collide")) /* the identity map's PGD already uses the slot */
		((uint64_t *)(uintptr_t)xen_pl[2])[(xen_pl[1] >> 39) & 511] = 0x1003;
	unmap_identity(hdr.base, hdr.bytes);
	for (unsigned s = 0; s < hdr.nseg; s++)
		if (hdr.seg[s].dest >= 0x200000) /* the harness itself is in the first 2 MiB */
			unmap_identity(hdr.seg[s].dest, hdr.seg[s].size);
	puts_("harness: calling the relocation code at ");
	puthex(xen_pl[1]);
	puts_("\n");
	call_reloc(hdr.ind, fix_va(FIX_PAGE_LIST), (uint64_t)(uintptr_t)target_entry, xen_pl[1]);
}

void target_check(void)
{
	uint64_t ctl = hdr.page_list[0];

	puts_("harness: start address reached\n");
	if (tgt[0] != ctl + PG - 16)
		finish(0, "rsp not at the top of the control page", tgt[0]);
	if ((tgt[1] & ~0xfffULL) != hdr.page_list[2])
		finish(0, "cr3 is not the identity PGD", tgt[1]);
	if (tgt[2] & CR4_PGE)
		finish(0, "CR4.PGE still set", tgt[2]);
	if (tgt[3] & 0x600)
		finish(0, "IF or DF set", tgt[3]);
	/* The code's own VA still maps the control page. */
	if (*(volatile uint64_t *)(uintptr_t)xen_pl[1] != *(uint64_t *)(uintptr_t)ctl)
		finish(0, "Xen's VA no longer maps the control page", xen_pl[1]);
	for (unsigned s = 0; s < hdr.nseg; s++)
		for (uint64_t a = hdr.seg[s].dest; a < hdr.seg[s].dest + hdr.seg[s].size; a++)
			if (*(uint8_t *)(uintptr_t)a != rimg_pattern(a))
				finish(0, "destination byte wrong at", a);
	puts_("harness: all destination pages hold their data\n");
	finish(1, "", 0);
}
