// ~/.ssh/config read the way OpenSSH reads it. Parsing and Host/Match resolution come from the
// maintained `ssh-config` package; Include (which it leaves alone) is expanded here first.
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import SSHConfig from 'ssh-config';

const MAX_INCLUDE_DEPTH = 16; // OpenSSH's own limit

export const expandHome = (p: string): string => (p === '~' ? homedir() : p.startsWith('~/') ? join(homedir(), p.slice(2)) : p);

/** Files a (possibly wildcarded) Include path names, sorted like glob(3). Relative paths are
 *  relative to ~/.ssh, as for the user's config. */
function includedFiles(pattern: string, baseDir: string): string[] {
  const path = expandHome(pattern);
  const full = isAbsolute(path) ? path : join(baseDir, path);
  const name = basename(full);
  if (!/[*?]/.test(name)) return [full];
  const re = new RegExp(`^${name.replace(/[.+^${}()|\\[\]]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return readdirSync(dirname(full))
      .filter((f) => re.test(f) && !f.startsWith('.'))
      .sort()
      .map((f) => join(dirname(full), f));
  } catch {
    return [];
  }
}

/** The config text with every Include line replaced by the files it names (missing ones are
 *  skipped, as OpenSSH does). An Include inside a Host block is inlined in place. */
export function expandIncludes(text: string, baseDir: string, depth = 0): string {
  if (depth > MAX_INCLUDE_DEPTH) throw new Error('ssh config: Include nested too deeply');
  return text
    .split('\n')
    .map((line) => {
      const m = /^\s*Include\s*=?\s*(.+?)\s*$/i.exec(line);
      if (!m) return line;
      const patterns = m[1]!.match(/"[^"]*"|\S+/g) ?? [];
      return patterns
        .flatMap((p) => includedFiles(p.replace(/^"|"$/g, ''), baseDir))
        .map((file) => {
          let included: string;
          try {
            included = readFileSync(file, 'utf8');
          } catch {
            return ''; // a missing or unreadable file is skipped, as OpenSSH does
          }
          return expandIncludes(included, baseDir, depth + 1);
        })
        .join('\n');
    })
    .join('\n');
}

export function loadSshConfig(path: string): SSHConfig {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Relative Include paths are relative to ~/.ssh for the user's config; for another config file
  // (the lab's, say) its own folder is the useful choice.
  const baseDir = path === join(homedir(), '.ssh', 'config') ? join(homedir(), '.ssh') : dirname(path);
  return SSHConfig.parse(expandIncludes(text, baseDir));
}

/** Concrete Host aliases (no wildcards or negations): what the add-connection dialog suggests. */
export function hostAliases(config: SSHConfig): string[] {
  const aliases = new Set<string>();
  for (const line of config) {
    if (line.type !== SSHConfig.DIRECTIVE || line.param.toLowerCase() !== 'host') continue;
    const values = Array.isArray(line.value) ? line.value.map((v) => (typeof v === 'string' ? v : v.val)) : [String(line.value)];
    for (const v of values) if (!/[*?!]/.test(v)) aliases.add(v);
  }
  return [...aliases];
}
