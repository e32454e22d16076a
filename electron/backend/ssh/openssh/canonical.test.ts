// The part of canonicalisation `ssh -G` cannot show on a machine without DNS: what happens when
// a CanonicalDomains candidate resolves. Names resolve here through a table instead of DNS.
import { describe, expect, it } from 'vitest';
import { canonicalAddress, canonicalizeHost, type CanonicalOptions, type HostLookup } from './canonical';

const dnsTable: Record<string, string | undefined> = {
  'hv1.lab.example.': 'hv1.lab.example',
  'web.prod.example.': 'lb7.cdn.example',
  'db.example.': 'db.example',
};
const asked: string[] = [];
const lookup: HostLookup = (name) => {
  asked.push(name);
  return name in dnsTable ? { cname: dnsTable[name] } : undefined;
};
const opts = (o: Partial<CanonicalOptions> = {}): CanonicalOptions => ({
  mode: 'yes',
  maxDots: 1,
  fallbackLocal: true,
  domains: ['nope.example', 'lab.example'],
  permittedCnames: [],
  direct: true,
  ...o,
});

describe('openssh canonicalisation with names that resolve', () => {
  it('tries each domain in order and takes the first that resolves', () => {
    asked.length = 0;
    expect(canonicalizeHost('hv1', opts(), lookup)).toBe('hv1.lab.example');
    expect(asked).toEqual(['hv1.nope.example.', 'hv1.lab.example.']);
  });
  it('stops at a domain named none', () => {
    expect(canonicalizeHost('hv1', opts({ domains: ['none', 'lab.example'] }), lookup)).toBe('hv1');
  });
  it('does nothing when CanonicalizeHostname is no', () => {
    expect(canonicalizeHost('hv1', opts({ mode: 'no' }), lookup)).toBe('hv1');
  });
  it('leaves names for a proxy alone with yes, not with always', () => {
    expect(canonicalizeHost('hv1', opts({ direct: false }), lookup)).toBe('hv1');
    expect(canonicalizeHost('hv1', opts({ direct: false, mode: 'always' }), lookup)).toBe('hv1.lab.example');
  });
  it('follows a CNAME only where a rule permits it', () => {
    const web = opts({ domains: ['prod.example'] });
    expect(canonicalizeHost('web', web, lookup)).toBe('web.prod.example');
    expect(canonicalizeHost('web', { ...web, permittedCnames: ['*.prod.example:*.cdn.example'] }, lookup)).toBe('lb7.cdn.example');
    expect(canonicalizeHost('web', { ...web, permittedCnames: ['*.prod.example:*.other.example'] }, lookup)).toBe('web.prod.example');
  });
  it('resolves an anchored name as written, without the dot afterwards', () => {
    expect(canonicalizeHost('db.example.', opts(), lookup)).toBe('db.example');
  });
  it('refuses a name that resolves nowhere when CanonicalizeFallbackLocal is no', () => {
    expect(() => canonicalizeHost('zz', opts({ fallbackLocal: false }), lookup)).toThrow(/Could not resolve host "zz"/);
  });
});

describe('openssh address forms', () => {
  it('writes addresses as getnameinfo does and refuses the rest', () => {
    expect(canonicalAddress('127.1')).toBe('127.0.0.1');
    expect(canonicalAddress('0x7f.0.0.1')).toBe('127.0.0.1');
    expect(canonicalAddress('2001:DB8:0::1')).toBe('2001:db8::1');
    expect(canonicalAddress('1.2.3.4.5')).toBeUndefined();
    expect(canonicalAddress('hv1')).toBeUndefined();
    expect(canonicalAddress('fe80::1%eth0')).toBeUndefined();
  });
});
