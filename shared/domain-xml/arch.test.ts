// Architecture-aware rules: an aarch64 `virt` guest is never offered SATA/IDE, and every finding
// the advisor makes for it is one its machine can take (its edits apply).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { advise, applyAllEdits } from './advisor';
import { diskBusesFor, diskBusProblem, machineHasSata, runsUnderTcg } from './arch';
import { applyEdits, readDomain } from './index';

// The lab's aarch64 guest, as up.sh defines it.
const ARM = readFileSync(fileURLToPath(new URL('../../e2e/lab/guests/arm.xml', import.meta.url)), 'utf8').replaceAll('@NAME@', 'arm-1').replaceAll('@MAC@', '52:54:00:d0:05:01');
const withBus = (xml: string, bus: string) => xml.replace("<target dev='vda' bus='virtio'/>", `<target dev='sda' bus='${bus}'/>`);

describe('architecture rules', () => {
  test('the disk buses of each machine', () => {
    expect(diskBusesFor('aarch64', 'virt')).toEqual(['virtio', 'scsi', 'usb']);
    expect(diskBusesFor('armv7l', 'virt-7.2')).toEqual(['virtio', 'scsi', 'usb']);
    expect(diskBusesFor('x86_64', 'pc-q35-7.2')).toEqual(['virtio', 'scsi', 'sata', 'usb']);
    expect(diskBusesFor('x86_64', 'pc')).toEqual(['virtio', 'scsi', 'sata', 'ide', 'usb']);
    expect(machineHasSata('aarch64', 'virt')).toBe(false);
    expect(machineHasSata(null, null)).toBe(true);
    expect(diskBusProblem('sata', 'aarch64', 'virt')).toMatch(/no SATA \(AHCI\) controller/);
    expect(diskBusProblem('ide', 'x86_64', 'q35')).toMatch(/no IDE controller/);
  });

  test('foreign architectures run under TCG on an x86 host', () => {
    expect(runsUnderTcg('aarch64')).toBe(true);
    expect(runsUnderTcg('x86_64')).toBe(false);
    expect(runsUnderTcg('i686')).toBe(false);
    expect(runsUnderTcg(undefined)).toBe(false);
    expect(runsUnderTcg('aarch64', 'aarch64')).toBe(false);
  });

  test('the editor refuses SATA and IDE on aarch64 virt, for a moved disk and a new one', () => {
    expect(() => applyEdits(ARM, [{ kind: 'set-disk-bus', target: 'vda', bus: 'sata' }])).toThrow(/no SATA/);
    expect(() => applyEdits(ARM, [{ kind: 'set-disk-bus', target: 'vda', bus: 'ide' }])).toThrow(/no IDE/);
    expect(() => applyEdits(ARM, [{ kind: 'add-disk', device: 'cdrom', bus: 'sata', source: null, format: 'raw' }])).toThrow(/new disk/);
    expect(applyEdits(ARM, [{ kind: 'set-disk-bus', target: 'vda', bus: 'scsi' }])).toContain("bus='scsi'");
  });

  test("the advisor's findings for an aarch64 guest are ones its machine can take", () => {
    for (const xml of [ARM, withBus(ARM, 'usb')]) {
      const findings = advise(readDomain(xml));
      const edits = findings.flatMap((f) => f.edits);
      expect(edits.some((e) => 'bus' in e && (e.bus === 'sata' || e.bus === 'ide'))).toBe(false);
      // Every finding's fix applies to this machine (none is refused by the editor's rules).
      for (const f of findings) expect(() => applyEdits(xml, f.edits), f.id).not.toThrow();
      expect(() => applyEdits(xml, applyAllEdits(findings))).not.toThrow();
      expect(findings.map((f) => f.id)).toContain('nic-model:0');
    }
  });
});
