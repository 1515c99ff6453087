/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Xen backend: in a PV control domain the hypervisor owns kexec. Images
 * are loaded with KEXEC_CMD_kexec_load (Xen >= 4.4) through libxenctrl,
 * with segment data copied from the files straight into hypercall-safe
 * memory, or with the v1 ops (xen/v1-load.c): when asked to, and before
 * Xen 4.4, where dom0 also supplies the relocation code (xen/v1-pre44.c).
 * Images are executed with KEXEC_CMD_kexec. The interface is chosen in
 * xen/choose.c. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xencall.h>
#include <xenctrl.h>
#include <xentoollog.h>

#include "backend.h"
#include "stage.h"
#include "xen/private.h"
#include "sysfs-machine.h"
#include "util.h"

#define MAX_E820 1024

struct xen_priv;

/* One way of handing an image to Xen (v2, v1, v1 before 4.4): chosen
 * once, when the backend opens (xen/choose.c decides which). */
struct xen_load_path {
	const char *label; /* for messages: "", " (v1)", " (v1, pre-4.4)" */
	int (*load)(struct xen_priv *x, const struct plan *p, const struct xen_seg_list *l);
	int (*unload)(struct xen_priv *x, int type);
};

struct xen_priv {
	struct xen_handles hv; /* hv.rec points at rec */
	struct xen_record rec;
	xentoollog_logger logger;
	struct xen_version version;
	const struct xen_load_path *path;
};

static struct xen_priv *priv(struct backend *b) { return b->priv; }

/* libxenctrl's own messages go to -d output only: we explain errors
 * ourselves, in one line, where they happen. */
static void quiet_vmessage(xentoollog_logger *l UNUSED, xentoollog_level level, int errnoval UNUSED,
			   const char *context, const char *fmt, va_list ap)
{
	char msg[512];

	/* Below XTL_INFO it is libxencall's buffer bookkeeping. */
	if (!kx_debug_enabled() || level < XTL_INFO)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	kx_debug("%s: %s", context ? context : "xen", msg);
}

static void quiet_destroy(xentoollog_logger *l UNUSED) { }

/* Hypervisor errno -> what to do about it. */
static const char *xen_explain(int err)
{
	switch (err) {
	case EINVAL:
		return "Xen rejected the image (bad type, arch or overlapping segments)";
	case EADDRNOTAVAIL:
		return "a segment or the entry is misaligned or outside Xen's crash area";
	case ENOMEM:
		return "Xen is out of memory for the image: free hypervisor memory (dom0_mem=) or enlarge crashkernel=";
	case EPERM:
		return "not permitted: only the control domain (dom0) may use kexec";
	case ENOSYS:
		return "this Xen has no kexec support (built without CONFIG_KEXEC, or not a PV domain)";
	case ENOENT:
		return "no image of that type is loaded";
	case EBUSY:
		return "a kexec operation is already in progress";
	case EFAULT:
		return "Xen could not read our buffers";
	case EOPNOTSUPP:
		return "this Xen does not have that kexec op";
	default:
		return strerror(err);
	}
}

/* For -d: the hypervisor's free memory, to see that staging frames are
 * all given back (dom0's own MemFree cannot see them). */
static void debug_free_memory(struct xen_priv *x)
{
	xc_physinfo_t info = { 0 };

	if (kx_debug_enabled() && xc_physinfo(x->hv.xch, &info) == 0)
		kx_debug("xen: free_pages=%" PRIu64, (uint64_t)info.free_pages);
}

static enum kx_result xen_describe(struct backend *b, struct machine *m, bool crash)
{
	struct xen_priv *x = priv(b);
	struct e820entry *e = kx_calloc(MAX_E820, sizeof(*e));
	unsigned long size = 0, start = 0;
	int n;

