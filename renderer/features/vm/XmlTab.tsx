// The whole domain XML, editable in a code editor: preview the diff against the loaded config,
// compare it with what the running VM has (runtime-only state left out), then define it (schema-checked by libvirt, whose errors are marked at their line). Refused when
// the VM changed on the host meanwhile. The buttons sit above the editor, which takes the rest
// of the page, so they are never under a panel.
import { Button, Group, Loader, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { diffLines, pendingChanges, pendingDiff, type DiffLine } from '../../../shared/domain-xml';
import { useFillHeight } from '../../ui/fill';
import { isContainer, type VmRef } from '../../store/vm-ref';
import { DiffBlock, LoadErrorAlert, NoticeView } from './hardware/Notices';
import { useDomain } from './hardware/useDomain';
import { errorLines } from './xml/error-lines';
import { XmlEditor } from './xml/XmlEditor';

export function XmlTab({ vm }: { vm: VmRef }) {
  const d = useDomain(vm);
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<DiffLine[] | null>(null);
  const [vsRunning, setVsRunning] = useState(false);
  // What the last failed Apply sent, so its error can be placed in that text.
  const [sent, setSent] = useState<string | null>(null);
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const height = useFillHeight(box, 320);

  useEffect(() => {
    if (d.xml) setText(d.xml.persistent);
    setPreview(null);
    // Reset only on a fresh load, not on every render.
  }, [d.version]);

  const base = d.xml?.persistent ?? '';
  const errors = useMemo(
    () => (d.notice?.kind === 'error' && sent !== null ? errorLines(d.notice.message, sent, base) : []),
    [d.notice, sent, base],
  );

  if (d.loadError) return <LoadErrorAlert name={vm.name} message={d.loadError} />;
  if (!d.xml) return <Loader size="sm" aria-label="Loading XML" />;
  // Trailing whitespace is not a change (an editor and libvirt disagree about the final newline).
  const changed = text.trimEnd() !== d.xml.persistent.trimEnd();
  const kind = isContainer(vm) ? 'container' : 'VM';
  const where = errors.length ? ` (marked at line ${errors.map((e) => e.line).join(', ')})` : '';

  return (
    <section aria-label="Domain XML editor">
      {d.notice && <NoticeView notice={d.notice} onDismiss={d.dismiss} onReload={() => void d.reload().then(d.dismiss)} />}
      <Group gap="xs" mb={6} wrap="wrap">
        <Button size="xs" variant="light" disabled={!changed} onClick={() => setPreview(diffLines(d.xml!.persistent.trimEnd(), text.trimEnd()))}>
          Preview diff
        </Button>
        <Button
          size="xs"
          disabled={!changed || preview === null || d.busy}
          loading={d.busy}
          onClick={() => {
            setSent(text);
            void d.defineXml('Define XML', text);
          }}
        >
          Apply
        </Button>
        <Button size="xs" variant="subtle" disabled={!changed || d.busy} onClick={() => setText(d.xml!.persistent)}>
          Revert
        </Button>
        <Button size="xs" variant="subtle" disabled={d.busy} onClick={() => void d.reload()}>
          Reload from host
        </Button>
        {d.xml.live && (
          <Button size="xs" variant="subtle" aria-pressed={vsRunning} onClick={() => setVsRunning((v) => !v)}>
            {vsRunning ? 'Hide running comparison' : 'Compare with running'}
          </Button>
        )}
        <Text size="xs" c="dimmed">
          {changed && preview === null ? 'Preview the diff before applying. ' : ''}
          {errors.length ? `libvirt refused it${where}. ` : ''}
          The next-boot (persistent) configuration{d.xml.running ? `; the ${kind} runs, so changes take effect at its next boot` : ''}; Apply writes it with <code>virsh {vm.driver === 'lxc' ? '-c lxc:///system ' : ''}define --validate</code>. Ctrl+F searches.
        </Text>
      </Group>
      {vsRunning && d.xml.live && <RunningComparison live={d.xml.live} text={text} />}
      {preview && (
        <div style={{ marginBottom: 8 }}>
          <Text size="xs" fw={600}>
            Changes to apply (− loaded, + edited)
          </Text>
          <DiffBlock diff={preview} label="XML changes to apply" />
        </div>
      )}
      <div ref={setBox}>
        <XmlEditor
          value={text}
          version={d.version}
          errors={errors}
          height={height ?? 320}
          onChange={(next) => {
            setText(next);
            setPreview(null);
          }}
        />
      </div>
    </section>
  );
}

/** The running VM's config (−) against the text in the editor (+), as the pending view reads it. */
function RunningComparison({ live, text }: { live: string; text: string }) {
  const diff = useMemo(() => {
    try {
      return pendingDiff(pendingChanges(live, text));
    } catch {
      return null;
    }
  }, [live, text]);
  return (
    <div style={{ marginBottom: 8 }}>
      <Text size="xs" fw={600}>
        Running VM (−) against this configuration (+)
      </Text>
      {diff === null ? (
        <Text size="xs" c="red">
          The text in the editor is not well-formed XML, so it cannot be compared.
        </Text>
      ) : diff.length ? (
        <DiffBlock diff={diff} label="Running VM against this configuration" />
      ) : (
        <Text size="xs" c="dimmed">
          The running VM has this configuration (state that exists only while it runs left out).
        </Text>
      )}
    </div>
  );
}
