import { describe, expect, it } from 'vitest';
import { poolRoomProblem } from './room';

const MiB = 1024 * 1024;

describe('room in a pool for an upload', () => {
  it('refuses a file larger than what the pool has free, naming both sizes', () => {
    expect(poolRoomProblem({ name: 'tiny', where: 'hv3', available: 4 * MiB }, 12 * MiB)).toBe(
      'Pool "tiny" on hv3 is full for this file: 4.0 MiB free, the file needs 12.0 MiB. Free space in the pool or pick another pool.',
    );
  });
  it('lets through a file that fits exactly, and one into a pool that does not say what it has free', () => {
    expect(poolRoomProblem({ name: 'p', where: 'hv1', available: 12 * MiB }, 12 * MiB)).toBeNull();
    expect(poolRoomProblem({ name: 'p', where: 'hv1', available: null }, 12 * MiB)).toBeNull();
  });
});
