/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Failure injection through the Xen backend (issue 12): whole runs of
 * `kexec -l/-p`, a replacing load, `-u` and `-e`, as main() runs them
 * (backend open, the action, close), against a simulated Xen 4.17 with
 * state: two image slots with Xen's status bit, staging frames it lends
 * and takes back, hypercall buffers and mappings. Every call into the
 * hypervisor libraries and every allocation is failed in turn
 * (tests/fixtures/faults.h), over the v2 and the v1 ops, and after each run:
 *   - a failed run printed exactly one line;
 *   - the slots are as before, or the one being replaced is empty and the
 *     line says that it was unloaded; Xen's status bit tells the truth;
 *   - no buffer or mapping is left; every lent frame was given back, or
 *     sits in a frame record that the next run gives back (checked by
 *     running it);
 *   - no file descriptor is left open (and, in the sanitizer build, no
 *     memory is leaked: LeakSanitizer at exit).
 * This file defines the library calls the backend makes; the linker takes
 * them before the libraries'. */
#include <dirent.h>
#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <xen/kexec.h>
#include <xen/memory.h>

#include "faults.h"
#include "fixtures.h"
#include "run.h"
#include "xen-state-dir.h"
#include "xen/private.h"

/* ---------------------------------------------------------------- the simulated Xen */

#define SIM_FRAMES 0x10000u
#define SIM_MFN_BASE 0x100000u /* lent frames: above the machine's RAM */
#define SIM_SLOT(type) ((type) == KEXEC_TYPE_CRASH)

static struct {
	bool lent[SIM_FRAMES];
	unsigned nlent, next;
	int slot[2];       /* which image each slot holds, 0 for none */
	bool bit[2];       /* what KEXEC_CMD_kexec_status answers (a parity bit) */
	int last_image;
	int bufs, maps;    /* hypercall buffers and mappings not yet freed */
	bool executed;
} xs;

static jmp_buf exec_env;
static char xch_obj, xcall_obj, fmem_obj;

#define FAIL_HERE(name) fault_here(FAULT_CALL, name)

enum xen_domain_kind xen_detect(const char *root UNUSED)
{
	return XEN_PV_DOM0;
}

xc_interface *xc_interface_open(xentoollog_logger *l UNUSED, xentoollog_logger *d UNUSED,
				unsigned flags UNUSED)
{
	return FAIL_HERE("xc_interface_open") ? NULL : (xc_interface *)&xch_obj;
}

int xc_interface_close(xc_interface *xch UNUSED) { return 0; }

xencall_handle *xencall_open(struct xentoollog_logger *l UNUSED, unsigned flags UNUSED)
{
	return FAIL_HERE("xencall_open") ? NULL : (xencall_handle *)&xcall_obj;
}

int xencall_close(xencall_handle *h UNUSED) { return 0; }

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *l UNUSED,
					       unsigned flags UNUSED)
{
	return FAIL_HERE("xenforeignmemory_open") ? NULL : (xenforeignmemory_handle *)&fmem_obj;
}

int xenforeignmemory_close(xenforeignmemory_handle *h UNUSED) { return 0; }

int xc_version(xc_interface *xch UNUSED, int cmd, void *arg)
{
	if (FAIL_HERE("xc_version"))
		return -1;
	if (cmd == XENVER_extraversion) {
		snprintf(arg, sizeof(xen_extraversion_t), ".0");
		return 0;
	}
	if (cmd == XENVER_capabilities) {
		snprintf(arg, sizeof(xen_capabilities_info_t), "xen-3.0-x86_64 hvm-3.0-x86_64");
		return 0;
	}
	return (4 << 16) | 17;
}

int xc_physinfo(xc_interface *xch UNUSED, xc_physinfo_t *info)
{
	if (FAIL_HERE("xc_physinfo"))
		return -1;
	memset(info, 0, sizeof(*info));
	info->free_pages = SIM_FRAMES - xs.nlent;
	return 0;
}

int xc_get_machine_memory_map(xc_interface *xch UNUSED, struct e820entry entries[],
			      uint32_t max UNUSED)
{
	if (FAIL_HERE("xc_get_machine_memory_map"))
		return -1;
	entries[0] = (struct e820entry){ .addr = 0, .size = 0x9f000, .type = 1 };
	entries[1] = (struct e820entry){ .addr = 0x100000, .size = 0x3ff00000, .type = 1 };
	return 2;
}

