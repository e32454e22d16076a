// A VM's graphical console: noVNC's RFB over a ConsoleChannel (the backend tunnels it through the
// host's SSH connection). Two scale modes: "fit" scales the framebuffer to the box (CSS), "crisp"
// maps one framebuffer pixel to one device pixel (devicePixelRatio, so HiDPI and fractional
// scaling stay sharp; scrolls when larger than the box). "Resize guest" asks the VNC server to
// follow the box where it announced that it can (ExtendedDesktopSize). The VNC password comes
// from the domain XML when it has one; the person is asked when there is none or it is refused.
import RFB from '@novnc/novnc';
import { Text } from '@mantine/core';
import { PasswordPrompt } from '../password-prompt';
import { useEffect, useRef, useState } from 'react';
import { connectConsole } from '../console-channel';
import { keepConsoleOpen, useReopenWhenBack, type ConsoleStatus } from '../reconnect';
import { useDevicePixelRatio } from '../dpr';
import type { GraphicalConsole } from '../graphical';
import type { GraphicalKind } from '../../../../shared/contract';
import { vncHandle } from './vnc-handle';
import type { VmRef } from '../../../store/vm-ref';

export type ScaleMode = 'fit' | 'crisp';

/** noVNC learns whether the server takes SetDesktopSize from its first ExtendedDesktopSize rect
 *  but exposes it on no public property or event: read it defensively. */
const serverCanResize = (rfb: RFB): boolean => (rfb as unknown as { _supportsSetDesktopSize?: boolean })._supportsSetDesktopSize === true;
const NOT_ANNOUNCED = 'The VNC server did not announce that it can resize (ExtendedDesktopSize)';
// QEMU also sends that announcement when a card that cannot follow a window changes mode (a guest
// booting into its framebuffer), so the card's model decides first.
const CARD_CANNOT = "The guest's video card cannot take a window's size (only virtio and QXL video can)";

