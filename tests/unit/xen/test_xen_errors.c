/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the Xen backend's error paths (kexec/kexec-xen.c). This
 * file defines the libxenctrl, libxencall and libxenforeignmemory calls
 * the backend makes, and xen_detect: the linker takes these definitions
 * before the libraries' (and before kexec/xen/detect.c in libkexec.a),
 * so each test plays the hypervisor's answers without one. */
#include <errno.h>
#include <elf.h>
#include <stdlib.h>

#include "fixtures.h"
#include "xen/private.h"
#include <xen/memory.h>

/* The hypervisor as scripted by a test: an errno per call (0 succeeds). */
static struct {
	enum xen_domain_kind kind;
	int major, minor;
	bool open_fails;
	int memmap_err, range_err, status_err, unload_err, load_err, exec_err;
	int status;                  /* what the status op answers */
	uint64_t free_pages;         /* what xc_physinfo reports free */
	uint64_t crash_start, crash_size;
	unsigned nload, nunload, nstatus, nexec;
	char trace[128];             /* kexec ops in call order */
} hv;

static char xch_obj, xcall_obj, fmem_obj;

static int answer(int err, int ok)
{
	if (!err)
		return ok;
	errno = err;
	return -1;
}

static void trace(const char *op)
{
	size_t used = strlen(hv.trace);

	snprintf(hv.trace + used, sizeof(hv.trace) - used, "%s ", op);
}

enum xen_domain_kind xen_detect(const char *root UNUSED)
{
	return hv.kind;
}

xc_interface *xc_interface_open(xentoollog_logger *l UNUSED, xentoollog_logger *d UNUSED,
				unsigned flags UNUSED)
{
	return hv.open_fails ? NULL : (xc_interface *)&xch_obj;
}

int xc_interface_close(xc_interface *xch UNUSED) { return 0; }

xencall_handle *xencall_open(struct xentoollog_logger *l UNUSED, unsigned flags UNUSED)
{
	return (xencall_handle *)&xcall_obj;
}

int xencall_close(xencall_handle *h UNUSED) { return 0; }

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *l UNUSED,
					       unsigned flags UNUSED)
{
	return (xenforeignmemory_handle *)&fmem_obj;
}

int xenforeignmemory_close(xenforeignmemory_handle *h UNUSED) { return 0; }

int xc_version(xc_interface *xch UNUSED, int cmd, void *arg)
{
	if (cmd == XENVER_extraversion) {
		snprintf(arg, sizeof(xen_extraversion_t), ".0");
		return 0;
	}
	return (hv.major << 16) | hv.minor;
}

int xc_physinfo(xc_interface *xch UNUSED, xc_physinfo_t *info)
{
	memset(info, 0, sizeof(*info));
	info->free_pages = hv.free_pages;
	return 0;
}

/* No frames from the hypervisor: staging falls back to hypercall buffers.
 * The backend asks for frames with a raw memory_op (frame-record.c). */
int xencall2(xencall_handle *h UNUSED, unsigned int op, uint64_t a1, uint64_t a2 UNUSED)
{
	errno = op == __HYPERVISOR_memory_op && a1 == XENMEM_increase_reservation ? ENOMEM : ENOSYS;
	return -1;
}

int xc_domain_decrease_reservation(xc_interface *xch UNUSED, uint32_t domid UNUSED,
				   unsigned long n UNUSED, unsigned int order UNUSED,
				   xen_pfn_t *mfn UNUSED)
{
	fail_msg("no frame was lent, none can be given back");
	return -1;
}

void *xencall_alloc_buffer(xencall_handle *h UNUSED, size_t size)
{
	return malloc(size);
}

void xencall_free_buffer(xencall_handle *h UNUSED, void *p)
{
	free(p);
}

void *xencall_alloc_buffer_pages(xencall_handle *h UNUSED, size_t pages)
{
	return aligned_alloc(PAGE_SIZE_4K, pages * PAGE_SIZE_4K);
}

void xencall_free_buffer_pages(xencall_handle *h UNUSED, void *p, size_t pages UNUSED)
{
	free(p);
}

