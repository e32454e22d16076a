// The layers of VirtDeck, checked by `npm run lint:layers` (part of `npm run test:unit`).
// Written against the target folder layout: rules for folders that do not exist yet match nothing
// until they do. Paths are relative to the repository root.

/** Test files run under Node in vitest and may read fixtures from disk; shipped code may not. */
const TESTS = '(\\.test\\.tsx?$|^shared/test-support/)';

/** npm packages that only make sense in Node or the Electron main process. */
const NODE_ONLY_PACKAGES = '^node_modules/(electron|ssh2|ws)/';

module.exports = {
  forbidden: [
    {
      name: 'shared-no-node',
      comment: 'shared/ runs in the renderer as well as in Node: no Node builtins (its tests may read fixtures).',
      severity: 'error',
      from: { path: '^shared/', pathNot: TESTS },
      to: {
        dependencyTypes: ['core'],
      },
    },
    {
      name: 'shared-no-frameworks',
      comment: 'shared/ holds plain TypeScript: no React, no Electron, no ssh2 or ws.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: ['^node_modules/(react|react-dom)/', NODE_ONLY_PACKAGES] },
    },
    {
      name: 'shared-not-app',
      comment: 'shared/ sits below both sides: it imports nothing from renderer/ or electron/.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(renderer|electron)/' },
    },
    {
      name: 'renderer-not-electron',
      comment: 'The renderer reaches the backend only through the typed bridge (renderer/api.ts), never by importing electron/.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: ['^electron/', NODE_ONLY_PACKAGES] },
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer runs in a sandboxed page (and in a browser in browser mode): no Node builtins.',
      severity: 'error',
      from: { path: '^renderer/', pathNot: TESTS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'transport-not-libvirt',
      comment: 'exec/ and ssh/ carry commands and bytes; what the commands mean (libvirt/) builds on them, not the other way round.',
      severity: 'error',
      from: { path: '^electron/backend/(exec|ssh)/' },
      to: { path: '^electron/backend/libvirt/' },
    },
    {
      name: 'stores-not-views',
      comment: 'Stores hold state for the views: they never import a view or a feature.',
      severity: 'error',
      from: { path: '^renderer/store/' },
      to: {
        path: '^renderer/(features|views)/',
      },
    },
    {
      name: 'no-cycles-in-shared-and-stores',
      comment: 'Circular imports within shared/ or renderer/store make load order matter and hide the layering.',
      severity: 'error',
      from: { path: '^(shared|renderer/store)/' },
      to: { circular: true },
    },
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
