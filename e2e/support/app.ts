// Starts VirtDeck in browser mode (the built web host) for one test, with its own data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunningApp {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startApp(opts: { sshConfig: string; env?: Record<string, string> }): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'virtdeck-e2e-'));
  // No agent unless the test brings one: auth must not depend on the shell the suite runs in.
  const { SSH_AUTH_SOCK: _agent, ...env } = process.env;
  const child: ChildProcess = spawn(process.execPath, [join(process.env.VIRTDECK_DIST ?? join(ROOT, 'dist'), 'electron', 'web-host.cjs'), '--data-dir', dataDir, '--ssh-config', opts.sshConfig], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // A build in VIRTDECK_DIST keeps ssh2 external: let it resolve from this checkout.
    env: { ...env, NODE_PATH: join(ROOT, 'node_modules'), ...opts.env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^VirtDeck: (http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/\?token=\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${out}`)));
  });
  return {
    url,
    dataDir,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Fail the test on any console error or uncaught page error: the UI must run clean. */
export function failOnConsoleErrors(page: Page): () => void {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return () => expect(errors, 'console errors').toEqual([]);
}

/** Add a connection through the dialog, as a user would. */
export async function addConnection(page: Page, target: string): Promise<void> {
  await page.getByRole('button', { name: 'Add connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add connection' });
  await dialog.getByRole('combobox', { name: 'Host' }).fill(target);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog).toBeHidden();
}

/** From any page: the VM in the connection tree, then its Console tab. */
export async function openConsoleFromTree(page: Page, vm: string, hv: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Connections' })
    .getByRole('listitem', { name: new RegExp(`^${vm} on ${hv}:`) })
    .getByRole('button', { name: vm, exact: true })
    .click();
  await page.getByRole('tab', { name: 'Console', exact: true }).click();
}

/** The connection's entry in the left pane. */
export const connectionItem = (page: Page, label: string) =>
  page.getByRole('navigation', { name: 'Connections' }).getByRole('listitem', { name: `Connection ${label}` });

/** Replace all the text of a code editor (CodeMirror draws only the lines in view, so a DOM
 *  "fill" could miss some): focus it, select all with the keyboard, type the new text in. */
export async function replaceCode(page: Page, editor: ReturnType<Page['getByRole']>, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}
