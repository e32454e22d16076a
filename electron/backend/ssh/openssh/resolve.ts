// One host's settings as `ssh -G` would print them: the user's file then the system's, a final
// pass when `Match final` or CanonicalizeHostname asks for one, OpenSSH's defaults, and tokens
// expanded in the keywords that take them.
import { spawnSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { canonicalAddress, canonicalizeHost, looksLikeAddress, parseCanonicalizeMode, type CanonicalOptions } from './canonical.js';
import { OptionStore, readConfigFile, refuseShellMetacharacters, type ConfigEnv, type Pass, type Setting } from './config.js';
import { assembleHostKeyAlgorithms } from './host-key-algorithms.js';
import { connectionTokens, expandTilde, expandTokens } from './tokens.js';

/** Where the configuration comes from. With an explicit file (`ssh -F`) there is no system file. */
export interface ConfigSources {
  userConfig: string;
  /** /etc/ssh/ssh_config, or undefined when the user's file was given explicitly. */
  systemConfig?: string;
}

export interface SshSettings {
  /** The name as given. */
  host: string;
  hostName: string;
  port: number;
  user: string;
  /** As written (ssh -G prints them so), and expanded for use. */
  identityFiles: string[];
  identityFilesExpanded: string[];
  certificateFiles: string[];
  certificateFilesExpanded: string[];
  identitiesOnly: boolean;
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  proxyJump?: string;
  proxyCommand?: string;
  /** What ssh runs for it: `exec` + the command with %h %k %n %p %r expanded (sshconnect.c). */
  proxyCommandLine?: string;
  hostKeyAlias?: string;
  hostKeyAlgorithms: string[];
  hashKnownHosts: boolean;
  /** Seconds; 0 = off (OpenSSH's default). */
  serverAliveInterval: number;
  serverAliveCountMax: number;
  /** As ssh -G prints it: true, false, ask, accept-new. */
  strictHostKeyChecking: string;
  /** Seconds, or undefined for none. */
  connectTimeout?: number;
  batchMode: boolean;
  controlPath?: string;
  remoteCommand?: string;
  localForwards: string[];
  sendEnv: string[];
  /** The config line that decided each keyword (`file:line`), absent for defaults. */
  origins: Record<string, string>;
  /** The files read, in order. */
  files: string[];
  warnings: string[];
}

export interface Target {
  host: string;
  user?: string;
  port?: number;
}

export function defaultConfigEnv(): ConfigEnv {
  const pw = userInfo();
  return {
    home: pw.homedir,
    globHome: process.env.HOME ?? pw.homedir,
    localUser: pw.username,
    uid: pw.uid,
    localHostname: hostname(),
    env: process.env,
    // OpenSSH's SSHDIR: /etc/ssh, or %ProgramData%\ssh for Windows' OpenSSH.
    systemDir: process.platform === 'win32' ? join(process.env.ProgramData ?? 'C:\\ProgramData', 'ssh') : '/etc/ssh',
    exec: runInShell,
    lookup: lookupHost,
  };
}

const LOOKUP_TIMEOUT_MS = 10_000;
// getaddrinfo() through Node's resolver in a child (the resolver here is synchronous, as ssh's
// is); the CNAME chain only when CanonicalizePermittedCNAMEs needs it (DNS aliases, not hosts files).
const LOOKUP_SCRIPT = `const dns = require('node:dns'); const name = process.env.VIRTDECK_LOOKUP_NAME, want = process.env.VIRTDECK_LOOKUP_CNAME;
const out = (v) => process.stdout.write(JSON.stringify(v));
dns.lookup(name, { all: true }, (err, list) => {
  if (err || !list.length) return out(null);
  if (want !== '1') return out({});
  let at = name.replace(/\\.$/, ''), hops = 0;
  const next = () => dns.resolveCname(at, (e, c) => { if (e || !c.length || ++hops > 8) return out({ cname: at }); at = c[0]; next(); });
  next();
});`;

/** One name looked up as ssh looks it up; a lookup that cannot run counts as not found. */
function lookupHost(name: string, wantCname: boolean): { cname?: string } | undefined {
  const r = spawnSync(process.execPath, ['-e', LOOKUP_SCRIPT], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', VIRTDECK_LOOKUP_NAME: name, VIRTDECK_LOOKUP_CNAME: wantCname ? '1' : '0' },
    encoding: 'utf8',
    timeout: LOOKUP_TIMEOUT_MS,
  });
  if (r.status !== 0 || !r.stdout) return undefined;
  return (JSON.parse(r.stdout) as { cname?: string } | null) ?? undefined;
}

const MATCH_EXEC_TIMEOUT_MS = 10_000;

/** execute_in_shell(): $SHELL (or /bin/sh) -c command, stdin and stdout on /dev/null. A GUI must
 *  not hang on a command that never ends, so it gets a time limit. */
