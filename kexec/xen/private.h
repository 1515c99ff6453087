/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Xen backend's private header. kexec-xen.c (one level up) is the
 * backend's face: the backend_ops Xen implements. Its helpers live here,
 * one file per job, all declared below:
 *   detect.c           is this Linux a Xen PV control domain?
 *   choose.c           the Xen version, and which load path it takes
 *   segments.c         plan -> Xen's segment list, checked against Xen's rules
 *   frame-record.c     which lent frames a run holds, surviving its death
 *   state-dir.c        where that record and the v1 state files live
 *   frames.c           staging frames lent by the hypervisor
 *   dump.c             what a crash dump holds, from the hypervisor's view
 *   v1-list.c          the v1 indirection list (pure)
 *   v1-load.c          staging and submitting a v1 image
 *   v1-pre44.c         what only Xen < 4.4 needs: control block, state file
 *   v1-pre44-reloc.S   our relocation code for Xen < 4.4
 * The account of Xen's interface these rely on is doc/xen-kexec-interface.md. */
#ifndef KEXEC_XEN_PRIVATE_H
#define KEXEC_XEN_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xencall.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>

#include "backend.h"
#include "dump-source.h"
#include "memmap.h"
#include "options.h"
#include "plan.h"
#include "units.h"

/* ---------------------------------------------------------------- detect.c */
/* Is this Linux a Xen PV control domain (dom0)? Decided from sysfs and
 * /proc/xen, never by issuing kexec ops. */

enum xen_domain_kind {
	XEN_NONE = 0,     /* bare metal, or an HVM/PVH guest: native kexec */
	XEN_PV_DOM0,      /* PV control domain: the hypervisor does kexec */
	XEN_PV_DOMU,      /* PV guest without control: kexec not possible */
};

/* root: "" for the running system, or a test tree. */
enum xen_domain_kind xen_detect(const char *root);

/* ---------------------------------------------------------------- choose.c */
/* Which kexec interface to use on a given hypervisor: the v2 ops
 * (KEXEC_CMD_kexec_load/unload, Xen >= 4.4), the v1 ops
 * (KEXEC_CMD_kexec_load_v1/unload_v1), or the native kexec_load(2) of a
 * XenLinux dom0 (which forwards to v1). Decided from the version alone
 * (doc/xen-kexec-interface.md §4.5): probing by calling an op cannot work,
 * because every Xen before 4.22 answers an op it does not know with 0 and
 * does nothing. */

enum xen_path {
	XEN_PATH_V2,
	XEN_PATH_V1,
	XEN_PATH_V1_PRE44, /* Xen < 4.4, pvops dom0: v1 with our relocation code */
	XEN_PATH_NATIVE, /* XenLinux dom0: kexec_load(2) reaches Xen's v1 ops */
};

/* The one encoding of a Xen version in this program. */
struct xen_version {
	int major, minor;
	int micro; /* point release, -1 if unknown (e.g. "-dev", "-rc") */
};

/* From XENVER_version's halves and XENVER_extraversion (".7", "-dev"). */
struct xen_version xen_version_make(int major, int minor, const char *extraversion);
/* v is older than major.minor. */
bool xen_version_before(struct xen_version v, int major, int minor);
bool xen_version_is(struct xen_version v, int major, int minor);

struct xen_path_choice {
	enum xen_path path;
	char why[200]; /* for -d, or the error line when refused */
};

/* Returns 0 with c->path set, or -1 with c->why saying why no path can
 * work (nothing is printed: the caller reports it). */
int xen_choose_path(struct xen_version v, enum xen_ops want, bool xenlinux,
		    struct xen_path_choice *c);

const char *xen_path_name(enum xen_path p);

/* XenLinux ("classic" Xen kernels) names the hypervisor's memory in
 * /proc/iomem; pvops Linux never does. iomem: text of /proc/iomem. */
bool xen_iomem_is_xenlinux(const char *iomem);

