/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Take network interfaces down before exec, so that no device keeps doing
 * DMA into memory the next kernel is about to own. */
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exec-prep.h"
#include "util.h"

void kx_ifdown(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	/* Failures are not fatal: upstream ignores them too. */
	if (!ifs || sock < 0)
		goto out;
	for (i = ifs; i->if_index; i++) {
		struct ifreq req;

		memset(&req, 0, sizeof(req));
		strncpy(req.ifr_name, i->if_name, IFNAMSIZ - 1);
		if (ioctl(sock, SIOCGIFFLAGS, &req) < 0 || !(req.ifr_flags & IFF_UP))
			continue;
		req.ifr_flags &= ~IFF_UP;
		if (ioctl(sock, SIOCSIFFLAGS, &req) < 0)
			kx_debug("ifdown %s failed", i->if_name);
	}
out:
	if (ifs)
		if_freenameindex(ifs);
	if (sock >= 0)
		close(sock);
}

void kx_prepare_exec(const struct options *o)
{
	if (!o->no_sync)
		sync();
	if (!o->no_ifdown)
		kx_ifdown();
}
