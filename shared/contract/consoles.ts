// Consoles: a VM's VNC or SPICE display or serial console, or a shell on the host, as byte streams.
import type { VmDriver } from './vms';

/** The graphical displays VirtDeck shows. */
export type GraphicalKind = 'vnc' | 'spice';

/** vnc: the VM's VNC display (RFB bytes); spice: its SPICE display (one stream per SPICE channel);
 *  serial: `virsh console` on a pty; shell: a login shell on the host itself (name not needed). */
export type ConsoleKind = GraphicalKind | 'serial' | 'shell';

export interface ConsoleTicket {
  consoleId: string;
  kind: ConsoleKind;
  /** The display's password from the domain XML (`dumpxml --security-info`), when it has one. */
  vncPassword?: string;
  spicePassword?: string;
  /** vnc and spice: the graphical displays the running VM has, in the XML's order. */
  displays?: GraphicalKind[];
  /** vnc and spice: the VM's primary video card can take a window's size (virtio, QXL). */
  resizable?: boolean;
}

/** Control frames of a terminal console (text frames; data travels as binary frames). */
export type ConsoleControl = { resize: { cols: number; rows: number } };

export interface ConsoleMethods {
  /** Prepare a console: an id that the console byte stream (browser mode: the /console WebSocket;
   *  Electron: a MessagePort) must present within 30 s. A vnc, serial or shell id opens one stream;
   *  a spice id opens one stream per SPICE channel (main, display, inputs, cursor) and stays valid
   *  while any of them is open. Fails with code 'spice-only' when a VNC display is asked of a VM
   *  that has only SPICE, 'not-running' when it has no live display. */
  'console.open': { params: { hostId: string; name?: string; driver?: VmDriver; kind: ConsoleKind }; result: ConsoleTicket };
}
