// glob(3) as OpenSSH's Include uses it: * ? and [...] in any path component, no match for a
// leading '.', results sorted byte-wise, missing paths simply absent.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAGIC = /[*?[]/;

function componentRegExp(part: string): RegExp {
  let body = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '*') body += '[^/]*';
    else if (c === '?') body += '[^/]';
    else if (c === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) body += '\\[';
      else {
        const set = part.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        body += `[${set}]`;
        i = end;
      }
    } else body += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${body}$`);
}

export function globSync(pattern: string): string[] {
  const parts = pattern.split('/');
  let paths = [parts[0] === '' ? '/' : parts[0]!];
  for (const part of parts.slice(1)) {
    if (!part) continue;
    if (!MAGIC.test(part)) {
      paths = paths.map((p) => join(p, part));
      continue;
    }
    const re = componentRegExp(part);
    paths = paths.flatMap((dir) => {
      try {
        return readdirSync(dir)
          .filter((name) => !name.startsWith('.') && re.test(name))
          .map((name) => join(dir, name));
      } catch {
        return [];
      }
    });
  }
  return paths.filter((p) => {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  }).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
