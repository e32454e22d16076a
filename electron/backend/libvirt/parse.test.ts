import { describe, expect, it } from 'vitest';
import { domainStateArgs, isActiveState, parseDomainState, parseDomstats, parseEventLine, parseKeyValues, parseTitles, parseUuidNames, toVmSummaries } from './parse';

const DOMSTATS = `Domain: 'legacy-a'
  state.state=5
  state.reason=0
  balloon.current=131072
  balloon.maximum=131072
  vcpu.current=1
  vcpu.maximum=2

Domain: 'it's a vm'
  state.state=1
  state.reason=1
  balloon.current=98304
  vcpu.current=1
`;

const LIST = `1b4e28ba-2fa1-11d2-883f-0016d3cca427 legacy-a
 7d1b3f0a-0000-4000-8000-000000000001   it's a vm
`;

describe('virsh output parsers', () => {
  it('reads domstats blocks, including names with quotes', () => {
    const stats = parseDomstats(DOMSTATS);
    expect([...stats.keys()]).toEqual(['legacy-a', "it's a vm"]);
    expect(stats.get('legacy-a')?.get('vcpu.maximum')).toBe('2');
  });

  it('pairs uuids with names that hold spaces', () => {
    const m = parseUuidNames(LIST);
    expect(m.get("it's a vm")).toBe('7d1b3f0a-0000-4000-8000-000000000001');
    expect(m.get('legacy-a')).toBe('1b4e28ba-2fa1-11d2-883f-0016d3cca427');
  });

  it('merges both into VM summaries with states and reasons', () => {
    const vms = toVmSummaries('h1', parseUuidNames(LIST), parseDomstats(DOMSTATS));
    expect(vms).toEqual([
      { hostId: 'h1', uuid: '7d1b3f0a-0000-4000-8000-000000000001', name: "it's a vm", state: 'running', reason: 'booted', vcpus: 1, memoryKiB: 98304 },
      { hostId: 'h1', uuid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427', name: 'legacy-a', state: 'shutoff', reason: 'unknown', vcpus: 1, memoryKiB: 131072 },
    ]);
  });

  it('recognises event lines and ignores the rest', () => {
    expect(parseEventLine("event 'lifecycle' for domain 'desk-1': Started Booted")).toEqual({ event: 'lifecycle', domain: 'desk-1' });
    expect(parseEventLine("event 'lifecycle' for domain 'it's': Stopped Destroyed")).toEqual({ event: 'lifecycle', domain: "it's" });
    expect(parseEventLine('events received: 3')).toBeUndefined();
  });
});

describe('parseKeyValues', () => {
  it('reads virsh dominfo', () => {
    const info = parseKeyValues('Id:             -\nName:           it\'s: a vm\nState:          shut off\nMax memory:     131072 KiB\n');
    expect(info).toEqual({ Id: '-', Name: "it's: a vm", State: 'shut off', 'Max memory': '131072 KiB' });
  });
});

describe('parseTitles', () => {
  it('finds each title after a name with spaces and a two-word state', () => {
    const table = [' 1    web 1      running    Front end: nginx', ' -    web        shut off   ', ' -    db         shut off   Postgres  primary', ''].join('\n');
    expect(parseTitles(table, ['web', 'web 1', 'db'])).toEqual(
      new Map([
        ['web 1', 'Front end: nginx'],
        ['db', 'Postgres  primary'],
      ]),
    );
  });
});

describe('parseDomainState', () => {
  it('reads the state code, not words, and keeps a dash-led name a name', () => {
    expect(domainStateArgs('-x')).toEqual(['domstats', '--raw', '--state', '--', '-x']);
    expect(parseDomainState("Domain: 'vm1'\n  state.state=1\n  state.reason=1\n\n")).toBe('running');
    expect(parseDomainState("Domain: 'vm1'\n  state.state=5\n  state.reason=2\n")).toBe('shutoff');
    expect(parseDomainState("Domain: 'vm1'\n  state.state=3\n")).toBe('paused');
  });

  it('refuses output without a state instead of guessing "shut off"', () => {
    expect(() => parseDomainState('')).toThrow(/No domain state/);
    expect(() => parseDomainState('laufend\n')).toThrow(/No domain state/);
  });

  it('counts paused and in-shutdown domains as running for the editor', () => {
    expect(['running', 'paused', 'shutdown', 'shutoff', 'crashed'].map((s) => isActiveState(s as never))).toEqual([true, true, true, false, false]);
  });
});
