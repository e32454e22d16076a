// Which editor shows a device-list entry (pending.ts' deviceEntries: "kind" or "kind:index"). A
// new device kind adds its entry there and its editor here.
import type { ComponentType } from 'react';
import { BalloonEditor } from './balloon';
import { BootEditor } from './boot';
import { ChannelEditor, ConsoleEditor, SerialEditor } from './chardev';
import { ControllerEditor } from './controller';
import { CpuEditor } from './cpu';
import { DiskEditor } from './disk';
import { GraphicsEditor } from './graphics';
import { InputEditor } from './input';
import { MemoryEditor } from './memory';
import { NicEditor } from './nic';
import { OverviewEditor } from './overview';
import type { DeviceEditorProps } from './Panel';
import { FilesystemEditor } from './filesystem';
import { HostdevEditor } from './hostdev';
import { RedirdevEditor } from './redirdev';
import { RngEditor } from './rng';
import { SoundEditor } from './sound';
import { TpmEditor } from './tpm';
import { VsockEditor } from './vsock';
import { VideoEditor } from './video';
import { WatchdogEditor } from './watchdog';
import { DeviceXmlEditor } from './device-xml';
import { GENERIC_LABELS } from './pending';
import type { DeviceTag } from '../../../../shared/domain-xml';

export const EDITORS: Record<string, ComponentType<DeviceEditorProps>> = {
  overview: OverviewEditor,
  cpu: CpuEditor,
  memory: MemoryEditor,
  boot: BootEditor,
  disk: DiskEditor,
  nic: NicEditor,
  controller: ControllerEditor,
  graphics: GraphicsEditor,
  memballoon: BalloonEditor,
  video: VideoEditor,
  input: InputEditor,
  serial: SerialEditor,
  console: ConsoleEditor,
  channel: ChannelEditor,
  rng: RngEditor,
  watchdog: WatchdogEditor,
  sound: SoundEditor,
  redirdev: RedirdevEditor,
  tpm: TpmEditor,
  filesystem: FilesystemEditor,
  vsock: VsockEditor,
  hostdev: HostdevEditor,
};

const generic = new Map<string, ComponentType<DeviceEditorProps>>();

/** The read-only XML + Remove editor of a device kind without its own (one component per kind). */
export function GenericDeviceEditor(tag: string): ComponentType<DeviceEditorProps> {
  let c = generic.get(tag);
  if (!c) {
    const title = GENERIC_LABELS[tag] ?? tag;
    c = (p: DeviceEditorProps) => <DeviceXmlEditor {...p} tag={tag as DeviceTag} title={`${title} ${p.index + 1}`} />;
    generic.set(tag, c);
  }
  return c;
}
