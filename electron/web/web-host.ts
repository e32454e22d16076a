// `npm run serve`: browser mode. Prints one line with the URL (and its per-run token) to open.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startWebHost } from './server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      'ssh-config': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`VirtDeck: --port must be a number from 0 to 65535, not "${values.port}"`);
    process.exit(2);
  }
  const host = await startWebHost({
    port,
    rendererDir: join(__dirname, '..', 'renderer'),
    dataDir: values['data-dir'] ?? process.env.VIRTDECK_DATA_DIR ?? join(homedir(), '.config', 'virtdeck'),
    sshConfigPath: values['ssh-config'] ?? process.env.VIRTDECK_SSH_CONFIG,
  });
  console.log(`VirtDeck: ${host.url}`);
  // Every request is answered inside a guard; should a promise still fail unobserved, say so and
  // keep serving rather than let one request end the host.
  process.on('unhandledRejection', (err) => console.error('VirtDeck: unexpected error (still running):', err));
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
