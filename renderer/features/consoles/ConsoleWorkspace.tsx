// The console workspace: every open console as a tab (VM and host, a close button). All of them
// stay mounted and connected; only the active one is visible. The workspace is rendered once (a
// portal into one DOM node) and that node moves into whichever slot is on screen — a VM's Console
// tab or the Consoles page — so changing pages never drops a console. With no slot on screen it
// waits off screen, at its last size, still connected.
//
// Detach: "Open in new window" opens the same app URL (browser mode: the token went with the page's
// sessionStorage, which a window it opens inherits, and the cookie; Electron: the
// app's own page, which main.ts lets open as a window as secure as the main one) with the route
// `#console=host/name`, which shows just that console. Its tab stays and says "open in its own
// window", with buttons to show that window or bring the console back; closing that window closes
// the console (its tab goes too), as closing a torn-off browser tab would.
import { Alert, Button, CloseButton, Group, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useEffect, useLayoutEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useHostLabel } from '../../store/fleet';
import { detachedConsoleHash, useConsoles, type OpenConsole } from '../../store/consoles';
import { vmRef, type VmRef } from '../../store/vm-ref';
import { ConsoleView } from './ConsoleView';
import { useFillHeight } from '../../ui/fill';

// ---- the one DOM node the workspace lives in, and where it waits when no slot shows it ----------

let workspaceNode: HTMLDivElement | undefined;
let parkingNode: HTMLDivElement | undefined;

function nodes(): { workspace: HTMLDivElement; parking: HTMLDivElement } {
  if (!workspaceNode || !parkingNode) {
    workspaceNode = document.createElement('div');
    workspaceNode.style.cssText = 'display:flex;flex-direction:column;width:100%;height:100%;min-height:0';
    parkingNode = document.createElement('div');
    // Off screen and invisible, but laid out: the consoles keep their size and keep drawing.
    parkingNode.style.cssText = 'position:fixed;left:-100000px;top:0;width:1024px;height:700px;visibility:hidden';
    parkingNode.setAttribute('aria-hidden', 'true');
    parkingNode.inert = true;
    document.body.append(parkingNode);
    parkingNode.append(workspaceNode);
  }
  return { workspace: workspaceNode, parking: parkingNode };
}

/** Where the workspace shows: mount this where the consoles belong on a page. It takes all the
 *  height the page has left below it (at least `min` px; the page scrolls for the rest). */
export function ConsoleSlot({ min = 380 }: { min?: number }) {
  const [slot, setSlot] = useState<HTMLDivElement | null>(null);
  const height = useFillHeight(slot, min);
  useLayoutEffect(() => {
    if (!slot) return;
    const { workspace, parking } = nodes();
    slot.append(workspace);
    return () => {
      // Park at the size it had, so no console sees its box collapse.
      const { width, height } = slot.getBoundingClientRect();
      if (width > 0 && height > 0) Object.assign(parking.style, { width: `${width}px`, height: `${height}px` });
      parking.append(workspace);
    };
  }, [slot]);
  return <div ref={setSlot} style={{ height: height ?? min, display: 'flex', flexDirection: 'column', minHeight: 0 }} />;
}

// ---- detached windows --------------------------------------------------------------------------

const popups = new Map<string, Window>();

function detach(c: OpenConsole): void {
  const url = `${location.pathname}${location.search}${detachedConsoleHash(c)}`;
  const popup = window.open(url, `virtdeck-console-${c.hostId}-${c.name}`, 'popup,width=1100,height=820');
  if (!popup) return; // blocked: the console stays in its tab
  popups.set(c.key, popup);
  useConsoles.getState().setDetached(c.key, true);
  const watch = setInterval(() => {
    if (popups.get(c.key) !== popup) return clearInterval(watch);
    if (!popup.closed) return;
    clearInterval(watch);
    popups.delete(c.key);
    useConsoles.getState().close(c.key);
  }, 500);
}

function attach(key: string): void {
  const popup = popups.get(key);
  popups.delete(key);
  useConsoles.getState().setDetached(key, false);
  popup?.close();
}

function closeConsole(key: string): void {
  const popup = popups.get(key);
  popups.delete(key);
  popup?.close();
  useConsoles.getState().close(key);
}

// ---- the workspace -----------------------------------------------------------------------------

