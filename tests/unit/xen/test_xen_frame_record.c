/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the frame record (kexec/xen/frame-record.c) and the
 * staging frames built on it (kexec/xen/frames.c): a simulated hypervisor
 * lends numbered frames through the raw memory_op the record issues and
 * takes them back through decrease_reservation; a run "killed" with
 * SIGKILL is a forked child, and the parent plays the next run. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "fixtures.h"
#include "xen-state-dir.h"
#include "xen/private.h"

/* ---------------------------------------------------------------- the simulated Xen */

#define FIRST_MFN 0x1000u
#define MAX_MFN 0x4000u

static struct {
	bool lent[MAX_MFN];  /* frame lent to dom0 */
	unsigned next;       /* next frame to lend */
	long grant_limit;    /* lend at most this many per call (-1: all) */
	unsigned refused;    /* decrease fails for this frame (0: none) */
	unsigned given_back;
} xen;

static size_t lent_count(void)
{
	size_t n = 0;

	for (unsigned i = 0; i < MAX_MFN; i++)
		n += xen.lent[i];
	return n;
}

/* Xen writes each frame's number into the caller's extent list as it
 * lends it, straight into the record's slots. */
int xencall2(xencall_handle *h UNUSED, unsigned int op, uint64_t a1, uint64_t a2)
{
	struct xen_memory_reservation *r = (void *)(uintptr_t)a2;
	xen_pfn_t *out;
	long n;

	assert_int_equal(op, __HYPERVISOR_memory_op);
	assert_int_equal(a1, XENMEM_increase_reservation);
	assert_int_equal(r->domid, DOMID_SELF);
	assert_int_equal(r->extent_order, 0);
	out = r->extent_start.p;
	n = (long)r->nr_extents;
	if (xen.grant_limit >= 0 && n > xen.grant_limit)
		n = xen.grant_limit;
	for (long i = 0; i < n; i++) {
		assert_true(xen.next < MAX_MFN);
		xen.lent[xen.next] = true;
		out[i] = xen.next++;
	}
	return (int)n;
}

int xc_domain_decrease_reservation(xc_interface *xch UNUSED, uint32_t domid, unsigned long n,
				   unsigned int order UNUSED, xen_pfn_t *mfn)
{
	assert_int_equal(domid, DOMID_SELF);
	for (unsigned long i = 0; i < n; i++) {
		/* Like Xen: stop at the first frame that is not ours. */
		if (mfn[i] >= MAX_MFN || !xen.lent[mfn[i]] || mfn[i] == xen.refused)
			return (int)i;
		xen.lent[mfn[i]] = false;
		xen.given_back++;
	}
	return (int)n;
}

int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid, unsigned long n,
					 unsigned int order, xen_pfn_t *mfn)
{
	return xc_domain_decrease_reservation(xch, domid, n, order, mfn) == (int)n ? 0 : -1;
}

void *xencall_alloc_buffer(xencall_handle *h UNUSED, size_t size) { return malloc(size); }
void xencall_free_buffer(xencall_handle *h UNUSED, void *p) { free(p); }

/* Mappings are plain memory here. */
void *xenforeignmemory_map(xenforeignmemory_handle *fm UNUSED, uint32_t dom UNUSED,
			   int prot UNUSED, size_t pages, const xen_pfn_t arr[] UNUSED, int err[])
{
	memset(err, 0, pages * sizeof(*err));
	return calloc(pages, 4096);
}

int xenforeignmemory_unmap(xenforeignmemory_handle *fm UNUSED, void *addr, size_t pages UNUSED)
{
	free(addr);
	return 0;
}

static char xcall_obj;
static struct xen_record rec;
static struct xen_handles hv = { NULL, (xencall_handle *)&xcall_obj, NULL, &rec };

static int setup(void **state UNUSED)
{
	memset(&xen, 0, sizeof(xen));
	xen.next = FIRST_MFN;
	xen.grant_limit = -1;
	xen_record_init(&rec, xen_test_state_dir());
	return 0;
}

