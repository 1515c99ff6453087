/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hypervisor's version, and the kexec interface (load path) it takes,
 * decided from the version alone (private.h; the decision table is in
 * doc/xen-kexec-interface.md §4.3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

/* 4.4.0-4.4.2 and 4.5.0-4.5.1 did not map a v1 image's destinations:
 * it faulted while relocating. Fixed in 4.4.3, 4.5.2 and 4.6.0. */
static bool v1_broken(struct xen_version v)
{
	return (xen_version_is(v, 4, 4) && v.micro < 3) || (xen_version_is(v, 4, 5) && v.micro < 2);
}

static int refuse(struct xen_path_choice *c, const char *fmt, struct xen_version v)
{
	snprintf(c->why, sizeof(c->why), fmt, v.major, v.minor);
	return -1;
}

static int pick(struct xen_path_choice *c, enum xen_path p, const char *fmt, struct xen_version v)
{
	c->path = p;
	snprintf(c->why, sizeof(c->why), fmt, v.major, v.minor);
	return 0;
}

static int choose_pre44(struct xen_version v, enum xen_ops want, bool xenlinux,
			struct xen_path_choice *c)
{
	if (want == XEN_OPS_V2)
		return refuse(c, "Xen %d.%d has no v2 kexec ops (added in 4.4): it would "
			      "accept them and load nothing", v);
	if (xenlinux)
		return pick(c, XEN_PATH_NATIVE, "Xen %d.%d has only the v1 ops and this "
			    "XenLinux dom0 kernel forwards kexec_load(2) to them", v);
	return pick(c, XEN_PATH_V1_PRE44, "Xen %d.%d has only the pre-4.4 v1 ops and this "
		    "pvops dom0 kernel cannot use them: loading with our own relocation code "
		    "and page tables (kept until unload)", v);
}

static int choose_v1(struct xen_version v, struct xen_path_choice *c)
{
	if (!xen_version_before(v, 4, 23))
		return refuse(c, "Xen %d.%d has no v1 kexec ops (removed after 4.22): "
			      "use --xen-ops=auto", v);
	if (v1_broken(v) && v.micro < 0)
		return refuse(c, "cannot tell the point release of Xen %d.%d, and v1 images "
			      "fault before 4.4.3/4.5.2", v);
	if (v1_broken(v))
		return refuse(c, "v1 images fault on Xen %d.%d before 4.4.3/4.5.2 "
			      "(destinations not mapped): use --xen-ops=auto", v);
	return pick(c, XEN_PATH_V1, "forced by --xen-ops=v1; Xen %d.%d copies v1 images "
		    "itself with its own relocation code (4.4.3+, 4.5.2+, 4.6+)", v);
}

int xen_choose_path(struct xen_version v, enum xen_ops want, bool xenlinux,
		    struct xen_path_choice *c)
{
	memset(c, 0, sizeof(*c));
	if (xen_version_before(v, 4, 4))
		return choose_pre44(v, want, xenlinux, c);
	if (want == XEN_OPS_V1)
		return choose_v1(v, c);
	return pick(c, XEN_PATH_V2, want == XEN_OPS_V2 ? "forced by --xen-ops=v2 (Xen %d.%d)"
		    : "Xen %d.%d has the v2 ops (4.4 and later)", v);
}

/* The point release from XENVER_extraversion: ".7" -> 7; "-dev", "-rc",
 * ".0-rc" and anything else -> -1 (not a release we can reason about). */
static int parse_micro(const char *extra)
{
	char *end;
	long n;

	if (!extra || extra[0] != '.' || extra[1] < '0' || extra[1] > '9')
		return -1;
	n = strtol(extra + 1, &end, 10);
	if (*end != '\0' || n > 1000)
		return -1;
	return (int)n;
}

struct xen_version xen_version_make(int major, int minor, const char *extraversion)
{
	return (struct xen_version){ major, minor, parse_micro(extraversion) };
}

bool xen_version_before(struct xen_version v, int major, int minor)
{
	return v.major < major || (v.major == major && v.minor < minor);
}

bool xen_version_is(struct xen_version v, int major, int minor)
{
	return v.major == major && v.minor == minor;
}

const char *xen_path_name(enum xen_path p)
{
	switch (p) {
	case XEN_PATH_V1:
		return "v1";
	case XEN_PATH_V1_PRE44:
		return "v1 (pre-4.4, dom0 relocation code)";
	case XEN_PATH_V2:
		return "v2";
	default:
		return "native kexec_load(2)";
	}
}

bool xen_iomem_is_xenlinux(const char *iomem)
{
	return iomem && strstr(iomem, "Hypervisor code and data") != NULL;
}
