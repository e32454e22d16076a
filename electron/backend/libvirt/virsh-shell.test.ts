// The long-lived virsh's framing against a real `virsh` (libvirt's test driver, from a file so
// the exec path's fresh processes see the same domains): every answer must equal what a virsh
// process of its own gives for the same argv — output, libvirt's message, success or failure.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasVirsh } from '../../../shared/test-support/virsh';
import { LocalSession } from '../exec/local-session';
import type { ExecResult } from '../exec/session';
import { Virsh } from './virsh';

// Names that hold virsh's own delimiters and what the framing looks for: quotes, ';', '#',
// "error: " lines, marker-like text, a prompt, and unicode.
const NAMES = [
  `it's`,
  `"dq"`,
  'a b  c',
  'semi;colon; quit',
  '#hash',
  'back\\slash\\',
  `a\\';echo x;#`,
  'error: fake',
  `x'; echo --err 'e'.e.1. ; echo 'e'.p.1.`,
  '0123456789abcdef0123456789abcdef.p.1.',
  'virsh # ',
  '--all',
  'ünï-虚拟-🙂',
];
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const domain = (name: string, i: number) =>
  `<domain type='test'><name>${xmlEscape(name)}</name><title>${xmlEscape(`title of ${name}`)}</title>` +
  `<description>${xmlEscape(`line1\nerror: line2 ${name}\nvirsh # line3`)}</description>` +
  `<uuid>00000000-0000-0000-0000-${String(i).padStart(12, '0')}</uuid><memory>8192</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`;
// Many domains, and one with a large description, make answers span many reads of the pipe.
const FILLER = Array.from({ length: 150 }, (_, i) => `filler-${i}`);
const BIG = `<domain type='test'><name>big</name><uuid>00000000-0000-0000-0000-0000000b1900</uuid><description>${Array.from({ length: 8000 }, (_, i) => `line ${i}: error: not one; 'q' virsh # .p.1.`).join('\n')}</description><memory>8192</memory><os><type>hvm</type></os></domain>`;

/** A local session on libvirt's test driver read from `file` (VirtDeck itself accepts only
 *  test:///default, whose domains a fresh process would not share), counting the commands it
 *  ran as processes of their own. */
class TestDriverSession extends LocalSession {
  execs: string[][] = [];
  constructor(private readonly file: string) {
    super();
  }
  private onFile = (argv: readonly string[]) => argv.map((a) => (a === 'test:///default' ? `test://${this.file}` : a));
  override exec(argv: readonly string[], options?: { stdin?: string }): Promise<ExecResult> {
    this.execs.push([...argv]);
    return super.exec(this.onFile(argv), options);
  }
  override execStream(argv: readonly string[]) {
    return super.execStream(this.onFile(argv));
  }
}

const outcome = (p: Promise<string>) => p.then((stdout) => ({ stdout }), (err: Error) => ({ error: err.message }));
/** What may differ between two virsh processes: the test driver's CPU time is the clock, and
 *  its listing order is a hash table's. */
const comparable = (r: { stdout: string } | { error: string }) =>
  'stdout' in r ? { stdout: r.stdout.replace(/^CPU time:.*$/gm, 'CPU time: -').split(/\n\n+/).map((b) => b.trim()).sort() } : r;

