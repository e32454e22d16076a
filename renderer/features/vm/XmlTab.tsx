// The whole domain XML, editable: preview the diff against the loaded config, then define it
// (schema-checked by libvirt). Refused when the VM changed on the host meanwhile.
import { Alert, Button, Group, Loader, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { diffLines, type DiffLine } from '../../../shared/domain-xml';
import { DiffBlock, NoticeView } from './hardware/Notices';
import type { VmRef } from '../../store/vm-ref';
import { useDomain } from './hardware/useDomain';

export function XmlTab({ vm }: { vm: VmRef }) {
  const d = useDomain(vm);
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<DiffLine[] | null>(null);

  useEffect(() => {
    if (d.xml) setText(d.xml.persistent);
    setPreview(null);
    // Reset only on a fresh load, not on every render.
  }, [d.version]);

  if (d.loadError) {
    return (
      <Alert color="red" role="alert" title={`Cannot read the configuration of ${vm.name}`}>
        {d.loadError}
      </Alert>
    );
  }
  if (!d.xml) return <Loader size="sm" aria-label="Loading XML" />;
  // Trailing whitespace is not a change (a textarea and libvirt disagree about the final newline).
  const changed = text.trimEnd() !== d.xml.persistent.trimEnd();

  return (
    <section aria-label="Domain XML editor">
      {d.notice && <NoticeView notice={d.notice} onDismiss={d.dismiss} onReload={() => void d.reload().then(d.dismiss)} />}
      <Text size="xs" c="dimmed" mb={4}>
        The next-boot (persistent) configuration{d.xml.running ? '; the VM runs, so changes take effect at its next boot' : ''}. Apply writes it with{' '}
        <code>virsh define --validate</code>.
      </Text>
      <Textarea
        aria-label="Domain XML"
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          setPreview(null);
        }}
        autosize
        minRows={16}
        maxRows={28}
        spellCheck={false}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
      />
      <Group gap="xs" mt="xs">
        <Button size="xs" variant="light" disabled={!changed} onClick={() => setPreview(diffLines(d.xml!.persistent.trimEnd(), text.trimEnd()))}>
          Preview diff
        </Button>
        <Button size="xs" disabled={!changed || preview === null || d.busy} loading={d.busy} onClick={() => void d.defineXml('Define XML', text)}>
          Apply
        </Button>
        <Button size="xs" variant="subtle" disabled={!changed || d.busy} onClick={() => setText(d.xml!.persistent)}>
          Revert
        </Button>
        <Button size="xs" variant="subtle" disabled={d.busy} onClick={() => void d.reload()}>
          Reload from host
        </Button>
        {changed && preview === null && (
          <Text size="xs" c="dimmed">
            Preview the diff before applying.
          </Text>
        )}
      </Group>
      {preview && (
        <div style={{ marginTop: 8 }}>
          <Text size="xs" fw={600}>
            Changes to apply (− loaded, + edited)
          </Text>
          <DiffBlock diff={preview} label="XML changes to apply" />
        </div>
      )}
    </section>
  );
}
