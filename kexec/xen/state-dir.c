/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where the Xen backend keeps what must outlive a run (see private.h):
 * a file of its own so that unit tests can link a scratch directory over
 * it (-Wl,--wrap=xen_state_dir) instead of touching the system's. */
#include "private.h"

const char *xen_state_dir(void)
{
	return XEN_V1_STATE_DIR;
}