int xc_get_machine_memory_map(xc_interface *xch UNUSED, struct e820entry entries[],
			      uint32_t max UNUSED)
{
	entries[0] = (struct e820entry){ .addr = 0x100000, .size = 0x3ff00000, .type = 1 };
	return answer(hv.memmap_err, 1);
}

int xc_kexec_get_range(xc_interface *xch UNUSED, int range UNUSED, int nr UNUSED,
		       uint64_t *size, uint64_t *start)
{
	*size = hv.crash_size;
	*start = hv.crash_start;
	return answer(hv.range_err, 0);
}

int xc_kexec_status(xc_interface *xch UNUSED, int type UNUSED)
{
	hv.nstatus++;
	return answer(hv.status_err, hv.status);
}

int xc_kexec_unload(xc_interface *xch UNUSED, int type UNUSED)
{
	hv.nunload++;
	trace("unload");
	return answer(hv.unload_err, 0);
}

int xc_kexec_load(xc_interface *xch UNUSED, uint8_t type UNUSED, uint16_t arch UNUSED,
		  uint64_t entry UNUSED, uint32_t n UNUSED, xen_kexec_segment_t *segs UNUSED)
{
	hv.nload++;
	trace("load");
	return answer(hv.load_err, 0);
}

int xc_kexec_exec(xc_interface *xch UNUSED, int type UNUSED)
{
	hv.nexec++;
	return answer(hv.exec_err, 0);
}

/* ---------------------------------------------------------------- setup */

static struct backend xb;

/* A Xen 4.17 dom0 with a 256 MiB crash area at 512 MiB, nothing loaded. */
static int setup(void **state UNUSED)
{
	memset(&hv, 0, sizeof(hv));
	hv.kind = XEN_PV_DOM0;
	hv.major = 4;
	hv.minor = 17;
	hv.crash_start = 0x20000000;
	hv.crash_size = 0x10000000;
	hv.free_pages = 1 << 20; /* 4 GiB: room for any image here */
	return 0;
}

static enum kx_result open_xen(struct capture *c)
{
	enum kx_result rc;

	memset(&xb, 0, sizeof(xb));
	capture_start(c);
	rc = xen_backend_open_ops(&xb, XEN_OPS_AUTO);
	capture_end(c);
	return rc;
}

static void open_ok(void)
{
	struct capture c;

	assert_int_equal(open_xen(&c), KX_OK);
	assert_silent(c.text);
}

static int teardown(void **state UNUSED)
{
	if (xb.ops)
		xb.ops->close(&xb);
	xb.ops = NULL;
	return 0;
}

/* ---------------------------------------------------------------- open */

static void test_open_not_xen(void **state UNUSED)
{
	struct capture c;

	hv.kind = XEN_NONE;
	assert_int_equal(open_xen(&c), KX_FALLBACK);
	assert_silent(c.text);
}

static void test_open_pv_guest(void **state UNUSED)
{
	struct capture c;

	hv.kind = XEN_PV_DOMU;
	assert_int_equal(open_xen(&c), KX_ERROR);
	assert_one_error(c.text, "Xen PV guest");
}

static void test_open_no_privcmd(void **state UNUSED)
{
	struct capture c;

	hv.open_fails = true;
	assert_int_equal(open_xen(&c), KX_ERROR);
	assert_one_error(c.text, "cannot be opened");
}

/* ---------------------------------------------------------------- describe */

static enum kx_result describe(bool crash, struct capture *c)
{
	struct machine m;
	enum kx_result rc;

	capture_start(c);
	rc = xb.ops->describe(&xb, &m, crash);
	capture_end(c);
	machine_free(&m);
	return rc;
}

static void test_describe_memmap_fails(void **state UNUSED)
{
	struct capture c;

	open_ok();
	hv.memmap_err = EPERM;
	assert_int_equal(describe(false, &c), KX_ERROR);
	assert_one_error(c.text, "cannot read the machine memory map from Xen: not permitted");
}

