// Fleet event latency where the admin sees it: the built web host (VIRTDECK_DIST honoured by
// startApp) with hv3 added in a real chromium page, while `virsh start`/`destroy` of tuned-1 run
// on the host from outside the app. A MutationObserver in the page stamps each change of the row's
// State badge with Date.now(); the lab's namespaces and chromium share this machine's clock.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { addConnection, startApp } from '../support/app.js';
import { CHROMIUM_LAUNCH } from '../support/chromium.js';
import { hostVirsh, LAB_DIR, LAB_SSH_CONFIG } from '../support/lab.js';

const VM = 'tuned-1';
const HOST = 'hv3';

/** A root virsh shell inside a lab host, fed one command at a time, so no process start is timed.
 *  Each command is followed by `echo VD-MARK-n`; virsh also echoes every command line it reads
 *  ("virsh # echo VD-MARK-n"), so only a marker at the start of a line is the command's end.
 *  (Counting every "VD-MARK" made the old bench pair a command with the previous one's echo, and
 *  report a whole `destroy`, ~2 s under TCG, as event latency.) */
class HostVirshShell {
  private readonly proc: ChildProcessWithoutNullStreams;
  private out = '';
  private next = 0;
  private readonly waiting = new Map<number, (at: number) => void>();

  constructor(hv: string) {
    this.proc = spawn('bash', [join(LAB_DIR, 'in-host.sh'), hv, 'virsh', '-q', '-c', 'qemu:///system']);
    this.proc.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    this.proc.stdout.on('data', (d: Buffer) => {
      const at = Date.now();
      this.out += d.toString('utf8');
      const marker = /(?:^|\n)VD-MARK-(\d+)(?=\D)/g;
      let end = 0;
      for (let m: RegExpExecArray | null; (m = marker.exec(this.out)); end = marker.lastIndex) {
        this.waiting.get(Number(m[1]))?.(at);
        this.waiting.delete(Number(m[1]));
      }
      this.out = this.out.slice(Math.max(end, this.out.length - 64));
    });
  }

  /** Run one virsh command; resolves with the time it returned. */
  run(command: string): Promise<number> {
    const id = ++this.next;
    const done = new Promise<number>((resolve) => this.waiting.set(id, resolve));
    this.proc.stdin.write(`${command}\necho VD-MARK-${id}\n`);
    return done;
  }

  close(): void {
    this.proc.stdin.end();
  }
}

/** The host's own lifecycle events (a root `virsh event` inside the host), stamped on arrival. */
function hostEvents(hv: string, vm: string): { seen: Array<{ line: string; at: number }>; stop: () => void } {
  const proc = spawn('bash', [join(LAB_DIR, 'in-host.sh'), hv, 'virsh', '-q', '-c', 'qemu:///system', 'event', '--domain', vm, '--event', 'lifecycle', '--loop']);
  const seen: Array<{ line: string; at: number }> = [];
  let buf = '';
  proc.stdout.on('data', (d: Buffer) => {
    const at = Date.now();
    buf += d.toString('utf8');
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const line of lines) if (line.trim()) seen.push({ line, at });
  });
  return { seen, stop: () => proc.kill() };
}

export interface RendererEventSamples {
  /** Host's lifecycle event → the row's new state in the page. */
  fromHostEvent: number[];
  /** `virsh` returning → the row's new state in the page; 0 when the page showed it first. */
  afterReturn: number[];
  /** How long each `virsh start`/`destroy` took (the baseline). */
  command: number[];
}

export async function rendererEventLatency(cycles: number): Promise<RendererEventSamples> {
  if ((await hostVirsh(HOST, 'domstate', VM)).trim() !== 'shut off') await hostVirsh(HOST, 'destroy', VM);
  const app = await startApp({ sshConfig: LAB_SSH_CONFIG });
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const shell = new HostVirshShell(HOST);
  const events = hostEvents(HOST, VM);
  try {
    const page = await browser.newPage();
    await page.goto(app.url);
    await addConnection(page, HOST);
    const label = `${VM} on ${HOST}`;
    await page.getByRole('row', { name: label, exact: true }).getByText('shut off').waitFor();
    // A string, not a function: tsx's keepNames would wrap inner functions in a helper the page lacks.
    await page.evaluate(`(() => {
      window.vdStates = [];
      let last = '';
      const read = () => {
        const row = [...document.querySelectorAll('[role="row"]')].find((r) => r.getAttribute('aria-label') === ${JSON.stringify(label)});
        const s = row?.querySelectorAll('[role="cell"]')[4]?.firstElementChild?.textContent ?? '';
        if (s !== last) window.vdStates.push({ s: (last = s), t: Date.now() });
      };
      new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
      read();
    })()`);

    const samples: RendererEventSamples = { fromHostEvent: [], afterReturn: [], command: [] };
    for (let i = 0; i < cycles; i++) {
      for (const [command, shown, eventWord] of [['start', 'running', 'Started'], ['destroy', 'shut off', 'Stopped']] as const) {
        const from = await page.evaluate(() => (window as unknown as { vdStates: unknown[] }).vdStates.length);
        const eventsFrom = events.seen.length;
        const t0 = Date.now();
        const returned = await shell.run(`${command} ${VM}`);
        const handle = await page.waitForFunction(
          ([n, s]) => (window as unknown as { vdStates: Array<{ s: string; t: number }> }).vdStates.slice(n).find((x) => x.s === s)?.t,
          [from, shown] as const,
          { timeout: 30_000 },
        ).catch(async (err: Error) => {
          const states = await page.evaluate(() => JSON.stringify((window as unknown as { vdStates: unknown[] }).vdStates.slice(-6)));
          const host = (await hostVirsh(HOST, 'domstate', VM)).trim();
          throw new Error(`${command} ${VM}: the row never showed "${shown}" (host says "${host}"; last row states ${states}): ${err.message}`);
        });
        const shownAt = (await handle.jsonValue()) as number;
        const hostEvent = events.seen.slice(eventsFrom).find((e) => e.line.includes(`: ${eventWord}`));
        if (!hostEvent) throw new Error(`no ${eventWord} event seen on ${HOST} for ${VM}`);
        samples.fromHostEvent.push(shownAt - hostEvent.at);
        samples.afterReturn.push(Math.max(0, shownAt - returned));
        samples.command.push(returned - t0);
      }
    }
    return samples;
  } finally {
    shell.close();
    events.stop();
    await browser.close();
    await app.stop();
    if ((await hostVirsh(HOST, 'domstate', VM)).trim() !== 'shut off') await hostVirsh(HOST, 'destroy', VM).catch(() => undefined);
  }
}
