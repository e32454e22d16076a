// One console: the VM's screen (VNC through the host's SSH connection), its serial console, or a
// shell on its host, with a toolbar for the keys a local keyboard cannot send to a guest, the scale
// mode, and "Open in new window". Shown in a workspace tab or alone in a detached window.
import { Alert, Button, Checkbox, Group, Menu, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { GraphicalKind } from '../../../shared/contract';
import { TerminalConsole, type TerminalHandle } from './terminal/TerminalConsole';
import { VncConsole, type ScaleMode } from './vnc/VncConsole';
import { SpiceConsole } from './spice/SpiceConsole';
import { AddVncDisplay, DisplayChoice, useDisplayChoice } from './display-choice';
import type { GraphicalConsole } from './graphical';
import { ctrlAltF, KEY } from './vnc/keys';
import { statusText, type ConsoleStatus } from './reconnect';
import { useHostLabel } from '../../store/fleet';
import type { VmRef } from '../../store/vm-ref';
import { Choice } from '../../ui/Choice';

type Mode = 'graphical' | 'serial' | 'shell' | 'container-shell';

/** The clipboard's text where the page may read it ('' otherwise). A browser may hold readText()
 *  on a permission prompt, and the Electron app grants no clipboard-read: do not wait long. */
async function readClipboard(): Promise<string> {
  const read = navigator.clipboard?.readText?.().catch(() => '') ?? Promise.resolve('');
  return Promise.race([read, new Promise<string>((r) => setTimeout(() => r(''), 300))]);
}

/** Put text on the clipboard: the async API, or the copy command where that is not allowed. */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/** Text to send to the console (type into the guest, paste into a terminal); open while `text` is not null. */
function TextDialog(props: {
  text: string | null;
  onText(text: string | null): void;
  title: string;
  label: string;
  description: string;
  action: string;
  onSubmit(text: string): void;
}) {
  const { text, onText } = props;
  return (
    <Modal opened={text !== null} onClose={() => onText(null)} title={props.title}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onText(null);
          props.onSubmit(text ?? '');
        }}
      >
        <Textarea label={props.label} description={props.description} autosize minRows={3} value={text ?? ''} onChange={(e) => onText(e.currentTarget.value)} data-autofocus />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={() => onText(null)}>
            Cancel
          </Button>
          <Button type="submit">{props.action}</Button>
        </Group>
      </form>
    </Modal>
  );
}

