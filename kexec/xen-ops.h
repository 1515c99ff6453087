/* Which kexec interface to use on a given hypervisor: the v2 ops
 * (KEXEC_CMD_kexec_load/unload, Xen >= 4.4), the v1 ops
 * (KEXEC_CMD_kexec_load_v1/unload_v1), or the native kexec_load(2) of a
 * XenLinux dom0 (which forwards to v1). Decided from the version alone
 * (ABI reference §7): probing by calling an op cannot work, because every
 * Xen before 4.22 answers an op it does not know with 0 and does nothing. */
#ifndef KEXEC_XEN_OPS_H
#define KEXEC_XEN_OPS_H

#include <stdbool.h>
#include "backend.h"
#include "options.h"

enum xen_path {
	XEN_PATH_V2,
	XEN_PATH_V1,
	XEN_PATH_V1_OLD, /* Xen < 4.4, pvops dom0: v1 with our relocation code */
	XEN_PATH_NATIVE, /* XenLinux dom0: kexec_load(2) reaches Xen's v1 ops */
};

struct xen_version {
	int major, minor;
	int micro; /* point release, -1 if unknown (e.g. "-dev", "-rc") */
};

struct xen_path_choice {
	enum xen_path path;
	char why[200]; /* for -d, or the error line when refused */
};

/* Returns 0 with c->path set, or -1 with c->why saying why no path can
 * work (nothing is printed: the caller reports it). */
int xen_ops_choose(struct xen_version v, enum xen_ops want, bool xenlinux,
		   struct xen_path_choice *c);

/* "4.17", point release from XENVER_extraversion (".5", "-dev", ...). */
int xen_ops_micro(const char *extraversion);

const char *xen_path_name(enum xen_path p);

/* XenLinux ("classic" Xen kernels) names the hypervisor's memory in
 * /proc/iomem; pvops Linux never does. iomem: text of /proc/iomem. */
bool xen_ops_iomem_is_xenlinux(const char *iomem);

#ifdef HAVE_XEN
/* xen_backend_open with the interface chosen by --xen-ops. */
int xen_backend_open_ops(struct backend *b, enum xen_ops ops);
#endif

#endif