/* A 256 MiB crash area at 512 MiB, two CPUs' notes, Xen's vmcoreinfo. */
int xc_kexec_get_range(xc_interface *xch UNUSED, int range, int nr, uint64_t *size,
		       uint64_t *start)
{
	if (FAIL_HERE("xc_kexec_get_range"))
		return -1;
	switch (range) {
	case KEXEC_RANGE_MA_CRASH:
		*start = 0x20000000;
		*size = 0x10000000;
		return 0;
	case KEXEC_RANGE_MA_CPU:
		if (nr >= 2) {
			errno = ERANGE;
			return -1;
		}
		*start = 0x9e000 + (uint64_t)nr * 0x400;
		*size = 0x400;
		return 0;
	case KEXEC_RANGE_MA_VMCOREINFO:
		*start = 0x9d000;
		*size = 0x1000;
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

int xc_kexec_status(xc_interface *xch UNUSED, int type)
{
	return FAIL_HERE("xc_kexec_status") ? -1 : xs.bit[SIM_SLOT(type)];
}

static void sim_unload(int type)
{
	xs.slot[SIM_SLOT(type)] = 0;
	xs.bit[SIM_SLOT(type)] ^= 1;
}

static void sim_load(int type)
{
	xs.slot[SIM_SLOT(type)] = ++xs.last_image;
	xs.bit[SIM_SLOT(type)] ^= 1;
}

int xc_kexec_unload(xc_interface *xch UNUSED, int type)
{
	if (FAIL_HERE("xc_kexec_unload"))
		return -1;
	sim_unload(type);
	return 0;
}

/* Xen copies every segment during the call: read each buffer through
 * (in the sanitizer build a freed or short buffer is a report). */
int xc_kexec_load(xc_interface *xch UNUSED, uint8_t type, uint16_t arch UNUSED,
		  uint64_t entry UNUSED, uint32_t n, xen_kexec_segment_t *segs)
{
	volatile uint8_t sum = 0;

	if (FAIL_HERE("xc_kexec_load"))
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *p = segs[i].buf.h.p;

		for (uint64_t j = 0; p && j < segs[i].buf_size; j += 512)
			sum += p[j];
	}
	sim_load(type);
	return 0;
}

/* Success does not return: the run ends where the machine would reboot. */
int xc_kexec_exec(xc_interface *xch UNUSED, int type UNUSED)
{
	if (FAIL_HERE("xc_kexec_exec"))
		return -1;
	xs.executed = true;
	longjmp(exec_env, 1);
}

static bool mfn_lent(uint64_t mfn)
{
	return mfn >= SIM_MFN_BASE && mfn < SIM_MFN_BASE + SIM_FRAMES && xs.lent[mfn - SIM_MFN_BASE];
}

/* Xen writes each lent frame's number into the caller's extent list. */
static int sim_increase(struct xen_memory_reservation *r)
{
	xen_pfn_t *out = r->extent_start.p;

	assert_int_equal(r->domid, DOMID_SELF);
	for (unsigned long i = 0; i < r->nr_extents; i++) {
		unsigned tries = 0;

		while (xs.lent[xs.next] && tries++ < SIM_FRAMES)
			xs.next = (xs.next + 1) % SIM_FRAMES;
		if (xs.lent[xs.next])
			return (int)i;
		xs.lent[xs.next] = true;
		xs.nlent++;
		out[i] = SIM_MFN_BASE + xs.next;
	}
	return (int)r->nr_extents;
}

/* v1 ops: Xen reads the indirection list during the call, from frames
 * that must still be lent to dom0. */
static int sim_v1(unsigned cmd, xen_kexec_load_v1_t *a)
{
	if (cmd == KEXEC_CMD_kexec_unload_v1) {
		sim_unload(a->type);
		return 0;
	}
	assert_int_equal(cmd, KEXEC_CMD_kexec_load_v1);
	if (!mfn_lent(a->image.indirection_page / 4096))
		fail_msg("v1 load names indirection page 0x%llx, not a frame lent to dom0",
			 (unsigned long long)a->image.indirection_page);
	sim_load(a->type);
	return 0;
}

int xencall2(xencall_handle *h UNUSED, unsigned int op, uint64_t a1, uint64_t a2)
{
	if (FAIL_HERE(op == __HYPERVISOR_memory_op ? "memory_op" : "kexec_op"))
		return -1;
	if (op == __HYPERVISOR_memory_op) {
		assert_int_equal(a1, XENMEM_increase_reservation);
		return sim_increase((void *)(uintptr_t)a2);
	}
	assert_int_equal(op, __HYPERVISOR_kexec_op);
	return sim_v1((unsigned)a1, (void *)(uintptr_t)a2);
}

/* Like Xen: stop at the first frame that is not ours. */
int xc_domain_decrease_reservation(xc_interface *xch UNUSED, uint32_t domid, unsigned long n,
				   unsigned int order UNUSED, xen_pfn_t *mfn)
{
	if (FAIL_HERE("xc_domain_decrease_reservation"))
		return -1;
	assert_int_equal(domid, DOMID_SELF);
	for (unsigned long i = 0; i < n; i++) {
		if (!mfn_lent(mfn[i]))
			return (int)i;
		xs.lent[mfn[i] - SIM_MFN_BASE] = false;
		xs.nlent--;
	}
	return (int)n;
}

int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid, unsigned long n,
					 unsigned int order, xen_pfn_t *mfn)
{
	int k = xc_domain_decrease_reservation(xch, domid, n, order, mfn);

	return k == (int)n ? 0 : -1;
}

