// A NoCloud seed's three files from the wizard's fields: user-data (#cloud-config), meta-data and
// network-config (version 2). The admin's own #cloud-config is parsed as YAML (an error names its
// line) and merged: list keys (users, packages, runcmd, ssh_authorized_keys, write_files, bootcmd)
// keep the fields' entries first and the admin's after them, other keys the fields set win.
import { dump, load, JSON_SCHEMA, YAMLException } from 'js-yaml';
import { hostnameProblem, sshKeyProblem, userProblem } from './names';

export type CloudNetwork =
  | { mode: 'dhcp' }
  /** address: CIDR (192.0.2.20/24); gateway and DNS servers optional. */
  | { mode: 'static'; address: string; gateway?: string; dns?: string[] };

export interface CloudInitFields {
  hostname: string;
  /** The user cloud-init creates (sudo without password, the keys below); none: the image's default user. */
  user?: string;
  sshKeys: string[];
  /** A crypt(3) hash (sha512-crypt, "$6$…"), made on the laptop: the password never leaves it. */
  passwordHash?: string;
  packages?: string[];
  /** A command run once, on the first boot (through sh -c). */
  runOnce?: string;
  /** The NIC's MAC the network config matches on. */
  network?: CloudNetwork & { mac?: string };
  /** The admin's own #cloud-config, merged over the fields. */
  userData?: string;
}

export interface SeedFiles {
  userData: string;
  metaData: string;
  /** Only when the network is not plain DHCP (NoCloud's default is DHCP on the first NIC). */
  networkConfig?: string;
}

export class CloudInitError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
  }
}

type Obj = Record<string, unknown>;
const LIST_KEYS = ['users', 'packages', 'runcmd', 'bootcmd', 'ssh_authorized_keys', 'write_files'];

