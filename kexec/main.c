/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kexec: load a new kernel and boot it without going through firmware.
 * The actions are in run.c; this only wires parsing, the backend and the
 * exit status together. */
#include <stdio.h>

#include "backend.h"
#include "options.h"
#include "run.h"
#include "util.h"

static enum kx_result run_with_backend(const struct options *o)
{
	struct backend b;
	enum kx_result rc = kx_check_supported(o);

	if (rc != KX_OK)
		return rc;
	rc = backend_open(&b, o->debug, o->xen_ops);
	if (rc != KX_OK)
		return rc;
	rc = kx_run(o, &b);
	b.ops->close(&b);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	enum kx_result rc = options_parse(argc, argv, &o);

	if (rc != KX_OK)
		return kx_exit_status(rc);
	if (o.action == ACT_HELP) {
		options_usage();
		return 0;
	}
	if (o.action == ACT_VERSION) {
		printf("kexec-tools-ng %s\n", PACKAGE_VERSION);
		return 0;
	}
	kx_set_debug(o.debug);
	return kx_exit_status(run_with_backend(&o));
}
