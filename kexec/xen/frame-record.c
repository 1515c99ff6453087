/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The record of staging frames a run holds (see private.h). Frames Xen
 * lends dom0 stay lent until someone gives them back by number, and a run
 * killed with SIGKILL cannot. So Xen itself writes each frame's number
 * into a file in the state directory (tmpfs) during the grant, and the run
 * holds a lock on that file for its whole life: any later run that can
 * take the lock knows the owner is gone and gives the listed frames back.
 * doc/xen-kexec-interface.md §11.1 has the account. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <xen/memory.h>

#include "private.h"
#include "util.h"

#define REC_MAGIC 0x314d5246474b5358ULL /* "XSKGFRM1" */
#define REC_PREFIX "staging-"
#define REC_SUFFIX ".frames"
/* Slots in a record: 8 GiB of staging. The file is sparse; only the
 * slots a run uses take memory. */
#define REC_SLOTS (1ULL << 21)
/* Slot 0..REC_HEAD-1 is the header: magic, owner pid, slot count. */
#define REC_HEAD 4
#define TMPFS_MAGIC_ 0x01021994
#define RAMFS_MAGIC_ 0x858458f6

void xen_record_init(struct xen_record *r, const char *dir)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
}

/* Xen writes frame numbers into the mapped file while the file system
 * must keep the pages writable and resident: tmpfs and ramfs never write
 * back (so never write-protect), and mlock keeps them in memory. */
static bool memory_backed(int fd)
{
	struct statfs s;

	return fstatfs(fd, &s) == 0 && (s.f_type == TMPFS_MAGIC_ || s.f_type == RAMFS_MAGIC_);
}

static int map_new(struct xen_record *r, const char *tmp)
{
	size_t bytes = (REC_HEAD + REC_SLOTS) * sizeof(uint64_t);
	void *m;

	if (flock(r->fd, LOCK_EX | LOCK_NB) < 0 || !memory_backed(r->fd) ||
	    ftruncate(r->fd, (off_t)bytes) < 0)
		return -1;
	m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (m == MAP_FAILED)
		return -1;
	r->head = m;
	r->head[0] = REC_MAGIC;
	r->head[1] = (uint64_t)getpid();
	r->head[2] = REC_SLOTS;
	r->slot = r->head + REC_HEAD;
	r->cap = REC_SLOTS;
	/* Visible to reclaimers only now, locked and with its header: a
	 * reclaimer never sees a record it could mistake for a dead one. */
	snprintf(r->path, sizeof(r->path), "%.*s%s", (int)(strlen(tmp) - 4), tmp, REC_SUFFIX);
	return rename(tmp, r->path);
}

/* Create, lock and map this run's record. Quiet: without a record no
 * frames are borrowed (staging uses dom0 memory instead). */