/** The admin's #cloud-config as a mapping; a YAML error or a non-mapping names its line (1-based). */
export function parseCloudConfig(text: string): Obj {
  if (text.trim() === '') return {};
  const firstLine = text.replace(/^\uFEFF/, '').split('\n')[0]!.trim();
  if (firstLine !== '#cloud-config') throw new CloudInitError('Line 1: user-data must start with "#cloud-config" (cloud-init ignores it otherwise)', 1);
  let value: unknown;
  try {
    value = load(text, { schema: JSON_SCHEMA });
  } catch (err) {
    if (err instanceof YAMLException) {
      const line = (err.mark?.line ?? 0) + 1;
      throw new CloudInitError(`Line ${line}: ${err.reason || 'invalid YAML'}`, line);
    }
    throw err;
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new CloudInitError('Line 2: #cloud-config must be a mapping of keys (hostname: …, users: …)', 2);
  for (const k of LIST_KEYS) {
    const v = (value as Obj)[k];
    if (v !== undefined && !Array.isArray(v)) throw new CloudInitError(`"${k}" must be a list`, lineOfKey(text, k));
  }
  return value as Obj;
}

const lineOfKey = (text: string, key: string) => {
  const i = text.split('\n').findIndex((l) => l.startsWith(`${key}:`));
  return i < 0 ? undefined : i + 1;
};

/** Every reason the fields cannot make a seed (empty when they can). */
export function fieldProblems(f: CloudInitFields): string[] {
  const out: string[] = [];
  const host = hostnameProblem(f.hostname);
  if (host) out.push(host);
  if (f.user !== undefined && f.user !== '') {
    const u = userProblem(f.user);
    if (u) out.push(u);
  }
  f.sshKeys.forEach((k, i) => {
    const p = sshKeyProblem(k);
    if (p) out.push(`SSH key ${i + 1}: ${p}`);
  });
  if (f.passwordHash !== undefined && !/^\$(6|5|y|2[aby])\$[^\s:]+$/.test(f.passwordHash)) out.push('The password must be given as a crypt(3) hash ($6$…)');
  for (const p of f.packages ?? []) if (!/^[A-Za-z0-9][A-Za-z0-9+._:=~-]*$/.test(p)) out.push(`"${p}" is not a package name`);
  if (f.runOnce !== undefined && /[\r\n]/.test(f.runOnce.trim())) out.push('The run-once command is one line');
  if (f.network?.mode === 'static') {
    const n = f.network;
    if (!/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(n.address) || n.address.split(/[./]/).slice(0, 4).some((o) => Number(o) > 255) || Number(n.address.split('/')[1]) > 32) out.push(`"${n.address}" is not an IPv4 address with its prefix (192.0.2.20/24)`);
    for (const ip of [n.gateway, ...(n.dns ?? [])]) if (ip && !/^(\d{1,3}\.){3}\d{1,3}$/.test(ip)) out.push(`"${ip}" is not an IPv4 address`);
  }
  return out;
}

/** user-data's mapping from the fields alone. */
function fieldsConfig(f: CloudInitFields): Obj {
  const c: Obj = { hostname: f.hostname.split('.')[0], fqdn: f.hostname.includes('.') ? f.hostname : undefined, preserve_hostname: false };
  const keys = f.sshKeys.map((k) => k.trim()).filter(Boolean);
  if (f.user) {
    c.users = [{
      name: f.user,
      groups: ['sudo'],
      shell: '/bin/bash',
      sudo: 'ALL=(ALL) NOPASSWD:ALL',
      lock_passwd: !f.passwordHash,
      ...(f.passwordHash ? { passwd: f.passwordHash } : {}),
      ...(keys.length ? { ssh_authorized_keys: keys } : {}),
    }];
    if (f.passwordHash) c.ssh_pwauth = true;
  } else if (keys.length) {
    c.ssh_authorized_keys = keys;
  }
  if (f.packages?.length) c.packages = [...f.packages];
  if (f.runOnce?.trim()) c.runcmd = [['sh', '-c', f.runOnce.trim()]];
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
}

/** The merged #cloud-config mapping (fields first, the admin's after; see the file's head). */
export function mergedCloudConfig(f: CloudInitFields): Obj {
  const own = parseCloudConfig(f.userData ?? '');
  const mine = fieldsConfig(f);
  const out: Obj = { ...own, ...mine };
  for (const k of LIST_KEYS) {
    const a = mine[k] as unknown[] | undefined;
    const b = own[k] as unknown[] | undefined;
    if (a || b) out[k] = [...(a ?? []), ...(b ?? [])];
  }
  return out;
}

/** The user-data as it would be written (the merge shown before Create); throws CloudInitError
 *  on a YAML error of the admin's part. */
export function previewUserData(f: CloudInitFields): string {
  return `#cloud-config\n${dump(mergedCloudConfig(f), { lineWidth: -1, noRefs: true })}`;
}

export function networkConfig(n: CloudInitFields['network']): string | undefined {
  if (!n || (n.mode === 'dhcp' && !n.mac)) return undefined;
  const match = n.mac ? { match: { macaddress: n.mac.toLowerCase() }, 'set-name': 'eth0' } : { match: { name: 'e*' } };
  const eth =
    n.mode === 'dhcp'
      ? { ...match, dhcp4: true }
      : {
          ...match,
          dhcp4: false,
          addresses: [n.address],
          ...(n.gateway ? { routes: [{ to: 'default', via: n.gateway }] } : {}),
          ...(n.dns?.length ? { nameservers: { addresses: n.dns } } : {}),
        };
  return dump({ network: { version: 2, ethernets: { eth0: eth } } }, { lineWidth: -1, noRefs: true });
}

/** The seed's files; throws CloudInitError with every problem (and the YAML error's line). */
export function buildSeedFiles(f: CloudInitFields, instanceId: string): SeedFiles {
  const problems = fieldProblems(f);
  if (problems.length) throw new CloudInitError(problems.join('; '));
  const userData = previewUserData(f);
  const metaData = dump({ 'instance-id': instanceId, 'local-hostname': f.hostname }, { lineWidth: -1 });
  const net = networkConfig(f.network);
  return { userData, metaData, ...(net ? { networkConfig: net } : {}) };
}
