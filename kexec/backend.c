/* Choosing the backend once, at start-up. */
#include "backend.h"
#include "util.h"

int backend_open(struct backend *b, bool debug, enum xen_ops xen_ops)
{
	b->debug = debug;
#ifdef HAVE_XEN
	{
		int rc = xen_backend_open_ops(b, xen_ops);

		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
#endif
	kx_debug("backend: native (kexec_load/kexec_file_load)");
	return native_backend_open(b);
}
