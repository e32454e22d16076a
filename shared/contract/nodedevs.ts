// The host's own devices (libvirt's node devices) that a VM can be given: its PCI and USB devices,
// for the hardware editor's host-device picker.

/** A host PCI or USB device as `virsh nodedev-dumpxml` describes it. */
export interface NodeDevice {
  /** libvirt's name (pci_0000_03_00_0, usb_1_2). */
  name: string;
  cap: 'pci' | 'usb_device';
  /** The vendor and product names the host knows (its pci.ids / usb.ids), else their ids. */
  vendor: string | null;
  product: string | null;
  vendorId: string | null;
  productId: string | null;
  /** The host driver bound to it now (vfio-pci once passed through), if any. */
  driver: string | null;
  /** PCI: its address as a hostdev <source><address> takes it (0x-hex). */
  pci?: { domain: string; bus: string; slot: string; function: string; iommuGroup: number | null };
  /** USB: where it sits on the host's buses. */
  usb?: { bus: number; device: number };
}

export interface NodedevMethods {
  'host.nodeDevices': { params: { hostId: string }; result: NodeDevice[] };
}
