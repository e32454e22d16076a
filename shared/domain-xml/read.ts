// readDomain: the typed, read-only view of a domain's XML, assembled from each module's read.

import { QEMU_NS, devicesOfKind, findDomain } from './domain';
import { readMemballoon } from './devices/balloon';
import { readChar } from './devices/chardev';
import { readControllers } from './devices/controller';
import { readDisk } from './devices/disk';
import { readFilesystem } from './devices/filesystem';
import { readGraphics } from './devices/graphics';
import { readHostdev } from './devices/hostdev';
import { readInput } from './devices/input';
import { readInterface } from './devices/nic';
import { readRedirdev } from './devices/redirdev';
import { readRng } from './devices/rng';
import { readSound } from './devices/sound';
import { readTpm } from './devices/tpm';
import { readVideo } from './devices/video';
import { readDomainVsock } from './devices/vsock';
import { readWatchdog } from './devices/watchdog';
import { readOs } from './parts/boot';
import { readCpu } from './parts/cpu';
import { readMemory } from './parts/memory';
import { readMetadata } from './parts/metadata';
import { readNumatune } from './parts/numa';
import type { DomainView } from './types';
import { XmlDoc, attr, child, elements, text } from './xml/xml-doc';

/** Parses domain XML (or a snapshot wrapping one) into a read-only view. Throws on malformed XML. */
export function readDomain(xml: string): DomainView {
  const xd = new XmlDoc(xml);
  const domain = findDomain(xd);
  const features = child(domain, 'features');
  const watchdogs = devicesOfKind(domain, 'watchdog').map(readWatchdog);
  const { title, description, metadata } = readMetadata(xd, domain);
  const { vcpus, cpu } = readCpu(domain);

  return {
    domainType: attr(domain, 'type'),
    name: text(child(domain, 'name'))?.trim() ?? null,
    uuid: text(child(domain, 'uuid'))?.trim() ?? null,
    title,
    description,
    ...readMemory(domain),
    vcpus,
    ...readNumatune(domain),
    cpu,
    ...readOs(domain),
    features: features ? elements(features).map((f) => f.nodeName) : [],
    disks: devicesOfKind(domain, 'disk').map(readDisk),
    controllers: readControllers(domain),
    interfaces: devicesOfKind(domain, 'interface').map(readInterface),
    graphics: devicesOfKind(domain, 'graphics').map(readGraphics),
    videos: devicesOfKind(domain, 'video').map(readVideo),
    ...readMemballoon(domain),
    inputs: devicesOfKind(domain, 'input').map(readInput),
    serials: devicesOfKind(domain, 'serial').map(readChar),
    consoles: devicesOfKind(domain, 'console').map(readChar),
    channels: devicesOfKind(domain, 'channel').map(readChar),
    rngs: devicesOfKind(domain, 'rng').map(readRng),
    watchdog: watchdogs[0] ?? null,
    watchdogs,
    tpms: devicesOfKind(domain, 'tpm').map(readTpm),
    filesystems: devicesOfKind(domain, 'filesystem').map(readFilesystem),
    hostdevs: devicesOfKind(domain, 'hostdev').map(readHostdev),
    sounds: devicesOfKind(domain, 'sound').map(readSound),
    redirdevs: devicesOfKind(domain, 'redirdev').map(readRedirdev),
    vsock: readDomainVsock(domain),
    hasQemuCommandline: domain.getElementsByTagNameNS(QEMU_NS, 'commandline').length > 0,
    metadata,
  };
}
