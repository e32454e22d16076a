import { describe, expect, it } from 'vitest';
import { linkDecision } from './links';

describe('terminal links', () => {
  it('offers http(s) addresses, normalised, for the person to confirm', () => {
    expect(linkDecision('https://example.org/a b')).toEqual({ open: true, url: 'https://example.org/a%20b' });
    expect(linkDecision('http://192.0.2.11:8080/')).toEqual({ open: true, url: 'http://192.0.2.11:8080/' });
  });
  it('never offers other schemes, credentials in the address, or non-addresses', () => {
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'vnc://h', 'ms-settings:', 'data:text/html,x', 'http://user:pw@example.org/', 'not a url']) {
      expect(linkDecision(bad).open).toBe(false);
    }
  });
});
