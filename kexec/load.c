/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading an image: pick the file type, then either hand the files to the
 * kernel (kexec_file_load) or build a segment plan for the backend. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmdline.h"
#include "file-types.h"
#include "kernel-file.h"
#include "load.h"
#include "loader.h"
#include "util.h"

static const struct file_type *probe_all(const struct kernel_image *k, const char **why)
{
	for (size_t i = 0; i < nr_file_types; i++) {
		const char *w = NULL;

		if (file_types[i]->probe(k, &w) == 0)
			return file_types[i];
		if (w && !*why)
			*why = w;
	}
	return NULL;
}

/* --type picks a type the file must satisfy (a Xen image is both
 * multiboot2 and multiboot: either may be asked for). */
static const struct file_type *pick_forced(const struct options *o, const struct kernel_image *k)
{
	const struct file_type *forced = file_type_by_name(o->type), *found;
	const char *why = NULL;

	if (!forced) {
		kx_error("--type %s: unknown file type (see kexec --help)", o->type);
		return NULL;
	}
	if (forced->probe(k, &why) == 0)
		return forced;
	found = probe_all(k, &why);
	if (found)
		kx_error("%s: wrong file type %s, the file matches type %s", k->path, o->type, found->name);
	else
		kx_error("%s: not a %s image%s%s", k->path, o->type, why ? ": " : "", why ? why : "");
	return NULL;
}

static const struct file_type *pick_type(const struct options *o, const struct kernel_image *k)
{
	const char *why = NULL;
	const struct file_type *found;

	if (o->type)
		return pick_forced(o, k);
	found = probe_all(k, &why);
	if (!found)
		kx_error("%s: %s", k->path, why ? why :
			 "not a kernel image kexec can load (bzImage64, ELF x86_64, multiboot2 or multiboot)");
	return found;
}

/* Options of one loader given for another are refused, not ignored. */
static int check_loader_options(const struct options *o, const struct file_type *ft)
{
	if (o->nmodules && !ft->modules) {
		kx_error("--module: %s images take no modules (multiboot2-x86/multiboot-x86 do)", ft->name);
		return -1;
	}
	if (o->initrd && ft->modules) {
		kx_error("--initrd: %s images take their initrd as a --module", ft->name);
		return -1;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		buf = (const char *)buf + w;
		len -= (size_t)w;
	}
	return 0;
}

/* kexec_file_load needs the kernel as a file descriptor: the file itself,
 * or a memfd holding the decompressed bytes. */
static int kernel_fd(const struct kernel_image *k)
{
	int fd;

	if (!k->decompressed) {
		fd = open(k->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			kx_error("%s: cannot open: %s", k->path, strerror(errno));
		return fd;
	}
	fd = memfd_create("kernel", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0 || write_all(fd, k->buf, k->len) < 0) {
		kx_error("%s: cannot stage the decompressed kernel: %s", k->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* KX_OK | KX_ERROR | KX_FALLBACK (errno says why). */
static enum kx_result try_file_load(const struct options *o, struct backend *b,
				    const struct kernel_image *k)
{
	struct file_load_args a = { .kernel_path = k->path, .kernel_fd = -1, .initrd_fd = -1,
				    .crash = o->panic,
				    .no_cma = o->no_cma, .force_dtb = o->force_dtb,
				    .debug = o->debug };
	char *cmdline = loader_build_cmdline(o, o->panic);
	enum kx_result rc = KX_ERROR;

	if (!cmdline)
		return KX_ERROR;
	a.cmdline = cmdline;
	a.kernel_fd = kernel_fd(k);
	if (a.kernel_fd < 0)
		goto out;
	if (o->initrd) {
		a.initrd_fd = open(o->initrd, O_RDONLY | O_CLOEXEC);
		if (a.initrd_fd < 0) {
			kx_error("%s: cannot open initrd: %s", o->initrd, strerror(errno));
			goto out;
		}
	}
	rc = b->ops->file_load(b, &a);
out:
	if (a.kernel_fd >= 0)
		close(a.kernel_fd);
	if (a.initrd_fd >= 0)
		close(a.initrd_fd);
	free(cmdline);
	return rc;
}

/* KX_OK | KX_ERROR. */
static enum kx_result plan_load(const struct options *o, struct backend *b,
				const struct file_type *ft, const struct kernel_image *k)
{
	struct machine m;
	struct plan p;
	enum kx_result rc = KX_ERROR;

	if (b->ops->describe(b, &m, o->panic) != KX_OK) {
		machine_free(&m); /* describe zeroes it first: partial fills go */
		return KX_ERROR;
	}
	plan_init(&p, &m, o->panic);
	p.mem_min = o->mem_min;
	p.mem_max = o->mem_max;
	p.preserve_context = o->load_preserve_context;
	if (ft->load(o, k, &p) == 0 && plan_validate(&p) == 0) {
		plan_dump(&p);
		rc = b->ops->load(b, &p);
	}
	plan_release(&p);
	machine_free(&m);
	return rc;
}

/* Which syscall path: KX_OK with *file set (kexec_file_load, or the plan
 * path), or KX_FALLBACK after an error line when -s cannot be honoured
 * (upstream's "fall back" exit). */
static enum kx_result choose_file_load(const struct options *o, struct backend *b,
				       const struct file_type *ft, bool *file)
{
	*file = false;
	if (o->syscall == SYSCALL_LOAD || o->load_preserve_context)
		return KX_OK;
	if (!b->ops->file_load) {
		if (o->syscall == SYSCALL_FILE)
			kx_error("-s: kexec_file_load is not possible with the %s backend; using %s instead",
				 b->ops->name, "its own load path");
		return KX_OK;
	}
	if (!ft->file_load_ok) {
		if (o->syscall != SYSCALL_FILE)
			return KX_OK;
		kx_error("-s: file type %s cannot be loaded with kexec_file_load", ft->name);
		return KX_FALLBACK;
	}
	*file = true;
	return KX_OK;
}

/* kexec_file_load when it may take the image; the plan path otherwise, or
 * when it says fall back and -s does not forbid it. */
static enum kx_result load_image(const struct options *o, struct backend *b,
				 const struct file_type *ft, const struct kernel_image *k)
{
	bool file;
	enum kx_result rc = choose_file_load(o, b, ft, &file);

	if (rc != KX_OK)
		return rc;
	if (file) {
		rc = try_file_load(o, b, k);
		if (rc != KX_FALLBACK)
			return rc;
		if (o->syscall == SYSCALL_FILE) {
			kx_error("%s: kexec_file_load failed: %s", k->path, strerror(errno));
			return KX_FALLBACK;
		}
		kx_debug("falling back to kexec_load");
	}
	return plan_load(o, b, ft, k);
}

enum kx_result kx_load(const struct options *o, struct backend *b)
{
	struct kernel_image k;
	const struct file_type *ft;
	enum kx_result rc = KX_ERROR;

	if (kernel_image_read(o->kernel, &k) < 0)
		return KX_ERROR;
	ft = pick_type(o, &k);
	if (ft && check_loader_options(o, ft) == 0) {
		kx_debug("file type: %s", ft->name);
		rc = load_image(o, b, ft, &k);
	}
	kernel_image_free(&k);
	return rc;
}