	memset(m, 0, sizeof(*m));
	m->backend = "xen";
	m->max_segments = XEN_MAX_SEGMENTS;
	m->reserved_segments = 2; /* map-only segments for purgatory's extra memory */
	if (!e)
		return KX_ERROR;
	/* The next kernel runs on the machine, not in dom0's pseudo-physical
	 * space: plan against the host's map. */
	n = xc_get_machine_memory_map(x->hv.xch, e, MAX_E820);
	if (n <= 0) {
		kx_error("cannot read the machine memory map from Xen: %s", xen_explain(errno));
		free(e);
		return KX_ERROR;
	}
	for (int i = 0; i < n; i++)
		if (memmap_add(&m->ram, e[i].addr, e[i].addr + e[i].size, e[i].type) < 0) {
			free(e);
			return KX_ERROR;
		}
	free(e);
	memmap_normalize(&m->ram);
	if (xc_kexec_get_range(x->hv.xch, KEXEC_RANGE_MA_CRASH, 0, &size, &start) < 0) {
		kx_error("Xen did not give its crash area: %s", xen_explain(errno));
		return KX_ERROR;
	}
	if (size) {
		/* Xen builds a capture image's control page and page tables in
		 * crash-area pages no segment covers, from the bottom up. */
		uint64_t keep = xen_crash_area_reserve(size);

		if (memmap_add(&m->crash_all, start, start + size, MEM_RAM) < 0 ||
		    (keep < size && memmap_add(&m->crash, start + keep, start + size, MEM_RAM) < 0))
			return KX_ERROR;
	}
	m->acpi_rsdp = sysfs_acpi_rsdp("");
	m->acpi_rsdp_len = sysfs_copy_rsdp("", m->acpi_rsdp, m->acpi_rsdp_copy);
	/* m->efi stays absent: Xen does not export its EFI map (no runtime services after kexec). */
	if (!crash)
		return KX_OK;
	if (m->crash.n == 0) {
		kx_error("Xen has no crash area: boot Xen (not dom0) with crashkernel=...");
		return KX_ERROR;
	}
	return xen_read_dump(x->hv.xch, &m->ram, &m->dump) == 0 ? KX_OK : KX_ERROR;
}

/* Hypercall-safe memory for one segment's data, best first:
 *  - frames granted by Xen itself (xen/frames.c): no dom0 memory used;
 *  - the privcmd hypercall buffer device (dom0 memory);
 *  - locked, pre-faulted anonymous memory, for kernels without that
 *    device or when it refuses a large mapping. */
enum hbuf_kind { HBUF_NONE, HBUF_FRAMES, HBUF_XENCALL, HBUF_ANON };

struct hbuf {
	void *p;
	size_t pages;
	enum hbuf_kind kind;
	struct xen_frames fr;
};

/* frames_ok: Xen can lend the frames and still hold the image. */
static int hbuf_alloc(struct xen_priv *x, size_t bytes, bool frames_ok, struct hbuf *h)
{
	h->pages = (bytes + PAGE_SIZE_4K - 1) / PAGE_SIZE_4K;
	if (frames_ok && xen_frames_alloc(&x->hv, h->pages, &h->fr) == 0) {
		h->kind = HBUF_FRAMES;
		h->p = h->fr.va;
		return 0;
	}
	h->kind = HBUF_XENCALL;
	h->p = xencall_alloc_buffer_pages(x->hv.xcall, h->pages);
	if (h->p)
		return 0;
	h->kind = HBUF_ANON;
	h->p = mmap(NULL, h->pages * PAGE_SIZE_4K, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED | MAP_POPULATE, -1, 0);
	if (h->p == MAP_FAILED) {
		h->p = NULL;
		h->kind = HBUF_NONE;
		kx_error("cannot allocate %zu KiB of hypercall memory: %s", h->pages * 4,
			 strerror(errno));
		return -1;
	}
	madvise(h->p, h->pages * PAGE_SIZE_4K, MADV_DONTFORK);
	return 0;
}

static void hbuf_free(struct xen_priv *x, struct hbuf *h)
{
	switch (h->kind) {
	case HBUF_FRAMES:
		xen_frames_free(&x->hv, &h->fr);
		break;
	case HBUF_XENCALL:
		xencall_free_buffer_pages(x->hv.xcall, h->p, h->pages);
		break;
	case HBUF_ANON:
		munmap(h->p, h->pages * PAGE_SIZE_4K);
		break;
	case HBUF_NONE:
		break;
	}
	h->kind = HBUF_NONE;
	h->p = NULL;
}