/* ---------------------------------------------------------------- segments.c */
/* Turning a segment plan into the segment list Xen's KEXEC_CMD_kexec_load
 * accepts, and checking it against every rule Xen enforces before any
 * hypercall is made (Xen reports most violations with one errno, and for
 * crash images only after overwriting the live image). */

/* Xen rejects nr_segments >= KEXEC_SEGMENT_MAX (16). */
#define XEN_MAX_SEGMENTS 15

struct xen_seg {
	int plan_index;     /* index into plan->seg, or -1 for map-only */
	uint64_t buf_size;  /* bytes of data (0 for map-only) */
	uint64_t dest;      /* machine address, page aligned */
	uint64_t dest_size; /* page aligned */
};

struct xen_seg_list {
	struct xen_seg seg[XEN_MAX_SEGMENTS];
	unsigned n;
	uint64_t entry;
	uint8_t type;  /* KEXEC_TYPE_DEFAULT / KEXEC_TYPE_CRASH */
	uint16_t arch; /* EM_X86_64 / EM_386 */
};

/* Convert. crash_start/crash_size describe KEXEC_RANGE_MA_CRASH (0/0 if
 * none). Map-only segments are added for the plan's touch ranges, split
 * around real segments. Returns 0, or -1 with an error line in words. */
int xen_segments_build(const struct plan *p, uint64_t crash_start,
		       uint64_t crash_size, struct xen_seg_list *out);

/* Check a list against Xen's load rules (count, alignment, overlap,
 * buf_size <= dest_size, crash containment of data and entry, and for a
 * crash image the free crash-area pages Xen needs: see
 * xen_crash_area_reserve). Returns 0 or -1 with an error line. */
/* Hypervisor pages a load of l takes from Xen's free memory: a default
 * image is copied into pages Xen allocates (every destination page, one
 * indirection entry per page, control pages); a crash image goes into the
 * crash region: 0. */
uint64_t xen_image_pages(const struct xen_seg_list *l);

/* Before a load: 0 when Xen's free_pages can hold the image, with
 * *frames_ok telling whether they can also lend staging_pages frames for
 * the data and still leave twice the image (what Xen may need while
 * loading); -1 with an error line
 * when they cannot hold the image (Xen 4.17 crashes when a kexec load
 * runs out of memory, in its error path). */
int xen_room_check(const struct xen_seg_list *l, uint64_t free_pages,
		   uint64_t staging_pages, bool *frames_ok);

int xen_segments_check(const struct xen_seg_list *l, uint64_t crash_start,
		       uint64_t crash_size);

/* ---------------------------------------------------------------- frame-record.c */
/* The record of the staging frames this run holds, which outlives it: a
 * file in xen_state_dir() (tmpfs) that Xen writes each lent frame's number
 * into during the grant itself, locked by its run for as long as the run
 * lives. A later run that can take the lock gives the frames back, so
 * hypervisor memory survives even SIGKILL (doc/xen-kexec-interface.md §11.1). */

struct xen_record {
	char dir[200];   /* the state directory */
	int fd;          /* -1 until the first grant opens it */
	uint64_t *head;  /* the mapped file: header, then slots */
	uint64_t *slot;  /* one frame number per slot, 0 when none */
	size_t cap, used;
	size_t kept;     /* frames Xen would not take back: left to the next run */
	char path[256];
};

/* Where records and the v1 state files live: XEN_V1_STATE_DIR (its own
 * file, state-dir.c, so that tests can link another over it). */
const char *xen_state_dir(void);

void xen_record_init(struct xen_record *r, const char *dir);
/* Ask Xen for n frames (XENMEM_increase_reservation through xcall), their
 * numbers written into n fresh slots of r, opened on first use. Returns
 * the slots, or NULL with nothing held (quietly: callers fall back). */
uint64_t *xen_record_grant(struct xen_record *r, xencall_handle *xcall, xc_interface *xch,
			   size_t n);
