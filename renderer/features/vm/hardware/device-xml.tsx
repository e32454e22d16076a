// A device of a kind without its own editor (or the grouped PCI controllers): its XML as the
// next boot has it, read-only, and Remove.
import { Code } from '@mantine/core';
import { deviceXml, type DeviceTag } from '../../../../shared/domain-xml';
import { Panel, type DeviceEditorProps } from './Panel';

export function DeviceXmlEditor(p: DeviceEditorProps & { tag: DeviceTag; title: string }) {
  const xml = deviceXml(p.xml, p.tag, { index: p.index }) ?? '';
  return (
    <Panel title={p.title} edits={null} busy={p.busy} apply={p.apply} remove={{ kind: 'remove-device', device: p.tag, index: p.index }}>
      <Code block fz="xs" aria-label={`${p.title} XML`} style={{ whiteSpace: 'pre', overflow: 'auto' }}>
        {xml}
      </Code>
    </Panel>
  );
}