static const char *hbuf_name(enum hbuf_kind k)
{
	return k == HBUF_FRAMES ? "hypervisor frames" :
	       k == HBUF_XENCALL ? "hypercall buffer" : "locked memory";
}

static enum kx_result xen_status_raw(struct xen_priv *x, bool crash)
{
	int r;

	/* The status op arrived in 4.9; before it nobody can tell. */
	if (xen_version_before(x->version, 4, 9))
		return KX_UNKNOWN;
	r = xc_kexec_status(x->hv.xch, crash ? KEXEC_TYPE_CRASH : KEXEC_TYPE_DEFAULT);
	if (r < 0) {
		kx_error("kexec status query failed: %s", xen_explain(errno));
		return KX_ERROR;
	}
	return r > 0 ? KX_LOADED : KX_NOT_LOADED;
}

/* Xen < 4.4 read the frames of an image we loaded until it is unloaded:
 * their numbers are in the state file; give them back now. */
static int release_held(struct xen_priv *x, int type)
{
	char path[256];
	uint64_t *mfn;
	size_t n;
	int rc;

	if (xen_v1_state_path(xen_state_dir(), type, path, sizeof(path)) < 0)
		return -1;
	rc = xen_v1_state_read(path, &mfn, &n);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	rc = xen_frames_give_back(x->hv.xch, mfn, n);
	if (rc == 0) {
		kx_debug("xen: %zu frames of the unloaded v1 image given back", n);
		rc = xen_v1_state_remove(path);
	}
	free(mfn);
	return rc;
}

static int unload_v2(struct xen_priv *x, int type)
{
	return xc_kexec_unload(x->hv.xch, type);
}

/* v1 unloads go through the same slots, and flip the same status bit,
 * as v2 ones: the status rule below holds for both. */
static int unload_v1(struct xen_priv *x, int type)
{
	return xen_v1_unload(&x->hv, type);
}

static int unload_op(struct xen_priv *x, int type)
{
	int rc = x->path->unload(x, type);

	/* Once the slot is empty nothing reads a pre-4.4 image's frames,
	 * whichever path emptied it. A failed give-back has printed its own
	 * line and kept the state file; the unload itself succeeded. */
	if (rc == 0)
		(void)release_held(x, type);
	return rc;
}

/* Xen's status op returns a bit that flips on every load and unload, not
 * whether an image is loaded (doc/xen-kexec-interface.md §6). It tells the
 * truth as long as loads and unloads alternate, so we keep them
 * alternating: a replacing load unloads first, and unloading an empty slot
 * is skipped. */
static int xen_unload_type(struct xen_priv *x, bool crash)
{
	enum kx_result loaded = xen_status_raw(x, crash);

	/* Unknown (Xen < 4.9): unload anyway, it is harmless there. */
	if (loaded == KX_NOT_LOADED)
		return 0;
	if (loaded == KX_ERROR)
		return -1;
	if (unload_op(x, crash ? KEXEC_TYPE_CRASH : KEXEC_TYPE_DEFAULT) < 0) {
		kx_error("Xen kexec unload%s failed: %s", x->path->label, xen_explain(errno));
		return -1;
	}
	return 0;
}

/* Xen copies a default image into its own free memory during the load,
 * and staging frames come from the same pool: lend them only when both
 * fit, and do not start a load Xen cannot hold. */
static int check_room(struct xen_priv *x, const struct xen_seg_list *l, bool *frames_ok)
{
	xc_physinfo_t info = { 0 };
	uint64_t staging = 0;

	*frames_ok = true;
	if (xc_physinfo(x->hv.xch, &info) < 0) {
		kx_debug("xen: free memory unknown (%s): not checked", strerror(errno));
		return 0;
	}
	for (unsigned i = 0; i < l->n; i++)
		if (l->seg[i].plan_index >= 0)
			staging += (l->seg[i].buf_size + PAGE_SIZE_4K - 1) / PAGE_SIZE_4K;
	if (xen_room_check(l, info.free_pages, staging, frames_ok) < 0)
		return -1;
	if (!*frames_ok)
		kx_debug("xen: %" PRIu64 " free pages: staging in dom0 memory, not Xen's",
			 (uint64_t)info.free_pages);
	return 0;
}

