// A terminal on a pty channel: the VM's serial console (`virsh console --force`) or a shell on the
// hypervisor. xterm.js fitted to its box; the pty follows its size. Copy and paste are xterm's own
// (select to copy with the context menu or Ctrl+Insert, paste with Ctrl+Shift+V / Shift+Insert),
// and the toolbar's Copy / Paste buttons use the handle below.
import { Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { ConsoleKind, VmDriver } from '../../../../shared/contract';
import { connectConsole, type ConsoleChannel } from '../console-channel';
import { keepConsoleOpen, useReopenWhenBack, type ConsoleStatus } from '../reconnect';
import { linkDecision } from './links';

interface CellSize {
  width: number;
  height: number;
}

/** xterm's measured cell size (not public API in v6: read defensively). */
function cellSize(term: Terminal): CellSize | null {
  const core = (term as unknown as { _core?: { _renderService?: { dimensions?: { css?: { cell?: CellSize } } } } })._core;
  const cell = core?._renderService?.dimensions?.css?.cell;
  return cell && cell.width > 0 && cell.height > 0 ? cell : null;
}

/** Fit the terminal's rows and columns to its box. */
function fit(term: Terminal, box: HTMLElement): void {
  const cell = cellSize(term);
  if (!cell) return;
  const cols = Math.max(20, Math.floor((box.clientWidth - 14) / cell.width));
  const rows = Math.max(5, Math.floor((box.clientHeight - 4) / cell.height));
  if (cols !== term.cols || rows !== term.rows) term.resize(cols, rows);
}

/** What the toolbar does with a terminal. */
export interface TerminalHandle {
  /** The selected text, or the whole screen when nothing is selected. */
  selection(): string;
  /** Sends text as if pasted (bracketed when the program asked for it). */
  paste(text: string): void;
}

export function TerminalConsole({
  ref,
  hostId,
  name,
  driver,
  kind,
  label,
  onStatus,
}: {
  ref?: Ref<TerminalHandle>;
  hostId: string;
  name?: string;
  /** 'lxc': the console of a container (virsh -c lxc:///system console). */
  driver?: VmDriver;
  kind: Extract<ConsoleKind, 'serial' | 'shell'>;
  label: string;
  onStatus: (s: ConsoleStatus) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | undefined>(undefined);
  /** A link the person clicked in the terminal, waiting for their yes (see links.ts). */
  const [link, setLink] = useState<string>();
  useImperativeHandle(
    ref,
    () => ({
      selection() {
        const term = termRef.current;
        if (!term) return '';
        if (term.hasSelection()) return term.getSelection();
        term.selectAll();
        const all = term.getSelection().replace(/\s+$/, '');
        term.clearSelection();
        return all;
      },
      paste(text: string) {
        termRef.current?.paste(text);
        termRef.current?.focus();
      },
    }),
    [],
  );
  const statusRef = useRef(onStatus);
  statusRef.current = onStatus;

  const retry = useReopenWhenBack(hostId, name);

  useEffect(() => {
    const term = new Terminal({
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5000,
      convertEol: false,
      theme: { background: '#111111' },
      // Replaces xterm's default (window.confirm, then open): ask in our own dialog.
      linkHandler: {
        activate: (_event, text) => {
          const d = linkDecision(text);
          if (d.open) setLink(d.url);
        },
      },
    });
    term.open(box.current!);
    termRef.current = term;
    fit(term, box.current!);
    let channel: ConsoleChannel | undefined;
    let wasConnected = false;
    const encoder = new TextEncoder();
    const input = term.onData((s) => channel?.send(encoder.encode(s)));
    const binary = term.onBinary((s) => channel?.send(Uint8Array.from(s, (c) => c.charCodeAt(0))));
    const resized = term.onResize(({ cols, rows }) => channel?.control({ resize: { cols, rows } }));
    const observer = new ResizeObserver(() => fit(term, box.current!));
    observer.observe(box.current!);

    const link = keepConsoleOpen(
      async () => {
        const opened = await connectConsole({ hostId, name, kind, ...(driver ? { driver } : {}) }, { cols: term.cols, rows: term.rows });
        const ch = opened.channel;
        channel = ch;
        const ended = new Promise<string | undefined>((resolve) => {
          ch.onclose = (e) => {
            if (channel === ch) channel = undefined;
            resolve(e.reason || undefined);
          };
        });
        ch.onmessage = (e) => term.write(new Uint8Array(e.data));
        ch.flush();
        term.focus();
        return { ended, close: () => ch.close() };
      },
      (s) => {
        if (s.kind === 'disconnected' && wasConnected) term.write('\r\n\x1b[2m[disconnected – reconnecting…]\x1b[0m\r\n');
        wasConnected = s.kind === 'connected';
        statusRef.current(s);
      },
    );
    retry.current = link.retryNow;
    return () => {
      link.stop();
      retry.current = () => undefined;
      observer.disconnect();
      input.dispose();
      binary.dispose();
      resized.dispose();
      termRef.current = undefined;
      term.dispose();
    };
  }, [hostId, name, kind]);

  return (
    <>
      <div ref={box} role="region" aria-label={label} style={{ flex: 1, minHeight: 0, width: '100%', background: '#111', padding: '2px 0 2px 6px' }} />
      <Modal opened={link !== undefined} onClose={() => setLink(undefined)} title="Open a link from the console?" centered>
        <Stack gap="sm">
          <Text size="sm">Text in this console asks to open this address. Anyone who can print to the console can write such a link: open it only if you trust it.</Text>
          <Code block aria-label="Link address">
            {link}
          </Code>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setLink(undefined)}>
              Cancel
            </Button>
            <Button
              onClick={() => {
                // Electron's window-open handler hands a web address to the system browser;
                // browser mode opens a tab that cannot reach back to this page.
                window.open(link, '_blank', 'noopener,noreferrer');
                setLink(undefined);
              }}
            >
              Open link
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
