/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The segment plan: what a file loader produces and a backend consumes.
 * Loaders place segments with plan_alloc() against a machine description;
 * they never know which backend gave it. */
#ifndef KEXEC_PLAN_H
#define KEXEC_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dump-source.h"
#include "memmap.h"

#define PLAN_MAX_SEGMENTS 16

struct purgatory_params;

struct segment {
	/* Data source: either a buffer in memory (buf), or, when buf is NULL
	 * and fd >= 0, bufsz bytes of an open file at file_off. File-backed
	 * segments let a backend copy straight from the file into the
	 * memory it hands to the kernel/hypervisor (no second copy). */
	const void *buf;
	int fd;
	uint64_t file_off;
	size_t bufsz;
	uint64_t mem;   /* physical destination, page aligned */
	uint64_t memsz; /* page aligned, >= bufsz; the rest is zero */
	const char *what; /* "kernel", "initrd", "purgatory", ... for messages */
	bool no_digest;   /* excluded from purgatory's SHA-256 (purgatory itself) */
	bool owns_fd;     /* plan_release closes fd */
};

/* One EFI runtime region as the running kernel mapped it: the next kernel
 * must map it at the same virtual address (SetVirtualAddressMap works
 * once per boot). */
struct efi_region {
	uint32_t type;
	uint64_t phys, virt, pages, attribute;
};

/* The EFI state the next kernel needs to keep runtime services. */
struct machine_efi {
	bool present;            /* booted through EFI, with a runtime map */
	uint64_t systab;         /* physical address of the system table */
	uint32_t memdesc_size, memdesc_version;
	uint64_t fw_vendor, runtime, config_table, smbios; /* physical */
	struct efi_region *region; /* malloc'ed; machine_free releases it */
	size_t nregion;
};

/* What the backend says about the machine the next kernel will run on. */
struct machine {
	const char *backend;      /* "native", "xen" */
	struct mem_map ram;       /* memory map for the next kernel (e820 view) */
	struct mem_map crash;     /* where a capture kernel may be placed */
	struct mem_map crash_all; /* every crash region (RAM for the capture kernel) */
	struct dump_source dump;  /* crash view only: what the dump must hold */
	uint64_t max_addr;        /* exclusive upper bound for any destination */
	unsigned max_segments;    /* including any the backend adds itself */
	unsigned reserved_segments; /* segments the backend will add itself */
	uint64_t acpi_rsdp;       /* ACPI RSDP physical address, 0 = let it scan */
	uint8_t acpi_rsdp_copy[36]; /* its bytes, for boot protocols that carry them */
	uint32_t acpi_rsdp_len;     /* 0 when unknown */
	struct machine_efi efi;   /* present = false: no EFI handoff possible */
};

struct plan {
	struct segment seg[PLAN_MAX_SEGMENTS];
	unsigned nseg;
	uint64_t entry;         /* physical entry point (purgatory) */
	bool crash;             /* a panic (capture) image */
	bool preserve_context;
	unsigned arch;          /* e_machine of the entry: EM_X86_64 or EM_386 */
	const struct machine *machine;
	/* Placement limits from the command line (--mem-min/--mem-max). */
	uint64_t mem_min;
	uint64_t mem_max;       /* inclusive, 0 = none */
	void *owned;            /* buffers freed by plan_release */
	/* Memory purgatory or the next kernel's earliest code touches
	 * outside the segments (VGA text buffer, crash backup source, the
	 * low 1 MiB a Linux decompressor reads before it has page tables of
	 * its own). A backend whose entry state maps only the segments (Xen)
	 * must map these too; a native one can ignore them. Kept as a union
	 * of disjoint, non-adjacent ranges. */
	struct mem_range touch[4];
	unsigned ntouch;
	/* Purgatory's parameter block, inside segment seal_seg's buffer: the
	 * backend's staging pass writes the digest there (stage.h). NULL:
	 * no digest (no purgatory, or -i). */
	struct purgatory_params *seal;
	unsigned seal_seg;
};

/* Record memory that must be mapped besides the segments (merged with
 * the ranges already recorded; an empty range records nothing). */
int plan_touch(struct plan *p, uint64_t start, uint64_t end);

/* Free what describe() filled in. */
void machine_free(struct machine *m);

void plan_init(struct plan *p, const struct machine *m, bool crash);
/* Release buffers owned by the plan (see plan_own). */
void plan_release(struct plan *p);
/* Hand ownership of a malloc'ed buffer to the plan (freed by plan_release). */
int plan_own(struct plan *p, void *buf);

/* Find a hole for memsz bytes, aligned to align (>= 4 KiB), with the
 * destination in [min, max] (max inclusive of the last byte; 0 = no limit),
 * not overlapping any planned segment, inside RAM (or inside the crash
 * region for a crash plan). top_down picks the highest fit. Returns 0 and
 * the address in *addr, or -1 without a message (callers say what failed,
 * once). For loaders that try several windows before plan_place(). */
int plan_find_hole(const struct plan *p, uint64_t memsz, uint64_t align,
		   uint64_t min, uint64_t max, bool top_down, uint64_t *addr,
		   const char *what);

/* A placement request, in the spirit of the kernel's struct kexec_buf: a
 * loader fills one, the plan checks and records the segment and says
 * where it went. Loaders never touch p->seg themselves. */
struct placement {
	const char *what;   /* "kernel", "initrd", ... for messages */
	/* The data: bufsz bytes at buf, or, with from_file, bufsz bytes of fd
	 * at file_off (the backend copies straight from the file). */
	const void *buf;
	size_t bufsz;
	bool from_file;
	int fd;
	uint64_t file_off;
	bool owns_fd;       /* plan_release closes fd (also when placing fails) */
	uint64_t memsz;     /* rounded up to 4 KiB; raised to bufsz when placed
			     * freely; the bytes past the data are zero */
	/* Where: exactly at `at` when fixed; otherwise the lowest (highest
	 * with top_down) hole aligned to align (0: 4 KiB) with the whole
	 * destination in [min, max] (max inclusive, 0 = no limit). */
	bool fixed;
	uint64_t at;
	uint64_t align, min, max;
	bool top_down;
	bool no_digest;     /* not covered by purgatory's SHA-256 (purgatory) */
};

/* Place one segment. Refuses overlaps, misalignment, memory outside RAM
 * (or the crash region), --mem-min/--mem-max and segment-count limits.
 * Returns 0 and the destination in *addr (may be NULL), or -1 after one
 * error line. */
int plan_place(struct plan *p, const struct placement *r, uint64_t *addr);

/* The user's --mem-min/--mem-max as the end of a "no room" line (" below
 * --mem-max 0x3ffffff"), or "" when none is given: a placement that fails
 * because of them must say so. Returns buf. */
const char *plan_limit_note(const struct plan *p, char *buf, size_t len);

/* Why [mem, end) could not hold a fixed segment (above max_addr, outside
 * --mem-min/--mem-max, outside RAM or the crash region, over a planned
 * segment), or NULL when it could. Prints nothing: loaders check a span
 * before building its data, and say which file asked for it. */
const char *plan_span_problem(const struct plan *p, uint64_t mem, uint64_t end);

/* Copy len bytes of a segment's data starting at off into dst (reads the
 * file for file-backed segments). Returns 0 or -1 with an error line. */
int segment_read(const struct segment *s, uint64_t off, void *dst, size_t len);

/* Check the whole plan: sorted view without overlaps, alignment, limits.
 * Returns 0 or -1 with an error line. */
int plan_validate(const struct plan *p);

/* Print the plan (for -d). */
void plan_dump(const struct plan *p);

#endif
