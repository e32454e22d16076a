// "Snapshot first": which changes offer it ticked, and the snapshot's name after the change.
import type { DomainEdit } from '../domain-xml';

/** Changes to disks and controllers: what one most wants to undo in one click. */
export function isRiskyEdit(edit: DomainEdit): boolean {
  if (edit.kind === 'remove-device') return edit.device === 'disk' || edit.device === 'controller';
  return /disk|controller/.test(edit.kind);
}

/** "before Disk sda (set-disk-bus) 2026-12-01 11:30:05": names the change and stays unique. */
export function snapshotFirstName(what: string, edits: readonly DomainEdit[], at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const kinds = [...new Set(edits.map((e) => e.kind))].slice(0, 3).join(', ');
  const stamp = `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())} ${p(at.getHours())}:${p(at.getMinutes())}:${p(at.getSeconds())}`;
  return `before ${what.replace(/\//g, '-')}${kinds ? ` (${kinds})` : ''} ${stamp}`.slice(0, 200);
}