function runInShell(command: string, where: string): number {
  const shell = process.env.SHELL || '/bin/sh';
  const r = spawnSync(shell, ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'], timeout: MATCH_EXEC_TIMEOUT_MS, encoding: 'utf8' });
  if (r.error) throw new Error(`Match exec at ${where} ("${command}") could not run: ${r.error.message}`);
  if (r.signal) throw new Error(`Match exec at ${where} ("${command}") did not finish within ${MATCH_EXEC_TIMEOUT_MS / 1000} s`);
  return r.status ?? 1;
}

const yes = (v: string | undefined) => ['yes', 'true'].includes((v ?? '').toLowerCase());

/** convtime(): 90, 1m30s, 2h … in seconds. */
export function convtime(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  const re = /(\d+)([smhdw])/giy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * units[m[2]!.toLowerCase()]!;
    at = re.lastIndex;
  }
  if (at !== text.length || !text) throw new Error(`invalid time value "${text}"`);
  return total;
}

function portNumber(s: Setting): number {
  const n = Number(s.args[0]);
  if (!/^\d+$/.test(s.args[0] ?? '') || n < 1 || n > 65535) throw new Error(`${s.origin}: Badly formatted port number "${s.args[0]}"`);
  return n;
}

function strictValue(v: string | undefined): string {
  const m: Record<string, string> = { yes: 'true', true: 'true', no: 'false', false: 'false', off: 'false', ask: 'ask', 'accept-new': 'accept-new' };
  return m[(v ?? 'ask').toLowerCase()] ?? 'ask';
}

/** The first pass's canonicalisation settings, with OpenSSH's defaults. */
function canonicalOptions(o: OptionStore, mode: CanonicalOptions['mode']): CanonicalOptions {
  const cnames = o.get('canonicalizepermittedcnames')?.args ?? [];
  const proxy = o.value('proxycommand');
  const jump = o.value('proxyjump');
  return {
    mode,
    maxDots: Number(o.value('canonicalizemaxdots') ?? 1),
    fallbackLocal: !['no', 'false'].includes((o.value('canonicalizefallbacklocal') ?? 'yes').toLowerCase()),
    domains: (o.get('canonicaldomains')?.args ?? []).map((d) => d.toLowerCase()),
    // `none` alone means none; `*` is any name to any name.
    permittedCnames: cnames.length === 1 && cnames[0]!.toLowerCase() === 'none' ? [] : cnames.map((c) => (c === '*' ? '*:*' : c.toLowerCase())),
    direct: (!proxy || proxy.toLowerCase() === 'none') && (!jump || jump.toLowerCase() === 'none'),
  };
}

function runPasses(target: Target, sources: ConfigSources, env: ConfigEnv): Pass {
  const options = new OptionStore();
  const cmd = (args: string[]): Setting => ({ args, rest: args.join(' '), origin: 'command line' });
  if (target.user) options.offer('user', cmd([target.user]));
  if (target.port) options.offer('port', cmd([String(target.port)]));
  const pass: Pass = { host: target.host, originalHost: target.host, finalPass: false, wantFinal: false, options, env, warnings: [], files: [] };
  const readAll = () => {
    readConfigFile(sources.userConfig, pass, true);
    if (sources.systemConfig) readConfigFile(sources.systemConfig, pass, false);
  };
  readAll();
  // ssh.c: HostName takes %h now, and the result (lower-cased) is the host from here on.
  const hostName = options.get('hostname');
  const expanded = hostName ? expandTokens(hostName.args[0]!, { h: target.host }) : target.host;
  const mode = parseCanonicalizeMode(options.value('canonicalizehostname'));
  // ssh.c: a name is lower-cased, an address (or what looks like one) is not; then an address
  // takes its standard form and, when asked, a name its canonical one. ssh -G prints the result.
  const wasAddress = looksLikeAddress(expanded) || canonicalAddress(expanded) !== undefined;
  const host = canonicalizeHost(wasAddress ? expanded : expanded.toLowerCase(), canonicalOptions(options, mode), env.lookup);
  options.force('hostname', { args: [host], rest: host, origin: hostName?.origin ?? '' });
  if (mode !== 'no' || pass.wantFinal) {
    pass.host = host;
    pass.finalPass = true;
    readAll();
  }
  return pass;
}

