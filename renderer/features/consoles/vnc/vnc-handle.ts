// noVNC's RFB behind the console toolbar's interface.
import type RFB from '@novnc/novnc';
import { downloadPng, type GraphicalConsole } from '../graphical';
import { keysymFor } from './keys';

export function vncHandle(rfb: RFB): GraphicalConsole {
  return {
    ctrlAltDel: () => rfb.sendCtrlAltDel(),
    chord(keys) {
      for (const k of keys) rfb.sendKey(k.keysym, k.code, true);
      for (const k of [...keys].reverse()) rfb.sendKey(k.keysym, k.code, false);
    },
    typeText(text) {
      for (const ch of text) {
        const keysym = keysymFor(ch);
        if (keysym !== null) rfb.sendKey(keysym, null);
      }
    },
    screenshot: (name) => downloadPng((cb, type) => rfb.toBlob(cb, type), name),
    focus: () => rfb.focus(),
  };
}
