/* SPDX-License-Identifier: GPL-2.0-or-later */
/* x86 port I/O for the serial and VGA consoles. */
#ifndef PURGATORY_PORT_IO_H
#define PURGATORY_PORT_IO_H

#include <stdint.h>

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

#endif
