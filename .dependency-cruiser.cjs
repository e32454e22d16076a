// The layers of VirtDeck, checked by `npm run lint:layers` (part of `npm run test:unit`).
// Written against the target folder layout: rules for folders that do not exist yet match nothing
// until they do. Paths are relative to the repository root.

/** Test files run under Node in vitest and may read fixtures from disk; shipped code may not. */
const TESTS = '(\\.test\\.tsx?$|^shared/test-support/)';

/** npm packages that only make sense in Node or the Electron main process. */
const NODE_ONLY_PACKAGES = '^node_modules/(electron|ssh2|ws)/';

/** A layer rule: modules matching `from` must not import what matches `to`. */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    forbid('shared-no-node', 'shared/ runs in the renderer as well as in Node: no Node builtins (its tests may read fixtures).', { path: '^shared/', pathNot: TESTS }, { dependencyTypes: ['core'] }),
    forbid('shared-no-frameworks', 'shared/ holds plain TypeScript: no React, no Electron, no ssh2 or ws.', { path: '^shared/' }, { path: ['^node_modules/(react|react-dom)/', NODE_ONLY_PACKAGES] }),
    forbid('shared-not-app', 'shared/ sits below both sides: it imports nothing from renderer/ or electron/.', { path: '^shared/' }, { path: '^(renderer|electron)/' }),
    forbid('renderer-not-electron', 'The renderer reaches the backend only through the typed bridge (renderer/api.ts), never by importing electron/.', { path: '^renderer/' }, { path: ['^electron/', NODE_ONLY_PACKAGES] }),
    forbid('renderer-no-node', 'The renderer runs in a sandboxed page (and in a browser in browser mode): no Node builtins.', { path: '^renderer/', pathNot: TESTS }, { dependencyTypes: ['core'] }),
    forbid('transport-not-libvirt', 'exec/ and ssh/ carry commands and bytes; what the commands mean (libvirt/) builds on them, not the other way round.', { path: '^electron/backend/(exec|ssh)/' }, { path: '^electron/backend/libvirt/' }),
    forbid('stores-not-views', 'Stores hold state for the views: they never import a view or a feature.', { path: '^renderer/store/' }, { path: '^renderer/(features|views)/' }),
    forbid('no-cycles-in-shared-and-stores', 'Circular imports within shared/ or renderer/store make load order matter and hide the layering.', { path: '^(shared|renderer/store)/' }, { circular: true }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports couple layers as much as value imports do.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // './x.js' in electron/ (verbatimModuleSyntax) resolves to './x.ts' as TypeScript does: built in.
    enhancedResolveOptions: { conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    cache: false,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
