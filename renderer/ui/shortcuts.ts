// Keyboard shortcuts for the lifecycle actions: Ctrl+Shift (⇧⌘ on a Mac) and the action's letter,
// on the fleet's selection or the VM page's VM. Shown in the buttons' tooltips, the palette and
// aria-keyshortcuts. Keys typed into a field stay the field's.
import { useEffect, useRef } from 'react';
import type { ActionSpec } from './vm-actions';

/** Each lifecycle action's letter: none that a browser keeps for itself with Ctrl+Shift (R
 *  reloads, C/I/J open its tools, N/T/W/Q are windows and tabs). */
export const ACTION_KEYS = { start: 'S', shutdown: 'D', reboot: 'E', suspend: 'P', resume: 'U', destroy: 'X' } as const;

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** How the shortcut reads on this platform, e.g. "Ctrl+Shift+S" or "⇧⌘S". */
export const shortcutLabel = (key: string): string => (isMac ? `⇧⌘${key}` : `Ctrl+Shift+${key}`);
/** The ARIA form, e.g. "Control+Shift+S". */
export const ariaShortcut = (key: string): string => `${isMac ? 'Meta' : 'Control'}+Shift+${key}`;

/** A button's tooltip: its own words, then the shortcut. */
export const withShortcut = (spec: ActionSpec, title?: string): string | undefined => (spec.key ? [title, `Shortcut: ${shortcutLabel(spec.key)}`].filter(Boolean).join('. ') : title);

/** The action whose shortcut this key press is, if any. */
export function actionForKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, specs: readonly ActionSpec[]): ActionSpec | undefined {
  if (!e.shiftKey || e.altKey || !(isMac ? e.metaKey : e.ctrlKey)) return undefined;
  return specs.find((s) => s.key && s.key.toLowerCase() === e.key.toLowerCase());
}

const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');

/** While mounted, the actions' shortcuts run `act` (the page decides on what). */
export function useActionShortcuts(specs: readonly ActionSpec[], act: (spec: ActionSpec) => void): void {
  const latest = useRef(act);
  latest.current = act;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const spec = actionForKey(e, specs);
      if (!spec || typing(e.target) || document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      e.preventDefault();
      latest.current(spec);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [specs]);
}
