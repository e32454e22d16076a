import { Badge } from '@mantine/core';
import type { ConnectionState, VmState } from '../../shared/contract';

const VM_STATE_LABEL: Record<VmState, string> = {
  nostate: 'no state',
  running: 'running',
  blocked: 'blocked',
  paused: 'paused',
  shutdown: 'shutting down',
  shutoff: 'shut off',
  crashed: 'crashed',
  pmsuspended: 'suspended',
};

const VM_STATE_COLOR: Record<VmState, string> = {
  nostate: 'gray',
  running: 'green',
  blocked: 'yellow',
  paused: 'yellow',
  shutdown: 'orange',
  shutoff: 'gray',
  crashed: 'red',
  pmsuspended: 'blue',
};

export const vmStateLabel = (state: VmState) => VM_STATE_LABEL[state];

/** Reasons that only repeat the state ("running (booted)", "shut off (unknown)"). */
const PLAIN_REASONS: Partial<Record<VmState, ReadonlySet<string>>> = {
  running: new Set(['booted', 'unknown', 'unpaused']),
  shutoff: new Set(['unknown', 'shutdown']),
  paused: new Set(['user', 'unknown']),
};

/** The state's reason when it tells something (destroyed, crashed, saved, migrated …). */
export const tellingReason = (state: VmState, reason?: string): string | undefined =>
  reason && reason !== 'unknown' && !PLAIN_REASONS[state]?.has(reason) ? reason : undefined;

export function VmStateBadge({ state, reason }: { state: VmState; reason?: string }) {
  const why = tellingReason(state, reason);
  return (
    <Badge color={VM_STATE_COLOR[state]} variant="light" size="sm" title={why ? `${VM_STATE_LABEL[state]} (${why})` : undefined}>
      {VM_STATE_LABEL[state]}
    </Badge>
  );
}

const HOST_COLOR: Record<ConnectionState, string> = { online: 'green', connecting: 'blue', degraded: 'orange', offline: 'red', disconnected: 'gray' };

export function HostStateBadge({ state }: { state: ConnectionState }) {
  return (
    <Badge color={HOST_COLOR[state]} variant="dot" size="xs">
      {state}
    </Badge>
  );
}

/** A two-way state (active/inactive, running/off): green when on. */
export function OnOffBadge({ on, words: [onWord, offWord] }: { on: boolean; words: readonly [string, string] }) {
  return (
    <Badge size="xs" variant="light" color={on ? 'green' : 'gray'}>
      {on ? onWord : offWord}
    </Badge>
  );
}
