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
import { RngEditor } from './rng';
import { VideoEditor } from './video';
import { WatchdogEditor } from './watchdog';

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
};
