// vm.applyEdits refuses malformed edits and the host's checks before running anything that
// writes: the virsh runner records every command it is given.
import { describe, expect, it } from 'vitest';
import { RHEL9_Q35 } from '../../../shared/domain-xml/test-support';
import type { DomainEdit } from '../../../shared/domain-xml';
import { applyDomainEdits, type VirshRunner } from './domain-editor';

function recordingVirsh(): VirshRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: async (argv: string[]) => {
      calls.push(argv);
      if (argv[0] === 'dumpxml') return RHEL9_Q35;
      if (argv[0] === 'domstats') return 'Domain: \'q\'\n  state.state=5\n  state.reason=0\n';
      return '';
    },
  } as VirshRunner & { calls: string[][] };
}

describe('applyDomainEdits: nothing written on bad input', () => {
  it('a malformed edit is refused before any virsh command runs', async () => {
    const virsh = recordingVirsh();
    await expect(applyDomainEdits(virsh, { name: 'q', baseXml: RHEL9_Q35, edits: [{ kind: 'set-title', title: { x: 1 } } as unknown as DomainEdit] })).rejects.toThrow(/invalid title: expected text/);
    expect(virsh.calls).toEqual([]);
  });

  it('a refusal of the host checks: no define; a warning: no define until accepted', async () => {
    const virsh = recordingVirsh();
    const edits: DomainEdit[] = [{ kind: 'set-memory', currentKiB: 8 * 1048576, maxKiB: 8 * 1048576 }];
    await expect(applyDomainEdits(virsh, { name: 'q', baseXml: RHEL9_Q35, edits }, async () => ({ refusals: ['too much'], warnings: [] }))).rejects.toThrow('too much');
    expect(await applyDomainEdits(virsh, { name: 'q', baseXml: RHEL9_Q35, edits }, async () => ({ refusals: [], warnings: ['tight'] }))).toEqual({ status: 'confirm', warnings: ['tight'] });
    expect(virsh.calls.some((c) => c[0] === 'define')).toBe(false);
  });
});