/* One Xen segment: its hypercall buffer filled from the plan, or none
 * for a mapping without data. */
static int fill_segment(struct xen_priv *x, const struct plan *p, const struct xen_seg *g,
			bool frames_ok, xen_kexec_segment_t *seg, struct hbuf *buf, struct stage *st)
{
	memset(seg, 0, sizeof(*seg));
	seg->buf_size = g->buf_size;
	seg->dest_maddr = g->dest;
	seg->dest_size = g->dest_size;
	if (g->plan_index < 0 || g->buf_size == 0) {
		set_xen_guest_handle(seg->buf.h, HYPERCALL_BUFFER_NULL);
		return 0;
	}
	if (hbuf_alloc(x, g->buf_size, frames_ok, buf) < 0 ||
	    segment_stage(st, (unsigned)g->plan_index, buf->p, g->buf_size) < 0)
		return -1;
	kx_debug("xen: %s staged in %s", p->seg[g->plan_index].what, hbuf_name(buf->kind));
	set_xen_guest_handle_raw(seg->buf.h, buf->p);
	return 0;
}

/* One pass: each segment is read once, into its hypercall buffer, and
 * digested on the way; purgatory is sealed before the hypercall. */
static int fill_segments(struct xen_priv *x, const struct plan *p,
			 const struct xen_seg_list *l, xen_kexec_segment_t *segs,
			 struct hbuf *bufs)
{
	struct stage st;
	bool frames_ok;
	int rc;

	if (check_room(x, l, &frames_ok) < 0)
		return -1;
	rc = stage_begin(&st, p);
	for (unsigned i = 0; rc == 0 && i < l->n; i++)
		rc = fill_segment(x, p, &l->seg[i], frames_ok, &segs[i], &bufs[i], &st);
	if (rc == 0)
		rc = stage_seal(&st);
	stage_end(&st);
	return rc;
}

/* Everything that can fail is checked and staged before the old image
 * is touched. */
static int load_v2(struct xen_priv *x, const struct plan *p, const struct xen_seg_list *l)
{
	xen_kexec_segment_t segs[XEN_MAX_SEGMENTS];
	struct hbuf bufs[XEN_MAX_SEGMENTS] = { { 0 } };
	int rc = -1;

	if (fill_segments(x, p, l, segs, bufs) < 0 || xen_unload_type(x, p->crash) < 0)
		goto out;
	if (xc_kexec_load(x->hv.xch, l->type, l->arch, l->entry, l->n, segs) < 0) {
		kx_error("Xen kexec load failed: %s%s", xen_explain(errno),
			 " (any image loaded before was unloaded)");
		goto out;
	}
	rc = 0;
out:
	for (unsigned i = 0; i < XEN_MAX_SEGMENTS; i++)
		hbuf_free(x, &bufs[i]);
	return rc;
}

/* Xen >= 4.4 copies a v1 image during the call: the frames go back at
 * once, whatever the outcome. */
static int load_v1(struct xen_priv *x, const struct plan *p, const struct xen_seg_list *l)
{
	const struct xen_handles *h = &x->hv;
	struct xen_v1_image img;
	int rc = -1;

	if (xen_v1_stage(h, p, l, false, &img) < 0)
		return -1;
	if (xen_unload_type(x, p->crash) < 0)
		goto out;
	if (xen_v1_submit(h, &img) < 0) {
		kx_error("Xen kexec load (v1) failed: %s%s", xen_explain(errno),
			 " (any image loaded before was unloaded)");
		goto out;
	}
	rc = 0;
out:
	xen_v1_release(h, &img);
	return rc;
}

/* Xen < 4.4 keeps reading our frames until unload: they are recorded in
 * the state file before the load (so no run can lose them) and kept. A
 * replacing load first unloads, which gives the old image's frames back. */
