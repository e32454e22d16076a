import { describe, expect, it } from 'vitest';
import { stripVirshPrefix, virshArgv } from './virsh';

describe('virshArgv', () => {
  it('always names the libvirt URI for virsh', () => {
    expect(virshArgv('qemu:///system', ['list'])).toEqual(['virsh', '-q', '-c', 'qemu:///system', 'list']);
  });
});

describe('stripVirshPrefix', () => {
  it('drops virsh\'s "error:" prefix in any language, on every line of the message', () => {
    expect(stripVirshPrefix("error: Failed to start domain 'vm1'\nerror: Requested operation is not valid: domain is already active\n")).toBe(
      "Failed to start domain 'vm1'\nRequested operation is not valid: domain is already active\n",
    );
    expect(stripVirshPrefix("Fehler: Abruf der Domain 'nope' scheiterte\nFehler: Domain nicht gefunden: keine Domain mit passendem Namen 'nope'")).toBe(
      "Abruf der Domain 'nope' scheiterte\nDomain nicht gefunden: keine Domain mit passendem Namen 'nope'",
    );
    expect(stripVirshPrefix('erreur\u00a0:Échec')).toBe('Échec');
    expect(stripVirshPrefix('エラー: ドメイン')).toBe('ドメイン');
    expect(stripVirshPrefix('błąd: nie')).toBe('nie');
  });

  it('keeps the message\'s own words: only the first line\'s prefix word is stripped, once per line', () => {
    expect(stripVirshPrefix("error: internal error: process exited\nDomain: x")).toBe('internal error: process exited\nDomain: x');
    expect(stripVirshPrefix('Requested operation is not valid: domain is not running')).toBe('Requested operation is not valid: domain is not running');
    expect(stripVirshPrefix('Storage volume vda is not managed')).toBe('Storage volume vda is not managed');
  });
});
