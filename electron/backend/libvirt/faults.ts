// Which virsh failures mean "libvirt does not answer on this host" (as opposed to an action
// libvirt refused), and why, with what an admin can do about it. Pure, for unit tests.
//
// The reason is read from the parts of libvirt's message that do not depend on its wording: the
// socket path it names, the shell's exit code 127 for a missing command, and the C library's
// errno text (strerror), which is English because every command runs with LC_ALL=C.
import type { LibvirtFault, LibvirtFaultKind } from '../../../shared/contract/index.js';

/** A virsh failure as the session saw it: its stderr (or the message made from it) and exit code. */
export interface VirshFailure {
  message: string;
  code?: number | null;
}

/** A socket libvirt's client names when it cannot connect: libvirtd's, or a modular daemon's. */
const SOCKET = /'([^']*\/(?:libvirt-sock(?:-ro)?|virt[a-z]*d-sock(?:-ro)?))'/;

/** Texts of a connection (not an action) that failed; libvirt's own, untranslated phrases first. */
const CONNECTION_LOST = [
  /end of file while reading data/i,
  /client socket is closed/i,
  /disconnected from \S+ due to/i,
  /cannot (?:recv|write) data/i,
  /connection reset by peer/i,
  /broken pipe/i,
];
const CONNECT_FAILED = /failed to connect to the hypervisor|failed to connect socket/i;
const NOT_FOUND = /command not found|: not found|unknown command: virsh|no such file or directory: virsh/i;

const HINTS: Record<LibvirtFaultKind, string> = {
  'not-running': 'libvirtd (or virtqemud) is not running on the host: start it, e.g. `systemctl start libvirtd`.',
  'modular-not-running':
    'This host uses libvirt’s modular daemons and virtqemud is not running: start it, e.g. `systemctl start virtqemud.socket`.',
  permission:
    'The SSH user may not open libvirt’s socket: add the user to the libvirt group (`usermod -aG libvirt USER`), then reconnect (a new login picks up the group).',
  'virsh-missing': 'virsh is not installed on the host: install libvirt-clients (Debian/Ubuntu) or libvirt-client (Fedora/RHEL).',
  disconnected: 'libvirtd closed the connection (stopped, restarted or crashed): it is tried again.',
  'no-answer': 'libvirtd does not answer (hung or overloaded): look at its log on the host.',
  unreachable: 'libvirt refused the connection: check the daemon and its socket on the host.',
};

export function faultHint(kind: LibvirtFaultKind): string {
  return HINTS[kind];
}

/** The kind of fault a virsh failure shows, or undefined when it is an ordinary refusal of an
 *  action ("domain is not running") and libvirt itself answered. */
export function classifyLibvirtFailure({ message, code }: VirshFailure): LibvirtFaultKind | undefined {
  if (code === 127 || (NOT_FOUND.test(message) && /virsh/.test(message))) return 'virsh-missing';
  const socket = SOCKET.exec(message)?.[1];
  if (socket || CONNECT_FAILED.test(message)) {
    if (/permission denied|operation not permitted/i.test(message) || /authentication (?:failed|unavailable)|polkit|system bus/i.test(message)) return 'permission';
    const modular = socket !== undefined && !/\/libvirt-sock/.test(socket);
    if (/no such file or directory|connection refused/i.test(message)) return modular ? 'modular-not-running' : 'not-running';
    if (CONNECTION_LOST.some((re) => re.test(message))) return 'disconnected';
    // A socket named in words we cannot read (a libvirt not in the C locale): still a failed connect.
    return modular ? 'modular-not-running' : socket ? 'not-running' : 'unreachable';
  }
  if (CONNECTION_LOST.some((re) => re.test(message))) return 'disconnected';
  return undefined;
}

/** libvirt's own words for the user: its lines without the generic "failed to connect" one. */
export function faultMessage(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.replace(/^[^:\s]*error: /i, '').trim())
    .filter(Boolean);
  const specific = lines.filter((l) => !/^failed to connect to the hypervisor$/i.test(l));
  return (specific.length ? specific : lines).join('; ');
}

/** The fault a virsh failure shows (see classifyLibvirtFailure), ready for the host's status. */
export function libvirtFault(failure: VirshFailure, since: number): LibvirtFault | undefined {
  const kind = classifyLibvirtFailure(failure);
  return kind && { kind, message: faultMessage(failure.message), hint: faultHint(kind), since };
}