static void test_describe_range_fails(void **state UNUSED)
{
	struct capture c;

	open_ok();
	hv.range_err = ENOSYS;
	assert_int_equal(describe(false, &c), KX_ERROR);
	assert_one_error(c.text, "Xen did not give its crash area: this Xen has no kexec support");
}

static void test_describe_no_crash_area(void **state UNUSED)
{
	struct capture c;

	open_ok();
	hv.crash_size = 0;
	assert_int_equal(describe(false, &c), KX_OK);
	assert_silent(c.text);
	assert_int_equal(describe(true, &c), KX_ERROR);
	assert_one_error(c.text, "Xen has no crash area");
}

/* ---------------------------------------------------------------- load */

static enum kx_result load(bool crash, uint64_t mem, struct capture *c)
{
	static const uint8_t data[64] = { 0x90 };
	struct plan p;
	enum kx_result rc;

	memset(&p, 0, sizeof(p));
	p.nseg = 1;
	p.seg[0] = (struct segment){ .buf = data, .fd = -1, .bufsz = sizeof(data),
				     .mem = mem, .memsz = 0x1000, .what = "kernel" };
	p.entry = mem;
	p.crash = crash;
	p.arch = EM_X86_64;
	capture_start(c);
	rc = xb.ops->load(&xb, &p);
	capture_end(c);
	return rc;
}

static void test_load_ok(void **state UNUSED)
{
	struct capture c;

	open_ok();
	assert_int_equal(load(false, 0x1000000, &c), KX_OK);
	assert_silent(c.text);
	assert_string_equal(hv.trace, "load ");
}

/* Xen without room for the image is not asked to load it: one line, no
 * kexec op at all (a load that runs out of memory crashes Xen 4.17). */
static void test_load_no_room(void **state UNUSED)
{
	struct capture c;

	open_ok();
	hv.free_pages = 16;
	assert_int_equal(load(false, 0x1000000, &c), KX_ERROR);
	assert_one_error(c.text, "free");
	assert_string_equal(hv.trace, "");
}

/* A loaded image is unloaded first (status parity, xen_unload_type). */
static void test_load_replaces(void **state UNUSED)
{
	struct capture c;

	open_ok();
	hv.status = 1;
	assert_int_equal(load(false, 0x1000000, &c), KX_OK);
	assert_silent(c.text);
	assert_string_equal(hv.trace, "unload load ");
}

/* Every errno Xen's KEXEC_CMD_kexec_load gives: one line each. */
static void test_load_hypercall_errors(void **state UNUSED)
{
	static const struct {
		int err;
		const char *says;
	} cases[] = {
		{ EINVAL, "Xen rejected the image" },
		{ EADDRNOTAVAIL, "misaligned or outside Xen's crash area" },
		{ ENOMEM, "Xen is out of memory" },
		{ EPERM, "only the control domain" },
		{ ENOSYS, "no kexec support" },
		{ EBUSY, "already in progress" },
		{ EFAULT, "could not read our buffers" },
		{ EOPNOTSUPP, "does not have that kexec op" },
	};
	struct capture c;

	open_ok();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		hv.load_err = cases[i].err;
		assert_int_equal(load(false, 0x1000000, &c), KX_ERROR);
		assert_one_error(c.text, "Xen kexec load failed");
		assert_one_error(c.text, cases[i].says);
	}
	assert_int_equal(hv.nload, ARRAY_SIZE(cases));
}

/* Refused before any hypercall: the loaded image stays. */
static void test_load_refused_touches_nothing(void **state UNUSED)
{
	struct capture c;

	open_ok();
	hv.status = 1;
	assert_int_equal(load(true, 0x1000000, &c), KX_ERROR); /* outside the crash area */
	assert_one_error(c.text, "outside Xen's crash area");
	assert_int_equal(load(false, 0x1000800, &c), KX_ERROR); /* misaligned */
	assert_one_error(c.text, "not page aligned");
	assert_string_equal(hv.trace, "");
}

