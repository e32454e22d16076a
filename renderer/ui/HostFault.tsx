// What a host whose libvirt does not answer (SSH up, libvirt not) looks like wherever it shows:
// libvirt's own words, what to do, and its VMs marked as last known rather than live.
import { Alert, Text } from '@mantine/core';
import type { CSSProperties } from 'react';
import type { ConnectionState, HostStatus } from '../../shared/contract';

/** A host's VM list is only what was last known while libvirt or the link is down. */
export const vmsAreLastKnown = (state: ConnectionState | undefined): boolean => state === 'degraded' || state === 'offline';

/** vmsAreLastKnown, or the host's list is still the one from an earlier session (not yet
 *  confirmed by this connection). */
export const hostVmsAreLastKnown = (host: HostStatus | undefined): boolean => vmsAreLastKnown(host?.state) || host?.vmsUnconfirmed === true;

/** How a last-known VM is drawn: greyed. */
export const LAST_KNOWN_STYLE: CSSProperties = { opacity: 0.5 };

/** Words for a degraded host's reason, for the tree and the fleet. */
export function libvirtFaultText(host: HostStatus): string | undefined {
  const fault = host.libvirt;
  if (fault && host.notHypervisorYet) return `Not a hypervisor yet — libvirt: ${fault.message}. ${fault.hint} Or Prepare this host from its page.`;
  return fault && `libvirt: ${fault.message}. ${fault.hint}`;
}

/** One line under the host in the tree (and beside the fleet): why its list is not live. */
export function LibvirtFaultLine({ host }: { host: HostStatus }) {
  const text = libvirtFaultText(host);
  if (!text) return null;
  return (
    <Text size="xs" c="orange" role="alert">
      {text} Retrying by itself.
    </Text>
  );
}

/** The host page's banner while libvirt does not answer. */
export function LibvirtFaultBanner({ host }: { host: HostStatus }) {
  const fault = host.libvirt;
  if (!fault) return null;
  return (
    <Alert color="orange" title={`libvirt is not answering on ${host.config.label}`} role="alert" mb="sm">
      <Text size="sm">SSH to {host.config.label} works, but libvirt does not: {fault.message}</Text>
      <Text size="sm" mt={4}>
        {fault.hint}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        Since {new Date(fault.since).toLocaleTimeString()}; tried again by itself, backing off to 15 s. The VMs shown are the last known.
      </Text>
    </Alert>
  );
}
