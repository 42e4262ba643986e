// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module of the rv-iommu-msi harness (not part of the series):
 * lets an in-guest test disable and enable a Linux irq, as a host driver
 * (disable_irq()/enable_irq()) or KVM would, so that "mask a vector, let
 * the device raise it, unmask: delivered exactly once" can be checked end
 * to end. vfio-pci offers userspace no MSI masking.
 *
 * /sys/kernel/debug/rvmsi_irqctl accepts one command per write:
 *   mask N     disable irq N and mask it in the irq_chip at once
 *   lazy N     disable irq N lazily (masked by the flow handler if it fires)
 *   unmask N   enable irq N again (undoes either)
 * A read shows the irq last acted on and whether it is disabled/masked.
 */
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

static struct dentry *rvmsi_dentry;
static DEFINE_MUTEX(rvmsi_lock);
static unsigned long rvmsi_disabled[BITS_TO_LONGS(1024)];
static int rvmsi_last = -1;

static ssize_t rvmsi_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	char buf[32], cmd[8];
	unsigned int irq;
	int ret = len;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	if (sscanf(buf, "%7s %u", cmd, &irq) != 2 || irq >= 1024 || !irq_get_irq_data(irq))
		return -EINVAL;

	mutex_lock(&rvmsi_lock);
	if (!strcmp(cmd, "mask") || !strcmp(cmd, "lazy")) {
		if (test_bit(irq, rvmsi_disabled)) {
			ret = -EBUSY;
		} else {
			if (cmd[0] == 'm')
				irq_set_status_flags(irq, IRQ_DISABLE_UNLAZY);
			disable_irq(irq);
			if (cmd[0] == 'm')
				irq_clear_status_flags(irq, IRQ_DISABLE_UNLAZY);
			set_bit(irq, rvmsi_disabled);
		}
	} else if (!strcmp(cmd, "unmask")) {
		if (!test_and_clear_bit(irq, rvmsi_disabled))
			ret = -EINVAL;
		else
			enable_irq(irq);
	} else {
		ret = -EINVAL;
	}
	if (ret > 0)
		rvmsi_last = irq;
	mutex_unlock(&rvmsi_lock);
	return ret;
}

static int rvmsi_show(struct seq_file *m, void *unused)
{
	struct irq_data *d;

	mutex_lock(&rvmsi_lock);
	d = rvmsi_last >= 0 ? irq_get_irq_data(rvmsi_last) : NULL;
	if (d)
		seq_printf(m, "irq %d disabled=%d masked=%d\n", rvmsi_last,
			   irqd_irq_disabled(d), irqd_irq_masked(d));
	mutex_unlock(&rvmsi_lock);
	return 0;
}

static int rvmsi_open(struct inode *inode, struct file *file)
{
	return single_open(file, rvmsi_show, NULL);
}

static const struct file_operations rvmsi_fops = {
	.owner = THIS_MODULE,
	.open = rvmsi_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = rvmsi_write,
};

static int __init rvmsi_init(void)
{
	rvmsi_dentry = debugfs_create_file("rvmsi_irqctl", 0600, NULL, NULL, &rvmsi_fops);
	return 0;
}

static void __exit rvmsi_exit(void)
{
	unsigned int irq;

	debugfs_remove(rvmsi_dentry);
	for_each_set_bit(irq, rvmsi_disabled, 1024)
		enable_irq(irq);
}

module_init(rvmsi_init);
module_exit(rvmsi_exit);
MODULE_DESCRIPTION("rv-iommu-msi test harness: disable/enable an irq from debugfs");
MODULE_LICENSE("GPL");
