// For tests only: whether this machine has virsh, so tests against libvirt's own parser
// (test:///default) run where it is installed (CI) and skip cleanly elsewhere.
import { spawnSync } from 'node:child_process';

export const hasVirsh = spawnSync('virsh', ['--version'], { stdio: 'ignore' }).status === 0;
