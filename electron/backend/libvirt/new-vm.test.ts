import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseFirmwareOffer } from './new-vm';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('parseFirmwareOffer', () => {
  test("a lab host's domcapabilities (OVMF and swtpm installed): UEFI, Secure Boot, emulated TPM", () => {
    expect(parseFirmwareOffer(fixture('domcapabilities-q35-hv3.xml'))).toEqual({ uefi: true, secureBoot: true, tpmEmulator: true });
  });
  test('without OVMF and swtpm: none of them', () => {
    const bare = fixture('domcapabilities-q35-hv3.xml')
      .replace(/<enum name='firmware'>[\s\S]*?<\/enum>/, '')
      .replace(/<loader supported='yes'>[\s\S]*?<\/loader>/, "<loader supported='no'/>")
      .replace(/<tpm supported='yes'>/, "<tpm supported='no'>");
    expect(parseFirmwareOffer(bare)).toEqual({ uefi: false, secureBoot: false, tpmEmulator: false });
  });
});
