// What the console toolbar needs of a graphical console, whichever protocol draws it (VNC through
// noVNC, SPICE through spice-client): keys a local keyboard cannot send, typed text, a screenshot.
import type { KeyStroke } from './vnc/keys';

export interface GraphicalConsole {
  ctrlAltDel(): void;
  /** Press the keys in order, release them in reverse. */
  chord(keys: readonly KeyStroke[]): void;
  /** Text as key presses, as if typed on the guest's keyboard. */
  typeText(text: string): void;
  screenshot(name: string): void;
  focus(): void;
}

/** Save a picture as `<name>-<time>.png`; `toBlob` as a canvas (or noVNC's RFB) has it. */
export function downloadPng(toBlob: (callback: (blob: Blob | null) => void, type: string) => void, name: string): void {
  toBlob((blob) => {
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }, 'image/png');
}
