// The domain XML of a new VM, from a spec (spec.ts). Pure: the wizard previews it, the backend
// defines it (`virsh define --validate`, on stdin) once the new volume's path is known.
import { GUEST_AGENT_CHANNEL } from '../domain-xml/devices/chardev';
import { DEFAULT_GRAPHICS_LISTEN } from '../domain-xml/devices/graphics';
import { block, el } from '../storage/xml';
import type { NewVmSpec } from './spec';

/** Seconds between the balloon's guest memory reports (what the advisor asks for). */
export const BALLOON_STATS_PERIOD_S = 5;
const LIBOSINFO_NS = 'http://libosinfo.org/xmlns/libvirt/domain/1.0';

/** Where a new VM's serial console output is kept on the host (virtlogd writes it). */
export const serialLogPath = (name: string): string => `/var/log/libvirt/qemu/${name}-serial.log`;

/** Disk and CD-ROM targets: virtio disks vdX; SATA and SCSI share the sdX names. */
function targets() {
  let vd = 0;
  let sd = 0;
  const letter = (n: number) => (n < 26 ? String.fromCharCode(97 + n) : String.fromCharCode(96 + Math.floor(n / 26)) + String.fromCharCode(97 + (n % 26)));
  return (bus: string) => (bus === 'virtio' ? `vd${letter(vd++)}` : `sd${letter(sd++)}`);
}

function osBlock(spec: NewVmSpec): string {
  const uefi = spec.firmware === 'uefi';
  return block('os', [
    el('type', { arch: spec.arch, machine: spec.machine }, 'hvm'),
    uefi && spec.secureBoot && block('firmware', [el('feature', { enabled: 'yes', name: 'enrolled-keys' }), el('feature', { enabled: 'yes', name: 'secure-boot' })]),
    uefi && spec.secureBoot && el('loader', { secure: 'yes' }),
  ], uefi ? { firmware: 'efi' } : {});
}

function featuresBlock(spec: NewVmSpec): string {
  const win = spec.os.family === 'windows';
  return block('features', [
    el('acpi'),
    el('apic'),
    win &&
      block('hyperv', [
        el('relaxed', { state: 'on' }),
        el('vapic', { state: 'on' }),
        el('spinlocks', { state: 'on', retries: '8191' }),
        el('vpindex', { state: 'on' }),
        el('synic', { state: 'on' }),
        el('stimer', { state: 'on' }),
      ], { mode: 'custom' }),
    // Secure Boot firmware needs System Management Mode.
    spec.secureBoot && el('smm', { state: 'on' }),
  ]);
}

function clockBlock(spec: NewVmSpec): string {
  const win = spec.os.family === 'windows';
  return block('clock', [
    el('timer', { name: 'rtc', tickpolicy: 'catchup' }),
    el('timer', { name: 'pit', tickpolicy: 'delay' }),
    el('timer', { name: 'hpet', present: 'no' }),
    win && el('timer', { name: 'hypervclock', present: 'yes' }),
  ], { offset: win ? 'localtime' : 'utc' });
}

function devicesBlock(spec: NewVmSpec): string {
  const target = targets();
  const media = spec.media.kind;
  const out: string[] = [];
  const bootOf = (first: boolean) => el('boot', { order: first ? '1' : '2' });
  if (spec.disk.kind !== 'none') {
    const path = spec.disk.kind === 'new' ? spec.disk.path ?? `${spec.disk.pool}/${spec.disk.volume}` : spec.disk.path;
    const format = spec.disk.kind === 'new' ? 'qcow2' : spec.disk.format;
    const thin = format === 'qcow2';
    out.push(
      block('disk', [
        el('driver', { name: 'qemu', type: format, ...(thin ? { discard: 'unmap', detect_zeroes: 'unmap' } : {}) }),
        el('source', { file: path }),
        el('target', { dev: target(spec.diskBus), bus: spec.diskBus }),
        media === 'import' ? bootOf(true) : media === 'iso' || media === 'pxe' ? bootOf(false) : false,
      ], { type: 'file', device: 'disk' }),
    );
  }
  const cdrom = (path: string, boot: string | false) =>
    block('disk', [el('driver', { name: 'qemu', type: 'raw' }), el('source', { file: path }), el('target', { dev: target('sata'), bus: 'sata' }), el('readonly'), boot], { type: 'file', device: 'cdrom' });
  if (spec.media.kind === 'iso') out.push(cdrom(spec.media.path, bootOf(true)));
  if (spec.driverIso) out.push(cdrom(spec.driverIso, false));
  if (spec.diskBus === 'scsi') out.push(el('controller', { type: 'scsi', model: 'virtio-scsi' }));
  out.push(el('controller', { type: 'usb', model: 'qemu-xhci' }));
  if (spec.nic) {
    out.push(
      block('interface', [
        el('mac', { address: spec.nic.mac.toLowerCase() }),
        el('source', spec.nic.type === 'network' ? { network: spec.nic.source } : { bridge: spec.nic.source }),
        el('model', { type: spec.nic.model }),
        media === 'pxe' && bootOf(true),
      ], { type: spec.nic.type }),
    );
  }
  out.push(block('serial', [spec.serialLog && el('log', { file: serialLogPath(spec.name), append: 'off' }), el('target', { port: '0' })], { type: 'pty' }));
  out.push(block('console', [el('target', { type: 'serial', port: '0' })], { type: 'pty' }));
  out.push(block('channel', [el('target', { type: 'virtio', name: GUEST_AGENT_CHANNEL })], { type: 'unix' }));
  out.push(el('input', { type: 'tablet', bus: 'usb' }));
  out.push(block('graphics', [el('listen', { type: 'address', address: DEFAULT_GRAPHICS_LISTEN })], { type: 'vnc', port: '-1', autoport: 'yes', listen: DEFAULT_GRAPHICS_LISTEN }));
  out.push(block('video', [el('model', { type: spec.video, heads: '1', primary: 'yes' })]));
  if (spec.tpm) out.push(block('tpm', [el('backend', { type: 'emulator', version: '2.0' })], { model: 'tpm-crb' }));
  out.push(block('memballoon', [el('stats', { period: String(BALLOON_STATS_PERIOD_S) })], { model: 'virtio' }));
  out.push(block('rng', [el('backend', { model: 'random' }, '/dev/urandom')], { model: 'virtio' }));
  return block('devices', out);
}

export function buildDomainXml(spec: NewVmSpec): string {
  return (
    block('domain', [
      el('name', {}, spec.name),
      spec.title?.trim() && el('title', {}, spec.title.trim()),
      block('metadata', [block('libosinfo:libosinfo', [el('libosinfo:os', { id: spec.os.id })], { 'xmlns:libosinfo': LIBOSINFO_NS })]),
      el('memory', { unit: 'MiB' }, String(spec.memoryMiB)),
      el('currentMemory', { unit: 'MiB' }, String(spec.memoryMiB)),
      el('vcpu', { placement: 'static' }, String(spec.vcpus)),
      osBlock(spec),
      featuresBlock(spec),
      spec.domainType === 'kvm' && el('cpu', { mode: 'host-passthrough', check: 'none', migratable: 'on' }),
      clockBlock(spec),
      el('on_poweroff', {}, 'destroy'),
      el('on_reboot', {}, 'restart'),
      el('on_crash', {}, 'destroy'),
      block('pm', [el('suspend-to-mem', { enabled: 'no' }), el('suspend-to-disk', { enabled: 'no' })]),
      devicesBlock(spec),
    ], { type: spec.domainType }) + '\n'
  );
}
