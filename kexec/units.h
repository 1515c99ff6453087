/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sizes, in bytes: the one place they are defined. */
#ifndef KEXEC_UNITS_H
#define KEXEC_UNITS_H

#include <stdint.h>

#define KiB ((uint64_t)1 << 10)
#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)
/* The x86 page: the granule of every kexec segment, on Xen and natively. */
#define PAGE_SIZE_4K 4096ULL

#endif
