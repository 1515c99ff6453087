/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Choosing the backend once, at start-up. */
#include "backend.h"
#include "util.h"

enum kx_result backend_open(struct backend *b, bool debug, enum xen_ops xen_ops)
{
	b->debug = debug;
#ifdef HAVE_XEN
	switch (xen_backend_open_ops(b, xen_ops)) {
	case KX_OK:
		return KX_OK;
	case KX_FALLBACK:
		break;
	default:
		return KX_REFUSED;
	}
#else
	(void)xen_ops; /* no Xen backend in this build */
#endif
	kx_debug("backend: native (kexec_load/kexec_file_load)");
	return native_backend_open(b);
}
