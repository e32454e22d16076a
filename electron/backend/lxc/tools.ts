// The LXC tools on one host, over its one session: whether they are there and usable, the
// containers (`lxc-ls -f`), their architecture, lifecycle, create, destroy, config and binfmt.
// Root LXC needs root: a non-root login runs the tools through `sudo -n` (never asking for a
// password; a refusal is said plainly with the rule that would allow it). Files under the lxcpath
// are root's (mode 0770); they are read and written through `lxc-usernsexec` with root mapped to
// root, the one LXC tool that runs a plain command, so the sudo rule can stay "the lxc-* tools".
import type { LxcHostStatus, VmAction } from '../../../shared/contract/index.js';
import { BINFMT_SCRIPT, parseBinfmtListing } from '../../../shared/lxc/binfmt.js';
import { setLxcConfigKey } from '../../../shared/lxc/config.js';
import { configArch, elfArch, odBytes } from '../../../shared/lxc/elf.js';
import { lxcLsArgs, parseLxcInfoKeys, parseLxcLs, type LxcListed } from '../../../shared/lxc/ls.js';
import { UserError } from '../errors.js';
import type { CommandSession, ExecResult } from '../exec/session.js';

/** A fixed script (no input in it): tools present, uid, arch, cgroup2 or not, templates, bridges. */
const PROBE_SCRIPT = [
  'command -v lxc-ls >/dev/null 2>&1 && echo tools=1 || echo tools=0',
  'echo uid=$(id -u)',
  'echo arch=$(uname -m)',
  'echo cgroupfs=$(stat -fc %T /sys/fs/cgroup 2>/dev/null)',
  'for t in /usr/share/lxc/templates/lxc-*; do [ -e "$t" ] && echo "template=${t##*/lxc-}"; done',
  'for b in /sys/class/net/*/bridge; do [ -e "$b" ] || continue; b=${b%/bridge}; echo "bridge=${b##*/}"; done',
].join('; ');

export interface LxcProbe {
  tools: boolean;
  root: boolean;
  hostArch?: string;
  cgroup2: boolean;
  templates: string[];
  bridges: string[];
}

export function parseProbe(out: string): LxcProbe {
  const values = (k: string) => out.split('\n').flatMap((l) => (l.startsWith(`${k}=`) ? [l.slice(k.length + 1).trim()] : []));
  return {
    tools: values('tools')[0] === '1',
    root: values('uid')[0] === '0',
    hostArch: values('arch')[0] || undefined,
    cgroup2: values('cgroupfs')[0] === 'cgroup2fs',
    templates: values('template').filter(Boolean).sort(),
    bridges: values('bridge').filter(Boolean).sort(),
  };
}

/** What the tool said, else how it ended. */
const toolMessage = (argv: readonly string[], r: ExecResult): string => r.stderr.trim() || r.stdout.trim() || `${argv[0]} exited with ${r.code ?? 'no status'}`;

/** The sudo rule that lets `user` run the LXC tools (what the host page suggests). */
export const sudoRuleHint = (user = 'USER'): string => `${user} ALL = (root) NOPASSWD: /usr/bin/lxc-*`;

/** The LXC tools' commands for each lifecycle action (each run with `-n NAME` after the tool).
 *  Shutdown is clean (the container's halt signal) and killed when still up after 10 s; reboot is
 *  a clean stop then a start. */
const LXC_ACTION_STEPS: Partial<Record<VmAction, string[][]>> = {
  start: [['lxc-start', '-d']],
  shutdown: [['lxc-stop', '-t', '10']],
  destroy: [['lxc-stop', '-k']],
  reboot: [
    ['lxc-stop', '-t', '10'],
    ['lxc-start', '-d'],
  ],
  suspend: [['lxc-freeze']],
  resume: [['lxc-unfreeze']],
};

export class LxcTools {
  probe?: LxcProbe;
  privileged = false;
  reason?: string;
  /** Architectures by container name, read once (lxc.arch, else the init binary's ELF header). */
  private readonly archOf = new Map<string, string>();
  /** lxc.start.auto as written to a running container's config file: lxc-ls reports a running
   *  container's autostart from the config it started with (seen: 0 after the file says 1). */
  private readonly autostartOf = new Map<string, boolean>();

  constructor(private readonly session: CommandSession) {}

  /** Find out what the host has; false when it has no LXC tools (nothing else is run then). */
  async detect(): Promise<boolean> {
    const r = await this.session.exec(['sh', '-c', PROBE_SCRIPT]);
    this.probe = parseProbe(r.stdout);
    if (!this.probe.tools) return false;
    if (this.probe.root) this.privileged = true;
    else {
      const check = await this.session.exec(['sudo', '-n', '--', 'lxc-ls', '--version']);
      this.privileged = check.code === 0;
      this.reason = this.privileged
        ? undefined
        : `Root LXC needs root, and this login may not run the LXC tools through sudo without a password (${toolMessage(['sudo'], check)}). A sudoers rule such as "${sudoRuleHint()}" would allow it; the tools can run any command as root, so that rule is root in effect.`;
    }
    return true;
  }

  /** argv as root: as is for a root login, else through `sudo -n`. */
  private asRoot(argv: readonly string[]): string[] {
    return this.probe?.root ? [...argv] : ['sudo', '-n', '--', ...argv];
  }

  /** Run an LXC tool as root; rejects with the tool's own message. */
  async run(argv: readonly string[], stdin?: string): Promise<string> {
    if (!this.privileged) throw new UserError('forbidden', this.reason ?? 'The LXC tools cannot be run as root on this host');
    const r = await this.session.exec(this.asRoot(argv), { stdin });
    if (r.code !== 0) throw new UserError('lxc', toolMessage(argv, r));
    return r.stdout;
  }

