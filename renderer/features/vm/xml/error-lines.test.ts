import { describe, expect, it } from 'vitest';
import { changedLines, errorLines } from './error-lines';

const base = `<domain type='kvm'>
  <name>web-1</name>
  <memory>131072</memory>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <target dev='vda'/>
    </disk>
  </devices>
</domain>`;

describe('errorLines', () => {
  it("takes the parser's own line for XML that does not parse", () => {
    const edited = base.replace('</devices>', '</device>');
    const msg = 'error: Failed to define domain from /dev/stdin\nerror: (domain_definition):9: Opening and ending tag mismatch: devices line 5 and device\n  </device>\n-----------^';
    expect(errorLines(msg, edited, base)).toEqual([{ line: 9, message: '(domain_definition):9: Opening and ending tag mismatch: devices line 5 and device — </device>' }]);
  });

  it('points at the element with the attribute libvirt refused', () => {
    const edited = base.replace("<disk type='file' device='disk'>", "<disk type='file' device='disk' bogus='1'>");
    const msg = 'error: XML document failed to validate against schema: Unable to validate doc against /usr/share/libvirt/schemas/domain.rng\nInvalid attribute bogus for element disk';
    expect(errorLines(msg, edited, base)[0]!.line).toBe(6);
  });

  it("points at the changed line inside the element a schema error names (libvirt's own wording)", () => {
    // What virsh define --validate says for an unknown attribute: it names the container only.
    const edited = base.replace("<disk type='file' device='disk'>", "<disk type='file' device='disk' bogus='1'>");
    const msg =
      'error: Failed to define domain from /dev/stdin\nerror: XML document failed to validate against schema: Unable to validate doc against /usr/share/libvirt/schemas/domain.rng\nExtra element devices in interleave\nElement domain failed to validate content';
    expect(errorLines(msg, edited, base)).toEqual([expect.objectContaining({ line: 6 })]);
  });

  it('points at an invalid value in a named element', () => {
    const edited = base.replace('<on_crash>destroy</on_crash>', '<on_crash>explode</on_crash>');
    const msg = 'error: XML document failed to validate against schema: Unable to validate doc against /usr/share/libvirt/schemas/domain.rng\nElement on_crash failed to validate content\nElement domain failed to validate content';
    expect(errorLines(msg, edited, base)[0]!.line).toBe(4);
  });

  it('falls back to the first edited line', () => {
    const edited = base.replace('<memory>131072</memory>', '<memory>lots</memory>');
    expect(errorLines('error: internal error: something odd', edited, base)).toEqual([{ line: 3, message: 'internal error: something odd' }]);
  });
});

describe('changedLines', () => {
  it('lists the lines not in the base', () => {
    expect(changedLines('a\nb\nc', 'a\nx\nc\nb')).toEqual([2]);
  });
});
