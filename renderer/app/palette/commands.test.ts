import { describe, expect, it } from 'vitest';
import type { HostStatus, VmSummary } from '../../../shared/contract';
import type { ActionSpec } from '../../ui/vm-actions';
import { matchCommands, paletteCommands } from './commands';

// The shape of ui/vm-actions' own list (that module reaches the transport, not loaded here).
const ACTIONS: ActionSpec[] = [
  { action: 'start', label: 'Start', allowed: (v) => v.state === 'shutoff' },
  { action: 'shutdown', label: 'Shut down', allowed: (v) => v.state === 'running' },
  { action: 'destroy', label: 'Force off', allowed: (v) => v.state !== 'shutoff', confirm: 'asks' },
];

const host = (id: string, label: string) => ({ config: { id, label }, state: 'online' }) as unknown as HostStatus;
const vm = (hostId: string, name: string, state: VmSummary['state']) => ({ hostId, name, state }) as VmSummary;

const commands = paletteCommands({ h1: host('h1', 'hv1'), h2: host('h2', 'hv2') }, { h1: [vm('h1', 'web-1', 'shutoff'), vm('h1', 'web-10', 'shutoff')], h2: [vm('h2', 'desk-1', 'running')] }, ACTIONS);

describe('palette commands', () => {
  it('offers only the actions the state allows, and none that asks first', () => {
    const labels = commands.map((c) => c.label);
    expect(labels).toContain('Start web-1 on hv1');
    expect(labels).not.toContain('Shut down web-1 on hv1');
    expect(labels).toContain('Shut down desk-1 on hv2');
    expect(labels.some((l) => l.startsWith('Force off'))).toBe(false);
    expect(labels).toContain('Go to hv2');
    expect(labels).toContain('Open console of desk-1 on hv2');
  });

  it('matches every word in any order, the exact name first', () => {
    expect(matchCommands(commands, 'start web-1')[0]!.label).toBe('Start web-1 on hv1');
    expect(matchCommands(commands, 'console desk').map((c) => c.label)).toEqual(['Open console of desk-1 on hv2']);
    expect(matchCommands(commands, 'go hv2')[0]!.label).toBe('Go to hv2');
    expect(matchCommands(commands, 'nothing like this')).toEqual([]);
  });
});
