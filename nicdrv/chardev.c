// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: /dev/nicdrvN, the packet-buffer pool re-exported to user space.
 *
 * One character device per interface, in class "nicdrv", parented to the
 * PCI device, with a "net" link to its net_device.  Opening it starts a
 * capture session (cap.c); mmap() gives the reader the session's regions
 * (uapi/nicdrv.h).  What udmabuf does not, and why:
 *   - the packet buffers and the ring are mapped read-only, and the
 *     mapping can never become writable (VM_MAYWRITE cleared): the reader
 *     cannot corrupt frames the stack or the NIC still use;
 *   - no physical or bus address ever leaves the kernel (the root-only
 *     debugfs tour shows them);
 *   - the pool is reference counted: removal or "ip link down" ends DMA
 *     and the session, never the memory under a mapping.
 *
 * Locking: chr->lock (a, busy) is taken before RTNL.  The adapter's stop
 * path runs under RTNL and never takes chr->lock.
 */
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "nicdrv.h"

#define NICDRV_MAX_DEVS		64

static struct class *nicdrv_class;
static dev_t nicdrv_devt;
static DEFINE_IDA(nicdrv_ida);

/* Region layout, in pages: status, ring, cons, bufs */
#define NICDRV_RING_PGOFF	1UL

static unsigned long nicdrv_cons_pgoff(const struct nicdrv_session *s)
{
	return 1 + (s->ring_len >> PAGE_SHIFT);
}

static unsigned long nicdrv_bufs_pgoff(const struct nicdrv_session *s)
{
	return nicdrv_cons_pgoff(s) + 1;
}

static bool nicdrv_session_dead(const struct nicdrv_session *s)
{
	return READ_ONCE(s->status->state) == NICDRV_CAP_DEAD;
}

static int nicdrv_chr_open(struct inode *inode, struct file *file)
{
	struct nicdrv_chr *chr = container_of(inode->i_cdev, struct nicdrv_chr,
					      cdev);
	struct nicdrv_session *s = NULL;
	int err;

	/* The reader sees every frame, like a packet socket */
	if (!capable(CAP_NET_RAW))
		return -EPERM;
	mutex_lock(&chr->lock);
	if (!chr->a) {
		err = -ENODEV;
	} else if (chr->busy) {
		err = -EBUSY;
	} else {
		rtnl_lock();
		err = nicdrv_cap_start(chr->a, chr, &s);
		rtnl_unlock();
	}
	if (!err) {
		chr->busy = true;
		file->private_data = s;
	}
	mutex_unlock(&chr->lock);
	if (err)
		return err;
	return nonseekable_open(inode, file);
}

/* The last file reference: no mapping of the session exists any more */
static int nicdrv_chr_release(struct inode *inode, struct file *file)
{
	struct nicdrv_session *s = file->private_data;
	struct nicdrv_chr *chr = s->chr;

	mutex_lock(&chr->lock);
	if (chr->a) {
		rtnl_lock();
		if (rcu_access_pointer(chr->a->cap) == s)
			nicdrv_cap_end(chr->a);
		rtnl_unlock();
	}
	chr->busy = false;
	mutex_unlock(&chr->lock);
	nicdrv_cap_free(s);
	return 0;
}

static __poll_t nicdrv_chr_poll(struct file *file, poll_table *wait)
{
	struct nicdrv_session *s = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &s->wq, wait);
	/*
	 * Our entry on s->wq must be visible before prod is read: pairs with
	 * the full barrier in wq_has_sleeper() in nicdrv_cap_publish(), which
	 * stores prod first and then looks for sleepers.  Without it a
	 * publish could miss us while we miss its prod, and the reader would
	 * sleep until the next publish or its poll() timeout.
	 */
	smp_mb();
	/* Pairs with the release in nicdrv_cap_publish(); cons is the reader's */
	if (smp_load_acquire(&s->status->prod) != READ_ONCE(s->cons->cons))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (nicdrv_session_dead(s))
		mask |= EPOLLERR | EPOLLHUP;
	return mask;
}

/*
 * A mapping covers the start of one region, MAP_SHARED.  Everything but
 * the consumer page is read-only now and forever; no mapping is inherited
 * across fork(), grown by mremap() or written to a core dump.  VM_IO
 * keeps it that way: madvise(MADV_DOFORK) refuses to clear VM_DONTCOPY
 * on it.
 *
 * The pool pages are mapped as raw page frames (remap_pfn_range(): the
 * page table entries are "special", the mapping takes no page reference)
 * so that get_user_pages() refuses them, its fast path included: no
 * vmsplice(), O_DIRECT write or process_vm_readv() can keep a reference
 * to a pool page past munmap() and see what the NIC writes there later.
 * The pages still outlive every mapping: a mapping holds the file open,
 * and the session's pool reference goes only at release().
 */