describe.skipIf(!hasVirsh)('the long-lived virsh', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'vd-shell-')), 'node.xml');
  const session = new TestDriverSession(file);
  const viaShell = new Virsh(session, 'test:///default', undefined, { shell: true });
  const viaExec = new Virsh(new TestDriverSession(file), 'test:///default');

  beforeAll(async () => {
    writeFileSync(file, `<node>${[...NAMES, ...FILLER].map(domain).join('')}${BIG}</node>`);
    await viaShell.shell!.start();
    expect(viaShell.shell!.ready).toBe(true);
    expect(viaShell.shell!.unicode).toBe(true);
  });
  afterAll(() => viaShell.closeShell());

  /** The same command both ways; the shell must have answered it itself. */
  async function same(args: string[]) {
    const before = session.execs.length;
    const [shell, exec] = await Promise.all([outcome(viaShell.run(args)), outcome(viaExec.run(args))]);
    expect(session.execs.length, `${args.join(' ')} ran as a process of its own`).toBe(before);
    expect(comparable(shell)).toEqual(comparable(exec));
    return shell;
  }

  it('answers reads of hostile names exactly as a virsh of its own does', async () => {
    // One at a time: the check that the shell answered each itself counts processes.
    for (const command of ['dominfo', 'dumpxml', 'desc']) {
      for (const name of NAMES) {
        const r = await same([command, '--domain', name]);
        expect('stdout' in r, `${command} ${name}: ${JSON.stringify(r)}`).toBe(true);
      }
    }
    const listed = await same(['list', '--all', '--name']);
    expect('stdout' in listed && listed.stdout.split('\n')).toEqual(expect.arrayContaining(NAMES));
  }, 120_000);

  it('carries large answers whole', async () => {
    for (const args of [['desc', '--domain', 'big'], ['dumpxml', '--domain', 'big']]) {
      const r = await same(args);
      expect('stdout' in r && r.stdout.length).toBeGreaterThan(300_000);
    }
    expect(await same(['domstats', '--raw', '--state', '--balloon', '--vcpu'])).toHaveProperty('stdout');
  });

  it('tells failures apart: libvirt errors, multi-line errors and lines that do not parse', async () => {
    expect(await same(['dominfo', '--domain', 'no such; vm'])).toEqual({ error: "failed to get domain 'no such; vm'" });
    // Two lines: virsh's own and libvirt's.
    const twoLines = await same(['vol-info', '--pool', 'default-pool', '--vol', `no'vol`]);
    expect('error' in twoLines && twoLines.error.split('\n')).toHaveLength(2);
    // virsh rejects the whole line before running anything: the framing still ends it.
    expect(await same(['list', '--no-such-option'])).toEqual({ error: "command 'list' doesn't support option --no-such-option" });
    expect(await same(['start', '--domain', NAMES[0]!])).toEqual({ error: expect.stringMatching(/already active/) });
    // …and the shell goes on answering.
    expect(await same(['domstate', '--domain', 'error: fake'])).toEqual({ stdout: 'running\n' });
  });

  it('keeps commands given at once apart, in order', async () => {
    const names = [...NAMES, ...FILLER.slice(0, 20)];
    const all = await Promise.all(names.map((n) => viaShell.run(['dominfo', '--domain', n])));
    all.forEach((out, i) => expect(out).toContain(`Name:           ${names[i]}\n`));
  });

  it('sends what cannot be typed (a newline in a name) as argv instead', async () => {
    const before = session.execs.length;
    await expect(viaShell.run(['dominfo', '--domain', 'two\nlines'])).rejects.toThrow(/failed to get domain/);
    expect(session.execs.length).toBe(before + 1);
  });
});

describe.skipIf(!hasVirsh)('when the host-side virsh dies during a command', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'vd-shell-kill-')), 'node.xml');
  writeFileSync(file, `<node>${domain('vm 1', 1)}</node>`);

  /** A shell whose virsh is stopped (so a command written to it stays unanswered), a command
   *  started, then the virsh killed. */
  async function killedDuring(args: string[]) {
    const session = new TestDriverSession(file);
    const virsh = new Virsh(session, 'test:///default', undefined, { shell: true });
    await virsh.shell!.start();
    const pid = virsh.shell!.pid!;
    expect(pid).toBeGreaterThan(1);
    process.kill(pid, 'SIGSTOP');
    const running = outcome(virsh.run(args));
    await new Promise((r) => setTimeout(r, 50));
    process.kill(pid, 'SIGKILL');
    return { session, virsh, pid, result: await running };
  }

  it('runs a read again as a command of its own: nothing is lost', async () => {
    const { session, virsh, result } = await killedDuring(['dominfo', '--domain', 'vm 1']);
    expect(result).toEqual({ stdout: expect.stringContaining('Name:           vm 1\n') });
    expect(session.execs).toHaveLength(1);
    virsh.closeShell();
  });

  it('fails a write clearly and never runs it twice; the next command works, and a new shell starts', async () => {
    const { session, virsh, pid, result } = await killedDuring(['destroy', '--domain', 'vm 1']);
    expect(result).toEqual({ error: expect.stringMatching(/^virsh destroy may or may not have been applied: the host's virsh ended by signal SIGKILL before it answered\. It was not run again/) });
    expect(session.execs).toHaveLength(0);
    expect(await virsh.run(['domstate', '--domain', 'vm 1'])).toBe('running\n');
    await virsh.shell!.start(true);
    expect(virsh.shell!.ready).toBe(true);
    expect(virsh.shell!.pid).not.toBe(pid);
    const before = session.execs.length;
    expect(await virsh.run(['domstate', '--domain', 'vm 1'])).toBe('running\n');
    expect(session.execs).toHaveLength(before);
    virsh.closeShell();
  });
});