  /** A plain command as root, through lxc-usernsexec with uid and gid 0 mapped to themselves. */
  private asRootFile(argv: readonly string[], stdin?: string): Promise<string> {
    return this.run(['lxc-usernsexec', '-m', 'u:0:0:1', '-m', 'g:0:0:1', '--', ...argv], stdin);
  }

  async list(): Promise<Array<LxcListed & { arch?: string }>> {
    const rows = parseLxcLs(await this.run(lxcLsArgs()));
    const names = new Set(rows.map((r) => r.name));
    for (const n of [...this.archOf.keys()]) if (!names.has(n)) this.archOf.delete(n);
    await Promise.all(rows.filter((r) => !this.archOf.has(r.name)).map((r) => this.readArch(r.name).then((a) => a && this.archOf.set(r.name, a), () => undefined)));
    return rows.map((r) => {
      // A stopped container's row is read from its file: that is the truth again.
      if (r.state === 'shutoff') this.autostartOf.delete(r.name);
      return { ...r, arch: this.archOf.get(r.name), autostart: this.autostartOf.get(r.name) ?? r.autostart };
    });
  }

  /** lxc.arch when the config sets it (the download template does), else the ELF header of the
   *  init program in the root filesystem (a relative link inside it is followed by od itself). */
  private async readArch(name: string): Promise<string | undefined> {
    const keys = parseLxcInfoKeys(await this.run(['lxc-info', '-n', name, '-c', 'lxc.arch', '-c', 'lxc.rootfs.path', '-c', 'lxc.init.cmd']));
    const fromConfig = configArch(keys['lxc.arch']);
    if (fromConfig) return fromConfig;
    const rootfs = (keys['lxc.rootfs.path'] ?? '').replace(/^dir:/, '');
    if (!rootfs.startsWith('/')) return undefined;
    const init = (keys['lxc.init.cmd'] || '/sbin/init').split(/\s+/)[0]!;
    const out = await this.asRootFile(['od', '-An', '-tx1', '-N20', '--', `${rootfs.replace(/\/$/, '')}${init.startsWith('/') ? init : `/${init}`}`]);
    return elfArch(odBytes(out));
  }

  /** A lifecycle action as the LXC tools do it; autostart is the container's lxc.start.auto key. */
  async action(name: string, action: VmAction): Promise<void> {
    if (action === 'autostart-on' || action === 'autostart-off') {
      await this.setConfigKey(name, 'lxc.start.auto', action === 'autostart-on' ? '1' : '0');
      this.autostartOf.set(name, action === 'autostart-on');
      return;
    }
    const steps = LXC_ACTION_STEPS[action];
    if (!steps) throw new UserError('unsupported', `${name} is an LXC container: it has no ${action}`);
    for (const [tool, ...flags] of steps) await this.run([tool!, '-n', name, ...flags]);
  }

  /** The container's config file path (lxcpath/NAME/config). */
  async configPath(name: string): Promise<string> {
    const lxcpath = (await this.run(['lxc-config', 'lxc.lxcpath'])).trim() || '/var/lib/lxc';
    return `${lxcpath.replace(/\/$/, '')}/${name}/config`;
  }

  async readConfig(name: string): Promise<{ path: string; text: string }> {
    const path = await this.configPath(name);
    return { path, text: await this.asRootFile(['cat', '--', path]) };
  }

  /** Set one key in the config file, keeping the previous copy as config.bak beside it. */
  async setConfigKey(name: string, key: string, value: string | undefined): Promise<void> {
    const { path, text } = await this.readConfig(name);
    await this.asRootFile(['sh', '-c', 'cp -p -- "$1" "$1.bak" && cat > "$1"', 'sh', path], setLxcConfigKey(text, key, value));
  }

  /** lxc-create from a template with an initial config file (written to a temporary file of the
   *  login user's, which root reads; removed afterwards whatever happened). */
  async create(name: string, template: string, config: string): Promise<void> {
    const tmp = await this.session.exec(['mktemp', '-t', 'virtdeck-lxc.XXXXXXXX']);
    const path = tmp.stdout.trim();
    if (tmp.code !== 0 || !path.startsWith('/')) throw new UserError('lxc', `mktemp failed: ${toolMessage(['mktemp'], tmp)}`);
    try {
      const w = await this.session.exec(['sh', '-c', 'cat > "$1"', 'sh', path], { stdin: config });
      if (w.code !== 0) throw new UserError('lxc', toolMessage(['sh'], w));
      await this.run(['lxc-create', '-n', name, '-t', template, '-f', path]);
    } finally {
      await this.session.exec(['rm', '-f', '--', path]).catch(() => undefined);
    }
  }

  /** lxc-destroy: stopped first when running (-f); the root filesystem goes with it. */
  async destroy(name: string): Promise<void> {
    await this.run(['lxc-destroy', '-n', name, '-f']);
    this.archOf.delete(name);
    this.autostartOf.delete(name);
  }

  async binfmt(): Promise<LxcHostStatus['binfmt']> {
    const r = await this.session.exec(['sh', '-c', BINFMT_SCRIPT]);
    return parseBinfmtListing(r.stdout);
  }

  /** argv of a container's console or a shell in it, as root, for a pty channel. */
  consoleArgv(kind: 'serial' | 'shell', name: string): string[] {
    if (!this.privileged) throw new UserError('forbidden', this.reason ?? 'The LXC tools cannot be run as root on this host');
    // lxc-console: tty 0 is the container's /dev/console; Ctrl+a q leaves it.
    return this.asRoot(kind === 'serial' ? ['lxc-console', '-n', name, '-t', '0'] : ['lxc-attach', '-n', name]);
  }
}
