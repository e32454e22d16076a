// Reading ssh_config files the way OpenSSH's readconf.c does: lines in order, Host and Match
// switching blocks on and off, Include reading files in place (inheriting the block's state),
// the first value obtained winning except for the keywords that accumulate.
import type { HostLookup } from './canonical.js';
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { globSync } from './glob.js';
import { ACCUMULATING, ALIASES, keywordKind, WHOLE_LINE } from './keywords.js';
import { lexLine, strdelim } from './lex.js';
import { matchHostname, matchPattern, matchPatternList } from './patterns.js';
import { connectionTokens, expandTokens } from './tokens.js';

const MAX_DEPTH = 16; // READCONF_MAX_DEPTH

export interface Setting {
  args: string[];
  /** The line's text after the keyword: ProxyCommand and friends take it whole. */
  rest: string;
  /** `file:line`, or "command line". */
  origin: string;
}

/** What the config has said so far: one Setting per keyword, a list for accumulating ones. */
export class OptionStore {
  private readonly first = new Map<string, Setting>();
  private readonly lists = new Map<string, Setting[]>();

  get(keyword: string): Setting | undefined {
    return this.first.get(keyword);
  }
  value(keyword: string): string | undefined {
    return this.first.get(keyword)?.args[0];
  }
  list(keyword: string): Setting[] {
    return this.lists.get(keyword) ?? [];
  }
  /** Set when not yet set: OpenSSH's `if (*activep && *intptr == -1)`. */
  offer(keyword: string, s: Setting): void {
    if (!this.first.has(keyword)) this.first.set(keyword, s);
  }
  /** Replace outright, as ssh.c does with the hostname between the passes. */
  force(keyword: string, s: Setting): void {
    this.first.set(keyword, s);
  }
  append(keyword: string, s: Setting): void {
    const list = this.lists.get(keyword) ?? [];
    // add_identity_file(), add_certificate_file() and the forward adders skip duplicates.
    if (keyword !== 'sendenv' && list.some((o) => o.args.join(' ') === s.args.join(' '))) return;
    list.push(s);
    this.lists.set(keyword, list);
  }
}

/** Where the resolver runs: the person, the machine, and how to run Match exec. */
export interface ConfigEnv {
  /** The user's home from the password database: ~ and %d in most keywords. */
  home: string;
  /** $HOME: glob(3)'s ~ in Include, relative user Include paths (~/.ssh/…). */
  globHome: string;
  localUser: string;
  uid: number;
  /** gethostname(): %l, %L, %C. */
  localHostname: string;
  env: Record<string, string | undefined>;
  /** Relative Include paths in the system-wide file resolve against this (OpenSSH: /etc/ssh). */
  systemDir: string;
  /** Runs a Match exec command through the user's shell; the exit status. */
  exec(command: string, where: string): number;
  /** Looks a host name up as getaddrinfo() does (CanonicalizeHostname). */
  lookup: HostLookup;
}

export interface Pass {
  /** What Host patterns compare with: the name as given, or on the final pass the final host name. */
  host: string;
  originalHost: string;
  finalPass: boolean;
  /** Set when a `Match final` is seen. */
  wantFinal: boolean;
  options: OptionStore;
  env: ConfigEnv;
  warnings: string[];
  /** Every file read, in order: the resolved settings show them. */
  files: string[];
}

export class ConfigError extends Error {}

interface FileFlags {
  user: boolean;
  neverMatch: boolean;
}

/** read_config_file(): a missing file is no error (false), anything wrong in one is. */
export function readConfigFile(path: string, pass: Pass, user: boolean): boolean {
  const active = { value: true };
  return readFile(path, pass, { user, neverMatch: false }, active, 0);
}