function ConsoleTabButton({ c, active }: { c: OpenConsole; active: boolean }) {
  const hostLabel = useHostLabel(c.hostId);
  const select = useConsoles((s) => s.select);
  const label = `${c.name} on ${hostLabel}`;
  return (
    <Group
      gap={2}
      wrap="nowrap"
      px={6}
      style={{
        borderBottom: `2px solid ${active ? 'var(--mantine-primary-color-filled)' : 'transparent'}`,
        background: active ? 'var(--mantine-color-default-hover)' : undefined,
      }}
    >
      <UnstyledButton role="tab" id={`console-tab-${c.key}`} aria-selected={active} aria-controls={`console-panel-${c.key}`} onClick={() => select(c.key)} py={4} px={4}>
        <Text size="sm" fw={active ? 600 : 400} span>
          {c.name}
        </Text>
        {/* The dimmed grey is too faint on the active tab's hover shade in the dark scheme (3.9:1). */}
        <Text size="xs" c={active ? undefined : 'dimmed'} span>
          {' '}
          on {hostLabel}
        </Text>
        {c.detached && (
          <Text size="xs" c={active ? undefined : 'dimmed'} span>
            {' '}
            (detached)
          </Text>
        )}
      </UnstyledButton>
      <CloseButton size="sm" aria-label={`Close console of ${label}`} onClick={() => closeConsole(c.key)} />
    </Group>
  );
}

function DetachedNotice({ c }: { c: OpenConsole }) {
  const hostLabel = useHostLabel(c.hostId);
  return (
    <Alert color="gray" title="Open in its own window" m="sm">
      <Text size="sm">
        The console of {c.name} on {hostLabel} is in its own window. Closing that window closes the console.
      </Text>
      <Group mt="xs" gap="xs">
        <Button size="compact-xs" variant="default" onClick={() => popups.get(c.key)?.focus()}>
          Show its window
        </Button>
        <Button size="compact-xs" onClick={() => attach(c.key)}>
          Bring back here
        </Button>
      </Group>
    </Alert>
  );
}

function ConsoleWorkspace() {
  const open = useConsoles((s) => s.open);
  const active = useConsoles((s) => s.active);
  if (open.length === 0) {
    return (
      <Text c="dimmed" size="sm" p="sm">
        No console is open. Open one from a VM's Console tab.
      </Text>
    );
  }
  return (
    <Stack gap={4} style={{ flex: 1, minHeight: 0 }}>
      {/* Each tab sits beside its close button; a tablist may hold tabs only, so the list owns
          the tabs (aria-owns) and the row of tabs and buttons is only a layout. */}
      <div role="tablist" aria-label="Open consoles" aria-owns={open.map((c) => `console-tab-${c.key}`).join(' ')} />
      <Group gap={2} wrap="wrap" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        {open.map((c) => (
          <ConsoleTabButton key={c.key} c={c} active={c.key === active} />
        ))}
      </Group>
      <div style={{ position: 'relative', flex: 1, minHeight: 0 }}>
        {open.map((c) => {
          const shown = c.key === active;
          return (
            // Hidden panels keep their size (visibility, not display:none): the screens behind
            // them keep drawing and no guest is asked to resize to nothing.
            <div
              key={c.key}
              role="tabpanel"
              id={`console-panel-${c.key}`}
              aria-labelledby={`console-tab-${c.key}`}
              aria-hidden={!shown}
              inert={!shown}
              style={{ position: 'absolute', inset: 0, display: 'flex', flexDirection: 'column', visibility: shown ? 'visible' : 'hidden' }}
            >
              {c.detached ? <DetachedNotice c={c} /> : <ConsoleView vm={vmRef(c)} onDetach={() => detach(c)} />}
            </div>
          );
        })}
      </div>
    </Stack>
  );
}

/** Mounted once in the app shell: renders the workspace into its own node. */
export function ConsoleWorkspaceHost() {
  return createPortal(<ConsoleWorkspace />, nodes().workspace);
}

/** The Consoles page of the app shell. */
export function ConsolesPage() {
  return (
    <>
      <Title order={2} size="h3" mb="xs">
        Consoles
      </Title>
      <ConsoleSlot />
    </>
  );
}

/** A detached window's whole page: one console, nothing else. */
export function DetachedConsole({ vm }: { vm: VmRef }) {
  const { name } = vm;
  const hostLabel = useHostLabel(vm.hostId);
  useEffect(() => {
    document.title = `${name} on ${hostLabel} – VirtDeck`;
  }, [name, hostLabel]);
  return (
    <main aria-label={`Console of ${name} on ${hostLabel}`} style={{ height: '100dvh', display: 'flex', flexDirection: 'column', padding: 6, boxSizing: 'border-box' }}>
      <Title order={1} size="h5" mb={4}>
        {name}{' '}
        <Text span c="dimmed" size="sm">
          on {hostLabel}
        </Text>
      </Title>
      <ConsoleView vm={vm} />
    </main>
  );
}
