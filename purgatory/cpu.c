/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CPUID and control registers, for the SHA-extension path of the digest.
 * Built general-regs-only like the rest: nothing here touches SSE. */
#include "cpu.h"

#define CPUID1_ECX_SSSE3  (1u << 9)
#define CPUID7_EBX_SHA    (1u << 29)
#define CR0_MP            (1ull << 1)
#define CR0_EM            (1ull << 2)
#define CR0_TS            (1ull << 3)
#define CR4_OSFXSR        (1ull << 9)
#define CR4_OSXMMEXCPT    (1ull << 10)

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

bool cpu_has_sha_ext(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] < 7)
		return false;
	cpuid(7, 0, r);
	if (!(r[1] & CPUID7_EBX_SHA))
		return false;
	cpuid(1, 0, r);
	return (r[2] & CPUID1_ECX_SSSE3) != 0;
}

static uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

void cpu_sse_enable(struct cpu_sse_saved *saved)
{
	saved->cr0 = read_cr0();
	saved->cr4 = read_cr4();
	/* EM would make every SSE instruction #UD, TS would make the first
	 * one #NM (Xen may leave it set from lazy FPU switching). */
	write_cr0((saved->cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP);
	write_cr4(saved->cr4 | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

void cpu_sse_restore(const struct cpu_sse_saved *saved)
{
	write_cr4(saved->cr4);
	write_cr0(saved->cr0);
}
