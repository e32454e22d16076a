// Each host's pools and volumes as last read (storage.list, or pushed after a pool event or a
// storage action): the Storage page and the host's Storage tab read the same picture.
import { create } from 'zustand';
import type { BackendEvent, HostStorage } from '../../shared/contract';

interface StorageState {
  byHost: Record<string, HostStorage>;
  set(storage: HostStorage): void;
  apply(event: BackendEvent): void;
}

export const useStorage = create<StorageState>()((set) => ({
  byHost: {},
  set: (storage) => set((s) => (s.byHost[storage.hostId] && s.byHost[storage.hostId]!.at > storage.at ? {} : { byHost: { ...s.byHost, [storage.hostId]: storage } })),
  apply: (event) => {
    if (event.type === 'host.storage') useStorage.getState().set(event.storage);
    if (event.type === 'host.removed')
      set((s) => {
        const { [event.hostId]: _gone, ...byHost } = s.byHost;
        return { byHost };
      });
  },
}));
