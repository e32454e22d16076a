// The Console tab: the VM's screen (VNC through the host's SSH connection), its serial console, or
// a shell on its host, with a toolbar for the keys a local keyboard cannot send to a guest.
import type RFB from '@novnc/novnc';
import { Alert, Button, Group, Menu, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { TerminalConsole } from '../../components/console/TerminalConsole';
import { VncConsole } from '../../components/console/VncConsole';
import { ctrlAltF, KEY, keysymFor, type KeyStroke } from '../../components/console/keys';
import { statusText, type ConsoleStatus } from '../../components/console/reconnect';
import { useFleet } from '../../store/fleet';

type Mode = 'graphical' | 'serial' | 'shell';

/** Press the keys in order, release them in reverse (a chord). */
function sendChord(rfb: RFB, keys: KeyStroke[]): void {
  for (const k of keys) rfb.sendKey(k.keysym, k.code, true);
  for (const k of [...keys].reverse()) rfb.sendKey(k.keysym, k.code, false);
}

function typeText(rfb: RFB, text: string): void {
  for (const ch of text) {
    const keysym = keysymFor(ch);
    if (keysym !== null) rfb.sendKey(keysym, null);
  }
}

function saveScreenshot(rfb: RFB, name: string): void {
  rfb.toBlob((blob) => {
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }, 'image/png');
}

/** A SPICE-only VM: say so, and offer the one edit that fixes it. */
function SpiceOnly({ hostId, name, message }: { hostId: string; name: string; message: string }) {
  const [result, setResult] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function addVnc(): Promise<void> {
    setBusy(true);
    const xml = await api.call('vm.getXml', { hostId, name });
    const applied = xml.ok
      ? await api.call('vm.applyEdits', {
          hostId,
          name,
          baseXml: xml.value.persistent,
          edits: [{ kind: 'add-device', xml: "<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>" }],
        })
      : xml;
    setBusy(false);
    if (!applied.ok) setResult(applied.error.message);
    else if (applied.value.status === 'conflict') setResult('The VM changed meanwhile; nothing was written. Try again.');
    else setResult('A VNC display was added; it appears when the VM next starts.');
  }
  return (
    <Alert color="yellow" title="No VNC display">
      <Text size="sm">{message}</Text>
      <Group mt="xs">
        <Button size="compact-xs" onClick={() => void addVnc()} loading={busy} disabled={result !== undefined}>
          Add a VNC display
        </Button>
        {result && (
          <Text size="sm" role="status">
            {result}
          </Text>
        )}
      </Group>
    </Alert>
  );
}

export function ConsoleTab({ hostId, name }: { hostId: string; name: string }) {
  const hostLabel = useFleet((s) => s.hosts[hostId]?.config.label ?? hostId);
  const [mode, setMode] = useState<Mode>('graphical');
  const [status, setStatus] = useState<ConsoleStatus>({ kind: 'connecting' });
  const [rfb, setRfb] = useState<RFB>();
  const [typing, setTyping] = useState<string | null>(null);
  const [fullscreen, setFullscreen] = useState(false);
  const frame = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === frame.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const switchTo = (m: Mode) => {
    setStatus({ kind: 'connecting' });
    setRfb(undefined);
    setMode(m);
  };
  const graphical = mode === 'graphical';
  const keysDisabled = !rfb || status.kind !== 'connected';

  async function openTyping(): Promise<void> {
    // Prefill from the clipboard where the page may read it; otherwise the person pastes here.
    // A browser may hold readText() on a permission prompt: do not wait for it long.
    const read = navigator.clipboard?.readText?.().catch(() => '') ?? Promise.resolve('');
    const text = await Promise.race([read, new Promise<string>((r) => setTimeout(() => r(''), 300))]);
    setTyping(text);
  }

  return (
    <Stack
      ref={frame}
      gap={6}
      style={{ height: fullscreen ? '100vh' : 'max(360px, calc(100dvh - 300px))', background: fullscreen ? '#111' : undefined, padding: fullscreen ? 6 : 0 }}
    >
      <Group gap={6} role="toolbar" aria-label={`Console of ${name}`} wrap="wrap">
        <Button.Group>
          <Button size="compact-xs" variant={graphical ? 'filled' : 'default'} aria-pressed={graphical} onClick={() => switchTo('graphical')}>
            Graphical console
          </Button>
          <Button size="compact-xs" variant={mode === 'serial' ? 'filled' : 'default'} aria-pressed={mode === 'serial'} onClick={() => switchTo('serial')}>
            Serial console
          </Button>
          <Button size="compact-xs" variant={mode === 'shell' ? 'filled' : 'default'} aria-pressed={mode === 'shell'} onClick={() => switchTo('shell')}>
            Shell on {hostLabel}
          </Button>
        </Button.Group>
        {graphical && (
          <>
            <Button size="compact-xs" variant="default" disabled={keysDisabled} onClick={() => rfb?.sendCtrlAltDel()}>
              Send Ctrl+Alt+Del
            </Button>
            <Menu position="bottom-start" withinPortal>
              <Menu.Target>
                <Button size="compact-xs" variant="default" disabled={keysDisabled}>
                  Send key
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {Array.from({ length: 12 }, (_, i) => i + 1).map((n) => (
                  <Menu.Item key={n} onClick={() => rfb && sendChord(rfb, ctrlAltF(n))}>
                    Ctrl+Alt+F{n}
                  </Menu.Item>
                ))}
                <Menu.Item onClick={() => rfb && sendChord(rfb, [{ keysym: KEY.PrintScreen, code: 'PrintScreen' }])}>PrintScreen</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Button size="compact-xs" variant="default" disabled={keysDisabled} onClick={() => void openTyping()}>
              Type clipboard
            </Button>
            <Button size="compact-xs" variant="default" disabled={keysDisabled} onClick={() => rfb && saveScreenshot(rfb, name)}>
              Screenshot
            </Button>
          </>
        )}
        <Button
          size="compact-xs"
          variant="default"
          aria-pressed={fullscreen}
          onClick={() => (fullscreen ? void document.exitFullscreen() : void frame.current?.requestFullscreen())}
        >
          {fullscreen ? 'Exit fullscreen' : 'Fullscreen'}
        </Button>
        <Group gap={6} ml="auto" wrap="nowrap">
          {status.kind === 'disconnected' && status.reason && (
            <Text size="xs" c="dimmed" truncate maw={360} title={status.reason}>
              {status.reason}
            </Text>
          )}
          <Text size="xs" role="status" aria-label="Console status" c={status.kind === 'connected' ? 'green' : status.kind === 'disconnected' ? 'orange' : 'dimmed'}>
            {statusText(status)}
          </Text>
        </Group>
      </Group>

      {status.kind === 'unavailable' &&
        (status.code === 'spice-only' ? (
          <SpiceOnly hostId={hostId} name={name} message={status.message} />
        ) : (
          <Alert color="yellow" title="No console">
            {status.message}
          </Alert>
        ))}
      {graphical && status.kind !== 'unavailable' && <VncConsole hostId={hostId} name={name} onStatus={setStatus} onRfb={setRfb} />}
      {mode === 'serial' && <TerminalConsole hostId={hostId} name={name} kind="serial" label={`Serial console of ${name}`} onStatus={setStatus} />}
      {mode === 'shell' && <TerminalConsole hostId={hostId} kind="shell" label={`Shell on ${hostLabel}`} onStatus={setStatus} />}

      <Modal opened={typing !== null} onClose={() => setTyping(null)} title={`Type into ${name}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (rfb && typing) typeText(rfb, typing);
            setTyping(null);
            rfb?.focus();
          }}
        >
          <Textarea
            label="Text to type"
            description="Sent as key presses, as if typed on the guest's keyboard."
            autosize
            minRows={3}
            value={typing ?? ''}
            onChange={(e) => setTyping(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={() => setTyping(null)}>
              Cancel
            </Button>
            <Button type="submit">Type</Button>
          </Group>
        </form>
      </Modal>
    </Stack>
  );
}