int xc_maximum_ram_page(xc_interface *xch UNUSED, unsigned long *max_mfn)
{
	if (FAIL_HERE("xc_maximum_ram_page"))
		return -1;
	*max_mfn = 0x3ffff;
	return 0;
}

void *xencall_alloc_buffer(xencall_handle *h UNUSED, size_t size)
{
	void *p;

	if (FAIL_HERE("xencall_alloc_buffer"))
		return NULL;
	p = calloc(1, size);
	xs.bufs += p != NULL;
	return p;
}

void xencall_free_buffer(xencall_handle *h UNUSED, void *p)
{
	xs.bufs -= p != NULL;
	free(p);
}

void *xencall_alloc_buffer_pages(xencall_handle *h UNUSED, size_t pages)
{
	void *p;

	if (FAIL_HERE("xencall_alloc_buffer_pages"))
		return NULL;
	p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	xs.bufs++;
	return p;
}

void xencall_free_buffer_pages(xencall_handle *h UNUSED, void *p, size_t pages)
{
	xs.bufs -= p != NULL;
	munmap(p, pages * 4096);
}

/* Every frame must be lent to dom0 when it is mapped. */
void *xenforeignmemory_map(xenforeignmemory_handle *fm UNUSED, uint32_t dom UNUSED,
			   int prot UNUSED, size_t pages, const xen_pfn_t arr[], int err[])
{
	void *p;

	if (FAIL_HERE("xenforeignmemory_map"))
		return NULL;
	for (size_t i = 0; i < pages; i++) {
		if (!mfn_lent(arr[i]))
			fail_msg("mapping frame 0x%llx, which is not lent to dom0",
				 (unsigned long long)arr[i]);
		err[i] = 0;
	}
	p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	xs.maps++;
	return p;
}

int xenforeignmemory_unmap(xenforeignmemory_handle *fm UNUSED, void *addr, size_t pages)
{
	xs.maps--;
	return munmap(addr, pages * 4096);
}

/* ---------------------------------------------------------------- runs */

static struct fault_files files;
static struct options opts;   /* the action under test, parsed once */
static enum xen_ops xen_ops;  /* XEN_OPS_V2 or XEN_OPS_V1 */
static struct backend xb;

/* What main() does with a parsed command line. */
static int run_kexec(void)
{
	enum kx_result rc;

	xs.executed = false;
	memset(&xb, 0, sizeof(xb));
	rc = xen_backend_open_ops(&xb, xen_ops);
	if (rc != KX_OK)
		return kx_exit_status(rc);
	if (setjmp(exec_env)) {
		xb.ops->close(&xb); /* the machine would have rebooted by now */
		return 0;
	}
	rc = kx_run(&opts, &xb);
	xb.ops->close(&xb);
	return kx_exit_status(rc);
}

/* Run a, unarmed. */
static int run_action(const struct fault_action_case *a, struct capture *c)
{
	struct options saved = opts;
	int rc;

	fault_parse_action(a, files.kernel, files.initrd, &opts);
	if (c)
		capture_start(c);
	rc = run_kexec();
	if (c)
		capture_end(c);
	opts = saved;
	return rc;
}

/* Frames one record holds: non-zero words after its 4-word header, read
 * from the parts of the (sparse) file that hold data. */
static unsigned record_frames(int fd)
{
	unsigned n = 0;
	off_t data = 0, hole;

	while ((data = lseek(fd, data, SEEK_DATA)) >= 0) {
		hole = lseek(fd, data, SEEK_HOLE);
		for (off_t off = data < 32 ? 32 : data; off < hole; off += 8) {
			uint64_t w = 0;

			assert_int_equal(pread(fd, &w, 8, off), 8);
			n += w != 0;
		}
		data = hole;
	}
	return n;
}

