// OpenSSH's host name canonicalisation (ssh.c: resolve_addr, resolve_canonicalize,
// check_follow_cname). An address is put in its standard form whatever the config says; with
// CanonicalizeHostname an unqualified name is tried with each of CanonicalDomains in turn, and a
// DNS alias is followed where CanonicalizePermittedCNAMEs allows it.
import { matchPatternList } from './patterns.js';

/** getaddrinfo() of one name: undefined when it does not resolve; `cname` is the canonical name
 *  (asked only when `wantCname`). */
export type HostLookup = (name: string, wantCname: boolean) => { cname?: string } | undefined;

export interface CanonicalOptions {
  /** CanonicalizeHostname: no, yes or always. */
  mode: 'no' | 'yes' | 'always';
  maxDots: number;
  fallbackLocal: boolean;
  domains: string[];
  /** CanonicalizePermittedCNAMEs rules, `source,list:target,list` each. */
  permittedCnames: string[];
  /** No ProxyCommand and no ProxyJump: the name is looked up here, not by a proxy. */
  direct: boolean;
}

/** is_addr_fast(): looks like an address (a scope, a colon, or digits and dots only). */
export function looksLikeAddress(name: string): boolean {
  return name.includes('%') || name.includes(':') || /^[0-9.]*$/.test(name);
}

/** resolve_addr(): a numeric address in the form getnameinfo(NI_NUMERICHOST) prints, or
 *  undefined for anything else. Like getaddrinfo(AI_NUMERICHOST), IPv4 takes inet_aton's short,
 *  octal and hex forms (127.1, 0x7f.1); the URL parser implements the same rules. */
export function canonicalAddress(name: string): string | undefined {
  if (!name || name.includes('%') || /[/?#@\s[\]]/.test(name)) return undefined;
  try {
    if (name.includes(':')) return new URL(`http://[${name}]/`).hostname.slice(1, -1);
    if (!/^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}$/i.test(name)) return undefined;
    const host = new URL(`http://${name}/`).hostname;
    return /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

export function parseCanonicalizeMode(value: string | undefined): CanonicalOptions['mode'] {
  const v = (value ?? 'no').toLowerCase();
  if (v === 'always') return 'always';
  return v === 'yes' || v === 'true' ? 'yes' : 'no';
}

/** The host name ssh goes on with after canonicalisation. Throws OpenSSH's own message when a
 *  name must resolve and does not (CanonicalizeFallbackLocal no; a permitted-CNAME lookup). */
export function canonicalizeHost(host: string, o: CanonicalOptions, lookup: HostLookup): string {
  const address = canonicalAddress(host);
  if (address !== undefined) return address;
  if (o.mode !== 'no' && !looksLikeAddress(host) && (o.direct || o.mode === 'always')) {
    const found = tryDomains(host, o, lookup);
    if (found === null) throw new Error(`Could not resolve host "${host}" (CanonicalizeFallbackLocal no)`);
    if (found) return followCname(found.name, found.cname, o);
  }
  // Without a canonical name, permitted CNAMEs still make ssh look the bare name up.
  if (o.permittedCnames.length && (o.direct || o.mode === 'always')) {
    const r = lookup(host, true);
    if (!r) {
      if (o.direct) throw new Error(`Could not resolve hostname ${host}: Name or service not known`);
      return host;
    }
    return followCname(host, r.cname, o);
  }
  return host;
}

/** The first `host.domain.` that resolves; undefined to keep the name, null when ssh gives up. */
function tryDomains(host: string, o: CanonicalOptions, lookup: HostLookup): { name: string; cname?: string } | undefined | null {
  const wantCname = o.permittedCnames.length > 0;
  const candidates: string[] = [];
  if (host.endsWith('.')) candidates.push(host);
  else if ((host.match(/\./g)?.length ?? 0) > o.maxDots) return undefined;
  else {
    for (const d of o.domains) {
      if (d.toLowerCase() === 'none') break;
      candidates.push(`${host}.${d}.`);
    }
  }
  for (const fqdn of candidates) {
    const r = lookup(fqdn, wantCname);
    if (r) return { name: fqdn.slice(0, -1), cname: r.cname };
  }
  return o.fallbackLocal ? undefined : null;
}

function followCname(name: string, cname: string | undefined, o: CanonicalOptions): string {
  if (!cname || cname === name || o.mode === 'no' || (!o.direct && o.mode !== 'always')) return name;
  for (const rule of o.permittedCnames) {
    const at = rule.indexOf(':');
    if (at < 0) continue;
    if (matchPatternList(name, rule.slice(0, at), true) === 1 && matchPatternList(cname, rule.slice(at + 1), true) === 1) return cname;
  }
  return name;
}
