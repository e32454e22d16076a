// One SPICE session: spice-client's main channel, which opens the other channels itself, each as
// a WebSocket to the same console URL (the backend bridges each to the SPICE server through a
// channel of the host's one SSH connection). Only the channels a screen needs are opened —
// display 0, inputs, cursor — so a console takes four of the host's channel slots; audio, USB
// redirection, smartcard and the rest stay with remote-viewer.
import { Constants, SpiceMainConn } from 'spice-client';
import { joined, keepWantedChannels, type RawMessage } from './channels';
import { keyForChar, SCANCODE, spiceKeyCode } from './scancodes';
import { takeScreenKeys } from './screen-keys';

const TYPE_GAP_MS = 30;

export interface SpiceSessionOptions {
  url: string;
  password: string;
  /** The element spice-client draws its canvas into (found by id, as the library does). */
  screenId: string;
  onReady(): void;
  /** The session ended: the server refused the password, the link dropped, the VM stopped. */
  onEnd(reason: string, refused: boolean): void;
}

class FilteringMainConn extends SpiceMainConn {
  onChildError?: (e: Error) => void;
  onInputsReady?: () => void;
  override process_channel_message(msg: RawMessage): boolean {
    if (msg.type === Constants.SPICE_MSG_MAIN_CHANNELS_LIST && msg.data) {
      const handled = super.process_channel_message({ ...msg, data: keepWantedChannels(joined(msg.data)) });
      // The library throws a child channel's error where no handler is set: route them to ours.
      for (const child of [this.display, this.inputs, this.cursor]) if (child) child.onerror = (e: Error) => this.onChildError?.(e);
      this.inputs?.on('connection_status', (status: string) => status === 'connected' && this.onInputsReady?.());
      return handled;
    }
    return super.process_channel_message(msg);
  }
}

export class SpiceSession {
  private readonly main: FilteringMainConn;
  private ended = false;
  private releaseKeys: () => void = () => undefined;

  constructor(options: SpiceSessionOptions) {
    const end = (reason: string, refused = false) => {
      if (this.ended) return;
      this.ended = true;
      this.stop();
      options.onEnd(reason, refused);
    };
    this.main = new FilteringMainConn({
      uri: options.url,
      password: options.password,
      screen_id: options.screenId,
      onerror: (e: Error) => end(e.message, /Permission denied|Bad password/i.test(e.message)),
    });
    // Ready for the person once keys can go through: the inputs channel is up, not just main.
    this.main.onInputsReady = () => options.onReady();
    this.main.onChildError = (e) => end(e.message);
    this.main.on('connection_status', (s: string) => {
      if (s === 'disconnected') end('The SPICE connection closed');
    });
    const screen = document.getElementById(options.screenId);
    if (screen) this.releaseKeys = takeScreenKeys(screen, (code, down) => this.key(code, down));
  }

  private inputsReady(): boolean {
    return this.main.inputs?.state === 'ready';
  }

  /** Press or release one key by its KeyboardEvent.code; false when not sent (no such key, or
   *  the inputs channel is not up). */
  key(code: string, down: boolean): boolean {
    const scancode = SCANCODE[code];
    if (scancode === undefined || !this.inputsReady()) return false;
    const type = down ? Constants.SPICE_MSGC_INPUTS_KEY_DOWN : Constants.SPICE_MSGC_INPUTS_KEY_UP;
    const value = spiceKeyCode(scancode, down);
    this.main.inputs!.send_msg({
      buffer_size: () => 10,
      to_buffer: (buf: ArrayBuffer) => {
        const v = new DataView(buf);
        v.setUint16(0, type, true);
        v.setUint32(2, 4, true);
        v.setUint32(6, value, true);
      },
    });
    return true;
  }

  /** Press the keys in order, release them in reverse (a chord). */
  chord(codes: readonly string[]): void {
    for (const c of codes) this.key(c, true);
    for (const c of [...codes].reverse()) this.key(c, false);
  }

  /** Typed as a person would, a key at a time: QEMU's PS/2 keyboard holds only 16 bytes, and a
   *  busy guest drops what comes faster than it reads. */
  typeText(text: string): void {
    const keys = [...text].map(keyForChar).filter((k) => k !== null);
    const next = () => {
      const k = keys.shift();
      if (!k || this.ended) return;
      this.chord(k.shift ? ['ShiftLeft', k.code] : [k.code]);
      setTimeout(next, TYPE_GAP_MS);
    };
    next();
  }

  get ready(): boolean {
    return this.inputsReady();
  }

  stop(): void {
    this.releaseKeys();
    try {
      this.main.stop();
    } catch {
      // Its surfaces are found by a document-wide id: with two SPICE consoles open, tearing one
      // down may not find its canvas. The view removes what is left.
    }
  }
}