function readFile(path: string, pass: Pass, flags: FileFlags, active: { value: boolean }, depth: number): boolean {
  if (depth > MAX_DEPTH) throw new ConfigError(`${path}: too many recursive configuration includes`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new ConfigError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  pass.files.push(path);
  text.split('\n').forEach((raw, i) => {
    const where = `${path}:${i + 1}`;
    try {
      processLine(raw, where, pass, flags, active, depth);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(`${where}: ${(err as Error).message}`);
    }
  });
  return true;
}

function processLine(raw: string, where: string, pass: Pass, flags: FileFlags, active: { value: boolean }, depth: number): void {
  const line = lexLine(raw);
  if (!line) return;
  const { args, rest } = line;
  const keyword = ALIASES[line.keyword] ?? line.keyword;
  switch (keyword) {
    case 'host':
      active.value = !flags.neverMatch && hostMatches(args, pass.host);
      return;
    case 'match': {
      const value = matchLine(rest, pass, where);
      active.value = flags.neverMatch ? false : value;
      return;
    }
    case 'include':
      for (const arg of args) include(arg, where, pass, flags, active, depth);
      return;
  }
  const kind = keywordKind(line.keyword);
  if (kind === 'ignored') return;
  if (kind === 'unknown') {
    const ignore = pass.options.value('ignoreunknown');
    if (!ignore || matchPatternList(line.keyword, ignore) !== 1) {
      // ssh itself stops here ("Bad configuration option"); a newer or older ssh may know it,
      // so VirtDeck says so and goes on.
      pass.warnings.push(`${where}: "${line.keyword}" is not an OpenSSH 9 keyword; ignored`);
    }
    return;
  }
  if (!active.value) return;
  const setting: Setting = { args, rest: rest.replace(/^[\s=]+/, ''), origin: where };
  const { options } = pass;
  if (ACCUMULATING.has(keyword)) {
    for (const arg of keyword === 'sendenv' ? args : [args]) {
      options.append(keyword, { ...setting, args: Array.isArray(arg) ? arg : [arg] });
    }
  } else if (keyword === 'proxyjump' || keyword === 'proxycommand') {
    // These two compete: whichever comes first stops the other (and ProxyJump sets ProxyCommand none).
    if (options.get('proxyjump') || options.get('proxycommand')) return;
    if (keyword === 'proxycommand') options.offer(keyword, { ...setting, args: [setting.rest] });
    else {
      if (args.length !== 1) throw new Error('ProxyJump takes one argument (hops separated by commas)');
      options.offer(keyword, setting);
      if (args[0]!.toLowerCase() !== 'none') options.offer('proxycommand', { ...setting, args: ['none'] });
    }
  } else if (WHOLE_LINE.has(keyword)) {
    options.offer(keyword, { ...setting, args: [setting.rest] });
  } else {
    options.offer(keyword, setting);
  }
}

function hostMatches(patterns: string[], host: string): boolean {
  let matched = false;
  for (const arg of patterns) {
    if (!arg) throw new Error('empty hostname pattern');
    const negated = arg.startsWith('!');
    if (matchPattern(host, negated ? arg.slice(1) : arg)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function include(arg: string, where: string, pass: Pass, flags: FileFlags, active: { value: boolean }, depth: number): void {
  const outer = active.value;
  for (const file of includedFiles(arg, flags.user, pass.env)) {
    // An Include inside a block that does not apply reads the file with no block applying.
    readFile(file, pass, { user: flags.user, neverMatch: flags.neverMatch || !outer }, active, depth + 1);
    active.value = outer; // a Match in the included file does not change the including block
  }
}

/** The files one Include argument names: relative paths live in ~/.ssh for the user's config
 *  and in the system directory for the system's; ~ is the user's config's alone. */
function includedFiles(arg: string, user: boolean, env: Pick<ConfigEnv, 'globHome' | 'systemDir'>): string[] {
  if (!arg) throw new Error('Include: empty argument');
  if (arg.startsWith('~') && !user) throw new Error(`bad include path ${arg} (~ is only for the user's own config)`);
  let path = arg;
  if (!isAbsolute(arg) && !arg.startsWith('~')) path = user ? `~/.ssh/${arg}` : `${env.systemDir}/${arg}`;
  if (path === '~' || path.startsWith('~/')) path = env.globHome + path.slice(1); // GLOB_TILDE uses $HOME
  return globSync(path);
}

/** match_cfg_line() of OpenSSH 9.2 (plus `tagged` from 9.4). */
function matchLine(text: string, pass: Pass, where: string): boolean {
  const { options, env } = pass;
  const port = Number(options.value('port') ?? 22);
  const ruser = options.value('user') ?? env.localUser;
  const hostName = options.value('hostname');
  const host = pass.finalPass ? hostName! : hostName !== undefined ? expandTokens(hostName, { h: pass.host }) : pass.host;
  let result = true;
  let attributes = 0;
  let cp = text;
  for (let tok = strdelim(cp); tok && tok.word !== ''; tok = strdelim(cp)) {
    cp = tok.rest;
    let attrib = tok.word;
    if (attrib.startsWith('#')) break;
    const negate = attrib.startsWith('!');
    if (negate) attrib = attrib.slice(1);
    const name = attrib.toLowerCase();
    if (name === 'all') {
      const next = strdelim(cp);
      if (attributes > 1 || (next && next.word !== '' && !next.word.startsWith('#'))) {
        throw new Error(`Match: '${tok.word}' cannot be combined with other Match attributes`);
      }
      return result ? !negate : false;
    }
    attributes++;
    if (name === 'canonical' || name === 'final') {
      if (name === 'final') pass.wantFinal = true;
      if (pass.finalPass === negate) result = false;
      continue;
    }
    const argTok = strdelim(cp);
    if (!argTok || argTok.word === '' || argTok.word.startsWith('#')) throw new Error(`Missing Match criteria for ${attrib}`);
    cp = argTok.rest;
    const arg = argTok.word;
    // Each criterion: what it compares and how (host names fold case, user names do not).
    const plain: Record<string, () => boolean> = {
      host: () => matchHostname(host, arg) === 1,
      originalhost: () => matchHostname(pass.originalHost, arg) === 1,
      user: () => matchPatternList(ruser, arg) === 1,
      localuser: () => matchPatternList(env.localUser, arg) === 1,
      tagged: () => matchPatternList(options.value('tag') ?? '', arg) === 1,
    };
    let r: boolean;
    if (plain[name]) r = plain[name]();
    else if (name === 'exec') {
      if (!result) continue; // OpenSSH skips the command once an earlier criterion failed
      const keyAlias = options.value('hostkeyalias');
      const tokens = connectionTokens({ ...env, host, originalHost: pass.originalHost, port, user: ruser, hostKeyAlias: keyAlias });
      tokens.k = keyAlias ?? host;
      refuseShellMetacharacters({ h: host, n: pass.originalHost, r: ruser }, arg, `Match exec at ${where}`);
      r = env.exec(expandTokens(arg, tokens), where) === 0;
    } else throw new Error(`Unsupported Match attribute ${attrib}`);
    if (r === negate) result = false;
  }
  if (attributes === 0) throw new Error('One or more attributes required for Match');
  return result;
}

/** A host or user name typed into VirtDeck goes into a shell command (Match exec, ProxyCommand)
 *  through %h/%n/%r: like OpenSSH 9.6, refuse names carrying shell syntax rather than run them. */
export function refuseShellMetacharacters(values: Record<string, string>, command: string, what: string): void {
  for (const [token, value] of Object.entries(values)) {
    if (command.includes(`%${token}`) && /[^A-Za-z0-9._:@\-[\]%]/.test(value)) {
      throw new Error(`${what} would pass "${value}" (%${token}) to the shell; refusing a name with shell characters`);
    }
  }
}

/** Concrete Host aliases (no wildcards or negations) in the files and what they include: the
 *  add-connection dialog's suggestions. */
export function hostAliases(files: Array<{ path: string; user: boolean }>, env: Pick<ConfigEnv, 'globHome' | 'systemDir'>): string[] {
  const aliases = new Set<string>();
  const visit = (path: string, user: boolean, depth: number) => {
    if (depth > MAX_DEPTH) return;
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return;
    }
    for (const raw of text.split('\n')) {
      try {
        const line = lexLine(raw);
        if (line?.keyword === 'host') for (const v of line.args) if (v && !/[*?!]/.test(v)) aliases.add(v);
        if (line?.keyword === 'include') for (const arg of line.args) for (const f of includedFiles(arg, user, env)) visit(f, user, depth + 1);
      } catch {
        // a line ssh would reject suggests nothing
      }
    }
  };
  for (const f of files) visit(f.path, f.user, 0);
  return [...aliases];
}
