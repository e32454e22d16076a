import { hasVirsh } from '../test-support/virsh';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectImage, IMAGE_HEADER_BYTES } from './image-format';
import { formatBytes, formatEta, ProgressMeter } from './progress';
import { newVolumeXml, readVolumeXml } from './volume-xml';

/** A qcow2 header: magic, version, zeros, and the virtual size at offset 24. */
function qcow2Header(version: number, virtualSize: bigint): Uint8Array {
  const h = new Uint8Array(IMAGE_HEADER_BYTES);
  h.set([0x51, 0x46, 0x49, 0xfb]);
  const v = new DataView(h.buffer);
  v.setUint32(4, version);
  v.setBigUint64(24, virtualSize);
  return h;
}

describe('image format from the first bytes', () => {
  it('knows a qcow2 by its magic and takes its virtual size as the capacity', () => {
    expect(detectImage(qcow2Header(3, 10n * 1024n ** 3n), 200_000)).toEqual({ format: 'qcow2', capacity: 10 * 1024 ** 3 });
    expect(detectImage(qcow2Header(2, 65536n), 1000)).toEqual({ format: 'qcow2', capacity: 65536 });
  });

  it('takes anything else, and a file shorter than a header, as raw of its own size', () => {
    expect(detectImage(new Uint8Array(64).fill(0x51), 4096)).toEqual({ format: 'raw', capacity: 4096 });
    expect(detectImage(new Uint8Array([0x51, 0x46, 0x49, 0xfb]), 4)).toEqual({ format: 'raw', capacity: 4 });
  });

  it('refuses a qcow2 magic with a header it cannot size, rather than guess', () => {
    expect(() => detectImage(qcow2Header(9, 1024n), 100)).toThrow(/version 9/);
    expect(() => detectImage(qcow2Header(3, 2n ** 62n), 100)).toThrow(/qcow2/);
  });

  it('reads a header that sits at an offset of a larger buffer', () => {
    const big = new Uint8Array(100);
    big.set(qcow2Header(3, 4096n), 10);
    expect(detectImage(big.subarray(10, 10 + IMAGE_HEADER_BYTES), 1)).toEqual({ format: 'qcow2', capacity: 4096 });
  });
});

describe('progress, rate and time left', () => {
  it('gives the rate over the recent window and the time left at it', () => {
    let t = 0;
    const m = new ProgressMeter(100 * 1024 ** 2, () => t);
    for (let i = 0; i < 10; i++) {
      t += 1000;
      m.add(4 * 1024 ** 2);
    }
    const s = m.snapshot();
    expect(s.percent).toBe(40);
    expect(s.rateBps).toBeCloseTo(4 * 1024 ** 2, -3);
    expect(s.etaSeconds).toBeCloseTo(15, 0);
  });

  it('shows a stall at once: the rate falls when no bytes come, whatever came before', () => {
    let t = 0;
    const m = new ProgressMeter(1000, () => t);
    t = 1000;
    m.add(500);
    t = 1500;
    m.add(0);
    t = 11_000;
    const s = m.snapshot();
    expect(s.rateBps).toBeLessThan(100);
    expect(s.percent).toBe(50);
  });

  it('is never 100 % before the last byte, and has no time left before a rate', () => {
    const m = new ProgressMeter(1000, () => 0);
    expect(m.snapshot()).toEqual({ bytes: 0, total: 1000, percent: 0, rateBps: 0 });
    m.add(999);
    expect(m.snapshot().percent).toBe(99.9);
    m.add(1);
    expect(m.snapshot().percent).toBe(100);
  });

  it('formats sizes and times for a person', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(64 * 1024 ** 2)).toBe('64.0 MiB');
    expect(formatEta(42.2)).toBe('43 s');
    expect(formatEta(185)).toBe('3 min 05 s');
    expect(formatEta(3720)).toBe('1 h 02 min');
    expect(formatEta(undefined)).toBe('—');
  });
});

describe('volume XML', () => {
  const hostile = `vd $(touch /tmp/x) 'q' "d" <a>&b; ü`;

  it('escapes the name and states capacity, allocation 0 and format', () => {
    const xml = newVolumeXml({ name: hostile, capacity: 67108864, format: 'qcow2' });
    expect(xml).toContain(`<name>vd $(touch /tmp/x) 'q' "d" &lt;a&gt;&amp;b; ü</name>`);
    expect(xml).toContain(`<capacity unit='bytes'>67108864</capacity>`);
    expect(xml).toContain(`<allocation unit='bytes'>0</allocation>`);
    expect(() => newVolumeXml({ name: 'x', capacity: -1, format: 'raw' })).toThrow();
  });

  it.skipIf(!hasVirsh)('is what libvirt accepts, and reads back from vol-dumpxml', () => {
    // The test driver keeps its state per connection, so one virsh session does both steps.
    const xml = newVolumeXml({ name: hostile, capacity: 1048576, format: 'raw' });
    const dir = mkdtempSync(join(tmpdir(), 'vd-vol-'));
    writeFileSync(join(dir, 'vol.xml'), xml);
    const script = `vol-create default-pool ${join(dir, 'vol.xml')} ; vol-dumpxml --pool default-pool --vol ${JSON.stringify(hostile).replace(/\$/g, '\\$')}`;
    const out = execFileSync('virsh', ['-q', '-c', 'test:///default', script], { encoding: 'utf8' });
    rmSync(dir, { recursive: true });
    const dumped = out.slice(out.indexOf('<volume'));
    const facts = readVolumeXml(dumped);
    expect(facts.capacity).toBe(1048576);
    expect(facts.path).toContain('default-pool');
  });

  it('reads capacity, physical size, format and path from vol-dumpxml', () => {
    const facts = readVolumeXml(`<volume type='file'><name>a</name>
      <capacity unit='bytes'>16777216</capacity><allocation unit='bytes'>200704</allocation><physical unit='bytes'>196616</physical>
      <target><path>/var/lib/libvirt/images/a.qcow2</path><format type='qcow2'/></target></volume>`);
    expect(facts).toEqual({ capacity: 16777216, streamBytes: 196616, format: 'qcow2', sourceFormat: 'qcow2', path: '/var/lib/libvirt/images/a.qcow2' });
    const iso = readVolumeXml(`<volume><capacity unit='bytes'>2048</capacity><target><path>/i.iso</path><format type='iso'/></target></volume>`);
    expect(iso).toMatchObject({ streamBytes: 2048, format: 'raw', sourceFormat: 'iso' });
  });
});
