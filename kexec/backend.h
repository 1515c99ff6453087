/* A backend submits segment plans: the native kexec_load(2)/kexec_file_load(2)
 * one, or Xen's kexec hypercalls. Chosen once at start-up; the front end only
 * talks to this interface. A backend never parses kernels. */
#ifndef KEXEC_BACKEND_H
#define KEXEC_BACKEND_H

#include <stdbool.h>
#include "options.h"
#include "plan.h"

struct backend;

#define BACKEND_STATUS_UNKNOWN (-2)

/* Arguments of a file-based load (kexec_file_load(2) style). */
struct file_load_args {
	int kernel_fd;
	int initrd_fd; /* -1 for none */
	const char *cmdline; /* may be NULL */
	bool crash;
	bool no_cma;
	bool force_dtb;
	bool debug;
};

struct backend_ops {
	const char *name;
	/* Describe the machine the next kernel will see (memory map, crash
	 * region, placement limits). crash selects the crash view. */
	int (*describe)(struct backend *b, struct machine *m, bool crash);
	/* Load a plan. Returns 0, or -1 after an error line. */
	int (*load)(struct backend *b, const struct plan *p);
	/* In-kernel file load; NULL when the backend cannot do it. Returns
	 * 0, -1 on a final error, or -2 when the caller may fall back to
	 * load() (the syscall is missing or refuses the image format; errno
	 * then says why). */
	int (*file_load)(struct backend *b, const struct file_load_args *a);
	int (*unload)(struct backend *b, bool crash);
	/* 1 loaded, 0 not loaded, -1 error (reported), or
	 * BACKEND_STATUS_UNKNOWN when this system cannot tell (said why
	 * unless quiet). */
	int (*status)(struct backend *b, bool crash, bool quiet);
	/* Transfer control; returns only on failure (-1). */
	int (*exec)(struct backend *b);
	void (*close)(struct backend *b);
};

struct backend {
	const struct backend_ops *ops;
	bool debug;
	void *priv;
};

/* Open the backend for this system (Xen in a PV control domain, native
 * otherwise). Returns 0 or -1 with an error line. */
int backend_open(struct backend *b, bool debug, enum xen_ops xen_ops);

/* The backends. native_backend_open returns 0 or -1 (error line).
 * xen_backend_open_ops returns 1 when this is a Xen PV dom0 and the Xen
 * backend is open, 0 when this is not Xen dom0 (or a XenLinux dom0 whose
 * kexec_load(2) reaches Xen: use the native backend), -1 after an error line. */
int native_backend_open(struct backend *b);
int xen_backend_open_ops(struct backend *b, enum xen_ops ops);

#endif
