import { describe, expect, it } from 'vitest';
import { displayResizable } from './display-target';

const withVideo = (videos: string) => `<domain type='qemu'><name>v</name><devices>${videos}<graphics type='vnc' port='5900'/></devices></domain>`;

describe('a display that can take the window size', () => {
  it('is the primary card being virtio or QXL; std VGA, cirrus, bochs and no card cannot', () => {
    expect(displayResizable(withVideo("<video><model type='virtio' heads='1' primary='yes'/></video>"))).toBe(true);
    expect(displayResizable(withVideo("<video><model type='qxl'/></video>"))).toBe(true);
    for (const model of ['vga', 'cirrus', 'bochs', 'ramfb', 'none']) expect(displayResizable(withVideo(`<video><model type='${model}'/></video>`))).toBe(false);
    expect(displayResizable(withVideo(''))).toBe(false);
  });
  it('follows primary=yes, else the first card', () => {
    expect(displayResizable(withVideo("<video><model type='vga'/></video><video><model type='virtio' primary='yes'/></video>"))).toBe(true);
    expect(displayResizable(withVideo("<video><model type='vga'/></video><video><model type='virtio'/></video>"))).toBe(false);
  });
});
