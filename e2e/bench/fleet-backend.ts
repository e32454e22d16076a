// The backend alone in its own process, as the app runs it (a utility process): connect the lab's
// three hosts and wait for 300+ VMs listed and sampled on each. Prints one JSON line when ready,
// then idles at the default stats interval until killed — so the bench can read this process's
// memory and CPU from /proc without the bench's own (playwright, chromium driver) counted in.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backend } from '../../electron/backend/backend.js';
import { LAB_HOSTS, LAB_SSH_CONFIG } from '../support/lab.js';

const dataDir = mkdtempSync(join(tmpdir(), 'vd-bench-data-'));
const backend = new Backend({ dataDir, sshConfigPath: LAB_SSH_CONFIG });
const listed = new Map<string, number>();
const sampled = new Set<string>();
const t0 = performance.now();
const ready = new Promise<void>((resolve) =>
  backend.onEvent((e) => {
    if (e.type === 'host.vms' && e.vms.length >= 300) listed.set(e.hostId, e.vms.length);
    if (e.type === 'host.stats' && Object.keys(e.stats).length >= 300) sampled.add(e.hostId);
    if (listed.size === LAB_HOSTS.length && sampled.size === LAB_HOSTS.length) resolve();
  }),
);
for (const hv of LAB_HOSTS) {
  const added = await backend.request('hosts.add', { target: hv });
  if (!added.ok) throw new Error(added.error.message);
}
await ready;
const vms = [...listed.values()].reduce((a, b) => a + b, 0);
process.stdout.write(`${JSON.stringify({ readyMs: performance.now() - t0, vms, dataDir })}\n`);
process.on('SIGTERM', () => void backend.close().finally(() => process.exit(0)));
