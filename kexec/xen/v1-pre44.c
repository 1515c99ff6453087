/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Control block and state file of a pre-4.4 v1 image (see private.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "private.h"

#define ENTRIES 512
#define PTE_P_RW 0x3ULL
#define PTE_PS 0x80ULL /* 2 MiB page in an L2 entry */
#define MIB2 (1ULL << 21)
/* The stack at the top of the control page needs room below the code. */
#define CODE_MAX 2048
#define STATE_MAGIC "kexec-ng xen-v1 frames"

uint64_t xen_v1_pre44_top(uint64_t max_addr)
{
	uint64_t top = (max_addr + XEN_V1_PRE44_GIB - 1) & ~(XEN_V1_PRE44_GIB - 1);

	return top ? top : XEN_V1_PRE44_GIB;
}

static size_t l3_pages(uint64_t top)
{
	return (top + XEN_V1_PRE44_L3_SPAN - 1) / XEN_V1_PRE44_L3_SPAN;
}

static size_t l2_pages(uint64_t top) { return top / XEN_V1_PRE44_GIB; }

size_t xen_v1_pre44_pages(uint64_t top)
{
	return XEN_V1_PRE44_F_IDENT + l3_pages(top) + l2_pages(top);
}

static uint64_t *table(void *va, size_t frame)
{
	return (uint64_t *)((uint8_t *)va + frame * PAGE_SIZE_4K);
}

/* PGD -> L3s -> L2s of 2 MiB pages, VA == machine address below top. */
static void fill_identity(uint64_t top, const uint64_t *mfn, void *va)
{
	size_t nl3 = l3_pages(top), nl2 = l2_pages(top);
	uint64_t *pgd = table(va, XEN_V1_PRE44_F_PGD);

	for (size_t i = 0; i < nl3; i++)
		pgd[i] = mfn[XEN_V1_PRE44_F_IDENT + i] * PAGE_SIZE_4K | PTE_P_RW;
	for (size_t k = 0; k < nl2; k++) {
		uint64_t *l3 = table(va, XEN_V1_PRE44_F_IDENT + k / ENTRIES);
		uint64_t *l2 = table(va, XEN_V1_PRE44_F_IDENT + nl3 + k);

		l3[k % ENTRIES] = mfn[XEN_V1_PRE44_F_IDENT + nl3 + k] * PAGE_SIZE_4K | PTE_P_RW;
		for (size_t e = 0; e < ENTRIES; e++)
			l2[e] = (k * XEN_V1_PRE44_GIB + e * MIB2) | PTE_P_RW | PTE_PS;
	}
}

static void fill_page_list(const uint64_t *mfn, uint64_t pl[XEN_V1_PRE44_NO_PAGES])
{
	memset(pl, 0, XEN_V1_PRE44_NO_PAGES * sizeof(*pl));
	/* PUD_1, PMD_1 and PTE_1 are unused by our code; Xen maps every even
	 * entry anyway, so name a page we own rather than frame 0. */
	for (unsigned k = 0; k < XEN_V1_PL_TABLE; k += 2)
		pl[k] = mfn[XEN_V1_PRE44_F_CONTROL] * PAGE_SIZE_4K;
	pl[XEN_V1_PL_PGD] = mfn[XEN_V1_PRE44_F_PGD] * PAGE_SIZE_4K;
	pl[XEN_V1_PL_PUD_0] = mfn[XEN_V1_PRE44_F_PUD0] * PAGE_SIZE_4K;
	pl[XEN_V1_PL_PMD_0] = mfn[XEN_V1_PRE44_F_PMD0] * PAGE_SIZE_4K;
	pl[XEN_V1_PL_PTE_0] = mfn[XEN_V1_PRE44_F_PTE0] * PAGE_SIZE_4K;
	pl[XEN_V1_PL_TABLE] = mfn[XEN_V1_PRE44_F_PGD] * PAGE_SIZE_4K;
}

int xen_v1_pre44_fill(uint64_t top, const uint64_t *mfn, size_t n, void *va,
		    uint64_t page_list[XEN_V1_PRE44_NO_PAGES])
{
	size_t code = (size_t)(xen_v1_reloc_end - xen_v1_reloc_start);

	if (top == 0 || top % XEN_V1_PRE44_GIB || top > XEN_V1_PRE44_MAX_TOP) {
		kx_error("v1 identity map: end 0x%" PRIx64 " is not a GiB multiple up to 128 TiB", top);
		return -1;
	}
	if (n != xen_v1_pre44_pages(top)) {
		kx_error("v1 control block: %zu frames given, %zu needed", n, xen_v1_pre44_pages(top));
		return -1;
	}
	if (code > CODE_MAX) {
		kx_error("v1 relocation code is %zu bytes, more than %d", code, CODE_MAX);
		return -1;
	}
	memset(va, 0, n * PAGE_SIZE_4K);
	memcpy(va, xen_v1_reloc_start, code);
	fill_identity(top, mfn, va);
	fill_page_list(mfn, page_list);
	return 0;
}

bool xen_v1_pre44_in_dest(const struct xen_seg_list *v1, uint64_t mfn)
{
	uint64_t a = mfn * PAGE_SIZE_4K;

	for (unsigned i = 0; i < v1->n; i++)
		if (a >= v1->seg[i].dest && a - v1->seg[i].dest < v1->seg[i].dest_size)
			return true;
	return false;
}

int xen_v1_state_path(const char *dir, int type, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/xen-v1-%s.mfns", dir, type ? "crash" : "default");

	if (n < 0 || (size_t)n >= len) {
		kx_error("%s: state file path too long", dir);
		return -1;
	}
	return 0;
}

static int make_dir(const char *path)
{
	char dir[4096];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		kx_error("%s: cannot create: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_all(FILE *f, const uint64_t *mfn, size_t n)
{
	if (fprintf(f, "%s\n%zu\n", STATE_MAGIC, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (fprintf(f, "%" PRIx64 "\n", mfn[i]) < 0)
			return -1;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		return -1;
	return 0;
}

int xen_v1_state_write(const char *path, const uint64_t *mfn, size_t n)
{
	char tmp[4096];
	FILE *f;
	int fd, rc;

	if (make_dir(path) < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		kx_error("%s: cannot create: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rc = write_all(f, mfn, n);
	if (fclose(f) != 0 || rc < 0 || rename(tmp, path) < 0) {
		kx_error("%s: cannot write the frames held by Xen: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int read_all(FILE *f, const char *path, uint64_t **mfn, size_t *n)
{
	char magic[64];
	size_t count;

	if (!fgets(magic, sizeof(magic), f) || strcmp(magic, STATE_MAGIC "\n") != 0 ||
	    fscanf(f, "%zu", &count) != 1 || count == 0 || count > (1u << 28)) {
		kx_error("%s: not a kexec frame list", path);
		return -1;
	}
	*mfn = kx_calloc(count, sizeof(**mfn));
	if (!*mfn)
		return -1;
	for (size_t i = 0; i < count; i++) {
		if (fscanf(f, "%" SCNx64, &(*mfn)[i]) != 1) {
			kx_error("%s: frame list ends after %zu of %zu frames", path, i, count);
			free(*mfn);
			*mfn = NULL;
			return -1;
		}
	}
	*n = count;
	return 0;
}

int xen_v1_state_read(const char *path, uint64_t **mfn, size_t *n)
{
	FILE *f = fopen(path, "re");
	int rc;

	*mfn = NULL;
	*n = 0;
	if (!f && errno == ENOENT)
		return 1;
	if (!f) {
		kx_error("%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	rc = read_all(f, path, mfn, n);
	fclose(f);
	return rc;
}

int xen_v1_state_remove(const char *path)
{
	if (unlink(path) < 0 && errno != ENOENT) {
		kx_error("%s: cannot remove: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
