/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Multiboot test kernel: reads the boot information it was given (either
 * Multiboot or Multiboot2), checks it for sanity and prints what it found
 * on COM1 as "MBK-..." lines for the host to compare with what kexec was
 * asked to pass. Freestanding, 32-bit, paging off. */
#include <stdint.h>

#define COM1 0x3f8
#define MAX_MMAP 64
#define MAX_MODS 16
#define MB1_BOOT_MAGIC 0x2badb002u
#define MB2_BOOT_MAGIC 0x36d76289u

struct mmap_entry {
	uint64_t base, len;
	uint32_t type;
};

struct module {
	uint32_t start, end;
	const char *cmdline;
};

struct boot_info {
	const char *proto;
	uint32_t info, info_size;
	const char *cmdline, *loader;
	int have_mem;
	uint32_t lower, upper;
	struct mmap_entry mmap[MAX_MMAP];
	int nmmap;
	struct module mods[MAX_MODS];
	int nmods;
};

extern char kernel_end[];
void kmain(uint32_t magic, uint32_t info);

/* ------------------------------------------------------------ serial */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void serial_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* divisor latch */
	outb(COM1 + 0, 0x01); /* 115200 */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8n1 */
	outb(COM1 + 2, 0xc7);
}

static void putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

static void puts(const char *s)
{
	while (*s) {
		if (*s == '\n')
			putc('\r');
		putc(*s++);
	}
}

static void put_hex(uint64_t v)
{
	char buf[17];
	int i = 16;

	buf[16] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	puts("0x");
	puts(buf + i);
}

static void put_dec(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[10] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts(buf + i);
}

/* ------------------------------------------------------------ parsing */

static uint32_t rd32(uint32_t addr)
{
	return *(volatile uint32_t *)addr;
}

static uint64_t rd64(uint32_t addr)
{
	return (uint64_t)rd32(addr) | (uint64_t)rd32(addr + 4) << 32;
}

static void add_mmap(struct boot_info *b, uint64_t base, uint64_t len, uint32_t type)
{
	if (b->nmmap < MAX_MMAP)
		b->mmap[b->nmmap++] = (struct mmap_entry){ base, len, type };
}

static void add_mod(struct boot_info *b, uint32_t start, uint32_t end, uint32_t str)
{
	if (b->nmods < MAX_MODS)
		b->mods[b->nmods++] = (struct module){ start, end, (const char *)str };
}

static void parse_mb1(struct boot_info *b, uint32_t info)
{
	uint32_t flags = rd32(info);

	b->proto = "mb1";
	b->info_size = 116;
	if (flags & 1) {
		b->have_mem = 1;
		b->lower = rd32(info + 4);
		b->upper = rd32(info + 8);
	}
	if (flags & (1u << 2))
		b->cmdline = (const char *)rd32(info + 16);
	if (flags & (1u << 9))
		b->loader = (const char *)rd32(info + 64);
	if (flags & (1u << 3))
		for (uint32_t i = 0, m = rd32(info + 24); i < rd32(info + 20); i++, m += 16)
			add_mod(b, rd32(m), rd32(m + 4), rd32(m + 8));
	if (flags & (1u << 6)) {
		uint32_t p = rd32(info + 48), end = p + rd32(info + 44);

		for (; p < end; p += rd32(p) + 4)
			add_mmap(b, rd64(p + 4), rd64(p + 12), rd32(p + 20));
	}
}

static void mb2_mmap(struct boot_info *b, uint32_t tag, uint32_t size)
{
	uint32_t esz = rd32(tag + 8);

	for (uint32_t p = tag + 16; esz && p + esz <= tag + size; p += esz)
		add_mmap(b, rd64(p), rd64(p + 8), rd32(p + 16));
}

static void parse_mb2(struct boot_info *b, uint32_t info)
{
	uint32_t tag = info + 8, end = info + rd32(info);

	b->proto = "mb2";
	b->info_size = rd32(info);
	while (tag + 8 <= end && rd32(tag) != 0) {
		uint32_t type = rd32(tag), size = rd32(tag + 4);

		if (type == 1)
			b->cmdline = (const char *)(tag + 8);
		else if (type == 2)
			b->loader = (const char *)(tag + 8);
		else if (type == 3)
			add_mod(b, rd32(tag + 8), rd32(tag + 12), tag + 16);
		else if (type == 4) {
			b->have_mem = 1;
			b->lower = rd32(tag + 8);
			b->upper = rd32(tag + 12);
		} else if (type == 6)
			mb2_mmap(b, tag, size);
		else if (type == 14 || type == 15)
			puts(type == 14 ? "MBK-ACPI old\n" : "MBK-ACPI new\n");
		if (size < 8)
			break;
		tag += (size + 7) & ~7u;
	}
}

