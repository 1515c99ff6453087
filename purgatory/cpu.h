/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CPU features and the control-register state purgatory's SHA-256 needs. */
#ifndef PURGATORY_CPU_H
#define PURGATORY_CPU_H

#include <stdbool.h>
#include <stdint.h>

#pragma GCC visibility push(hidden)

/* CPUID reports the SHA extensions and SSSE3 (what sha256-ni.c uses). */
bool cpu_has_sha_ext(void);

struct cpu_sse_saved {
	uint64_t cr0, cr4;
};

/* Make SSE usable: Xen hands over CR4 with little more than PAE, and
 * Linux's relocate_kernel clears OSFXSR too. Saves what it changes. */
void cpu_sse_enable(struct cpu_sse_saved *saved);
/* Put CR0 and CR4 back as they were before cpu_sse_enable. */
void cpu_sse_restore(const struct cpu_sse_saved *saved);

#pragma GCC visibility pop

#endif
