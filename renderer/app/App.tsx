import { AppShell, Button, Group, Loader, TextInput, Title } from '@mantine/core';
import { lazy, Suspense, useEffect, useState } from 'react';
import { api } from './api';
import { AddConnectionDialog } from './AddConnectionDialog';
import { ConnectionTree } from './ConnectionTree';
import { PromptDialog } from '../ui/PromptDialog';
import { PAGE_ID } from '../ui/fill';
import { TaskPane } from './TaskPane';
import { CommandPalette } from './palette/CommandPalette';
import { StatusBar, useOpenOnFailure, useTasksOpen } from './StatusBar';
import { useFleet } from '../store/fleet';
import { useStats } from '../store/stats';
import { useStorage } from '../store/storage';
import { useMigrations } from '../store/migrations';
import { useTuning } from '../store/tuning';
import { MigrateDialogHost } from '../features/migration/open-dialog';
import { useNavigation } from '../store/navigation';
import { useConsoles, parseDetachedConsoleHash } from '../store/consoles';
import { FleetView } from '../features/fleet/FleetView';

// The first screen is the fleet: every other page, and the consoles (noVNC, SPICE, xterm), load
// when first opened, so the page starts with only what the fleet needs.
const consoles = () => import('../features/consoles/ConsoleWorkspace');
const ConsolesPage = lazy(() => consoles().then((m) => ({ default: m.ConsolesPage })));
const ConsoleWorkspaceHost = lazy(() => consoles().then((m) => ({ default: m.ConsoleWorkspaceHost })));
const DetachedConsole = lazy(() => consoles().then((m) => ({ default: m.DetachedConsole })));
const HostPage = lazy(() => import('../features/host/HostPage').then((m) => ({ default: m.HostPage })));
const StoragePage = lazy(() => import('../features/storage/StoragePage').then((m) => ({ default: m.StoragePage })));
const FleetNetworksPage = lazy(() => import('../features/networks/FleetNetworksPage').then((m) => ({ default: m.FleetNetworksPage })));
const TuningPage = lazy(() => import('../features/tuning/TuningPage').then((m) => ({ default: m.TuningPage })));
const HostsBaselinePage = lazy(() => import('../features/prepare/HostsBaseline').then((m) => ({ default: m.HostsBaselinePage })));
const VmPage = lazy(() => import('../features/vm/VmPage').then((m) => ({ default: m.VmPage })));

/** The console workspace once anything may show a console (a console open, the Consoles page or
 *  a VM's Console tab); it then stays, so hidden consoles stay connected. */
function ConsoleWorkspaceWhenWanted() {
  const open = useConsoles((s) => s.open.length > 0);
  const shown = useNavigation((s) => s.page.kind === 'consoles' || (s.page.kind === 'vm' && s.page.tab === 'console'));
  const wanted = open || shown;
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    if (wanted) setLoaded(true);
  }, [wanted]);
  return wanted || loaded ? (
    <Suspense fallback={null}>
      <ConsoleWorkspaceHost />
    </Suspense>
  ) : null;
}

function MainPage() {
  return (
    <Suspense fallback={<Loader size="sm" aria-label="Loading" />}>
      <Page />
    </Suspense>
  );
}

function Page() {
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
    case 'tuning':
      return <TuningPage />;
    case 'hosts':
      return <HostsBaselinePage />;
  }
}

/** This window shows one detached console only (opened by "Open in new window"). */
const detachedConsole = parseDetachedConsoleHash(location.hash);

/** The app shell's way to a fleet-wide page: every host's storage or networks side by side,
 *  tuning (the advisor over every VM, as one reviewed plan), or the hosts against the baseline. */
function PageButton({ kind, label }: { kind: 'storage' | 'networks' | 'tuning' | 'hosts'; label: string }) {
  const go = useNavigation((s) => s.go);
  const here = useNavigation((s) => s.page.kind === kind);
  return (
    <Button size="xs" variant={here ? 'filled' : 'default'} aria-current={here ? 'page' : undefined} onClick={() => go({ kind })}>
      {label}
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
      else if (e.type === 'tuning.progress') useTuning.getState().apply(e);
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

  const tasksOpen = useTasksOpen();
  useOpenOnFailure();

  if (detachedConsole)
    return (
      <Suspense fallback={null}>
        <DetachedConsole vm={detachedConsole} />
      </Suspense>
    );
  return (
    <AppShell header={{ height: 48 }} navbar={{ width: 220, breakpoint: 0 }} padding={0}>
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
            <PageButton kind="storage" label="Storage" />
            <PageButton kind="networks" label="Networks" />
            <PageButton kind="tuning" label="Tuning" />
            <PageButton kind="hosts" label="Hosts" />
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
        {/* The page scrolls in what the Tasks panel and the status bar leave: nothing sits under them. */}
        <div style={{ height: 'calc(100dvh - var(--app-shell-header-height, 48px))', display: 'flex', flexDirection: 'column' }}>
          <div id={PAGE_ID} style={{ flex: 1, minHeight: 0, overflow: 'auto', padding: 'var(--mantine-spacing-sm)', display: 'flex', flexDirection: 'column' }}>
            <MainPage />
          </div>
          {tasksOpen && <TaskPane />}
          <StatusBar />
        </div>
      </AppShell.Main>
      <AddConnectionDialog opened={adding} onClose={() => setAdding(false)} />
      <PromptDialog />
      <CommandPalette />
      <MigrateDialogHost />
      <ConsoleWorkspaceWhenWanted />
    </AppShell>
  );
}