static int nicdrv_chr_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct nicdrv_session *s = file->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;
	unsigned long pgoff = vma->vm_pgoff;
	unsigned long i, max;
	void *vaddr = NULL;
	bool writable = false;
	int err;

	if (nicdrv_session_dead(s))
		return -ENODEV;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (pgoff == 0) {
		vaddr = s->status;
		max = PAGE_SIZE;
	} else if (pgoff == NICDRV_RING_PGOFF) {
		vaddr = s->ring;
		max = s->ring_len;
	} else if (pgoff == nicdrv_cons_pgoff(s)) {
		vaddr = s->cons;
		max = PAGE_SIZE;
		writable = true;
	} else if (pgoff == nicdrv_bufs_pgoff(s)) {
		max = (unsigned long)s->pool->npages << PAGE_SHIFT;
	} else {
		return -EINVAL;
	}
	if (len > max)
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EACCES;
	if (!writable && (vma->vm_flags & VM_WRITE))
		return -EACCES;
	vm_flags_clear(vma, writable ? VM_MAYEXEC : VM_MAYEXEC | VM_MAYWRITE);
	vm_flags_set(vma, VM_IO | VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP);

	if (vaddr)
		return remap_vmalloc_range(vma, vaddr, 0);
	for (i = 0; i < len >> PAGE_SHIFT; i++) {
		err = remap_pfn_range(vma, vma->vm_start + (i << PAGE_SHIFT),
				      page_to_pfn(s->pool->pages[i]), PAGE_SIZE,
				      vma->vm_page_prot);
		if (err)
			return err;
	}
	return 0;
}

static long nicdrv_ioc_info(struct nicdrv_session *s, void __user *arg)
{
	struct nicdrv_cap_info info = {
		.version = NICDRV_CAP_VERSION,
		.ring_entries = s->entries,
		.buf_size = NICDRV_RX_BUF_SIZE,
		.buf_count = s->pool->nbufs,
		.desc_size = sizeof(struct nicdrv_cap_desc),
		.status_off = 0,
		.status_len = PAGE_SIZE,
		.ring_off = NICDRV_RING_PGOFF << PAGE_SHIFT,
		.ring_len = s->ring_len,
		.cons_off = nicdrv_cons_pgoff(s) << PAGE_SHIFT,
		.cons_len = PAGE_SIZE,
		.bufs_off = nicdrv_bufs_pgoff(s) << PAGE_SHIFT,
		.bufs_len = (u64)s->pool->npages << PAGE_SHIFT,
	};

	mutex_lock(&s->chr->lock);
	if (s->chr->a)
		info.ifindex = s->chr->a->netdev->ifindex;
	mutex_unlock(&s->chr->lock);
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long nicdrv_ioc_stats(struct nicdrv_session *s, void __user *arg)
{
	struct nicdrv_cap_stats out = { };
	long err = 0;

	mutex_lock(&s->chr->lock);
	if (s->chr->a)
		nicdrv_cap_get_stats(s->chr->a, s->chr, &out);
	else
		err = -ENODEV;
	mutex_unlock(&s->chr->lock);
	if (err)
		return err;
	return copy_to_user(arg, &out, sizeof(out)) ? -EFAULT : 0;
}

static long nicdrv_ioc_ifname(struct nicdrv_session *s, void __user *arg)
{
	struct nicdrv_cap_ifname out = { };
	long err = 0;

	mutex_lock(&s->chr->lock);
	if (s->chr->a) {
		rtnl_lock();	/* against a rename */
		strscpy(out.name, s->chr->a->netdev->name, sizeof(out.name));
		out.ifindex = s->chr->a->netdev->ifindex;
		rtnl_unlock();
	} else {
		err = -ENODEV;
	}
	mutex_unlock(&s->chr->lock);
	if (err)
		return err;
	return copy_to_user(arg, &out, sizeof(out)) ? -EFAULT : 0;
}

/*
 * SYNC_FOR_CPU / SYNC_FOR_DEVICE: a byte range of the bufs region, every
 * buffer of which the reader holds.  Buffers the NIC owns are refused:
 * with bounce buffering a sync would copy over a frame being received.
 */
static long nicdrv_ioc_sync(struct nicdrv_session *s, void __user *arg,
			    bool for_cpu)
{
	const u64 bufs_len = (u64)s->pool->nbufs * NICDRV_RX_BUF_SIZE;
	struct nicdrv_cap_range r;
	u64 first, last, id;
	long err = 0;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	if (!r.len || r.offset >= bufs_len || r.len > bufs_len - r.offset)
		return -EINVAL;
	first = r.offset / NICDRV_RX_BUF_SIZE;
	last = (r.offset + r.len - 1) / NICDRV_RX_BUF_SIZE;
	/* Bounded: the loops below run with bottom halves off */
	if (last - first >= NICDRV_CAP_SYNC_MAX_BUFS)
		return -E2BIG;

	spin_lock_bh(&s->lock);
	if (nicdrv_session_dead(s)) {
		err = -ENODEV;
		goto out;
	}
	for (id = first; id <= last; id++) {
		if (!READ_ONCE(s->held[id])) {
			err = -EBUSY;
			goto out;
		}
	}
	for (id = first; id <= last; id++) {
		u64 start = max(r.offset, id * NICDRV_RX_BUF_SIZE);
		u64 end = min(r.offset + r.len, (id + 1) * NICDRV_RX_BUF_SIZE);

		nicdrv_pool_sync_range(s->pool, id, start % NICDRV_RX_BUF_SIZE,
				       end - start, for_cpu);
	}
out:
	spin_unlock_bh(&s->lock);
	return err;
}

static long nicdrv_chr_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct nicdrv_session *s = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case NICDRV_IOC_GET_INFO:
	case NICDRV_IOC_GET_STATS:
	case NICDRV_IOC_GET_IFNAME:
	case NICDRV_IOC_SYNC_FOR_CPU:
	case NICDRV_IOC_SYNC_FOR_DEVICE:
		break;
	default:
		return -ENOTTY;
	}
	if (nicdrv_session_dead(s))
		return -ENODEV;

	switch (cmd) {
	case NICDRV_IOC_GET_INFO:
		return nicdrv_ioc_info(s, uarg);
	case NICDRV_IOC_GET_STATS:
		return nicdrv_ioc_stats(s, uarg);
	case NICDRV_IOC_GET_IFNAME:
		return nicdrv_ioc_ifname(s, uarg);
	case NICDRV_IOC_SYNC_FOR_CPU:
		return nicdrv_ioc_sync(s, uarg, true);
	default:
		return nicdrv_ioc_sync(s, uarg, false);
	}
}