export function VncConsole({
  vm: { hostId, name },
  scale,
  resizeGuest,
  onStatus,
  onHandle,
  onDisplays,
  onCanResize,
}: {
  vm: VmRef;
  scale: ScaleMode;
  resizeGuest: boolean;
  onStatus: (s: ConsoleStatus) => void;
  onHandle: (h: GraphicalConsole | undefined) => void;
  onDisplays: (d: GraphicalKind[]) => void;
  /** Why the guest cannot be resized to the window now; undefined when it can. */
  onCanResize: (whyNot: string | undefined) => void;
}) {
  const screen = useRef<HTMLDivElement>(null);
  const [rfb, setRfb] = useState<RFB>();
  /** The framebuffer's size in pixels (the canvas's width and height). */
  const [fb, setFb] = useState<{ w: number; h: number }>();
  /** Why a password is asked: the server asked and the XML had none, or it refused the one used. */
  const [asking, setAsking] = useState<{ reason: string; rfb?: RFB } | null>(null);
  const [password, setPassword] = useState('');
  /** A password the person typed: used on every reconnect of this view. */
  const typed = useRef<string | undefined>(undefined);
  const callbacks = useRef({ onStatus, onHandle, onDisplays, onCanResize });
  callbacks.current = { onStatus, onHandle, onDisplays, onCanResize };
  const settings = useRef({ scale, resizeGuest });
  settings.current = { scale, resizeGuest };
  const dpr = useDevicePixelRatio();
  const [attempt, setAttempt] = useState(0);
  /** The VM's primary video card can follow a window size (from the console ticket). */
  const resizable = useRef(true);

  const retry = useReopenWhenBack(hostId, name);

  useEffect(() => {
    let refused = false;
    const link = keepConsoleOpen(
      async () => {
        const { channel, ticket } = await connectConsole({ hostId, name, kind: 'vnc' });
        callbacks.current.onDisplays(ticket.displays ?? ['vnc']);
        resizable.current = ticket.resizable !== false;
        const password = typed.current ?? ticket.vncPassword;
        const r = new RFB(screen.current!, channel as unknown as WebSocket, {
          shared: true,
          ...(password !== undefined ? { credentials: { password } } : {}),
        });
        channel.flush();
        // Both modes scale: "crisp" sizes the box to framebuffer / devicePixelRatio, so the
        // scale noVNC computes is exactly one framebuffer pixel per device pixel.
        r.scaleViewport = true;
        r.resizeSession = settings.current.scale === 'fit' && settings.current.resizeGuest;
        r.background = 'var(--vd-console-frame)';
        r.addEventListener('credentialsrequired', () => {
          setAsking({ reason: `${name}'s VNC display asks for a password, and its domain XML has none to give.`, rfb: r });
          callbacks.current.onStatus({ kind: 'needs-password' });
        });
        const ended = new Promise<string | undefined>((resolve) => {
          r.addEventListener('disconnect', () => resolve(undefined));
          r.addEventListener('securityfailure', (e) => {
            refused = true;
            resolve((e as CustomEvent<{ reason?: string }>).detail.reason || 'The VNC server refused the password');
          });
        });
        void ended.then(() => {
          setRfb((cur) => (cur === r ? undefined : cur));
          callbacks.current.onHandle(undefined);
        });
        await new Promise<void>((resolve, reject) => {
          r.addEventListener('connect', () => resolve(), { once: true });
          void ended.then((reason) => reject(new Error(reason ?? 'The VNC connection closed during its handshake')));
        });
        setAsking(null);
        setRfb(r);
        callbacks.current.onHandle(vncHandle(r));
        return { ended, close: () => r.disconnect() };
      },
      (s) => {
        // A refused password will be refused again: stop and ask instead of retrying.
        if (refused && s.kind === 'disconnected') {
          link.stop();
          setAsking({ reason: `${name}'s VNC display refused the password${typed.current !== undefined ? ' you typed' : ' from its domain XML'}.` });
          callbacks.current.onStatus({ kind: 'needs-password' });
          return;
        }
        callbacks.current.onStatus(s);
      },
    );
    retry.current = link.retryNow;
    return () => {
      link.stop(); // disconnects the RFB, which removes its canvas
      retry.current = () => undefined;
      setRfb(undefined);
      callbacks.current.onHandle(undefined);
    };
  }, [hostId, name, attempt]);

  // The framebuffer's size follows the canvas (noVNC sets its width/height on every resize).
  useEffect(() => {
    if (!rfb) return;
    const canvas = screen.current?.querySelector('canvas');
    if (!canvas) return;
    const read = () => {
      if (canvas.width > 0 && canvas.height > 0) setFb({ w: canvas.width, h: canvas.height });
      callbacks.current.onCanResize(!resizable.current ? CARD_CANNOT : serverCanResize(rfb) ? undefined : NOT_ANNOUNCED);
    };
    read();
    const observer = new MutationObserver(read);
    observer.observe(canvas, { attributes: true, attributeFilter: ['width', 'height'] });
    return () => {
      observer.disconnect();
      callbacks.current.onCanResize(NOT_ANNOUNCED);
    };
  }, [rfb]);

  useEffect(() => {
    if (rfb) rfb.resizeSession = scale === 'fit' && resizeGuest;
  }, [rfb, scale, resizeGuest]);

  const crisp = scale === 'crisp' && fb !== undefined;
  return (
    <>
      {asking && (
        <PasswordPrompt
          label="VNC password"
          reason={asking.reason}
          value={password}
          onChange={setPassword}
          onSubmit={() => {
            typed.current = password;
            if (asking.rfb) asking.rfb.sendCredentials({ password });
            else setAttempt((n) => n + 1);
            setAsking(null);
          }}
        />
      )}
      <div
        role="img"
        aria-label={`Screen of ${name}`}
        data-scale={scale}
        style={{ flex: 1, minHeight: 0, width: '100%', overflow: crisp ? 'auto' : 'hidden', background: 'var(--vd-console-frame)', display: 'flex' }}
      >
        <div
          ref={screen}
          style={
            crisp
              ? // One framebuffer pixel per device pixel; margin auto centres it when smaller.
                { width: `${fb.w / dpr}px`, height: `${fb.h / dpr}px`, flex: 'none', margin: 'auto' }
              : { width: '100%', height: '100%' }
          }
        />
      </div>
      {scale === 'crisp' && !fb && rfb && (
        <Text size="xs" c="dimmed">
          waiting for the first picture…
        </Text>
      )}
    </>
  );
}
