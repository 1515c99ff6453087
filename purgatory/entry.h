/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The interface between entry64.S and the C part of purgatory. */
#ifndef PURGATORY_ENTRY_H
#define PURGATORY_ENTRY_H

#include <stdint.h>
#include "purgatory-abi.h"

/* Hidden: the blob is linked PIE and must resolve everything PC-relative. */
#pragma GCC visibility push(hidden)

/* The parameter block at PURGATORY_PARAMS_OFFSET, filled by the loader. */
extern const struct purgatory_params purgatory_params;
/* End of the blob in memory (from the linker script). */
extern const char purgatory_end[];

/* Called on our own stack, GDT and IDT. jump_back is the word found on the
 * incoming stack when preserve_context is set, else 0. */
void purgatory_main(uint64_t jump_back) __attribute__((noreturn));
/* Called by the exception stubs (vectors 0-31 except NMI). */
void purgatory_fault(uint64_t vector, uint64_t error, uint64_t rip)
	__attribute__((noreturn));

/* Load the registers and jump. enter32 leaves long mode first, so the blob
 * and *r must lie below 4 GiB (the caller checks). */
void purgatory_enter64(const struct purgatory_regs64 *r) __attribute__((noreturn));
void purgatory_enter32(const struct purgatory_regs32 *r) __attribute__((noreturn));
void purgatory_halt(void) __attribute__((noreturn));

#pragma GCC visibility pop

#endif