static int load_v1_pre44(struct xen_priv *x, const struct plan *p, const struct xen_seg_list *l)
{
	const struct xen_handles *h = &x->hv;
	struct xen_v1_image img;
	uint64_t *held = NULL;
	char path[256];
	size_t n;
	int rc = -1;

	if (xen_v1_state_path(xen_state_dir(), l->type, path, sizeof(path)) < 0 ||
	    xen_v1_stage(h, p, l, true, &img) < 0)
		return -1;
	/* The slot is empty after xen_unload_type; a state file left by an
	 * unload it skipped (slot already empty) names frames nothing reads. */
	if (xen_v1_held(&img, &held, &n) < 0 || xen_unload_type(x, p->crash) < 0 ||
	    release_held(x, l->type) < 0 || xen_v1_state_write(path, held, n) < 0)
		goto out;
	if (xen_v1_submit(h, &img) < 0) {
		kx_error("Xen kexec load (v1, pre-4.4) failed: %s%s", xen_explain(errno),
			 " (any image loaded before was unloaded)");
		xen_v1_state_remove(path);
		goto out;
	}
	kx_debug("xen: %zu frames kept for the v1 image, listed in %s", n, path);
	xen_v1_keep(h, &img);
	free(held);
	return 0;
out:
	xen_v1_release(h, &img);
	free(held);
	return rc;
}

static const struct xen_load_path load_paths[] = {
	[XEN_PATH_V2] = { "", load_v2, unload_v2 },
	[XEN_PATH_V1] = { " (v1)", load_v1, unload_v1 },
	[XEN_PATH_V1_PRE44] = { " (v1, pre-4.4)", load_v1_pre44, unload_v1 },
};

static enum kx_result xen_load(struct backend *b, const struct plan *p)
{
	struct xen_priv *x = priv(b);
	unsigned long crash_start = 0, crash_size = 0;
	struct xen_seg_list l;
	sigset_t block, old;
	int rc = -1;

	/* Staging frames are given back on every way out of a load: keep the
	 * usual termination signals out until then. SIGKILL cannot be kept
	 * out; the frame record (xen/frame-record.c) lets the next run give
	 * the frames back instead. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGPIPE); /* our own stderr may be a closed pipe */
	sigprocmask(SIG_BLOCK, &block, &old);

	if (p->crash && xc_kexec_get_range(x->hv.xch, KEXEC_RANGE_MA_CRASH, 0, &crash_size, &crash_start) < 0)
		kx_error("Xen did not give its crash area: %s", xen_explain(errno));
	else if (xen_segments_build(p, crash_start, crash_size, &l) == 0)
		rc = x->path->load(x, p, &l);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc == 0 ? KX_OK : KX_ERROR;
}

static enum kx_result xen_unload(struct backend *b, bool crash)
{
	return xen_unload_type(priv(b), crash) == 0 ? KX_OK : KX_ERROR;
}

static enum kx_result xen_status(struct backend *b, bool crash, bool quiet)
{
	struct xen_priv *x = priv(b);
	enum kx_result r = xen_status_raw(x, crash);

	if (r == KX_UNKNOWN && !quiet)
		kx_error("Xen %d.%d cannot report whether an image is loaded (its status query needs 4.9)",
			 x->version.major, x->version.minor);
	return r;
}

static enum kx_result xen_exec(struct backend *b)
{
	/* Never reboot(LINUX_REBOOT_CMD_KEXEC) here: a pvops dom0 would halt
	 * the host. Xen itself shuts down and enters the image. */
	xc_kexec_exec(priv(b)->hv.xch, KEXEC_TYPE_DEFAULT);
	kx_error("Xen kexec failed: %s", xen_explain(errno));
	return KX_ERROR;
}

static void xen_close(struct backend *b)
{
	struct xen_priv *x = priv(b);

	if (!x)
		return;
	xen_record_close(&x->rec);
	if (x->hv.xcall)
		xencall_close(x->hv.xcall);
	if (x->hv.fmem)
		xenforeignmemory_close(x->hv.fmem);
	if (x->hv.xch)
		xc_interface_close(x->hv.xch);
	free(x);
	b->priv = NULL;
}

