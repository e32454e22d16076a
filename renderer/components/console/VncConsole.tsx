// A VM's graphical console: noVNC's RFB over a ConsoleChannel (the backend tunnels it through the
// host's SSH connection). Scaled to fit its box; asks for a password only when the domain XML had
// none to give.
import RFB from '@novnc/novnc';
import { Button, Group, PasswordInput } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { connectConsole } from './console-channel';
import { keepConsoleOpen, useRetryWhenHostOnline, type ConsoleStatus } from './reconnect';

export function VncConsole({
  hostId,
  name,
  onStatus,
  onRfb,
}: {
  hostId: string;
  name: string;
  onStatus: (s: ConsoleStatus) => void;
  onRfb: (rfb: RFB | undefined) => void;
}) {
  const screen = useRef<HTMLDivElement>(null);
  const [asking, setAsking] = useState<RFB | null>(null);
  const [password, setPassword] = useState('');
  const callbacks = useRef({ onStatus, onRfb });
  callbacks.current = { onStatus, onRfb };

  const retry = useRef<() => void>(() => undefined);
  useRetryWhenHostOnline(hostId, useCallback(() => retry.current(), []), name);

  useEffect(() => {
    const link = keepConsoleOpen(
      async () => {
        const { channel, ticket } = await connectConsole({ hostId, name, kind: 'vnc' });
        const rfb = new RFB(screen.current!, channel as unknown as WebSocket, {
          shared: true,
          ...(ticket.vncPassword ? { credentials: { password: ticket.vncPassword } } : {}),
        });
        channel.flush();
        rfb.scaleViewport = true;
        rfb.resizeSession = true;
        rfb.background = 'var(--mantine-color-dark-9, #111)';
        rfb.addEventListener('credentialsrequired', () => setAsking(rfb));
        const ended = new Promise<string | undefined>((resolve) => {
          rfb.addEventListener('disconnect', () => {
            setAsking(null);
            callbacks.current.onRfb(undefined);
            resolve(undefined);
          });
          rfb.addEventListener('securityfailure', (e) => resolve((e as CustomEvent<{ reason?: string }>).detail.reason ?? 'The VNC server refused the password'));
        });
        await new Promise<void>((resolve, reject) => {
          rfb.addEventListener('connect', () => resolve(), { once: true });
          void ended.then((reason) => reject(new Error(reason ?? 'The VNC connection closed during its handshake')));
        });
        callbacks.current.onRfb(rfb);
        return { ended, close: () => rfb.disconnect() };
      },
      (s) => callbacks.current.onStatus(s),
    );
    retry.current = link.retryNow;
    return () => {
      link.stop(); // disconnects the RFB, which removes its canvas
      retry.current = () => undefined;
      callbacks.current.onRfb(undefined);
    };
  }, [hostId, name]);

  return (
    <>
      {asking && (
        <Group
          component="form"
          gap="xs"
          onSubmit={(e) => {
            e.preventDefault();
            asking.sendCredentials({ password });
            setAsking(null);
          }}
        >
          <PasswordInput size="xs" label="VNC password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoFocus />
          <Button size="xs" type="submit" mt="lg">
            Connect
          </Button>
        </Group>
      )}
      <div ref={screen} role="img" aria-label={`Screen of ${name}`} style={{ flex: 1, minHeight: 0, width: '100%', overflow: 'hidden', background: '#111' }} />
    </>
  );
}