/* Give back the frames of n slots (zero slots skipped), each slot cleared
 * first. A frame Xen does not take stays in its slot, counted in r->kept:
 * the record then outlives the run and the next run gives it back (r NULL:
 * a record being reclaimed, the frame is lost). Returns 0, or -1 with an
 * error line naming how many were kept. */
int xen_record_give_back(xc_interface *xch, uint64_t *slot, size_t n, struct xen_record *r);
/* The same for slots anywhere in the record, with one line for all. */
int xen_record_give_back_list(xc_interface *xch, uint64_t *const *slot, size_t n,
			      struct xen_record *r);
/* Unmap and remove this run's record (every frame given back by then, or
 * kept for the next run: then the file stays). */
void xen_record_close(struct xen_record *r);
/* Give back the frames of every record whose run has died, with a line
 * per record; frames a v1 state file keeps are left alone. Returns how
 * many frames went back. */
size_t xen_record_reclaim(xc_interface *xch, const char *dir);

/* ---------------------------------------------------------------- frames.c */
/* Staging memory granted by the hypervisor: machine frames added to dom0's
 * reservation (XENMEM_increase_reservation on DOMID_SELF, recorded in the
 * frame record) and mapped through privcmd. They come from Xen's free
 * memory rather than dom0's, are never swapped or migrated (so Xen can
 * read them during a hypercall), do not count against dom0's RSS, and are
 * given back afterwards. The v1 load path hands their machine addresses
 * to Xen directly. */

/* What the staging helpers need of the hypervisor: its handles and this
 * run's frame record. */
struct xen_handles {
	xc_interface *xch;
	xencall_handle *xcall;
	xenforeignmemory_handle *fmem;
	struct xen_record *rec;
};

struct xen_frames {
	xen_pfn_t *mfn;  /* machine frame numbers, one per page */
	uint64_t **slot; /* each frame's record slot */
	size_t pages;
	void *va;        /* all frames mapped contiguously, read-write */
};

/* Returns 0, or -1 with nothing held (quietly: callers may fall back). */
int xen_frames_alloc(const struct xen_handles *h, size_t pages, struct xen_frames *f);
/* Unmap and give every frame back to Xen. Safe on a zeroed struct. */
void xen_frames_free(const struct xen_handles *h, struct xen_frames *f);

/* Frame filter: true for a frame the caller cannot use. */
typedef bool (*xen_frame_bad)(uint64_t mfn, const void *ctx);

/* xen_frames_alloc, but every frame is one bad() accepts: refused frames
 * are held while replacements are asked for, then given back. Returns 0,
 * or -1 with nothing held (quietly). */
int xen_frames_alloc_avoiding(const struct xen_handles *h, size_t pages, xen_frame_bad bad,
			      const void *ctx, struct xen_frames *f);
/* Unmap and forget the frames but keep them allocated (the hypervisor
 * still uses them; the caller recorded their numbers elsewhere first). */
void xen_frames_keep(const struct xen_handles *h, struct xen_frames *f);
/* Give frames back by number (no mapping needed). Returns 0, or -1 with
 * an error line. */
int xen_frames_give_back(xc_interface *xch, const uint64_t *mfn, size_t n);

/* ---------------------------------------------------------------- dump.c */
/* The dump description of a Xen host, from the hypervisor's view. */

/* Per-physical-CPU notes (KEXEC_RANGE_MA_CPU until -ERANGE), Xen's
 * vmcoreinfo, dom0's own vmcoreinfo (a machine address in a PV dom0),
 * machine RAM, e_machine from XENVER_capabilities. */
int xen_read_dump(xc_interface *xch, const struct mem_map *machine, struct dump_source *d);

/* Pages Xen takes from the crash area for a capture image's control page,
 * indirection and page tables (one page table per 2 MiB mapped, a few
 * more): keep that much of the area free of segments. */
uint64_t xen_crash_area_reserve(uint64_t crash_size);