/* ------------------------------------------------------------ checks */

static int in_ram(const struct boot_info *b, uint64_t s, uint64_t e)
{
	for (int i = 0; i < b->nmmap; i++)
		if (b->mmap[i].type == 1 && s >= b->mmap[i].base &&
		    e <= b->mmap[i].base + b->mmap[i].len)
			return 1;
	return 0;
}

static uint64_t ram_end_from(const struct boot_info *b, uint64_t addr)
{
	for (int i = 0; i < b->nmmap; i++)
		if (b->mmap[i].type == 1 && addr >= b->mmap[i].base &&
		    addr < b->mmap[i].base + b->mmap[i].len)
			return b->mmap[i].base + b->mmap[i].len;
	return addr;
}

static void check(const char *what, int ok)
{
	puts("MBK-CHECK ");
	puts(what);
	puts(ok ? " ok\n" : " bad\n");
}

static int mmap_ordered(const struct boot_info *b)
{
	if (b->nmmap == 0)
		return 0;
	for (int i = 1; i < b->nmmap; i++)
		if (b->mmap[i].base < b->mmap[i - 1].base + b->mmap[i - 1].len)
			return 0;
	return 1;
}

static int mods_ok(const struct boot_info *b)
{
	for (int i = 0; i < b->nmods; i++)
		if ((b->mods[i].start & 0xfff) || b->mods[i].end < b->mods[i].start ||
		    !in_ram(b, b->mods[i].start, b->mods[i].end))
			return 0;
	return 1;
}

static int mem_ok(const struct boot_info *b)
{
	uint64_t lower = ram_end_from(b, 0), upper = ram_end_from(b, 0x100000);

	if (lower > 640 * 1024)
		lower = 640 * 1024;
	return b->have_mem && b->lower == lower / 1024 &&
	       b->upper == (upper - 0x100000) / 1024;
}

static void run_checks(const struct boot_info *b)
{
	check("mmap-ordered", mmap_ordered(b));
	check("kernel-in-ram", in_ram(b, 0x100000, (uint32_t)kernel_end));
	check("info-in-ram", in_ram(b, b->info, (uint64_t)b->info + b->info_size));
	check("modules-in-ram", mods_ok(b));
	check("meminfo-matches-mmap", mem_ok(b));
}

/* ------------------------------------------------------------ report */

static void put_line_of(const char *s, int max)
{
	for (int i = 0; i < max && s[i] && s[i] != '\n'; i++)
		putc(s[i] >= 32 && s[i] < 127 ? s[i] : '.');
}

static void report(const struct boot_info *b)
{
	puts("MBK-CMDLINE ");
	puts(b->cmdline ? b->cmdline : "(none)");
	puts("\nMBK-LOADER ");
	puts(b->loader ? b->loader : "(none)");
	puts("\nMBK-MEM lower=");
	put_dec(b->lower);
	puts(" upper=");
	put_dec(b->upper);
	puts("\n");
	for (int i = 0; i < b->nmmap; i++) {
		puts("MBK-MMAP ");
		put_hex(b->mmap[i].base);
		puts(" ");
		put_hex(b->mmap[i].base + b->mmap[i].len);
		puts(" ");
		put_dec(b->mmap[i].type);
		puts("\n");
	}
	puts("MBK-MODS ");
	put_dec((uint32_t)b->nmods);
	puts("\n");
	for (int i = 0; i < b->nmods; i++) {
		puts("MBK-MOD ");
		put_dec((uint32_t)i);
		puts(" size=");
		put_dec(b->mods[i].end - b->mods[i].start);
		puts(" cmdline=");
		puts(b->mods[i].cmdline);
		puts(" head=");
		put_line_of((const char *)b->mods[i].start, 64);
		puts("\n");
	}
}

void kmain(uint32_t magic, uint32_t info)
{
	static struct boot_info b;

	serial_init();
	puts("\nMBK-START\n");
	b.info = info;
	if (magic == MB1_BOOT_MAGIC)
		parse_mb1(&b, info);
	else if (magic == MB2_BOOT_MAGIC)
		parse_mb2(&b, info);
	puts("MBK-MAGIC ");
	put_hex(magic);
	puts(" ");
	puts(b.proto ? b.proto : "unknown");
	puts(" info=");
	put_hex(info);
	puts("\n");
	if (b.proto) {
		report(&b);
		run_checks(&b);
	}
	puts("MBK-DONE\n");
}
