/**
 * The import rules of the repository, checked by `npm test` (`npm run deps`). A forbidden import
 * fails the suite and names the rule it breaks. `docs/architecture.md` explains the layers.
 *
 * packages/core/src is layered, lowest first; a folder may import its own layer and those below,
 * never one above. Folders on one line are siblings that stay independent of each other.
 */

const LAYERS = [
  ['base'],
  ['store'],
  ['calendar'],
  ['config'],
  ['compiler'],
  ['rules', 'documents', 'status', 'graph'],
  ['loader'],
  ['engine'],
  ['delivery', 'metrics', 'scenario'],
];

const CORE = '^packages/core/src/';
const any = (folders) => `${CORE}(${folders.join('|')})/`;

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  const rules = [];
  for (const folder of layer) {
    if (above.length > 0) {
      rules.push({
        name: `core-layer-${folder}`,
        comment: `${folder}/ is below ${above.join(', ')}: it may not import them (docs/architecture.md)`,
        severity: 'error',
        from: { path: `${CORE}${folder}/` },
        to: { path: any(above) },
      });
    }
    const siblings = layer.filter((f) => f !== folder);
    if (siblings.length > 0) {
      rules.push({
        name: `core-sibling-${folder}`,
        comment: `${folder}/ and ${siblings.join(', ')} are independent siblings of one layer`,
        severity: 'error',
        from: { path: `${CORE}${folder}/` },
        to: { path: any(siblings) },
      });
    }
  }
  return rules;
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'core-folder-known',
      comment: 'every module of packages/core/src lives in a layer folder (or is the package index)',
      severity: 'error',
      from: {},
      to: { path: CORE, pathNot: [`${any(LAYERS.flat())}`, `${CORE}index\\.ts$`, `${CORE}[a-z-]+\\.ts$`] },
    },
    {
      name: 'core-entry-only-at-top',
      comment: 'the package entry points (src/*.ts) are the public face: nothing inside core imports them',
      severity: 'error',
      from: { path: `${CORE}[a-z-]+/` },
      to: { path: `${CORE}[a-z-]+\\.ts$` },
    },
    {
      name: 'no-circular',
      comment: 'no import cycle anywhere',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-depends-on-no-package-of-ours',
      comment: 'core depends on none of the other packages',
      severity: 'error',
      from: { path: '^packages/core/src/' },
      to: { path: '^packages/(?!core/)[^/]+/' },
    },
    {
      name: 'adapters-independent',
      comment: 'stores and notifiers depend on core (and testing in tests), never on each other',
      severity: 'error',
      from: { path: '^packages/(storage|notify)-([^/]+)/src/' },
      to: { path: '^packages/(storage|notify)-[^/]+/', pathNot: '^packages/$1-$2/' },
    },
    {
      name: 'no-test-code-in-src',
      comment: 'package sources never import test files',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { path: '^packages/[^/]+/test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@xinfang/source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
