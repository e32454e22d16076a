// A VM's SPICE display: spice-client (a TypeScript port of spice-html5) drawing into a canvas,
// each SPICE channel a WebSocket that the backend bridges through the host's one SSH connection.
// Scale modes, password, reconnect and toolbar keys as for VNC (VncConsole).
import { Text } from '@mantine/core';
import { PasswordPrompt } from '../password-prompt';
import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../../../app/api';
import { ConsoleOpenError, consoleSocketUrl } from '../console-channel';
import { downloadPng, type GraphicalConsole } from '../graphical';
import { keepConsoleOpen, useReopenWhenBack, type ConsoleStatus } from '../reconnect';
import type { ScaleMode } from '../vnc/VncConsole';
import type { GraphicalKind } from '../../../../shared/contract';
import type { VmRef } from '../../../store/vm-ref';
import { useDevicePixelRatio } from '../dpr';

type Session = import('./spice-session').SpiceSession;

function spiceHandle(session: Session, canvas: () => HTMLCanvasElement | null): GraphicalConsole {
  return {
    ctrlAltDel: () => session.chord(['ControlLeft', 'AltLeft', 'Delete']),
    chord: (keys) => session.chord(keys.map((k) => k.code ?? '')),
    typeText: (text) => session.typeText(text),
    screenshot: (name) => {
      const c = canvas();
      if (c) downloadPng((cb, type) => c.toBlob(cb, type), name);
    },
    focus: () => canvas()?.focus(),
  };
}

export function SpiceConsole({
  vm: { hostId, name },
  scale,
  onStatus,
  onHandle,
  onDisplays,
}: {
  vm: VmRef;
  scale: ScaleMode;
  onStatus: (s: ConsoleStatus) => void;
  onHandle: (h: GraphicalConsole | undefined) => void;
  onDisplays: (d: GraphicalKind[]) => void;
}) {
  const screenId = `spice-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const screen = useRef<HTMLDivElement>(null);
  const [canvas, setCanvas] = useState<HTMLCanvasElement | null>(null);
  const [fb, setFb] = useState<{ w: number; h: number }>();
  const [asking, setAsking] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const typed = useRef<string | undefined>(undefined);
  const callbacks = useRef({ onStatus, onHandle, onDisplays });
  callbacks.current = { onStatus, onHandle, onDisplays };
  const dpr = useDevicePixelRatio();
  const [attempt, setAttempt] = useState(0);
  const retry = useReopenWhenBack(hostId, name);

  useEffect(() => {
    let refused = false;
    const link = keepConsoleOpen(
      async () => {
        if (window.virtdeck?.attachConsole) throw new ConsoleOpenError('unsupported', 'SPICE consoles are shown in browser mode for now; in the app, use the VNC display or remote-viewer.');
        const outcome = await api.call('console.open', { hostId, name, kind: 'spice' });
        if (!outcome.ok) throw new ConsoleOpenError(outcome.error.code, outcome.error.message);
        const ticket = outcome.value;
        callbacks.current.onDisplays(ticket.displays ?? ['spice']);
        const { SpiceSession } = await import('./spice-session');
        let ready!: () => void;
        let failed!: (e: Error) => void;
        const started = new Promise<void>((resolve, reject) => ((ready = resolve), (failed = reject)));
        let end!: (reason: string | undefined) => void;
        const ended = new Promise<string | undefined>((resolve) => (end = resolve));
        const session = new SpiceSession({
          url: consoleSocketUrl(ticket.consoleId),
          password: typed.current ?? ticket.spicePassword ?? '',
          screenId,
          onReady: () => ready(),
          onEnd: (reason, wasRefused) => {
            refused ||= wasRefused;
            failed(new Error(reason));
            end(reason);
          },
        });
        void ended.then(() => {
          screen.current?.replaceChildren();
          callbacks.current.onHandle(undefined);
        });
        await started;
        setAsking(null);
        callbacks.current.onHandle(spiceHandle(session, () => screen.current?.querySelector('canvas') ?? null));
        return { ended, close: () => (session.stop(), screen.current?.replaceChildren()) };
      },
      (s) => {
        // A refused password will be refused again: stop and ask instead of retrying.
        if (refused && s.kind === 'disconnected') {
          link.stop();
          setAsking(`${name}'s SPICE display refused the password${typed.current !== undefined ? ' you typed' : ' from its domain XML'}.`);
          callbacks.current.onStatus({ kind: 'needs-password' });
          return;
        }
        callbacks.current.onStatus(s);
      },
    );
    retry.current = link.retryNow;
    return () => {
      link.stop();
      retry.current = () => undefined;
      callbacks.current.onHandle(undefined);
    };
  }, [hostId, name, attempt, screenId]);

  // spice-client appends its canvas (and sets the box's height to the guest's): follow it.
  useEffect(() => {
    const box = screen.current;
    if (!box) return;
    const read = () => {
      const c = box.querySelector('canvas');
      setCanvas(c);
      if (c && c.width > 0) setFb({ w: c.width, h: c.height });
    };
    const observer = new MutationObserver(read);
    observer.observe(box, { childList: true, subtree: true, attributes: true, attributeFilter: ['width', 'height', 'style'] });
    return () => observer.disconnect();
  }, []);

  const crisp = scale === 'crisp' && fb !== undefined;
  useEffect(() => {
    const box = screen.current;
    if (!canvas || !box) return;
    box.style.height = crisp ? `${fb.h / dpr}px` : '100%';
    Object.assign(canvas.style, crisp
      ? { width: `${fb.w / dpr}px`, height: `${fb.h / dpr}px`, maxWidth: 'none', maxHeight: 'none' }
      : { width: '100%', height: '100%', maxWidth: '100%', maxHeight: '100%', objectFit: 'contain' });
    canvas.style.display = 'block';
    canvas.style.outline = 'none';
  }, [canvas, crisp, fb, dpr]);

  return (
    <>
      {asking && (
        <PasswordPrompt
          label="SPICE password"
          reason={asking}
          value={password}
          onChange={setPassword}
          onSubmit={() => {
            typed.current = password;
            setAsking(null);
            setAttempt((n) => n + 1);
          }}
        />
      )}
      <div
        role="img"
        aria-label={`Screen of ${name}`}
        data-scale={scale}
        data-display="spice"
        onClick={() => canvas?.focus()}
        style={{ flex: 1, minHeight: 0, width: '100%', overflow: crisp ? 'auto' : 'hidden', background: 'var(--vd-console-frame)', display: 'flex' }}
      >
        <div
          id={screenId}
          ref={screen}
          style={crisp ? { width: `${fb.w / dpr}px`, flex: 'none', margin: 'auto' } : { width: '100%', height: '100%' }}
        />
      </div>
      {scale === 'crisp' && !fb && (
        <Text size="xs" c="dimmed">
          waiting for the first picture…
        </Text>
      )}
    </>
  );
}
