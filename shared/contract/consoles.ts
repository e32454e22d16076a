// Consoles: a VM's VNC display or serial console, or a shell on the host, as a byte stream.
import type { VmDriver } from './vms';

/** vnc: the VM's graphical console (RFB bytes); serial: `virsh console` on a pty; shell: a login
 *  shell on the host itself (name not needed). */
export type ConsoleKind = 'vnc' | 'serial' | 'shell';

export interface ConsoleTicket {
  consoleId: string;
  kind: ConsoleKind;
  /** The VNC password from the domain XML (`dumpxml --security-info`), when it has one. */
  vncPassword?: string;
}

/** Control frames of a terminal console (text frames; data travels as binary frames). */
export type ConsoleControl = { resize: { cols: number; rows: number } };

export interface ConsoleMethods {
  /** Prepare a console: a one-time id that the console byte stream (browser mode: the /console
   *  WebSocket; Electron: a MessagePort) must present within 30 s. Fails with code 'spice-only'
   *  when the VM has SPICE but no VNC display, 'not-running' when it has no live display. */
  'console.open': { params: { hostId: string; name?: string; driver?: VmDriver; kind: ConsoleKind }; result: ConsoleTicket };
}