/** What `ssh -G [-F userConfig] [user@]host [-p port]` prints, for the keywords VirtDeck reads. */
export function resolveSettings(target: Target, sources: ConfigSources, env: ConfigEnv = defaultConfigEnv()): SshSettings {
  const pass = runPasses(target, sources, env);
  const o = pass.options;
  const hostName = o.value('hostname')!;
  const portSetting = o.get('port');
  const port = portSetting ? portNumber(portSetting) : 22;
  const user = o.value('user') ?? env.localUser;
  const hostKeyAlias = o.value('hostkeyalias');
  const tokens = connectionTokens({ ...env, host: hostName, originalHost: target.host, port, user, hostKeyAlias });
  const expandPath = (p: string) => expandTokens(expandTilde(p, env.home), tokens, env.env);
  const origins: Record<string, string> = {};
  const note = (keyword: string, s: Setting | undefined) => {
    if (s && s.origin) origins[keyword] = s.origin;
  };
  for (const k of ['hostname', 'port', 'user', 'identitiesonly', 'userknownhostsfile', 'globalknownhostsfile', 'proxyjump', 'proxycommand', 'hostkeyalias', 'hostkeyalgorithms', 'hashknownhosts', 'serveraliveinterval', 'serveralivecountmax', 'stricthostkeychecking', 'connecttimeout']) {
    note(k, o.get(k));
  }
  if (o.value('proxycommand')?.toLowerCase() === 'none') delete origins.proxycommand; // ProxyJump's doing
  const idSettings = o.list('identityfile');
  if (idSettings.length) origins.identityfile = idSettings.map((s) => s.origin).join(', ');
  const identityFiles = idSettings.length
    ? idSettings.map((s) => s.args[0]!)
    : ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'].map((n) => `~/.ssh/${n}`);
  const userKnown = o.get('userknownhostsfile')?.args ?? ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
  const proxyJump = o.value('proxyjump');
  const proxyCommand = o.value('proxycommand');
  const connectTimeout = o.value('connecttimeout');
  const aliveInterval = o.value('serveraliveinterval');
  const controlPath = o.value('controlpath');
  const remoteCommand = o.value('remotecommand');
  return {
    host: target.host,
    hostName,
    port,
    user,
    identityFiles,
    identityFilesExpanded: identityFiles.map(expandPath),
    certificateFiles: o.list('certificatefile').map((s) => s.args[0]!),
    certificateFilesExpanded: o.list('certificatefile').map((s) => expandPath(s.args[0]!)),
    identitiesOnly: yes(o.value('identitiesonly')),
    userKnownHostsFiles: userKnown.map(expandPath),
    globalKnownHostsFiles: o.get('globalknownhostsfile')?.args ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
    proxyJump: proxyJump && proxyJump.toLowerCase() !== 'none' ? proxyJump : undefined,
    proxyCommand: proxyCommand && proxyCommand.toLowerCase() !== 'none' ? proxyCommand : undefined,
    proxyCommandLine:
      proxyCommand && proxyCommand.toLowerCase() !== 'none'
        ? proxyCommandLine(proxyCommand, { h: hostName, k: hostKeyAlias ?? target.host, n: target.host, p: String(port), r: user }, o.get('proxycommand')!.origin)
        : undefined,
    hostKeyAlias,
    hostKeyAlgorithms: assembleHostKeyAlgorithms(o.value('hostkeyalgorithms')),
    hashKnownHosts: yes(o.value('hashknownhosts')),
    serverAliveInterval: aliveInterval ? convtime(aliveInterval) : 0,
    serverAliveCountMax: Number(o.value('serveralivecountmax') ?? 3),
    strictHostKeyChecking: strictValue(o.value('stricthostkeychecking')),
    connectTimeout: connectTimeout && connectTimeout.toLowerCase() !== 'none' ? convtime(connectTimeout) : undefined,
    batchMode: yes(o.value('batchmode')),
    controlPath: controlPath && controlPath.toLowerCase() !== 'none' ? expandPath(controlPath) : undefined,
    remoteCommand: remoteCommand && remoteCommand.toLowerCase() !== 'none' ? expandTokens(remoteCommand, tokens) : undefined,
    localForwards: o.list('localforward').map((s) => formatForward(s.args, expandPath)),
    sendEnv: o.list('sendenv').map((s) => s.args[0]!),
    origins,
    files: pass.files,
    warnings: pass.warnings,
  };
}

/** expand_proxy_command(): ssh runs `$SHELL -c "exec COMMAND"` with these tokens only. */
function proxyCommandLine(command: string, tokens: Record<string, string>, origin: string): string {
  refuseShellMetacharacters({ h: tokens.h!, n: tokens.n!, r: tokens.r! }, command, `ProxyCommand at ${origin}`);
  return expandTokens(`exec ${command}`, tokens);
}

/** A LocalForward as ssh -G prints it: `[addr]:port [host]:port`, or socket paths expanded. */
function formatForward(args: string[], expandPath: (p: string) => string): string {
  const side = (spec: string, listen: boolean) => {
    if (spec.includes('/')) return expandPath(spec);
    const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(spec);
    if (v6) return `[${v6[1]}]:${v6[2]}`;
    const at = spec.lastIndexOf(':');
    if (at < 0) return listen ? spec : `[${spec}]`;
    return `[${spec.slice(0, at)}]:${spec.slice(at + 1)}`;
  };
  return args.map((a, i) => side(a, i === 0)).join(' ');
}

/** The user's own sources: ~/.ssh/config and the system file, or one explicit file like ssh -F. */
export function configSources(explicitFile: string | undefined, env: ConfigEnv): ConfigSources {
  if (explicitFile) return { userConfig: explicitFile };
  return { userConfig: join(env.home, '.ssh', 'config'), systemConfig: join(env.systemDir, 'ssh_config') };
}
