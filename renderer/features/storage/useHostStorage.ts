// A host's storage for a view: read once the host is online, and followed (pool events) while
// the view is shown.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { useStorage } from '../../store/storage';

export function useHostStorage(hostId: string) {
  const online = useFleet((s) => s.hosts[hostId]?.state === 'online');
  const storage = useStorage((s) => s.byHost[hostId]);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  const reload = useCallback(async () => {
    setLoading(true);
    const outcome = await api.call('storage.list', { hostId });
    setLoading(false);
    if (outcome.ok) {
      setError(undefined);
      useStorage.getState().set(outcome.value);
    } else setError(outcome.error.message);
  }, [hostId]);

  useEffect(() => {
    if (!online) return;
    void api.call('storage.watch', { hostId, watch: true });
    void reload();
    return () => void api.call('storage.watch', { hostId, watch: false });
  }, [hostId, online, reload]);

  return { online, storage, error, loading, reload };
}
