// The backend alone in its own process (as the app runs it), doing the bench's transfers: upload a
// file into hv1's default pool, copy that volume to hv3, then copy a larger one hv1 → hv3 while the
// bench samples this process's memory. One JSON line per phase on stdout; volumes removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransferProgress } from '../../shared/contract/index.js';
import { Backend } from '../../electron/backend/backend.js';
import { LAB_SSH_CONFIG } from '../support/lab.js';

const [file, bigFile] = process.argv.slice(2) as [string, string];
const dataDir = mkdtempSync(join(tmpdir(), 'vd-bench-data-'));
const backend = new Backend({ dataDir, sshConfigPath: LAB_SSH_CONFIG, localFiles: true });
const ends = new Map<string, (p: TransferProgress) => void>();
backend.onEvent((e) => e.type === 'transfer.progress' && e.progress.state !== 'running' && ends.get(e.progress.transferId)?.(e.progress));
const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function hostId(target: string): Promise<string> {
  const added = await backend.request('hosts.add', { target, autoconnect: false });
  if (!added.ok) throw new Error(added.error.message);
  const c = await backend.request('hosts.connect', { hostId: added.value.config.id });
  if (!c.ok) throw new Error(c.error.message);
  return added.value.config.id;
}

async function timed(start: () => ReturnType<Backend['request']>): Promise<number> {
  const t0 = performance.now();
  const r = (await start()) as { ok: boolean; value?: { transferId: string }; error?: { message: string } };
  if (!r.ok) throw new Error(r.error!.message);
  const p = await new Promise<TransferProgress>((resolve) => ends.set(r.value!.transferId, resolve));
  if (p.state !== 'done') throw new Error(p.error ?? p.state);
  return performance.now() - t0;
}

const hv1 = await hostId('hv1');
const hv3 = await hostId('hv3');
try {
  const uploadMs = await timed(() => backend.request('transfer.uploadFile', { hostId: hv1, pool: 'default', name: 'vd-bench-up', path: file }));
  const copyMs = await timed(() => backend.request('transfer.copy', { hostId: hv1, pool: 'default', name: 'vd-bench-up', toHostId: hv3, toPool: 'default', toName: 'vd-bench-up' }));
  say({ uploadMs, copyMs });
  await timed(() => backend.request('transfer.uploadFile', { hostId: hv1, pool: 'default', name: 'vd-bench-big', path: bigFile }));
  say({ bigCopy: 'start' });
  const bigMs = await timed(() => backend.request('transfer.copy', { hostId: hv1, pool: 'default', name: 'vd-bench-big', toHostId: hv3, toPool: 'default', toName: 'vd-bench-big' }));
  say({ bigCopy: 'end', bigMs });
} finally {
  await backend.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