static int record_open(struct xen_record *r)
{
	char tmp[sizeof(r->path)];

	if (mkdir(r->dir, 0700) < 0 && errno != EEXIST) {
		kx_debug("xen: cannot create %s (%s): staging in dom0 memory", r->dir, strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s/" REC_PREFIX "XXXXXX.new", r->dir);
	r->fd = mkostemps(tmp, 4, O_CLOEXEC);
	if (r->fd < 0)
		return -1;
	if (map_new(r, tmp) == 0)
		return 0;
	kx_debug("xen: no frame record in %s (%s): staging in dom0 memory", r->dir,
		 strerror(errno));
	unlink(tmp);
	xen_record_close(r);
	return -1;
}

/* One XENMEM_increase_reservation for n frames, extent list in slot. */
static long reserve_into(xencall_handle *xcall, uint64_t *slot, size_t n)
{
	struct xen_memory_reservation *res = xencall_alloc_buffer(xcall, sizeof(*res));
	long got;
	int err;

	if (!res)
		return -1;
	memset(res, 0, sizeof(*res));
	set_xen_guest_handle_raw(res->extent_start, (xen_pfn_t *)slot);
	res->nr_extents = n;
	res->extent_order = 0;
	res->mem_flags = 0;
	res->domid = DOMID_SELF;
	got = xencall2(xcall, __HYPERVISOR_memory_op, XENMEM_increase_reservation,
		       (uint64_t)(uintptr_t)res);
	err = errno;
	xencall_free_buffer(xcall, res);
	errno = err;
	return got;
}

_Static_assert(sizeof(xen_pfn_t) == sizeof(uint64_t), "frame numbers fill a record slot");

uint64_t *xen_record_grant(struct xen_record *r, xencall_handle *xcall, xc_interface *xch,
			   size_t n)
{
	uint64_t *slot;
	long got;

	if (n == 0 || (r->fd < 0 && record_open(r) < 0) || n > r->cap - r->used)
		return NULL;
	slot = r->slot + r->used;
	/* Resident and writable before Xen writes into them. */
	if (mlock(slot, n * sizeof(*slot)) < 0) {
		kx_debug("xen: cannot lock the frame record (%s)", strerror(errno));
		return NULL;
	}
	memset(slot, 0, n * sizeof(*slot));
	r->used += n;
	got = reserve_into(xcall, slot, n);
	if (got >= 0 && (size_t)got == n)
		return slot;
	kx_debug("xen: Xen lent %ld of %zu frames%s%s", got < 0 ? 0 : got, n,
		 got < 0 ? ": " : "", got < 0 ? strerror(errno) : "");
	/* A partial grant goes straight back. */
	if (got > 0)
		xen_record_give_back(xch, slot, (size_t)got, r);
	return NULL;
}

/* Give one batch back, skipping any frame Xen refuses (it may no longer
 * count it as ours, or the call itself failed: *err gets the first
 * failure's errno): each refused frame's number goes back into its slot.
 * Returns how many were refused. */
static size_t decrease_batch(xc_interface *xch, xen_pfn_t *mfn, uint64_t *const *slot, size_t n,
			     int *err)
{
	size_t refused = 0, i = 0;

	while (i < n) {
		int k = xc_domain_decrease_reservation(xch, DOMID_SELF, n - i, 0, mfn + i);

		if (k < 0 && !*err)
			*err = errno;
		i += (size_t)(k < 0 ? 0 : k);
		if (i < n) {
			*slot[i] = mfn[i];
			refused++;
			i++;
		}
	}
	return refused;
}

#define GIVE_BATCH 1024

int xen_record_give_back_list(xc_interface *xch, uint64_t *const *slot, size_t n, struct xen_record *r)
{
	xen_pfn_t batch[GIVE_BATCH];
	uint64_t *where[GIVE_BATCH];
	size_t kept = 0, i = 0;
	int err = 0;

	/* Each slot is cleared before its frame is given back: a run killed
	 * in between leaks at most one batch, but a frame is never given back
	 * twice (dom0's kernel may own it again by then). A frame Xen does not
	 * take gets its slot back, so that the record keeps it. */
	while (i < n) {
		size_t k = 0, refused;

		for (; i < n && k < GIVE_BATCH; i++)
			if (*slot[i]) {
				where[k] = slot[i];
				batch[k++] = *slot[i];
				*slot[i] = 0;
			}
		refused = decrease_batch(xch, batch, where, k, &err);
		kept += refused;
	}
	if (!kept)
		return 0;
	if (r)
		r->kept += kept;
	kx_error("could not give %zu staging frames back to Xen (%s): %s", kept,
		 err ? strerror(err) : "refused",
		 r ? "they stay in the frame record for the next kexec run to give back"
		   : "hypervisor memory is lost until reboot");
	return -1;
}

int xen_record_give_back(xc_interface *xch, uint64_t *slot, size_t n, struct xen_record *r)
{
	uint64_t **list = calloc(n ? n : 1, sizeof(*list));
	int rc;

	if (!list) {
		if (r)
			r->kept += n; /* still in their slots */
		kx_error("out of memory giving %zu staging frames back to Xen: %s", n,
			 r ? "they stay in the frame record for the next kexec run to give back"
			   : "hypervisor memory is lost until reboot");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		list[i] = &slot[i];
	rc = xen_record_give_back_list(xch, list, n, r);
	free(list);
	return rc;
}

void xen_record_close(struct xen_record *r)
{
	char dir[sizeof(r->dir)];

	if (r->head)
		munmap(r->head, (REC_HEAD + r->cap) * sizeof(uint64_t));
	/* A live run gives every frame back before it closes, unless Xen
	 * refused some: then the record stays (unlocked once closed) and the
	 * next run gives them back. */
	if (r->fd >= 0 && r->path[0] && !r->kept)
		unlink(r->path);
	if (r->fd >= 0)
		close(r->fd);
	memcpy(dir, r->dir, sizeof(dir));
	xen_record_init(r, dir);
}

/* ------------------------------------------------------------- reclaim */

/* Frames a v1 image loaded before Xen 4.4 still needs (listed in the
 * v1 state files): never reclaimed. */
struct keep_list {
	uint64_t *mfn;
	size_t n;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void keep_list_read(const char *dir, struct keep_list *k)
{
	memset(k, 0, sizeof(*k));
	for (int type = 0; type < 2; type++) {
		char path[256];
		uint64_t *m;
		size_t n;
		uint64_t *all;

		if (xen_v1_state_path(dir, type, path, sizeof(path)) < 0 ||
		    xen_v1_state_read(path, &m, &n) != 0)
			continue;
		all = realloc(k->mfn, (k->n + n) * sizeof(*all));
		if (all) {
			memcpy(all + k->n, m, n * sizeof(*m));
			k->mfn = all;
			k->n += n;
		}
		free(m);
	}
	if (k->n)
		qsort(k->mfn, k->n, sizeof(*k->mfn), cmp_u64);
}

static bool kept(const struct keep_list *k, uint64_t mfn)
{
	return k->n && bsearch(&mfn, k->mfn, k->n, sizeof(mfn), cmp_u64);
}

/* Clear the slots of frames a state file keeps. */
static void drop_kept(uint64_t *slot, size_t n, const struct keep_list *k)
{
	for (size_t i = 0; i < n; i++)
		if (slot[i] && kept(k, slot[i]))
			slot[i] = 0;
}

/* A record whose owner is gone (we hold its lock): give its frames back,
 * say so, remove it. */
static size_t reclaim_one(xc_interface *xch, int fd, const char *path, const struct keep_list *k)
{
	struct stat st;
	uint64_t *head;
	size_t slots, held = 0;

	if (fstat(fd, &st) < 0 || (size_t)st.st_size < REC_HEAD * sizeof(uint64_t))
		goto gone;
	head = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (head == MAP_FAILED)
		return 0;
	slots = (size_t)st.st_size / sizeof(uint64_t) - REC_HEAD;
	if (head[0] == REC_MAGIC && head[2] == slots) {
		drop_kept(head + REC_HEAD, slots, k);
		for (size_t i = 0; i < slots; i++)
			held += head[REC_HEAD + i] != 0;
		/* No record to keep them in: this is the last try. */
		if (held && xen_record_give_back(xch, head + REC_HEAD, slots, NULL) < 0)
			held = 0;
		else if (held)
			kx_note("gave back %zu staging frames (%zu KiB) that an interrupted kexec (pid %" PRIu64
				") held", held, held * 4, head[1]);
	}
	munmap(head, (size_t)st.st_size);
gone:
	unlink(path);
	return held;
}

static bool is_record(const char *name)
{
	size_t n = strlen(name), s = strlen(REC_SUFFIX), t = strlen(".new");

	if (strncmp(name, REC_PREFIX, strlen(REC_PREFIX)) != 0)
		return false;
	return (n > s && strcmp(name + n - s, REC_SUFFIX) == 0) ||
	       (n > t && strcmp(name + n - t, ".new") == 0);
}

size_t xen_record_reclaim(xc_interface *xch, const char *dir)
{
	DIR *d = opendir(dir);
	struct keep_list k;
	struct dirent *e;
	size_t given = 0;

	if (!d)
		return 0;
	keep_list_read(dir, &k);
	while ((e = readdir(d))) {
		char path[512];
		int fd;

		if (!is_record(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		/* Locked: its owner is alive. */
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
			given += reclaim_one(xch, fd, path, &k);
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
	free(k.mfn);
	return given;
}
