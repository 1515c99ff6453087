/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purgatory's output: serial port and/or VGA text, only when the loader
 * asked for a console. The state lives in the caller's struct. */
#ifndef PURGATORY_CONSOLE_H
#define PURGATORY_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "purgatory-abi.h"

struct console {
	uint16_t serial;	/* UART base port; 0: no serial output */
	bool vga;		/* write to the VGA text buffer */
	uint16_t vga_pos;	/* next VGA cell */
};

/* Take the console settings from pp. With setup, program the UART
 * (8N1, divisor from serial_baud); without, only attach to it. */
void console_open(struct console *c, const struct purgatory_params *pp, bool setup);
bool console_active(const struct console *c);
void console_puts(struct console *c, const char *s);
/* "0x" and hex digits without leading zeros, NUL-terminated, somewhere in
 * buf; returns the start. */
#define HEX_BUF_SIZE 19
const char *format_hex(char buf[HEX_BUF_SIZE], uint64_t v);
/* The same on the console. */
void console_hex(struct console *c, uint64_t v);
/* Bytes as two hex digits each, no prefix. */
void console_hex_bytes(struct console *c, const uint8_t *p, size_t n);

#endif
