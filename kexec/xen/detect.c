/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Xen domain detection from sysfs (CONFIG_XEN_SYS_HYPERVISOR) and xenfs. */
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "private.h"

static int read_at(const char *root, const char *path, char *buf, size_t len)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s", root, path);
	return kx_read_text(full, buf, len);
}

enum xen_domain_kind xen_detect(const char *root)
{
	char buf[256];

	if (read_at(root, "/sys/hypervisor/type", buf, sizeof(buf)) < 0) {
		/* No sysfs hypervisor node: xenfs alone can still tell. */
		if (read_at(root, "/proc/xen/capabilities", buf, sizeof(buf)) < 0)
			return XEN_NONE;
		return strstr(buf, "control_d") ? XEN_PV_DOM0 : XEN_PV_DOMU;
	}
	if (strcmp(buf, "xen"))
		return XEN_NONE;
	/* HVM and PVH guests (dom0 included) kexec like bare metal. */
	if (read_at(root, "/sys/hypervisor/guest_type", buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "PV"))
		return XEN_NONE;
	if (read_at(root, "/proc/xen/capabilities", buf, sizeof(buf)) == 0)
		return strstr(buf, "control_d") ? XEN_PV_DOM0 : XEN_PV_DOMU;
	/* xenfs not mounted: privcmd still tells a domain that may issue
	 * hypercalls; the open will confirm control (EPERM otherwise). */
	return XEN_PV_DOM0;
}