/* ---------------------------------------------------------------- v1-list.c */
/* The image a KEXEC_CMD_kexec_load_v1 call describes: an indirection list
 * (doc/xen-kexec-interface.md §10.1) of machine addresses naming, page by
 * page, where each source page goes. Pure: it works on frame numbers handed
 * in, so it can be tested without a hypervisor (v1-load.c does the rest). */

#define XEN_V1_IND_DESTINATION 0x1ULL
#define XEN_V1_IND_INDIRECTION 0x2ULL
#define XEN_V1_IND_DONE 0x4ULL
#define XEN_V1_IND_SOURCE 0x8ULL
#define XEN_V1_WORDS (PAGE_SIZE_4K / 8) /* entries per list page */
/* Xen >= 4.4.3 maps 0-1 MiB for every v1 image itself. */
#define XEN_V1_LOW_MAPPED 0x100000ULL

/* The v1 view of a v2 segment list: every data segment is kept and will be
 * staged over its whole destination (v1 maps only destinations it gets
 * pages for); map-only segments are dropped when they lie below 1 MiB and
 * refused otherwise (v1 cannot map memory without overwriting it).
 * Returns 0, or -1 with an error line. */
int xen_v1_select(const struct xen_seg_list *l, struct xen_seg_list *v1);

/* Source pages the v1 view needs (sum of dest_size / 4 KiB). */
size_t xen_v1_source_pages(const struct xen_seg_list *v1);

/* List pages needed for that many source pages in nseg segments. */
size_t xen_v1_list_pages(size_t source_pages, unsigned nseg);

/* Write the list into words (list_pages * XEN_V1_WORDS entries, the pages
 * back to back). src_mfn: the frame of each source page, in segment order;
 * list_mfn: the frame each list page will be read from. Returns 0, or -1
 * with an error line when the counts do not match. */
int xen_v1_list_fill(const struct xen_seg_list *v1, const uint64_t *src_mfn, size_t nsrc,
		     const uint64_t *list_mfn, size_t nlist, uint64_t *words);

/* ---------------------------------------------------------------- v1-pre44.c */
/* The part of a v1 image only Xen before 4.4 needs
 * (doc/xen-kexec-interface.md §10.3): a control page holding our relocation
 * code (v1-pre44-reloc.S), the page tables that code switches to, the
 * page_list[] naming them by machine address, and a state file remembering
 * every frame the image holds, because Xen < 4.4 reads them at exec time
 * and they must stay allocated until the image is unloaded or replaced,
 * possibly by another run of this program. Pure: works on frame numbers and
 * mappings handed in, so it is testable without a hypervisor (v1-load.c
 * does the rest). */

/* page_list[] of x86_64 (KEXEC_XEN_NO_PAGES entries). Even: machine
 * address we give; odd: Xen's fixmap VA of the entry before, written by
 * Xen at load time. 16: root of the identity map (no VA). */
#define XEN_V1_PRE44_NO_PAGES 17
#define XEN_V1_PL_CONTROL 0
#define XEN_V1_PL_PGD 2
#define XEN_V1_PL_PUD_0 4
#define XEN_V1_PL_PMD_0 6
#define XEN_V1_PL_PTE_0 8
#define XEN_V1_PL_TABLE 16

/* Frames of the control block, in this order: control page, PGD (also
 * the identity-map root), PUD_0, PMD_0, PTE_0 (left zero, for the run-time
 * mapping of Xen's VA), then the identity map's L3 pages, then its L2s. */
#define XEN_V1_PRE44_F_CONTROL 0
#define XEN_V1_PRE44_F_PGD 1
#define XEN_V1_PRE44_F_PUD0 2
#define XEN_V1_PRE44_F_PMD0 3
#define XEN_V1_PRE44_F_PTE0 4
#define XEN_V1_PRE44_F_IDENT 5

#define XEN_V1_PRE44_GIB (1ULL << 30)
#define XEN_V1_PRE44_L3_SPAN (1ULL << 39)
/* The identity map must stay in the lower half (L4 slots 0-255), which
 * Xen never uses for its fixmap. */
#define XEN_V1_PRE44_MAX_TOP (1ULL << 47)