static void test_load_crash_range_fails(void **state UNUSED)
{
	struct capture c;

	open_ok();
	hv.range_err = EPERM;
	assert_int_equal(load(true, 0x20100000, &c), KX_ERROR);
	assert_one_error(c.text, "Xen did not give its crash area");
	assert_string_equal(hv.trace, "");
}

static void test_load_status_fails(void **state UNUSED)
{
	struct capture c;

	open_ok();
	hv.status_err = EFAULT;
	assert_int_equal(load(false, 0x1000000, &c), KX_ERROR);
	assert_one_error(c.text, "kexec status query failed");
	assert_string_equal(hv.trace, "");
}

/* ---------------------------------------------------------------- status */

static enum kx_result status(bool quiet, struct capture *c)
{
	enum kx_result rc;

	capture_start(c);
	rc = xb.ops->status(&xb, true, quiet);
	capture_end(c);
	return rc;
}

static void test_status(void **state UNUSED)
{
	struct capture c;

	open_ok();
	assert_int_equal(status(false, &c), KX_NOT_LOADED);
	hv.status = 1;
	assert_int_equal(status(false, &c), KX_LOADED);
	assert_silent(c.text);
	hv.status_err = EPERM;
	assert_int_equal(status(false, &c), KX_ERROR);
	assert_one_error(c.text, "kexec status query failed: not permitted");
}

/* Before 4.9 Xen has no status op: unknown, said once unless quiet. */
static void test_status_before_4_9(void **state UNUSED)
{
	struct capture c;

	hv.minor = 8;
	open_ok();
	assert_int_equal(status(false, &c), KX_UNKNOWN);
	assert_one_error(c.text, "Xen 4.8 cannot report whether an image is loaded");
	assert_int_equal(status(true, &c), KX_UNKNOWN);
	assert_silent(c.text);
	assert_int_equal(hv.nstatus, 0);
}

/* ---------------------------------------------------------------- unload */

static enum kx_result unload(struct capture *c)
{
	enum kx_result rc;

	capture_start(c);
	rc = xb.ops->unload(&xb, false);
	capture_end(c);
	return rc;
}

/* An empty slot is not unloaded (that would flip the status bit). */
static void test_unload_empty_slot(void **state UNUSED)
{
	struct capture c;

	open_ok();
	assert_int_equal(unload(&c), KX_OK);
	assert_silent(c.text);
	assert_int_equal(hv.nunload, 0);
}

static void test_unload_fails(void **state UNUSED)
{
	struct capture c;

	open_ok();
	hv.status = 1;
	hv.unload_err = EBUSY;
	assert_int_equal(unload(&c), KX_ERROR);
	assert_one_error(c.text, "Xen kexec unload failed: a kexec operation is already in progress");
}

/* Before 4.9 nobody can tell: unload anyway. */
static void test_unload_before_4_9(void **state UNUSED)
{
	struct capture c;

	hv.minor = 8;
	open_ok();
	assert_int_equal(unload(&c), KX_OK);
	assert_silent(c.text);
	assert_int_equal(hv.nunload, 1);
}

/* ---------------------------------------------------------------- exec */

static void test_exec_fails(void **state UNUSED)
{
	struct capture c;
	enum kx_result rc;

	open_ok();
	hv.exec_err = ENOENT;
	capture_start(&c);
	rc = xb.ops->exec(&xb);
	capture_end(&c);
	assert_int_equal(rc, KX_ERROR);
	assert_int_equal(hv.nexec, 1);
	assert_one_error(c.text, "Xen kexec failed: no image of that type is loaded");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_not_xen),
		T(test_open_pv_guest),
		T(test_open_no_privcmd),
		T(test_describe_memmap_fails),
		T(test_describe_range_fails),
		T(test_describe_no_crash_area),
		T(test_load_ok),
		T(test_load_no_room),
		T(test_load_replaces),
		T(test_load_hypercall_errors),
		T(test_load_refused_touches_nothing),
		T(test_load_crash_range_fails),
		T(test_load_status_fails),
		T(test_status),
		T(test_status_before_4_9),
		T(test_unload_empty_slot),
		T(test_unload_fails),
		T(test_unload_before_4_9),
		T(test_exec_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