static int teardown(void **state UNUSED)
{
	xen_record_close(&rec);
	return 0;
}

/* Records in the state directory (names ending in .frames). */
static int records_on_disk(void)
{
	char cmd[256];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls %s | grep -c '^staging-.*\\.frames$'", xen_test_state_dir());
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

/* ---------------------------------------------------------------- one run */

static void test_grant_is_recorded_and_given_back(void **state UNUSED)
{
	uint64_t *slot = xen_record_grant(&rec, hv.xcall, hv.xch, 100);

	assert_non_null(slot);
	assert_int_equal(lent_count(), 100);
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(slot[i], FIRST_MFN + i);
	assert_int_equal(records_on_disk(), 1);
	assert_int_equal(xen_record_give_back(hv.xch, slot, 100, &rec), 0);
	assert_int_equal(lent_count(), 0);
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(slot[i], 0);
	xen_record_close(&rec);
	assert_int_equal(records_on_disk(), 0);
}

static void test_partial_grant_goes_back(void **state UNUSED)
{
	struct capture c;

	xen.grant_limit = 30;
	capture_start(&c);
	assert_null(xen_record_grant(&rec, hv.xcall, hv.xch, 100));
	capture_end(&c);
	assert_string_equal(c.text, "");
	assert_int_equal(lent_count(), 0);
	assert_int_equal(xen.given_back, 30);
}

/* A frame Xen does not take back stays in the record, which outlives
 * the run: the next run gives it back. */
static void test_refused_frame_left_to_next_run(void **state UNUSED)
{
	uint64_t *slot = xen_record_grant(&rec, hv.xcall, hv.xch, 2000);
	struct capture c;

	assert_non_null(slot);
	xen.refused = FIRST_MFN + 5;
	capture_start(&c);
	assert_int_equal(xen_record_give_back(hv.xch, slot, 2000, &rec), -1);
	capture_end(&c);
	assert_one_error(c.text, "could not give 1 staging frames back to Xen (refused): they stay in the frame record");
	/* Every other frame went back, across batches; the refused one is
	 * in its slot again. */
	assert_int_equal(lent_count(), 1);
	assert_int_equal(slot[5], FIRST_MFN + 5);
	assert_int_equal(rec.kept, 1);
	xen_record_close(&rec);
	assert_int_equal(records_on_disk(), 1);
	xen.refused = 0;
	capture_start(&c);
	assert_int_equal(xen_record_reclaim(hv.xch, xen_test_state_dir()), 1);
	capture_end(&c);
	assert_one_error(c.text, "gave back 1 staging frames");
	assert_int_equal(lent_count(), 0);
	assert_int_equal(records_on_disk(), 0);
}

static bool odd(uint64_t mfn, const void *ctx UNUSED) { return mfn & 1; }

static void test_avoiding_returns_refused_frames(void **state UNUSED)
{
	struct xen_frames f;

	assert_int_equal(xen_frames_alloc_avoiding(&hv, 50, odd, NULL, &f), 0);
	assert_int_equal(f.pages, 50);
	for (size_t i = 0; i < f.pages; i++)
		assert_int_equal(f.mfn[i] & 1, 0);
	assert_int_equal(lent_count(), 50); /* the odd ones went back */
	xen_frames_free(&hv, &f);
	assert_int_equal(lent_count(), 0);
}

static void test_kept_frames_leave_the_record(void **state UNUSED)
{
	struct xen_frames f;

	assert_int_equal(xen_frames_alloc(&hv, 8, &f), 0);
	xen_frames_keep(&hv, &f);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(rec.slot[i], 0);
	assert_int_equal(lent_count(), 8); /* still lent: a v1 image holds them */
	memset(xen.lent, 0, sizeof(xen.lent));
}

/* ---------------------------------------------------------------- killed runs */

/* A run that takes n frames in two grants and is killed holding them. */
static pid_t killed_run(size_t n)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct xen_record r;

		xen_record_init(&r, xen_test_state_dir());
		if (!xen_record_grant(&r, hv.xcall, hv.xch, n / 2) ||
		    !xen_record_grant(&r, hv.xcall, hv.xch, n - n / 2))
			_exit(1);
		raise(SIGKILL);
	}
	return pid;
}