#define XEN_V1_STATE_DIR "/run/kexec-ng"

/* The relocation code (v1-pre44-reloc.S). */
extern const char xen_v1_reloc_start[], xen_v1_reloc_end[];

/* End of the identity map: max_addr (exclusive) rounded up to 1 GiB. */
uint64_t xen_v1_pre44_top(uint64_t max_addr);

/* Frames the control block needs for an identity map up to top. */
size_t xen_v1_pre44_pages(uint64_t top);

/* Fill the control block: va maps its n frames (mfn[i]) back to back.
 * Writes the relocation code, the identity map of 0..top with 2 MiB
 * pages, and page_list. Returns 0, or -1 with an error line. */
int xen_v1_pre44_fill(uint64_t top, const uint64_t *mfn, size_t n, void *va,
		    uint64_t page_list[XEN_V1_PRE44_NO_PAGES]);

/* Whether machine frame mfn lies in a destination of v1: such a frame
 * would be overwritten while the relocation code still reads it. */
bool xen_v1_pre44_in_dest(const struct xen_seg_list *v1, uint64_t mfn);

/* dir/xen-v1-<default|crash>.mfns. Returns 0, or -1 with an error line. */
int xen_v1_state_path(const char *dir, int type, char *buf, size_t len);

/* Write the frame list atomically, readable by root only (the directory
 * is created 0700). Returns 0, or -1 with an error line. */
int xen_v1_state_write(const char *path, const uint64_t *mfn, size_t n);

/* Read it back into a new array (free it). Returns 0, 1 when there is
 * no state file (nothing held), or -1 with an error line. */
int xen_v1_state_read(const char *path, uint64_t **mfn, size_t *n);

/* Remove it. Returns 0 (also when absent), or -1 with an error line. */
int xen_v1_state_remove(const char *path);

/* ---------------------------------------------------------------- v1-load.c */
/* Loading through KEXEC_CMD_kexec_load_v1 from user space
 * (doc/xen-kexec-interface.md §10.4): the image is staged in frames Xen
 * grants dom0, listed by machine address in an indirection list
 * (v1-list.c), and handed over; Xen >= 4.4 copies what it needs during the
 * call, so every frame goes back at once. Xen < 4.4 (§10.3) copies nothing
 * and runs our relocation code from a control page at exec time
 * (v1-pre44.c): its frames avoid every destination and stay allocated until
 * the image is unloaded. */

struct xen_v1_image {
	struct xen_frames src;  /* every destination page, data then zeros */
	struct xen_frames list; /* the indirection list */
	struct xen_frames ctl;  /* pre-4.4 only: control page and page tables */
	uint64_t page_list[17]; /* pre-4.4 only: what Xen < 4.4 reads */
	uint64_t entry;
	int type;
	bool pre44;
};

/* Stage plan p (converted to l) in fresh frames; pre44: for Xen < 4.4.
 * Returns 0, or -1 after an error line with nothing held. */
int xen_v1_stage(const struct xen_handles *h, const struct plan *p,
		 const struct xen_seg_list *l, bool pre44, struct xen_v1_image *img);
/* Every frame the image holds, in a new array (free it). Returns 0 or -1. */
int xen_v1_held(const struct xen_v1_image *img, uint64_t **mfn, size_t *n);
/* Unmap but keep every frame (Xen < 4.4 reads them at exec time). */
void xen_v1_keep(const struct xen_handles *h, struct xen_v1_image *img);
/* KEXEC_CMD_kexec_load_v1. Returns 0, or -1 with errno (Xen's). */
int xen_v1_submit(const struct xen_handles *h, const struct xen_v1_image *img);
/* Give every frame back. Safe on a zeroed or released image. */
void xen_v1_release(const struct xen_handles *h, struct xen_v1_image *img);
/* KEXEC_CMD_kexec_unload_v1. Returns 0, or -1 with errno. */
int xen_v1_unload(const struct xen_handles *h, int type);

#endif
