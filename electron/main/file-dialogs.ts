// The native open and save dialogs for transfers: the window asks, main shows the dialog over
// that window and hands back the chosen path (the backend then reads or writes it directly).
import { dialog, type BrowserWindow } from 'electron';
import path from 'node:path';
import type { PickedFile } from '../../shared/contract/index.js';

export async function pickFile(win: BrowserWindow | null, mode: unknown, suggestedName: unknown): Promise<PickedFile | null> {
  const name = typeof suggestedName === 'string' ? path.basename(suggestedName) : undefined;
  if (mode === 'open') {
    const options = { title: 'Upload a file to the pool', properties: ['openFile' as const] };
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    const chosen = r.canceled ? undefined : r.filePaths[0];
    return chosen ? { path: chosen, name: path.basename(chosen) } : null;
  }
  if (mode === 'save') {
    const options = { title: 'Save the volume as', ...(name ? { defaultPath: name } : {}) };
    const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return !r.canceled && r.filePath ? { path: r.filePath, name: path.basename(r.filePath) } : null;
  }
  return null;
}
