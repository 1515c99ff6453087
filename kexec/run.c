/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The actions: status, unload, exec, print the crash region size, load
 * (then exec or shutdown). Each returns a result; kx_exit_status is the
 * only mapping to exit statuses. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exec-prep.h"
#include "load.h"
#include "run.h"
#include "util.h"

int kx_exit_status(enum kx_result r)
{
	static const int status[] = {
		[KX_OK] = 0,
		[KX_ERROR] = EXIT_LOAD_FAILED,
		[KX_REFUSED] = 1,
		[KX_FALLBACK] = EXIT_FALLBACK,
		[KX_UNKNOWN] = EXIT_LOAD_FAILED,
		[KX_LOADED] = 1,
		[KX_NOT_LOADED] = 0,
	};

	if ((unsigned)r >= ARRAY_SIZE(status))
		return EXIT_LOAD_FAILED;
	return status[r];
}

enum kx_result kx_check_supported(const struct options *o)
{
	const char *what = NULL;

	if (o->hotplug)
		what = "--hotplug";
	else if (o->load_live_update || o->action == ACT_EXEC_LIVE_UPDATE)
		what = "Xen live update (--load-live-update/--exec-live-update)";
	else if (o->action == ACT_LOAD_JUMP_BACK_HELPER)
		what = "--load-jump-back-helper";
	else if (o->reuseinitrd)
		what = "--reuseinitrd (not possible on x86)";
	else if (o->dtb)
		what = "--dtb";
	if (!what)
		return KX_OK;
	kx_error("%s is not supported by this kexec yet", what);
	return KX_REFUSED;
}

/* -S asks about the crash image unless -l names the normal one; the
 * parser has settled that in o->panic. */
static enum kx_result do_status(const struct options *o, struct backend *b)
{
	return b->ops->status(b, o->panic, false);
}

static enum kx_result do_exec(const struct options *o, struct backend *b)
{
	enum kx_result loaded = b->ops->status(b, false, true);

	/* When the backend cannot tell, the exec call itself will say. */
	if (loaded == KX_ERROR)
		return KX_ERROR;
	if (loaded == KX_NOT_LOADED) {
		kx_error("nothing has been loaded: use kexec -l first");
		return KX_REFUSED;
	}
	kx_prepare_exec(o);
	return b->ops->exec(b);
}

static enum kx_result do_shutdown(void)
{
	static const char *const paths[] = { "/sbin/shutdown", "/etc/shutdown", "/bin/shutdown" };

	/* The image is loaded; let the init system reboot into it. */
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
		execl(paths[i], "shutdown", "-r", "now", (char *)NULL);
	kx_error("cannot run shutdown: %s", strerror(errno));
	return KX_ERROR;
}

static enum kx_result do_print_ckr(struct backend *b)
{
	struct machine m;
	uint64_t total = 0;

	if (b->ops->describe(b, &m, false) != KX_OK) {
		machine_free(&m);
		return KX_REFUSED;
	}
	/* The region a capture kernel is loaded into (the highest one). */
	if (m.crash_all.n)
		total = m.crash_all.r[m.crash_all.n - 1].end - m.crash_all.r[m.crash_all.n - 1].start;
	printf("%" PRIu64 "\n", total);
	machine_free(&m);
	return KX_OK;
}

static enum kx_result need_kernel(const struct options *o)
{
	if (!o->kernel) {
		kx_error("no kernel image given (try kexec --help)");
		return KX_REFUSED;
	}
	if (o->nextra) {
		kx_error("unexpected argument after the kernel image %s", o->kernel);
		return KX_REFUSED;
	}
	return KX_OK;
}

static enum kx_result do_load(const struct options *o, struct backend *b)
{
	enum kx_result rc = need_kernel(o);

	if (rc == KX_OK)
		rc = kx_load(o, b);
	if (rc != KX_OK || o->action == ACT_LOAD)
		return rc;
	return o->action == ACT_FORCE ? do_exec(o, b) : do_shutdown();
}

enum kx_result kx_run(const struct options *o, struct backend *b)
{
	switch (o->action) {
	case ACT_STATUS:
		return do_status(o, b);
	case ACT_UNLOAD:
		return b->ops->unload(b, o->panic);
	case ACT_EXEC:
		return do_exec(o, b);
	case ACT_PRINT_CKR:
		return do_print_ckr(b);
	case ACT_LOAD:
	case ACT_FORCE:
	case ACT_DEFAULT:
		return do_load(o, b);
	default:
		kx_error("internal: unhandled action %d", o->action);
		return KX_REFUSED;
	}
}