static void wait_killed(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

/* What the killed child was lent, as the (shared) hypervisor knows it. */
static void child_lent(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		xen.lent[FIRST_MFN + i] = true;
}

static void test_killed_run_is_reclaimed(void **state UNUSED)
{
	pid_t pid = killed_run(300);
	char want[128];
	struct capture c;

	wait_killed(pid);
	child_lent(300);
	assert_int_equal(records_on_disk(), 1);
	capture_start(&c);
	xen_record_reclaim(hv.xch, xen_test_state_dir());
	capture_end(&c);
	snprintf(want, sizeof(want), "gave back 300 staging frames (1200 KiB) that an interrupted kexec (pid %d) held",
		 (int)pid);
	assert_one_error(c.text, want);
	assert_int_equal(lent_count(), 0);
	assert_int_equal(records_on_disk(), 0);
	/* Nothing left: a second run is silent. */
	capture_start(&c);
	xen_record_reclaim(hv.xch, xen_test_state_dir());
	capture_end(&c);
	assert_string_equal(c.text, "");
}

static void test_live_run_is_left_alone(void **state UNUSED)
{
	uint64_t *slot = xen_record_grant(&rec, hv.xcall, hv.xch, 40);
	pid_t pid;
	int st;

	assert_non_null(slot);
	/* Another process reclaims while this run lives and holds its lock. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		xen_record_reclaim(hv.xch, xen_test_state_dir());
		_exit(xen.given_back == 0 && records_on_disk() == 1 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(xen_record_give_back(hv.xch, slot, 40, &rec), 0);
}

static void test_v1_state_frames_are_kept(void **state UNUSED)
{
	uint64_t keep[3] = { FIRST_MFN + 1, FIRST_MFN + 7, FIRST_MFN + 8 };
	char path[256];
	pid_t pid = killed_run(10);
	struct capture c;

	wait_killed(pid);
	child_lent(10);
	/* A pre-4.4 v1 image loaded by that run still needs three of them. */
	assert_int_equal(xen_v1_state_path(xen_test_state_dir(), 0, path, sizeof(path)), 0);
	assert_int_equal(xen_v1_state_write(path, keep, 3), 0);
	capture_start(&c);
	xen_record_reclaim(hv.xch, xen_test_state_dir());
	capture_end(&c);
	assert_one_error(c.text, "gave back 7 staging frames");
	assert_int_equal(lent_count(), 3);
	for (unsigned i = 0; i < 3; i++)
		assert_true(xen.lent[keep[i]]);
	assert_int_equal(xen_v1_state_remove(path), 0);
	memset(xen.lent, 0, sizeof(xen.lent));
}

static void test_no_state_dir_no_frames(void **state UNUSED)
{
	struct xen_record r;
	struct capture c;

	xen_record_init(&r, "/proc/no-such-dir/kexec");
	capture_start(&c);
	assert_null(xen_record_grant(&r, hv.xcall, hv.xch, 4));
	capture_end(&c);
	assert_string_equal(c.text, "");
	assert_int_equal(lent_count(), 0);
	xen_record_close(&r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	if (!xen_test_state_on_tmpfs()) {
		puts("SKIPPED: no tmpfs on /dev/shm, /run or /tmp, which the frame record needs");
		return 0;
	}

	const struct CMUnitTest tests[] = {
		T(test_grant_is_recorded_and_given_back),
		T(test_partial_grant_goes_back),
		T(test_refused_frame_left_to_next_run),
		T(test_avoiding_returns_refused_frames),
		T(test_kept_frames_leave_the_record),
		T(test_killed_run_is_reclaimed),
		T(test_live_run_is_left_alone),
		T(test_v1_state_frames_are_kept),
		T(test_no_state_dir_no_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
