/* SPDX-License-Identifier: GPL-2.0-or-later */
/* EFI handoff for a kexec'd x86 Linux: it skips SetVirtualAddressMap (the
 * firmware allows it once per boot) and maps the runtime regions where the
 * running kernel put them, so it needs that map, the system table and the
 * physical addresses the firmware's own table no longer holds. */
#include <string.h>

#include "util.h"
#include "x86-efi.h"

/* "EL64" read as a little-endian u32: a 64-bit EFI loader. */
#define EFI64_LOADER_SIGNATURE 0x34364c45u

/* EFI memory descriptor, version 1; the running kernel's descriptor size
 * (memdesc_size, maybe larger) is the stride. */
struct efi_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys, virt, pages, attribute;
};

static size_t map_off(void)
{
	return ALIGN_UP(sizeof(struct setup_data) + sizeof(struct x86_efi_setup_data), 16);
}

size_t x86_efi_size(const struct machine_efi *e, const struct options *o,
		    const struct linux_params *lp)
{
	if (!e->present || o->noefi || !lp->efi_handover_ok ||
	    e->memdesc_size < sizeof(struct efi_desc))
		return 0;
	return ALIGN_UP(map_off() + e->nregion * e->memdesc_size, 16);
}

static void fill_map(const struct machine_efi *e, char *map)
{
	for (size_t i = 0; i < e->nregion; i++) {
		struct efi_desc d = {
			.type = e->region[i].type,
			.phys = e->region[i].phys,
			.virt = e->region[i].virt,
			.pages = e->region[i].pages,
			.attribute = e->region[i].attribute,
		};

		memcpy(map + i * e->memdesc_size, &d, sizeof(d));
	}
}

void x86_efi_fill(struct boot_params *bp, const struct machine_efi *e,
		  char *at, uint64_t addr, uint64_t *chain)
{
	struct setup_data *sd = (struct setup_data *)at;
	struct x86_efi_setup_data esd = {
		.fw_vendor = e->fw_vendor,
		.runtime = e->runtime,
		.tables = e->config_table,
		.smbios = e->smbios,
	};
	uint64_t map = addr + map_off();

	memcpy(sd->data, &esd, sizeof(esd));
	sd->type = SETUP_EFI;
	sd->len = sizeof(esd);
	sd->next = *chain;
	*chain = addr;
	fill_map(e, at + map_off());
	bp->efi_info.efi_loader_signature = EFI64_LOADER_SIGNATURE;
	bp->efi_info.efi_systab = (uint32_t)e->systab;
	bp->efi_info.efi_systab_hi = (uint32_t)(e->systab >> 32);
	bp->efi_info.efi_memdesc_size = e->memdesc_size;
	bp->efi_info.efi_memdesc_version = e->memdesc_version;
	bp->efi_info.efi_memmap = (uint32_t)map;
	bp->efi_info.efi_memmap_hi = (uint32_t)(map >> 32);
	bp->efi_info.efi_memmap_size = (uint32_t)(e->nregion * e->memdesc_size);
}
