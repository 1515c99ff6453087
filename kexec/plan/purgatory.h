/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host side of purgatory: place the embedded blob in a plan, let the loader
 * fill the entry state, then arm the seal (the digest over the other
 * segments is computed while the backend stages them). */
#ifndef KEXEC_PURGATORY_H
#define KEXEC_PURGATORY_H

#include "options.h"
#include "plan.h"
#include "purgatory-abi.h"

extern const unsigned char purgatory_blob[];
extern const unsigned char purgatory_blob_end[];

/* Copy the blob into a buffer owned by the plan and place it in
 * [min, max] (max 0 = no limit). Console options from o are applied.
 * Returns the parameter block to fill (regs, entry_mode, backup), or NULL
 * after an error line. Sets p->entry to the blob's address. *stack_top
 * gets a usable initial stack pointer inside the blob. */
struct purgatory_params *purgatory_place(struct plan *p, const struct options *o,
					 uint64_t min, uint64_t max, bool top_down,
					 uint64_t *stack_top);

/* Arm the seal: the backend's staging pass (stage.h) fills digest and
 * regions from every segment not marked no_digest, reading each file
 * once; with skip_checks (-i) purgatory is told to skip the check. Call
 * after the last segment is placed. Returns 0 or -1 with an error line. */
int purgatory_seal(struct plan *p, struct purgatory_params *pp, bool skip_checks);

#endif
