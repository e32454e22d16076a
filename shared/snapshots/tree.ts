// The snapshot tree from the flat list: each snapshot under its parent, roots first, by time.
import type { SnapshotInfo } from '../contract/snapshots';

export interface SnapshotNode {
  snapshot: SnapshotInfo;
  depth: number;
  children: SnapshotNode[];
}

export function snapshotTree(list: readonly SnapshotInfo[]): SnapshotNode[] {
  const names = new Set(list.map((s) => s.name));
  const byTime = [...list].sort((a, b) => a.creationTime - b.creationTime || a.name.localeCompare(b.name));
  const build = (parent: string | null, depth: number, seen: Set<string>): SnapshotNode[] =>
    byTime
      // A parent libvirt no longer lists (deleted with --metadata) makes its children roots.
      .filter((s) => (parent === null ? s.parent === null || !names.has(s.parent) : s.parent === parent) && !seen.has(s.name))
      .map((s) => {
        seen.add(s.name);
        return { snapshot: s, depth, children: build(s.name, depth + 1, seen) };
      });
  return build(null, 0, new Set());
}

/** The tree in display order (depth-first), each node with its depth. */
export function flattenTree(nodes: readonly SnapshotNode[]): SnapshotNode[] {
  return nodes.flatMap((n) => [n, ...flattenTree(n.children)]);
}

/** The names of a snapshot's descendants (what "delete with children" also removes). */
export function descendants(list: readonly SnapshotInfo[], name: string): string[] {
  const kids = list.filter((s) => s.parent === name).map((s) => s.name);
  return kids.flatMap((k) => [k, ...descendants(list, k)]);
}
