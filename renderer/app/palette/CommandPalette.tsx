// Ctrl/Cmd+K: type a few words ("start web-1", "console desk", "go hv2"), ↑/↓ to pick, Enter to
// run. A listbox driven from its input (aria-activedescendant), so screen readers follow it.
import { Kbd, Modal, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';
import { PRIMARY_ACTIONS, startVmAction } from '../../ui/vm-actions';
import { matchCommands, paletteCommands, type PaletteCommand } from './commands';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
export const PALETTE_SHORTCUT = isMac ? '⌘K' : 'Ctrl+K';

export function CommandPalette() {
  const [opened, setOpened] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const hosts = useFleet((s) => s.hosts);
  const vmsByHost = useFleet((s) => s.vmsByHost);
  const go = useNavigation((s) => s.go);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setQuery('');
        setActive(0);
        setOpened((o) => !o);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const all = useMemo(() => (opened ? paletteCommands(hosts, vmsByHost, PRIMARY_ACTIONS) : []), [opened, hosts, vmsByHost]);
  const shown = useMemo(() => matchCommands(all, query), [all, query]);
  const current = Math.min(active, Math.max(shown.length - 1, 0));

  const run = (c: PaletteCommand | undefined) => {
    if (!c) return;
    setOpened(false);
    if (c.kind === 'go') go(c.page);
    // Actions that ask first are not offered here, so nothing is asked.
    else startVmAction(c.spec, [{ vm: c.vm, host: c.host }], () => undefined);
  };

  return (
    <Modal opened={opened} onClose={() => setOpened(false)} title="Command palette" size="lg" yOffset="10vh">
      <TextInput
        data-autofocus
        role="combobox"
        aria-label="Command"
        aria-expanded
        aria-controls="vd-palette-list"
        aria-activedescendant={shown[current] ? `vd-palette-${current}` : undefined}
        placeholder="start web-1, console desk-1, go hv2…"
        value={query}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const n = shown.length;
            if (n) setActive((current + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            run(shown[current]);
          }
        }}
      />
      <div id="vd-palette-list" role="listbox" aria-label="Commands" style={{ maxHeight: '50vh', overflowY: 'auto', marginTop: 8 }}>
        {shown.map((c, i) => (
          <UnstyledButton
            key={c.id}
            id={`vd-palette-${i}`}
            role="option"
            aria-selected={i === current}
            tabIndex={-1}
            onMouseEnter={() => setActive(i)}
            onClick={() => run(c)}
            ref={(el) => {
              if (el && i === current) el.scrollIntoView({ block: 'nearest' });
            }}
            style={{ display: 'block', width: '100%', padding: '4px 8px', borderRadius: 4, background: i === current ? 'var(--mantine-primary-color-light)' : undefined }}
          >
            <Text size="sm" span>
              {c.label}
            </Text>
            {c.hint && (
              <Text size="xs" c="dimmed" span>
                {' '}
                · {c.hint}
              </Text>
            )}
          </UnstyledButton>
        ))}
        {shown.length === 0 && (
          <Text size="sm" c="dimmed" p="xs">
            No command matches.
          </Text>
        )}
      </div>
      <Text size="xs" c="dimmed" mt="xs">
        <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> to pick, <Kbd size="xs">Enter</Kbd> to run, <Kbd size="xs">Esc</Kbd> to close · {PALETTE_SHORTCUT} opens it anywhere
      </Text>
    </Modal>
  );
}