static const struct file_operations nicdrv_chr_fops = {
	.owner		= THIS_MODULE,
	.open		= nicdrv_chr_open,
	.release	= nicdrv_chr_release,
	.poll		= nicdrv_chr_poll,
	.mmap		= nicdrv_chr_mmap,
	.unlocked_ioctl	= nicdrv_chr_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

/*
 * sysfs: the pool as udmabuf describes its buffer.  Pool values are 0
 * while the interface is down: the pool exists only while it is up.
 */
static struct nicdrv_chr *to_chr(struct device *dev)
{
	return container_of(dev, struct nicdrv_chr, dev);
}

/*
 * The pool's buffer count, or 0.  Anyone may read these files, so they
 * take no RTNL (a reader looping on them would stall every network
 * configuration): the adapter publishes the count (nicdrv_pool_note()).
 */
static ssize_t nicdrv_pool_show(struct device *dev, char *buf, bool bytes)
{
	struct nicdrv_chr *chr = to_chr(dev);
	unsigned int n = 0;

	mutex_lock(&chr->lock);
	if (chr->a)
		n = READ_ONCE(chr->a->pool_nbufs);
	mutex_unlock(&chr->lock);
	return sysfs_emit(buf, "%lu\n",
			  bytes ? (unsigned long)n * NICDRV_RX_BUF_SIZE : n);
}

static ssize_t pool_size_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return nicdrv_pool_show(dev, buf, true);
}
static DEVICE_ATTR_RO(pool_size);

static ssize_t buf_count_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return nicdrv_pool_show(dev, buf, false);
}
static DEVICE_ATTR_RO(buf_count);

static ssize_t buf_size_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%u\n", NICDRV_RX_BUF_SIZE);
}
static DEVICE_ATTR_RO(buf_size);

/* The next session's ring (devlink param pool_bufs); 0 once unbound */
static ssize_t ring_entries_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct nicdrv_chr *chr = to_chr(dev);
	u32 n = 0;

	mutex_lock(&chr->lock);
	if (chr->a)
		n = READ_ONCE(chr->a->pool_bufs);
	mutex_unlock(&chr->lock);
	return sysfs_emit(buf, "%u\n", n);
}
static DEVICE_ATTR_RO(ring_entries);

static ssize_t dma_mask_bits_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_chr(dev)->dma_bits));
}
static DEVICE_ATTR_RO(dma_mask_bits);

static ssize_t coherent_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_chr(dev)->coherent));
}
static DEVICE_ATTR_RO(coherent);

static struct attribute *nicdrv_chr_attrs[] = {
	&dev_attr_pool_size.attr,
	&dev_attr_buf_count.attr,
	&dev_attr_buf_size.attr,
	&dev_attr_ring_entries.attr,
	&dev_attr_dma_mask_bits.attr,
	&dev_attr_coherent.attr,
	NULL
};
ATTRIBUTE_GROUPS(nicdrv_chr);

