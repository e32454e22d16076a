// A device's XML as the next boot has it, read-only: the whole editor of a kind without its own
// (and of the grouped PCI controllers), and the XML below the fields of the editors that have one.
import { Code } from '@mantine/core';
import { dedentFragment, deviceXml, type DeviceTag } from '../../../../shared/domain-xml';
import { Panel, type DeviceEditorProps } from './Panel';

/** The fragment re-indented as one block; long lines wrap inside the box rather than run past it. */
export function DeviceXmlBlock(p: { xml: string; tag: DeviceTag; index: number; label: string }) {
  const xml = dedentFragment(deviceXml(p.xml, p.tag, { index: p.index }) ?? '');
  return (
    <Code block fz="xs" aria-label={p.label} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: 320, overflowY: 'auto' }}>
      {xml}
    </Code>
  );
}

export function DeviceXmlEditor(p: DeviceEditorProps & { tag: DeviceTag; title: string }) {
  return (
    <Panel title={p.title} edits={null} editor={p} remove={{ kind: 'remove-device', device: p.tag, index: p.index }}>
      <DeviceXmlBlock xml={p.xml} tag={p.tag} index={p.index} label={`${p.title} XML`} />
    </Panel>
  );
}
