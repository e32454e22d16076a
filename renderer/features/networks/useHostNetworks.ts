// One host's networks as the backend reads them, kept current: read on mount, again on every
// net-event push for that host ('networks.watch' opens the stream) and on its VM list changing
// (a VM started or stopped: taps and leases move).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HostNetworks } from '../../../shared/contract';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';

export interface HostNetworksState {
  data?: HostNetworks;
  error?: string;
  reload(): Promise<void>;
}

export function useHostNetworks(hostId: string, online: boolean): HostNetworksState {
  const [data, setData] = useState<HostNetworks>();
  const [error, setError] = useState<string>();
  const seq = useRef(0);
  const vms = useFleet((s) => s.vmsByHost[hostId]);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    const outcome = await api.call('networks.list', { hostId });
    if (mine !== seq.current) return; // a later read is under way: its answer wins
    if (outcome.ok) {
      setData(outcome.value);
      setError(undefined);
    } else setError(outcome.error.message);
  }, [hostId]);

  useEffect(() => {
    if (!online) return;
    void api.call('networks.watch', { hostId, watch: true });
    const off = api.onEvent((e) => {
      if (e.type === 'host.networks' && e.hostId === hostId) void reload();
    });
    return () => {
      off();
      void api.call('networks.watch', { hostId, watch: false });
    };
  }, [hostId, online, reload]);

  useEffect(() => {
    if (online) void reload();
  }, [online, reload, vms]);

  return { data, error, reload };
}
