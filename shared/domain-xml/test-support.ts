// Helpers for the domain-xml tests (pure: no Node APIs, so it type-checks with shared/).

import { DOMParser } from '@xmldom/xmldom';
import type { Element, Node } from '@xmldom/xmldom';
import { diffLines } from './xml/diff';

export interface CanonicalOptions {
  /** Ignore whitespace-only text (formatting) — for comparing documents after inserts. */
  ignoreBlankText?: boolean;
  /** Leave out elements for which this returns true (and their subtree). */
  skip?: (el: Element) => boolean;
}

/**
 * A normalized rendering of an XML document, independent of our serializer: elements by
 * namespace + qualified name, attributes sorted (namespace declarations included), text exactly,
 * comments, CDATA and processing instructions. Two documents are canonically equal when their
 * renderings are equal.
 */
export function canonicalize(xml: string, opts: CanonicalOptions = {}): string {
  const doc = new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') throw new Error(msg);
    },
  }).parseFromString(xml, 'application/xml');
  const out: string[] = [];
  const walk = (n: Node, depth: number): void => {
    const pad = ' '.repeat(depth);
    switch (n.nodeType) {
      case 1: {
        const el = n as Element;
        if (opts.skip?.(el)) return;
        const attrs: string[] = [];
        for (let i = 0; i < el.attributes.length; i++) {
          const a = el.attributes.item(i)!;
          attrs.push(`{${a.namespaceURI ?? ''}}${a.name}=${JSON.stringify(a.value)}`);
        }
        attrs.sort();
        out.push(`${pad}<{${el.namespaceURI ?? ''}}${el.nodeName} ${attrs.join(' ')}>`);
        for (let c: Node | null = el.firstChild; c; c = c.nextSibling) walk(c, depth + 1);
        out.push(`${pad}</${el.nodeName}>`);
        return;
      }
      case 3:
        if (opts.ignoreBlankText && /^\s*$/.test(n.nodeValue ?? '')) return;
        out.push(`${pad}text ${JSON.stringify(n.nodeValue)}`);
        return;
      case 4:
        out.push(`${pad}cdata ${JSON.stringify(n.nodeValue)}`);
        return;
      case 7:
        out.push(`${pad}pi ${n.nodeName} ${JSON.stringify(n.nodeValue)}`);
        return;
      case 8:
        out.push(`${pad}comment ${JSON.stringify(n.nodeValue)}`);
        return;
      case 10:
        out.push(`${pad}doctype ${n.nodeName}`);
        return;
      default:
        for (let c: Node | null = n.firstChild; c; c = c.nextSibling) walk(c, depth);
    }
  };
  walk(doc, 0);
  return out.join('\n');
}

/** The lines removed and added between two texts, trimmed, in order — "exactly what changed". */
export function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const d = diffLines(before, after);
  return {
    removed: d.filter((l) => l.op === '-').map((l) => l.line.trim()),
    added: d.filter((l) => l.op === '+').map((l) => l.line.trim()),
  };
}

/** A libvirt 9 `virsh dumpxml` of a RHEL 9 guest on q35: SATA disk + CD-ROM, e1000 NIC, extras we must keep. */
export const RHEL9_Q35 = `<!-- managed by VirtDeck tests -->
<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>rhel9-app</name>
  <uuid>4f5d2c1e-8a7b-4c3d-9e0f-123456789abc</uuid>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://redhat.com/rhel/9.2"/>
    </libosinfo:libosinfo>
    <acme:owner xmlns:acme="https://acme.example/vm/1">ops &amp; infra</acme:owner>
  </metadata>
  <memory unit='KiB'>4194304</memory>
  <currentMemory unit='KiB'>2097152</currentMemory>
  <vcpu placement='static'>4</vcpu>
  <os>
    <type arch='x86_64' machine='pc-q35-8.2'>hvm</type>
  </os>
  <features>
    <acpi/>
    <apic/>
  </features>
  <cpu mode='host-model' check='partial'/>
  <clock offset='utc'/>
  <devices>
    <emulator>/usr/libexec/qemu-kvm</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' discard='unmap'/>
      <source file='/var/lib/libvirt/images/rhel9-app.qcow2'/>
      <target dev='sda' bus='sata'/>
      <boot order='1'/>
      <address type='drive' controller='0' bus='0' target='0' unit='0'/>
    </disk>
    <!-- the installer ISO stays attached -->
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='/var/lib/libvirt/images/rhel-9.2-x86_64-dvd.iso'/>
      <target dev='sdb' bus='sata'/>
      <readonly/>
      <boot order='2'/>
      <address type='drive' controller='0' bus='0' target='0' unit='1'/>
    </disk>
    <controller type='sata' index='0'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>
    </controller>
    <controller type='pci' index='0' model='pcie-root'/>
    <controller type='usb' index='0' model='qemu-xhci' ports='15'>
      <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>
    </controller>
    <interface type='network'>
      <mac address='52:54:00:6b:3c:01'/>
      <source network='default'/>
      <model type='e1000'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </interface>
    <serial type='pty'>
      <target type='isa-serial' port='0'>
        <model name='isa-serial'/>
      </target>
    </serial>
    <console type='pty'>
      <target type='serial' port='0'/>
    </console>
    <input type='tablet' bus='usb'>
      <address type='usb' bus='0' port='1'/>
    </input>
    <graphics type='vnc' port='-1' autoport='yes'>
      <listen type='address'/>
    </graphics>
    <video>
      <model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
    </video>
    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>
    </memballoon>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-fw_cfg'/>
    <qemu:arg value='name=opt/acme/id,string=42'/>
  </qemu:commandline>
</domain>
`;

/** A RHEL 7 guest on i440fx whose data disk sits on the default LSI SCSI controller. */
export const RHEL7_LSI = `<domain type="kvm">
  <name>rhel7-db</name>
  <memory unit="KiB">2097152</memory>
  <vcpu>2</vcpu>
  <os>
    <type arch="x86_64" machine="pc-i440fx-rhel7.6.0">hvm</type>
    <boot dev="hd"/>
  </os>
  <devices>
    <disk type="block" device="disk">
      <driver name="qemu" type="raw" cache="none" io="native"/>
      <source dev="/dev/vg0/rhel7-root"/>
      <target dev="hda" bus="ide"/>
      <address type="drive" controller="0" bus="0" target="0" unit="0"/>
    </disk>
    <disk type="file" device="disk">
      <driver name="qemu" type="qcow2"/>
      <source file="/var/lib/libvirt/images/rhel7-data.qcow2"/>
      <target dev="sda" bus="scsi"/>
      <address type="drive" controller="0" bus="0" target="0" unit="0"/>
    </disk>
    <controller type="scsi" index="0" model="lsilogic">
      <address type="pci" domain="0x0000" bus="0x00" slot="0x05" function="0x0"/>
    </controller>
    <controller type="ide" index="0">
      <address type="pci" domain="0x0000" bus="0x00" slot="0x01" function="0x1"/>
    </controller>
    <interface type="bridge">
      <mac address="52:54:00:aa:bb:cc"/>
      <source bridge="br0"/>
      <model type="rtl8139"/>
    </interface>
  </devices>
</domain>
`;