static const struct backend_ops xen_backend_ops = {
	.name = "xen",
	.describe = xen_describe,
	.load = xen_load,
	.file_load = NULL, /* kexec_file_load cannot work in a PV dom0 */
	.unload = xen_unload,
	.status = xen_status,
	.exec = xen_exec,
	.close = xen_close,
};

/* XenLinux names the hypervisor's memory in /proc/iomem
 * (doc/xen-kexec-interface.md §4.4); pvops Linux never does. Read quietly:
 * absence means pvops. */
static bool dom0_is_xenlinux(void)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	bool yes = false;

	while (f && !yes && fgets(line, sizeof(line), f))
		yes = xen_iomem_is_xenlinux(line);
	if (f)
		fclose(f);
	return yes;
}

/* The version decides the load path: without it nothing is safe to do. */
static int read_version(xc_interface *xch, struct xen_version *v)
{
	xen_extraversion_t extra = { 0 };
	int n = xc_version(xch, XENVER_version, NULL);

	if (n < 0) {
		kx_error("cannot read the Xen version: %s", xen_explain(errno));
		return -1;
	}
	if (xc_version(xch, XENVER_extraversion, &extra) != 0)
		extra[0] = '\0';
	*v = xen_version_make(n >> 16, n & 0xffff, extra);
	return 0;
}

/* 1: use this backend; 0: use the native one; -1: refused. */
static int choose_path(struct xen_priv *x, enum xen_ops ops)
{
	bool xenlinux = xen_version_before(x->version, 4, 4) && dom0_is_xenlinux();
	struct xen_path_choice c;

	if (xen_choose_path(x->version, ops, xenlinux, &c) < 0) {
		kx_error("%s", c.why);
		return -1;
	}
	kx_debug("xen: kexec ops %s: %s", xen_path_name(c.path), c.why);
	if (c.path == XEN_PATH_NATIVE)
		return 0;
	x->path = &load_paths[c.path];
	return 1;
}

enum kx_result xen_backend_open_ops(struct backend *b, enum xen_ops ops)
{
	enum xen_domain_kind kind = xen_detect("");
	struct xen_priv *x;
	int rc;

	if (kind == XEN_NONE)
		return KX_FALLBACK;
	if (kind == XEN_PV_DOMU) {
		kx_error("this is a Xen PV guest without control of the host: kexec is not possible here");
		return KX_ERROR;
	}
	x = kx_calloc(1, sizeof(*x));
	if (!x)
		return KX_ERROR;
	b->priv = x;
	b->ops = &xen_backend_ops;
	xen_record_init(&x->rec, xen_state_dir());
	x->hv.rec = &x->rec;
	x->logger.vmessage = quiet_vmessage;
	x->logger.destroy = quiet_destroy;
	x->hv.xch = xc_interface_open(&x->logger, &x->logger, 0);
	x->hv.xcall = xencall_open(&x->logger, 0);
	x->hv.fmem = xenforeignmemory_open(&x->logger, 0);
	if (!x->hv.xch || !x->hv.xcall || !x->hv.fmem) {
		kx_error("Xen PV dom0 detected but the hypervisor interface cannot be opened "
			 "(is xen-privcmd loaded and /dev/xen/privcmd present?)");
		xen_close(b);
		return KX_ERROR;
	}
	if (read_version(x->hv.xch, &x->version) < 0) {
		xen_close(b);
		b->ops = NULL;
		return KX_ERROR;
	}
	kx_debug("backend: xen %d.%d (kexec via hypercalls)", x->version.major, x->version.minor);
	debug_free_memory(x);
	/* Every run, whatever it was asked: frames a killed run held go
	 * back to Xen as soon as anyone runs kexec again. */
	if (xen_record_reclaim(x->hv.xch, xen_state_dir()))
		debug_free_memory(x);
	rc = choose_path(x, ops);
	if (rc <= 0) {
		xen_close(b);
		b->ops = NULL;
	}
	return rc > 0 ? KX_OK : rc == 0 ? KX_FALLBACK : KX_ERROR;
}
