// ssh_config(5) TOKENS and ENVIRONMENT VARIABLES: %x tokens and ${NAME}, expanded in one pass
// as OpenSSH's percent_dollar_expand() does; an unknown token or an unset variable is an error.
import { createHash } from 'node:crypto';

export type TokenMap = Record<string, string>;

export function expandTokens(text: string, tokens: TokenMap, env?: Record<string, string | undefined>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (env && c === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0) throw new Error(`environment variable in "${text}" has no closing brace`);
      const name = text.slice(i + 2, end);
      const value = env[name];
      if (value === undefined) throw new Error(`environment variable \${${name}} has no value`);
      out += value;
      i = end;
    } else if (c === '%') {
      const key = text[i + 1];
      if (key === undefined) throw new Error(`"${text}" ends with a lone %`);
      if (key === '%') out += '%';
      else if (key in tokens) out += tokens[key];
      else throw new Error(`unknown token %${key} in "${text}"`);
      i++;
    } else out += c;
  }
  return out;
}

/** tilde_expand_filename(): a leading ~ or ~/ is the user's home. */
export function expandTilde(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return `${home}/${path.slice(2)}`;
  return path;
}

export interface TokenInputs {
  localHostname: string;
  host: string;
  originalHost: string;
  port: number;
  user: string;
  localUser: string;
  home: string;
  uid: number;
  hostKeyAlias?: string;
}

/** The tokens CertificateFile, ControlPath, IdentityAgent, IdentityFile, LocalForward, Match exec,
 *  RemoteCommand, RemoteForward and UserKnownHostsFile accept. %C is OpenSSH 9.2's sha1 of %l%h%p%r. */
export function connectionTokens(t: TokenInputs): TokenMap {
  const port = String(t.port);
  return {
    C: createHash('sha1').update(`${t.localHostname}${t.host}${port}${t.user}`).digest('hex'),
    L: t.localHostname.split('.')[0]!,
    d: t.home,
    h: t.host,
    i: String(t.uid),
    k: t.hostKeyAlias ?? t.originalHost,
    l: t.localHostname,
    n: t.originalHost,
    p: port,
    r: t.user,
    u: t.localUser,
  };
}
