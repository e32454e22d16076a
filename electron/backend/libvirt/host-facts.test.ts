// Host facts from outputs as a German host prints them and as the C locale does: the same figures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCapabilitiesHost, parseFreeCells, parseMhz, parseVersions } from './host-facts';

// Captured on the lab's German host (hv3), in its own session locale and under LC_ALL=C.
const VERSION_DE = 'Kompiliert gegen die Bibliothek: libvirt 9.0.0\nVerwende Bibliothek: libvirt 9.0.0\n\nVerwende API: QEMU 9.0.0\nLaufender Hypervisor: QEMU 7.2.22\n';
const VERSION_C = 'Compiled against library: libvirt 9.0.0\nUsing library: libvirt 9.0.0\nUsing API: QEMU 9.0.0\nRunning hypervisor: QEMU 7.2.22\n';
const NODEINFO_DE = 'CPU-Modell:          x86_64\nCPU(s):              2\nCPU-Frequenz:        2000 MHz\nCPU-Socket(s):       1\nKern(e) pro Socket:  2\nThread(s) pro Kern:  1\nNUMA-Zelle(n):       1\nSpeichergrösse:     9266936 KiB\n';
const FREECELL_DE = '    0:    7917304 KiB\n--------------------\nGesamt:    7917304 KiB\n';
const CAPS = readFileSync(new URL('./fixtures/capabilities-host-hv3.xml', import.meta.url), 'utf8');

describe('host facts whatever the language', () => {
  it('versions by product name and position, in German and in C alike', () => {
    expect(parseVersions(VERSION_DE)).toEqual({ libvirt: '9.0.0', qemu: '7.2.22' });
    expect(parseVersions(VERSION_C)).toEqual({ libvirt: '9.0.0', qemu: '7.2.22' });
    // A daemon line (virsh version --daemon) is also a libvirt line; the hypervisor is QEMU's last.
    expect(parseVersions(`${VERSION_C}Running against daemon: 9.0.0\n`)).toEqual({ libvirt: '9.0.0', qemu: '7.2.22' });
  });

  it("CPUs, topology and memory from capabilities' XML: what nodeinfo says in any language", () => {
    expect(parseCapabilitiesHost(CAPS)).toEqual({ arch: 'x86_64', model: 'Broadwell-noTSX-IBRS', cpus: 2, sockets: 1, coresPerSocket: 2, threadsPerCore: 1, memoryKiB: 9266936 });
    expect(/Speichergrösse:\s+(\d+)/.exec(NODEINFO_DE)![1]).toBe('9266936');
    expect(parseMhz(NODEINFO_DE)).toBe(2000);
  });

  it('free memory from the per-cell lines, not the translated total', () => {
    expect([...parseFreeCells(FREECELL_DE)]).toEqual([[0, 7917304]]);
    expect([...parseFreeCells('    0:    100 KiB\n    1:    200 KiB\n--------------------\nTotal:    300 KiB\n')]).toEqual([[0, 100], [1, 200]]);
  });
});
