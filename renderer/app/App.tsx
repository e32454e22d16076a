import { AppShell, Button, Group, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from './api';
import { AddConnectionDialog } from './AddConnectionDialog';
import { ConnectionTree } from './ConnectionTree';
import { PromptDialog } from '../ui/PromptDialog';
import { TaskPane } from './TaskPane';
import { useFleet } from '../store/fleet';
import { useStats } from '../store/stats';
import { useStorage } from '../store/storage';
import { useMigrations } from '../store/migrations';
import { MigrateDialogHost } from '../features/migration/open-dialog';
import { useNavigation } from '../store/navigation';
import { useConsoles, parseDetachedConsoleHash } from '../store/consoles';
import { ConsolesPage, ConsoleWorkspaceHost, DetachedConsole } from '../features/consoles/ConsoleWorkspace';
import { FleetView } from '../features/fleet/FleetView';
import { HostPage } from '../features/host/HostPage';
import { StoragePage } from '../features/storage/StoragePage';
import { FleetNetworksPage } from '../features/networks/FleetNetworksPage';
import { VmPage } from '../features/vm/VmPage';

function MainPage() {
  const page = useNavigation((s) => s.page);
  switch (page.kind) {
    case 'fleet':
      return <FleetView />;
    case 'vm':
      return <VmPage vm={page.vm} tab={page.tab} />;
    case 'host':
      return <HostPage hostId={page.hostId} />;
    case 'consoles':
      return <ConsolesPage />;
    case 'storage':
      return <StoragePage />;
    case 'networks':
      return <FleetNetworksPage />;
  }
}

/** The app shell's way to every host's networks side by side. */
function NetworksButton() {
  const go = useNavigation((s) => s.go);
  const here = useNavigation((s) => s.page.kind === 'networks');
  return (
    <Button size="xs" variant={here ? 'filled' : 'default'} aria-current={here ? 'page' : undefined} onClick={() => go({ kind: 'networks' })}>
      Networks
    </Button>
  );
}

/** This window shows one detached console only (opened by "Open in new window"). */
const detachedConsole = parseDetachedConsoleHash(location.hash);

/** The app shell's way to every host's storage, side by side. */
function StorageButton() {
  const go = useNavigation((s) => s.go);
  const here = useNavigation((s) => s.page.kind === 'storage');
  return (
    <Button size="xs" variant={here ? 'filled' : 'default'} aria-current={here ? 'page' : undefined} onClick={() => go({ kind: 'storage' })}>
      Storage
    </Button>
  );
}

/** The app shell's way to the console workspace, with how many consoles are open. */
function ConsolesButton() {
  const count = useConsoles((s) => s.open.length);
  const go = useNavigation((s) => s.go);
  const here = useNavigation((s) => s.page.kind === 'consoles');
  return (
    <Button size="xs" variant={here ? 'filled' : 'default'} aria-current={here ? 'page' : undefined} onClick={() => go({ kind: 'consoles' })}>
      Consoles ({count})
    </Button>
  );
}

export function App() {
  const [adding, setAdding] = useState(false);
  const search = useFleet((s) => s.search);
  const setSearch = useFleet((s) => s.setSearch);

  useEffect(() => {
    // Subscribe first, then take the current picture: no event can fall between the two.
    const unsubscribe = api.onEvent((e) => {
      if (e.type === 'host.stats') useStats.getState().apply(e);
      else if (e.type === 'host.storage') useStorage.getState().apply(e);
      else if (e.type === 'migration.progress') useMigrations.getState().apply(e);
      else {
        useFleet.getState().apply(e);
        if (e.type === 'host.removed') useStorage.getState().apply(e);
      }
    });
    void (async () => {
      const [hosts, vms, moves] = await Promise.all([api.call('hosts.list', {}), api.call('vms.list', {}), api.call('migration.list', {})]);
      if (hosts.ok) useFleet.getState().setHosts(hosts.value);
      if (vms.ok) useFleet.getState().setVms(vms.value);
      if (moves.ok) useMigrations.getState().set(moves.value);
    })();
    return unsubscribe;
  }, []);

  if (detachedConsole) return <DetachedConsole vm={detachedConsole} />;
  return (
    <AppShell header={{ height: 48 }} navbar={{ width: 260, breakpoint: 0 }} footer={{ height: 120 }} padding="sm">
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap">
          <Title order={1} size="h4">
            VirtDeck
          </Title>
          <TextInput
            aria-label="Search VMs"
            placeholder="Search VMs and hosts"
            size="xs"
            w={320}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
          />
          <Group gap="xs" wrap="nowrap">
            <StorageButton />
            <NetworksButton />
            <ConsolesButton />
            <Button size="xs" onClick={() => setAdding(true)}>
              Add connection
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ConnectionTree />
      </AppShell.Navbar>
      <AppShell.Main>
        <MainPage />
      </AppShell.Main>
      <AppShell.Footer>
        <TaskPane />
      </AppShell.Footer>
      <AddConnectionDialog opened={adding} onClose={() => setAdding(false)} />
      <PromptDialog />
      <MigrateDialogHost />
      <ConsoleWorkspaceHost />
    </AppShell>
  );
}
