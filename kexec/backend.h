/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A backend submits segment plans: the native kexec_load(2)/kexec_file_load(2)
 * one, or Xen's kexec hypercalls. Chosen once at start-up; the front end only
 * talks to this interface. A backend never parses kernels. */
#ifndef KEXEC_BACKEND_H
#define KEXEC_BACKEND_H

#include <stdbool.h>
#include "options.h"
#include "plan.h"
#include "result.h"

struct backend;

/* Arguments of a file-based load (kexec_file_load(2) style). */
struct file_load_args {
	const char *kernel_path; /* as the user named it: errors name it */
	int kernel_fd;
	int initrd_fd; /* -1 for none */
	const char *cmdline; /* may be NULL */
	bool crash;
	bool no_cma;
	bool force_dtb;
	bool debug;
};

/* Each op's outcomes (kexec/result.h); KX_ERROR always after one error
 * line made where it failed. */
struct backend_ops {
	const char *name;
	/* Describe the machine the next kernel will see (memory map, crash
	 * region, placement limits). crash selects the crash view. m is
	 * zeroed first, so machine_free(m) is right after either outcome.
	 * KX_OK | KX_ERROR */
	enum kx_result (*describe)(struct backend *b, struct machine *m, bool crash);
	/* Load a plan. The image loaded before is kept when the new one is
	 * refused before the final syscall or hypercall (Xen unloads it just
	 * before its load hypercall: a refusal there leaves none).
	 * KX_OK | KX_ERROR */
	enum kx_result (*load)(struct backend *b, const struct plan *p);
	/* In-kernel file load; NULL when the backend cannot do it.
	 * KX_OK | KX_ERROR | KX_FALLBACK (the syscall is missing or refuses
	 * the image format; errno says why; nothing printed but -d) */
	enum kx_result (*file_load)(struct backend *b, const struct file_load_args *a);
	/* KX_OK (also when nothing was loaded) | KX_ERROR */
	enum kx_result (*unload)(struct backend *b, bool crash);
	/* KX_LOADED | KX_NOT_LOADED | KX_ERROR | KX_UNKNOWN (this system
	 * cannot tell; an error line says why unless quiet) */
	enum kx_result (*status)(struct backend *b, bool crash, bool quiet);
	/* Transfer control; returns only on failure: KX_ERROR */
	enum kx_result (*exec)(struct backend *b);
	void (*close)(struct backend *b);
};

struct backend {
	const struct backend_ops *ops;
	bool debug;
	void *priv;
};

/* Open the backend for this system (Xen in a PV control domain, native
 * otherwise). KX_OK | KX_REFUSED (no backend can work here; error line) */
enum kx_result backend_open(struct backend *b, bool debug, enum xen_ops xen_ops);

/* The backends.
 * native_backend_open: KX_OK.
 * xen_backend_open_ops: KX_OK when this is a Xen PV dom0 and the Xen
 * backend is open | KX_FALLBACK when this is not Xen dom0 (or a XenLinux
 * dom0 whose kexec_load(2) reaches Xen): use the native backend |
 * KX_ERROR (error line). */
enum kx_result native_backend_open(struct backend *b);
enum kx_result xen_backend_open_ops(struct backend *b, enum xen_ops ops);

#endif