/* Frames in frame records left for the next run: what it must give back. */
static unsigned frames_in_records(void)
{
	DIR *d = opendir(xen_test_state_dir());
	struct dirent *e;
	unsigned n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[512];
		int fd;

		if (strncmp(e->d_name, "staging-", 8))
			continue;
		snprintf(path, sizeof(path), "%s/%s", xen_test_state_dir(), e->d_name);
		fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		n += record_frames(fd);
		close(fd);
	}
	closedir(d);
	return n;
}

/* Every lent frame is in a record, and the next kexec run (any action:
 * here -S) gives them back and says so. */
static void next_run_reclaims(const char *failed)
{
	unsigned held = frames_in_records();
	struct options saved = opts;
	struct capture c;
	char *av[] = { (char *)"kexec", (char *)"-S", NULL };

	if (xs.nlent != held)
		fail_msg("%s failing: %u frames still lent, %u of them in frame records", failed,
			 xs.nlent, held);
	if (!held)
		return;
	assert_int_equal(options_parse(2, av, &opts), KX_OK);
	capture_start(&c);
	run_kexec();
	capture_end(&c);
	opts = saved;
	if (xs.nlent)
		fail_msg("%s failing: the next run left %u frames lent", failed, xs.nlent);
	if (!strstr(c.text, "gave back"))
		fail_msg("%s failing: the next run gave frames back without a word: \"%s\"", failed,
			 c.text);
}

/* ---------------------------------------------------------------- cases */

static const struct fault_action_case *cur;
static int before[2];

static void prepare(void)
{
	const struct fault_action_case load = { FA_LOAD, !cur->crash, "" };
	const struct fault_action_case same = { FA_LOAD, cur->crash, "" };

	memset(xs.slot, 0, sizeof(xs.slot));
	memset(xs.bit, 0, sizeof(xs.bit));
	/* The other slot holds an image throughout: it must never change. */
	assert_int_equal(run_action(&load, NULL), 0);
	if (cur->what != FA_LOAD)
		assert_int_equal(run_action(&same, NULL), 0);
	memcpy(before, xs.slot, sizeof(before));
}

static void check(int rc, const char *out, const char *failed, int err)
{
	fault_check_action(cur, before, xs.slot, xs.executed, rc, out, failed, err);
	/* Our replace is unload + load: the bit stays true to the slot. */
	for (int i = 0; i < 2; i++)
		if (xs.bit[i] != (xs.slot[i] != 0))
			fail_msg("%s failing: Xen's status bit of slot %d is wrong now", failed, i);
	if (xs.bufs || xs.maps)
		fail_msg("%s failing: %d hypercall buffers and %d mappings left", failed, xs.bufs,
			 xs.maps);
	next_run_reclaims(failed);
}

/* Plausible answers of a hypercall or a library call that fails. */
static const int lib_errnos[] = { EFAULT, ENOMEM, EBUSY, EPERM, EINVAL, 0 };

static int setup(void **state UNUSED)
{
	memset(&xs, 0, sizeof(xs));
	fault_files_make(&files);
	return 0;
}

static int teardown(void **state UNUSED)
{
	fault_files_remove(&files);
	return 0;
}

static void test_sweep(enum xen_ops ops, const char *path)
{
	struct fault_stats total = { 0 };
	char name[64];

	xen_ops = ops;
	for (size_t i = 0; i < ARRAY_SIZE(fault_actions); i++) {
		const struct fault_case fc = { name, prepare, run_kexec, check, lib_errnos };

		cur = &fault_actions[i];
		snprintf(name, sizeof(name), "xen %s %s", path, cur->name);
		fault_parse_action(cur, files.kernel, files.initrd, &opts);
		fault_sweep(&fc, &total);
	}
	printf("faults: xen %s: %lu runs, %lu failed with one line, %lu absorbed\n", path,
	       total.runs, total.failed, total.absorbed);
}

static void test_v2(void **state UNUSED)
{
	test_sweep(XEN_OPS_V2, "v2");
}

static void test_v1(void **state UNUSED)
{
	test_sweep(XEN_OPS_V1, "v1");
}

int main(void)
{
	if (!xen_test_state_on_tmpfs()) {
		puts("SKIPPED: no tmpfs on /dev/shm, /run or /tmp, which the frame record needs");
		return 0;
	}

	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
