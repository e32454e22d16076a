// What cloud-init and the guest accept as a hostname, a user name and an SSH public key. A value
// refused here never reaches a seed: a hostname goes into /etc/hostname and DHCP, a user name
// into useradd, a key line into authorized_keys, where a stray newline would add a line.

/** RFC 1123 (RFC 952 relaxed): labels of 1–63 letters, digits and hyphens, not starting or ending
 *  with a hyphen, dot-separated, at most 253 characters. No underscore, no trailing dot. */
export function hostnameProblem(name: string): string | undefined {
  if (name === '') return 'The hostname is empty';
  if (name.length > 253) return 'The hostname is longer than 253 characters';
  for (const label of name.split('.')) {
    if (label === '') return `"${name}" has an empty label (two dots, or a dot at an end)`;
    if (label.length > 63) return `The hostname label "${label.slice(0, 20)}…" is longer than 63 characters`;
    if (!/^[A-Za-z0-9-]+$/.test(label)) return `"${name}" is not a hostname: only letters a–z, digits, "-" and dots (RFC 1123)`;
    if (label.startsWith('-') || label.endsWith('-')) return `The hostname label "${label}" may not start or end with "-" (RFC 1123)`;
  }
  if (/^[0-9.]+$/.test(name)) return `"${name}" looks like an address, not a hostname`;
  return undefined;
}

/** A hostname from a VM name, as far as one can be made (lower case, other characters to "-"). */
export function hostnameFromVmName(vm: string): string {
  const h = vm.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/\.+/g, '.').replace(/(^|\.)-+|-+(?=\.|$)/g, '$1').replace(/^\.+|\.+$/g, '');
  return h.slice(0, 63).replace(/-+$/, '') || 'vm';
}

/** useradd's default rule (NAME_REGEX in Debian's adduser.conf, shadow's is_valid_user_name). */
export function userProblem(user: string): string | undefined {
  if (user === '') return 'The user name is empty';
  if (user.length > 32) return 'The user name is longer than 32 characters';
  if (!/^[a-z_][a-z0-9_-]*\$?$/.test(user)) return `"${user}" is not a user name: lower-case letters, digits, "_" and "-", starting with a letter or "_"`;
  if (user === 'root') return 'Use a user other than root (cloud images lock root; its key goes in with disable_root)';
  return undefined;
}

const KEY_TYPES = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com', 'ssh-dss'];

/** One OpenSSH public key line: a known type, its base64 blob (which names the same type), an
 *  optional comment; one line. */
export function sshKeyProblem(line: string): string | undefined {
  if (/[\r\n]/.test(line)) return 'A key is one line';
  const [type, blob] = line.trim().split(/\s+/);
  if (!type || !KEY_TYPES.includes(type)) return `Not an SSH public key: "${line.slice(0, 30)}…" (it should start with ssh-ed25519, ssh-rsa, ecdsa-sha2-…)`;
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob) || blob.length < 20) return `The ${type} key has no base64 key after its type`;
  // The blob starts with the type again, as a length-prefixed string.
  const decoded = atob(blob.slice(0, 4 * Math.ceil((4 + type.length) / 3)).padEnd(4 * Math.ceil((4 + type.length) / 3), '='));
  if (!decoded.slice(4, 4 + type.length).startsWith(type)) return `The key after "${type}" is not a ${type} key`;
  return undefined;
}