static void nicdrv_chr_dev_release(struct device *dev)
{
	struct nicdrv_chr *chr = to_chr(dev);

	ida_free(&nicdrv_ida, chr->minor);
	kfree(chr);
}

/*
 * Whether CPU and NIC see the same bytes without a sync, for this device:
 * found by mapping one page the way the pool does.
 */
static bool nicdrv_probe_coherent(struct device *dev)
{
	struct page *page = alloc_page(GFP_KERNEL);
	bool coherent = false;
	dma_addr_t dma;

	if (!page)
		return false;
	dma = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	if (!dma_mapping_error(dev, dma)) {
		coherent = !dma_need_sync(dev, dma);
		dma_unmap_page(dev, dma, PAGE_SIZE, DMA_FROM_DEVICE);
	}
	__free_page(page);
	return coherent;
}

/* After a devlink reload, the NIC halted or down: sysfs follows the mask */
void nicdrv_chr_dma_changed(struct nicdrv_adapter *a)
{
	WRITE_ONCE(a->chr->dma_bits, a->dma_bits);
	WRITE_ONCE(a->chr->coherent, nicdrv_probe_coherent(&a->pdev->dev));
}

int nicdrv_chr_add(struct nicdrv_adapter *a)
{
	struct nicdrv_chr *chr;
	int minor, err;

	minor = ida_alloc_max(&nicdrv_ida, NICDRV_MAX_DEVS - 1, GFP_KERNEL);
	if (minor < 0)
		return minor;
	chr = kzalloc_obj(*chr, GFP_KERNEL);
	if (!chr) {
		ida_free(&nicdrv_ida, minor);
		return -ENOMEM;
	}
	mutex_init(&chr->lock);
	u64_stats_init(&chr->syncp);
	chr->a = a;
	chr->minor = minor;
	chr->dma_bits = a->dma_bits;
	chr->coherent = nicdrv_probe_coherent(&a->pdev->dev);

	device_initialize(&chr->dev);
	chr->dev.class = nicdrv_class;
	chr->dev.parent = &a->pdev->dev;
	chr->dev.devt = MKDEV(MAJOR(nicdrv_devt), minor);
	chr->dev.release = nicdrv_chr_dev_release;
	/* From here on, put_device() frees chr and the minor */
	err = dev_set_name(&chr->dev, "%s%d", NICDRV_NAME, minor);
	if (err)
		goto err_put;
	cdev_init(&chr->cdev, &nicdrv_chr_fops);
	chr->cdev.owner = THIS_MODULE;
	err = cdev_device_add(&chr->cdev, &chr->dev);
	if (err)
		goto err_put;
	err = sysfs_create_link(&chr->dev.kobj, &a->netdev->dev.kobj, "net");
	if (err) {
		cdev_device_del(&chr->cdev, &chr->dev);
		goto err_put;
	}
	a->chr = chr;
	return 0;

err_put:
	put_device(&chr->dev);
	return err;
}

/*
 * The PCI device is going: end the session (the reader sees POLLHUP and
 * ENODEV, its mappings stay), refuse new opens, remove the node.  Open
 * files keep chr itself until they are closed.
 */
void nicdrv_chr_del(struct nicdrv_adapter *a)
{
	struct nicdrv_chr *chr = a->chr;

	mutex_lock(&chr->lock);
	rtnl_lock();
	nicdrv_cap_end(a);
	chr->a = NULL;
	rtnl_unlock();
	mutex_unlock(&chr->lock);

	sysfs_remove_link(&chr->dev.kobj, "net");
	cdev_device_del(&chr->cdev, &chr->dev);
	a->chr = NULL;
	put_device(&chr->dev);
}

int nicdrv_chr_init(void)
{
	int err;

	err = alloc_chrdev_region(&nicdrv_devt, 0, NICDRV_MAX_DEVS,
				  NICDRV_NAME);
	if (err)
		return err;
	/*
	 * No devnode(): devtmpfs makes the node root-only (0600), and so does
	 * the udev rule in tools/60-nicdrv.rules
	 */
	nicdrv_class = class_create(NICDRV_NAME);
	if (IS_ERR(nicdrv_class)) {
		unregister_chrdev_region(nicdrv_devt, NICDRV_MAX_DEVS);
		return PTR_ERR(nicdrv_class);
	}
	nicdrv_class->dev_groups = nicdrv_chr_groups;
	return 0;
}

void nicdrv_chr_exit(void)
{
	class_destroy(nicdrv_class);
	unregister_chrdev_region(nicdrv_devt, NICDRV_MAX_DEVS);
}
