// The guest OS the wizard offers: the host's libosinfo database when `osinfo-query` is there,
// else a short built-in list. The OS family drives the defaults (defaults.ts).

export type OsFamily = 'linux' | 'windows' | 'other';

export interface OsChoice {
  /** libosinfo's id, e.g. http://microsoft.com/win/11 (stored in the domain's <metadata>). */
  id: string;
  shortId: string;
  name: string;
  family: OsFamily;
}

/** Used when the host has no osinfo-query: what virt-install calls linux2022, win10, win11 … */
export const BUILTIN_OSES: readonly OsChoice[] = [
  { id: 'http://libosinfo.org/linux/2022', shortId: 'linux2022', name: 'Generic Linux 2022', family: 'linux' },
  { id: 'http://microsoft.com/win/10', shortId: 'win10', name: 'Microsoft Windows 10', family: 'windows' },
  { id: 'http://microsoft.com/win/11', shortId: 'win11', name: 'Microsoft Windows 11', family: 'windows' },
  { id: 'http://microsoft.com/win/2k22', shortId: 'win2k22', name: 'Microsoft Windows Server 2022', family: 'windows' },
  { id: 'http://libosinfo.org/unknown', shortId: 'unknown', name: 'Other', family: 'other' },
];

export const DEFAULT_OS_ID = BUILTIN_OSES[0]!.id;

/** libosinfo's family field (linux, winnt, win9x, freebsd …) as the wizard's three kinds. */
export function osFamily(family: string, id = ''): OsFamily {
  if (/^win/i.test(family) || /microsoft\.com\/win/i.test(id)) return 'windows';
  if (/linux/i.test(family)) return 'linux';
  return 'other';
}

/** Windows 11 and Server 2022+ want UEFI with Secure Boot and a TPM 2.0. */
export const wantsTpmAndUefi = (os: OsChoice): boolean => /microsoft\.com\/win\/(11|2k22|2k25)/.test(os.id);

/** `LC_ALL=C osinfo-query os --fields=short-id,name,family,id`: a table with a header, a rule
 *  and `|`-separated cells. Unreadable lines are skipped. */
export function parseOsinfoQuery(out: string): OsChoice[] {
  const rows: OsChoice[] = [];
  for (const line of out.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length !== 4) continue;
    const [shortId, name, family, id] = cells as [string, string, string, string];
    if (!/^[a-z]+:\/\//.test(id) || !shortId) continue;
    rows.push({ id, shortId, name, family: osFamily(family, id) });
  }
  return rows;
}

/** The host's list, with the built-in generic entries first when it lacks them. */
export function osCatalog(hostList: readonly OsChoice[] | undefined): OsChoice[] {
  if (!hostList?.length) return [...BUILTIN_OSES];
  const ids = new Set(hostList.map((o) => o.id));
  return [...BUILTIN_OSES.filter((o) => !ids.has(o.id)), ...hostList];
}

/** `osinfo-detect --format=env ISO`: OSINFO_INSTALL=…, OSINFO_MEDIA=…; the id of the OS, if any. */
export function parseOsinfoDetect(out: string): string | undefined {
  const m = /^OSINFO_INSTALLER=(\S+)/m.exec(out) ?? /^OSINFO_MEDIA=(\S+?)(?:\/media\/\S+)?$/m.exec(out);
  return m?.[1];
}
