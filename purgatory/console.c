/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Serial (16550-compatible UART) and VGA text output for purgatory. */
#include "console.h"
#include "port-io.h"
#include "vga.h"

#define UART_DEFAULT_BASE 0x3F8
#define UART_CLOCK_BAUD   115200
#define UART_THR 0	/* transmit holding (DLAB=0) */
#define UART_DLL 0	/* divisor low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LCR_8N1  0x03
#define LCR_DLAB 0x80
#define MCR_DTR_RTS 0x03
#define LSR_THRE 0x20
/* Bounded wait, so a missing or stuck UART cannot hang purgatory. */
#define UART_SPIN 1000000

static void uart_setup(uint16_t base, uint32_t baud)
{
	outb(base + UART_IER, 0);	/* polled: no interrupts */
	if (baud) {
		uint32_t div = UART_CLOCK_BAUD / baud;

		if (div == 0)
			div = 1;
		outb(base + UART_LCR, LCR_DLAB);
		outb(base + UART_DLL, (uint8_t)div);
		outb(base + UART_DLM, (uint8_t)(div >> 8));
	}
	outb(base + UART_LCR, LCR_8N1);
	outb(base + UART_FCR, 0);
	outb(base + UART_MCR, MCR_DTR_RTS);
}

static void uart_putc(uint16_t base, char ch)
{
	for (unsigned int i = 0; i < UART_SPIN; i++)
		if (inb(base + UART_LSR) & LSR_THRE)
			break;
	outb(base + UART_THR, (uint8_t)ch);
}

void console_open(struct console *c, const struct purgatory_params *pp, bool setup)
{
	c->serial = 0;
	c->vga = pp->console_vga != 0;
	c->vga_pos = 0;
	if (pp->console_serial) {
		c->serial = pp->serial_base ? pp->serial_base : UART_DEFAULT_BASE;
		if (setup)
			uart_setup(c->serial, pp->serial_baud);
	}
	if (c->vga)
		c->vga_pos = vga_get_cursor();
}

bool console_active(const struct console *c)
{
	return c->serial || c->vga;
}

static void console_putc(struct console *c, char ch)
{
	if (c->serial) {
		if (ch == '\n')
			uart_putc(c->serial, '\r');
		uart_putc(c->serial, ch);
	}
	if (c->vga) {
		vga_putc(&c->vga_pos, ch);
		if (ch == '\n')
			vga_set_cursor(c->vga_pos);
	}
}

void console_puts(struct console *c, const char *s)
{
	if (!console_active(c))
		return;
	while (*s)
		console_putc(c, *s++);
}

static char hex_digit(unsigned int v)
{
	return (char)(v < 10 ? '0' + v : 'a' + v - 10);
}

const char *format_hex(char buf[HEX_BUF_SIZE], uint64_t v)
{
	int i = HEX_BUF_SIZE - 1;

	buf[i] = '\0';
	do {
		buf[--i] = hex_digit(v & 0xf);
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	return buf + i;
}

void console_hex(struct console *c, uint64_t v)
{
	char buf[HEX_BUF_SIZE];

	console_puts(c, format_hex(buf, v));
}

void console_hex_bytes(struct console *c, const uint8_t *p, size_t n)
{
	char buf[3] = { 0, 0, 0 };

	for (size_t i = 0; i < n; i++) {
		buf[0] = hex_digit(p[i] >> 4);
		buf[1] = hex_digit(p[i] & 0xf);
		console_puts(c, buf);
	}
}
