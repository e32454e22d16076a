import { beforeEach, describe, expect, it } from 'vitest';
import { detachedConsoleHash, parseDetachedConsoleHash, useConsoles } from './consoles';
import { vmKey } from './vm-ref';

const consoleKey = (hostId: string, name: string) => vmKey({ hostId, name });

describe('console workspace store', () => {
  beforeEach(() => useConsoles.setState({ open: [], active: null }));

  it('opens each VM once, brings an open one forward, and closes to the neighbour', () => {
    const s = () => useConsoles.getState();
    s().show({ hostId: 'hv2', name: 'desk-1' });
    s().show({ hostId: 'hv1', name: 'legacy-b' });
    s().show({ hostId: 'hv2', name: 'desk-2' });
    s().show({ hostId: 'hv2', name: 'desk-1' });
    expect(s().open.map((c) => c.name)).toEqual(['desk-1', 'legacy-b', 'desk-2']);
    expect(s().active).toBe(consoleKey('hv2', 'desk-1'));
    s().close(consoleKey('hv2', 'desk-1'));
    expect(s().active).toBe(consoleKey('hv1', 'legacy-b'));
    s().close(consoleKey('hv2', 'desk-2'));
    expect(s().active).toBe(consoleKey('hv1', 'legacy-b'));
    s().setDetached(consoleKey('hv1', 'legacy-b'), true);
    expect(s().open[0]!.detached).toBe(true);
    s().close(consoleKey('hv1', 'legacy-b'));
    expect(s()).toMatchObject({ open: [], active: null });
  });

  it('round-trips the detached window route, names with slashes and spaces included', () => {
    for (const [hostId, name] of [['hv2', 'desk-1'], ['h/1', 'a b/c#d'], ['x', '-x']] as const) {
      expect(parseDetachedConsoleHash(detachedConsoleHash({ hostId, name }))).toEqual({ hostId, name });
    }
    expect(parseDetachedConsoleHash('')).toBeNull();
    expect(parseDetachedConsoleHash('#console=onlyhost')).toBeNull();
    expect(parseDetachedConsoleHash('#console=%E0%A4%A/x')).toBeNull();
  });
});
