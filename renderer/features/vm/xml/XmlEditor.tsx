// The domain XML in CodeMirror 6 (a maintained code editor with XML support, linting at a line
// and search): line numbers, highlighting, folding, search (Ctrl+F), tag completion, a
// well-formedness check as you type, and libvirt's own errors marked at their line. Colours come
// from the Mantine scheme's CSS variables, so light and dark both read at AA.
import { xml } from '@codemirror/lang-xml';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { tags as t } from '@lezer/highlight';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { ErrorLine } from './error-lines';
import { DOMAIN_SCHEMA } from './schema';

const highlight = HighlightStyle.define([
  { tag: [t.tagName, t.angleBracket], color: 'var(--mantine-color-blue-text)' },
  { tag: t.attributeName, color: 'var(--mantine-color-grape-text)' },
  { tag: [t.attributeValue, t.string], color: 'var(--mantine-color-green-text)' },
  { tag: [t.comment, t.processingInstruction, t.documentMeta], color: 'var(--mantine-color-dimmed)', fontStyle: 'italic' },
  { tag: t.invalid, color: 'var(--mantine-color-red-text)' },
]);

const look = EditorView.theme({
  '&': { fontSize: '12px', border: '1px solid var(--mantine-color-default-border)', borderRadius: '4px', height: '100%', color: 'var(--mantine-color-text)', backgroundColor: 'var(--mantine-color-body)' },
  '.cm-scroller': { fontFamily: 'var(--mantine-font-family-monospace)' },
  // The dimmed shade is made to read on the body and panels, not on the darker hover grey.
  '.cm-gutters': { backgroundColor: 'var(--mantine-color-body)', color: 'var(--mantine-color-dimmed)', borderRight: '1px solid var(--mantine-color-default-border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--mantine-primary-color-filled) 8%, transparent)' },
  '.cm-cursor': { borderLeftColor: 'var(--mantine-color-text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'color-mix(in srgb, var(--mantine-primary-color-filled) 30%, transparent) !important' },
  '.cm-panels': { backgroundColor: 'var(--mantine-color-default-hover)', color: 'var(--mantine-color-text)' },
  '.cm-tooltip': { backgroundColor: 'var(--mantine-color-body)', color: 'var(--mantine-color-text)', border: '1px solid var(--mantine-color-default-border)' },
  '.cm-foldPlaceholder': { backgroundColor: 'var(--mantine-color-default-hover)', color: 'var(--mantine-color-text)' },
});

/** Does the text parse as XML? The browser's parser says where not, as you type. */
function parseErrors(view: EditorView): Diagnostic[] {
  const text = view.state.doc.toString();
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const err = doc.querySelector('parsererror');
  if (!err) return [];
  const where = /line (\d+) at column (\d+)/.exec(err.textContent ?? '');
  const line = view.state.doc.line(Math.min(Number(where?.[1] ?? 1), view.state.doc.lines));
  const message = (err.textContent ?? 'Not well-formed XML').replace(/^This page contains the following errors:|Below is a rendering.*$/gs, '').trim();
  return [{ from: line.from, to: line.to, severity: 'error', message }];
}

function toDiagnostics(view: EditorView, lines: ErrorLine[]): Diagnostic[] {
  return lines
    .filter((l) => l.line >= 1 && l.line <= view.state.doc.lines)
    .map((l) => {
      const line = view.state.doc.line(l.line);
      return { from: line.from, to: line.to, severity: 'error', source: 'virsh define --validate', message: l.message };
    });
}

export function XmlEditor({ value, version, onChange, errors, height }: { value: string; version: number; onChange(text: string): void; errors: ErrorLine[]; height: number }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;
  // libvirt's errors are part of what the linter reports: a lint run (400 ms after the last
  // keystroke) replaces all diagnostics, and a define answers faster than that.
  const refused = useRef(errors);
  refused.current = errors;
  const diagnostics = (v: EditorView) => [...parseErrors(v), ...toDiagnostics(v, refused.current)];

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          xml({ elements: DOMAIN_SCHEMA }),
          syntaxHighlighting(highlight),
          look,
          lintGutter(),
          linter(diagnostics, { delay: 400 }),
          // tabindex: the text is reachable by Tab, and its scroller counts as focusable content.
          EditorView.contentAttributes.of({ 'aria-label': 'Domain XML', spellcheck: 'false', tabindex: '0' }),
          EditorView.updateListener.of((u) => u.docChanged && change.current(u.state.doc.toString())),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // One editor per mount; a fresh load replaces its text below.
  }, []);

  // A fresh load (or Revert) replaces the text.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [version, value]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnostics(v)));
  }, [errors]);

  return <div ref={host} style={{ height }} />;
}
