// Sandboxed preload: exposes the contract as `window.virtdeck` and nothing else. It bundles to one
// CJS file whose only require is 'electron' (a sandboxed preload cannot load anything more).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC, type BackendEvent, type Outcome, type VirtDeckApi } from '../../shared/contract/index.js';

const failure = (code: string, message: string): Outcome<never> => ({ ok: false, error: { code, message } });

const api: VirtDeckApi = {
  // The method name and parameters are checked by the backend's dispatcher.
  call: ((method: unknown, params: unknown): Promise<Outcome<unknown>> =>
    (ipcRenderer.invoke(IPC.call, method, params) as Promise<Outcome<unknown>>).catch((err: unknown) =>
      failure('internal', err instanceof Error ? err.message : String(err)),
    )) as VirtDeckApi['call'],

  onEvent(listener: (event: BackendEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    // Never hand the IpcRendererEvent to the page: its `sender` is ipcRenderer itself.
    const relay = (_e: IpcRendererEvent, event: BackendEvent): void => listener(event);
    ipcRenderer.on(IPC.event, relay);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipcRenderer.removeListener(IPC.event, relay);
    };
  },

  attachConsole(consoleId: string, size?: { cols: number; rows: number }): void {
    if (typeof consoleId !== 'string') throw new TypeError('attachConsole needs a console id');
    ipcRenderer.send(IPC.console, consoleId, size ? { cols: Number(size.cols), rows: Number(size.rows) } : undefined);
  },

  pickFile(mode: 'open' | 'save', suggestedName?: string) {
    if (mode !== 'open' && mode !== 'save') throw new TypeError('pickFile needs "open" or "save"');
    return ipcRenderer.invoke(IPC.pickFile, mode, typeof suggestedName === 'string' ? suggestedName : undefined) as ReturnType<NonNullable<VirtDeckApi['pickFile']>>;
  },
};

// A console's MessagePort from main, handed to the page (ports cannot cross contextBridge); only
// to our own origin.
ipcRenderer.on(IPC.console, (e: IpcRendererEvent, consoleId: unknown) => {
  const port = e.ports[0];
  if (port && typeof consoleId === 'string') window.postMessage({ virtdeckConsole: consoleId }, window.location.origin, [port]);
});

contextBridge.exposeInMainWorld('virtdeck', Object.freeze(api));
