import { describe, expect, test } from 'vitest';
import { nodeDeviceLabel, parseNodeDevice } from './index';

// As a lab host's libvirt 9.0 dumps them (the PCI one captured from hv3), and a USB device in the
// shape libvirt's documentation gives.
const PCI = `<device>
  <name>pci_0000_00_03_0</name>
  <path>/sys/devices/pci0000:00/0000:00:03.0</path>
  <parent>computer</parent>
  <driver>
    <name>virtio-pci</name>
  </driver>
  <capability type='pci'>
    <class>0x020000</class>
    <domain>0</domain>
    <bus>0</bus>
    <slot>3</slot>
    <function>0</function>
    <product id='0x1041'>Virtio 1.0 network device</product>
    <vendor id='0x1af4'>Red Hat, Inc.</vendor>
    <iommuGroup number='7'><address domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></iommuGroup>
  </capability>
</device>`;
const USB = `<device>
  <name>usb_3_1</name>
  <parent>usb_usb3</parent>
  <driver><name>usb</name></driver>
  <capability type='usb_device'>
    <bus>3</bus>
    <device>12</device>
    <product id='0xc52b'>Unifying Receiver</product>
    <vendor id='0x046d'>Logitech, Inc.</vendor>
  </capability>
</device>`;

describe('node device XML', () => {
  test('a PCI device: its address as hex for a hostdev source, names, driver, IOMMU group', () => {
    const d = parseNodeDevice(PCI)!;
    expect(d).toEqual({
      name: 'pci_0000_00_03_0', cap: 'pci', vendor: 'Red Hat, Inc.', product: 'Virtio 1.0 network device', vendorId: '0x1af4', productId: '0x1041',
      driver: 'virtio-pci', pci: { domain: '0x0000', bus: '0x00', slot: '0x03', function: '0x0', iommuGroup: 7 },
    });
    expect(nodeDeviceLabel(d)).toBe('0000:00:03.0 Red Hat, Inc. Virtio 1.0 network device (virtio-pci)');
  });

  test('a USB device: vendor and product ids, bus and device number', () => {
    const d = parseNodeDevice(USB)!;
    expect(d).toMatchObject({ name: 'usb_3_1', cap: 'usb_device', vendorId: '0x046d', productId: '0xc52b', usb: { bus: 3, device: 12 } });
    expect(nodeDeviceLabel(d)).toBe('USB 3-12 Logitech, Inc. Unifying Receiver (usb)');
  });

  test('other kinds and broken XML are not offered', () => {
    expect(parseNodeDevice("<device><name>net_lo</name><capability type='net'/></device>")).toBeNull();
    expect(parseNodeDevice('<device><name>x')).toBeNull();
    expect(parseNodeDevice(PCI.replace('<slot>3</slot>', '<slot>three</slot>'))).toBeNull();
  });
});
