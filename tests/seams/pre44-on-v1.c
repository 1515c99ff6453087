/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test seam, linked only into tests/seams/kexec-pre44, never into kexec:
 * where Xen takes v1 images (4.4 and later), pick the pre-4.4 v1 path
 * instead, so that its frame handling (every frame kept until unload, the
 * state file, the give-back on unload and replace) runs for real on the
 * Xen a VM scenario has. Xen >= 4.4 ignores page_list and relocates the
 * image itself, so the image still boots. Linked with
 * -Wl,--wrap=xen_choose_path: kexec-xen.c's call lands here. */
#include <stdio.h>

#include "xen/private.h"

int __real_xen_choose_path(struct xen_version v, enum xen_ops want, bool xenlinux,
			   struct xen_path_choice *c);
int __wrap_xen_choose_path(struct xen_version v, enum xen_ops want, bool xenlinux,
			   struct xen_path_choice *c);

int __wrap_xen_choose_path(struct xen_version v, enum xen_ops want, bool xenlinux,
			   struct xen_path_choice *c)
{
	int rc = __real_xen_choose_path(v, want, xenlinux, c);

	if (rc == 0 && c->path == XEN_PATH_V1) {
		c->path = XEN_PATH_V1_PRE44;
		snprintf(c->why, sizeof(c->why), "test seam pre44-on-v1 (Xen %d.%d ignores "
			 "page_list and runs its own relocation code)", v.major, v.minor);
	}
	return rc;
}
