// The destination URI the source host's virsh migrates to. libvirt's libssh transport
// (qemu+libssh://) is used rather than its default ssh transport, because only it takes the
// host-key file as a URI option: `known_hosts=` points at a file VirtDeck writes on the source for
// this one command (the destination's public key, the one VirtDeck itself verified),
// `known_hosts_verify=normal` refuses an unknown or changed key, and `sshauth=agent` logs in with
// the agent VirtDeck forwards over its own connection for the command (ssh2 agent forwarding, an
// agent in VirtDeck that holds only the key it logged in with). No key file, no
// StrictHostKeyChecking=no, nothing left on the host. The plain `qemu+ssh://` transport runs the
// host's `ssh` binary, which would read the user's ~/.ssh/known_hosts there; its only host-key
// option is `no_verify`, which turns the check off.
import { isIpv4 } from './route';

const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
const TEMP_PATH = /^\/[A-Za-z0-9._/-]+$/;

export interface DestinationUri {
  user: string;
  address: string;
  port: number;
  /** The known_hosts file written on the source host for this command. */
  knownHostsPath: string;
}

export function destinationUri({ user, address, port, knownHostsPath }: DestinationUri): string {
  if (!USER.test(user)) throw new Error(`Cannot log in to the destination as ${JSON.stringify(user)}`);
  if (!isIpv4(address)) throw new Error(`Not an IPv4 address: ${JSON.stringify(address)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Not a port: ${port}`);
  if (!TEMP_PATH.test(knownHostsPath) || knownHostsPath.includes('..')) throw new Error(`Not a usable path: ${JSON.stringify(knownHostsPath)}`);
  const hostPort = port === 22 ? address : `${address}:${port}`;
  return `qemu+libssh://${user}@${hostPort}/system?known_hosts=${knownHostsPath}&known_hosts_verify=normal&sshauth=agent`;
}

/** The known_hosts line for the destination under the address the source dials. */
export function knownHostsEntry(address: string, port: number, keyType: string, keyBase64: string): string {
  if (!isIpv4(address)) throw new Error(`Not an IPv4 address: ${JSON.stringify(address)}`);
  if (!/^[a-z0-9@.-]+$/.test(keyType) || !/^[A-Za-z0-9+/]+=*$/.test(keyBase64)) throw new Error('Not a public host key');
  return `${port === 22 ? address : `[${address}]:${port}`} ${keyType} ${keyBase64}\n`;
}

/** The `virsh migrate` arguments (after `virsh -c SOURCE`) for a live move. */
export function liveMigrateArgs(vm: string, uri: string, address: string, opts: { copyStorage: boolean; autoConverge: boolean; compressed: boolean; bandwidthMiBs?: number }): string[] {
  const bw = opts.bandwidthMiBs;
  if (bw !== undefined && (!Number.isInteger(bw) || bw < 1)) throw new Error(`Not a bandwidth in MiB/s: ${bw}`);
  if (!isIpv4(address)) throw new Error(`Not an IPv4 address: ${JSON.stringify(address)}`);
  return [
    'migrate',
    '--live',
    '--persistent',
    '--undefinesource',
    ...(opts.copyStorage ? ['--copy-storage-all'] : []),
    ...(opts.autoConverge ? ['--auto-converge'] : []),
    ...(opts.compressed ? ['--compressed'] : []),
    ...(bw !== undefined ? ['--bandwidth', String(bw)] : []),
    '--domain',
    vm,
    '--desturi',
    uri,
    // QEMU's stream (and the disks' NBD copy) to the destination's migration address, not to
    // whatever its hostname resolves to on the source.
    '--migrateuri',
    `tcp://${address}`,
  ];
}
