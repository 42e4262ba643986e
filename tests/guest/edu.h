/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's edu test device (1234:11e8): its BAR0 registers, named once for
 * every test (see QEMU's docs/specs/edu.rst).
 */
#ifndef RVMSI_EDU_H
#define RVMSI_EDU_H

#define EDU_VENDOR	"0x1234"
#define EDU_DEVICE	"0x11e8"

#define EDU_ID		0x00		/* identification, reads EDU_ID_VALUE */
#define EDU_ID_VALUE	0x010000edu
#define EDU_LIVENESS	0x04		/* reads back the complement of what was written */
#define EDU_IRQ_STATUS	0x24		/* pending interrupt bits */
#define EDU_RAISE	0x60		/* write: raise an interrupt (MSI if enabled) */
#define EDU_ACK		0x64		/* write: acknowledge (clear) interrupt bits */
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_START	0x1		/* EDU_DMA_CMD bits */
#define EDU_DMA_TO_RAM	0x2
#define EDU_DMA_IRQ	0x4
#define EDU_DMA_BUF	0x40000ull	/* the device's own 4 KiB buffer */
#define EDU_DMA_BUF_LEN	4096

/* 32-bit register @off of a mapped BAR0 */
#define EDU_REG(bar0, off)	((bar0)[(off) / 4])

#endif /* RVMSI_EDU_H */