export function ConsoleView({ vm, onDetach }: { vm: VmRef; onDetach?: () => void }) {
  const { hostId, name, driver } = vm;
  const hostLabel = useHostLabel(hostId);
  // A container has a text console only (its pty), no display.
  const container = driver === 'lxc' || driver === 'lxc-tools';
  // An LXC-tools container also has a shell in it (lxc-attach) beside its console (lxc-console).
  const lxcTools = driver === 'lxc-tools';
  const [mode, setMode] = useState<Mode>(container ? 'serial' : 'graphical');
  const [status, setStatus] = useState<ConsoleStatus>({ kind: 'connecting' });
  const [handle, setHandle] = useState<GraphicalConsole>();
  const [display, setDisplay] = useDisplayChoice(vm);
  const [displays, setDisplays] = useState<GraphicalKind[]>([]);
  const [scale, setScale] = useState<ScaleMode>('fit');
  const [resizeGuest, setResizeGuest] = useState(false);
  const [resizeWhyNot, setResizeWhyNot] = useState<string | undefined>('Not connected yet');
  const canResize = resizeWhyNot === undefined;
  const terminal = useRef<TerminalHandle>(null);
  const [typing, setTyping] = useState<string | null>(null);
  const [pasting, setPasting] = useState<string | null>(null);
  const [fullscreen, setFullscreen] = useState(false);
  const frame = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === frame.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const switchTo = (m: Mode) => {
    setStatus({ kind: 'connecting' });
    setHandle(undefined);
    setMode(m);
  };
  const graphical = mode === 'graphical';
  const keysDisabled = !handle || status.kind !== 'connected';

  async function openTyping(): Promise<void> {
    setTyping(await readClipboard());
  }

  /** Paste straight from the clipboard where the page may read it; otherwise ask for the text. */
  async function openPasting(): Promise<void> {
    const text = await readClipboard();
    if (text) terminal.current?.paste(text);
    else setPasting('');
  }

  return (
    <Stack
      ref={frame}
      gap={6}
      style={{ height: '100%', background: fullscreen ? 'var(--vd-console-frame)' : undefined, padding: fullscreen ? 6 : 0 }}
    >
      <Group gap={6} role="toolbar" aria-label={`Console of ${name}`} wrap="wrap">
        <Button.Group>
          {!container && (
            <Button size="compact-xs" variant={graphical ? 'filled' : 'default'} aria-pressed={graphical} onClick={() => switchTo('graphical')}>
              Graphical console
            </Button>
          )}
          <Button size="compact-xs" variant={mode === 'serial' ? 'filled' : 'default'} aria-pressed={mode === 'serial'} onClick={() => switchTo('serial')}>
            {lxcTools ? 'Console' : 'Serial console'}
          </Button>
          {lxcTools && (
            <Button size="compact-xs" variant={mode === 'container-shell' ? 'filled' : 'default'} aria-pressed={mode === 'container-shell'} onClick={() => switchTo('container-shell')}>
              Shell in {name}
            </Button>
          )}
          <Button size="compact-xs" variant={mode === 'shell' ? 'filled' : 'default'} aria-pressed={mode === 'shell'} onClick={() => switchTo('shell')}>
            Shell on {hostLabel}
          </Button>
        </Button.Group>
        {graphical && (
          <>
            <DisplayChoice display={display} displays={displays} onChange={(d) => (setHandle(undefined), setStatus({ kind: 'connecting' }), setDisplay(d))} />
            <Button size="compact-xs" variant="default" disabled={keysDisabled} onClick={() => handle?.ctrlAltDel()}>
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
                  <Menu.Item key={n} onClick={() => handle?.chord(ctrlAltF(n))}>
                    Ctrl+Alt+F{n}
                  </Menu.Item>
                ))}
                <Menu.Item onClick={() => handle?.chord([{ keysym: KEY.PrintScreen, code: 'PrintScreen' }])}>PrintScreen</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Button size="compact-xs" variant="default" disabled={keysDisabled} onClick={() => void openTyping()}>
              Type clipboard
            </Button>
            <Button size="compact-xs" variant="default" disabled={keysDisabled} onClick={() => handle?.screenshot(name)}>
              Screenshot
            </Button>
            <Choice label="Scale" value={scale} onChange={setScale} options={[['fit', 'Fit to window'], ['crisp', '1:1 (crisp)']]} />
            <Checkbox
              size="xs"
              label="Resize guest to window"
              // The fullscreen frame is dark whatever the theme: keep the label readable on it.
              styles={fullscreen ? { label: { color: 'var(--mantine-color-gray-4)' } } : undefined}
              checked={resizeGuest && canResize && scale === 'fit' && display === 'vnc'}
              disabled={!canResize || scale !== 'fit' || display !== 'vnc'}
              title={
                !canResize
                  ? resizeWhyNot
                  : scale !== 'fit'
                    ? '1:1 shows the guest at its own size'
                    : "Ask the guest to take the size of this window (the guest's display driver decides)"
              }
              onChange={(e) => setResizeGuest(e.currentTarget.checked)}
            />
          </>
        )}
        {!graphical && (
          <>
            <Button
              size="compact-xs"
              variant="default"
              title="Copy the selection (or, with none, the whole screen)"
              disabled={status.kind !== 'connected'}
              onClick={() => void copyText(terminal.current?.selection() ?? '')}
            >
              Copy
            </Button>
            <Button size="compact-xs" variant="default" disabled={status.kind !== 'connected'} onClick={() => void openPasting()}>
              Paste
            </Button>
          </>
        )}
        {onDetach && (
          <Button size="compact-xs" variant="default" onClick={onDetach}>
            Open in new window
          </Button>
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

      {status.kind === 'unavailable' && (
        <Alert color="yellow" title="No console">
          {status.message}
        </Alert>
      )}
      {graphical && display === 'spice' && displays.length > 0 && !displays.includes('vnc') && <AddVncDisplay vm={vm} />}
      {graphical && status.kind !== 'unavailable' && display === 'vnc' && (
        <VncConsole
          vm={vm}
          scale={scale}
          resizeGuest={resizeGuest}
          onStatus={(s) => (s.kind === 'unavailable' && s.code === 'spice-only' ? setDisplay('spice', false) : setStatus(s))}
          onHandle={setHandle}
          onDisplays={setDisplays}
          onCanResize={setResizeWhyNot}
        />
      )}
      {graphical && status.kind !== 'unavailable' && display === 'spice' && (
        <SpiceConsole
          vm={vm}
          scale={scale}
          onStatus={(s) => (s.kind === 'unavailable' && s.code === 'vnc-only' ? setDisplay('vnc', false) : setStatus(s))}
          onHandle={setHandle}
          onDisplays={setDisplays}
        />
      )}
      {mode === 'serial' && <TerminalConsole ref={terminal} hostId={hostId} name={name} driver={driver} kind="serial" label={`Serial console of ${name}`} onStatus={setStatus} />}
      {mode === 'container-shell' && <TerminalConsole ref={terminal} hostId={hostId} name={name} driver={driver} kind="shell" label={`Shell in ${name}`} onStatus={setStatus} />}
      {mode === 'shell' && <TerminalConsole ref={terminal} hostId={hostId} kind="shell" label={`Shell on ${hostLabel}`} onStatus={setStatus} />}

      <TextDialog
        text={typing}
        onText={setTyping}
        title={`Type into ${name}`}
        label="Text to type"
        description="Sent as key presses, as if typed on the guest's keyboard."
        action="Type"
        onSubmit={(text) => {
          if (handle && text) handle.typeText(text);
          handle?.focus();
        }}
      />
      <TextDialog
        text={pasting}
        onText={setPasting}
        title={`Paste into ${mode === 'shell' ? `the shell on ${hostLabel}` : mode === 'container-shell' ? `the shell in ${name}` : `the serial console of ${name}`}`}
        label="Text to paste"
        description="The clipboard could not be read here: paste (Ctrl+V) or type the text."
        action="Paste"
        onSubmit={(text) => text && terminal.current?.paste(text)}
      />
    </Stack>
  );
}
