/**
 * Who may import what (`npm run lint` runs this after ESLint; CONTEXT.md files say the same in prose).
 *
 * - No import circles anywhere, type-only imports included.
 * - Packages: each has one public entry, its `index.ts`; from outside, only that file may be imported.
 * - Packages depend one way (ALLOWED below); test files may also use the test-support packages.
 * - Inside the PostgreSQL emulator, folders form layers (EMULATOR_LAYERS, lowest first): a file may
 *   import its own layer and lower ones, never a higher one.
 */

/** The packages and the packages each may import (besides npm packages and itself). */
const PACKAGES = {
  'src/engine/pgEmulator': [],
  'src/engine/clientTimeouts': [],
  'src/engine/harness': ['src/engine/pgEmulator'],
  'src/engine/pgServer': ['src/engine/harness', 'src/engine/pgEmulator'],
  'src/engine/testing': ['src/engine/harness', 'src/engine/pgEmulator'],
  'src/engine/conformance': [],
  'src/engine/cli': [
    'src/engine/pgEmulator',
    'src/engine/clientTimeouts',
    'src/engine/harness',
    'src/engine/pgServer',
    'src/engine/conformance',
  ],
  'src/lessons': ['src/engine/pgEmulator', 'src/engine/harness', 'src/engine/clientTimeouts'],
  'src/ui': ['src/engine/pgEmulator', 'src/engine/harness', 'src/engine/clientTimeouts', 'src/lessons'],
  scripts: ['src/engine/pgEmulator', 'src/ui', 'tests'],
  tests: [],
};

/** What test files may import on top of their package's own allowance. */
const TEST_SUPPORT = [
  'src/engine/pgEmulator',
  'src/engine/harness',
  'src/engine/pgServer',
  'src/engine/testing',
  'src/engine/conformance',
];

/** Packages whose `index.ts` is their only door. */
const WITH_ENTRY = [
  'src/engine/pgEmulator',
  'src/engine/clientTimeouts',
  'src/engine/harness',
  'src/engine/pgServer',
  'src/engine/testing',
  'src/engine/conformance',
  'src/lessons',
];

/** The emulator's layers, lowest first (paths relative to src/engine/pgEmulator). */
const EMULATOR_LAYERS = [
  ['api/'],
  ['errors.ts', 'sql/', 'time/', 'events/'],
  ['pglite/'],
  ['transam/', 'locks/'],
  ['tuples/'],
  ['session/'],
  ['catalog/'],
  ['storage/'],
  ['xact/'],
  ['waits/'],
  ['rowlocks/'],
  ['emulation/'],
  ['core.ts'],
  ['exec/', 'inspect/'],
  ['engine.ts'],
  ['index.ts'],
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const under = (path) => `^${escape(path)}/`;
const TEST = '\\.test\\.tsx?$';
const emulatorPath = (entry) => `^src/engine/pgEmulator/${escape(entry)}${entry.endsWith('/') ? '' : '$'}`;

const packageRules = Object.entries(PACKAGES).flatMap(([from, allowed]) => {
  const others = Object.keys(PACKAGES).filter((p) => p !== from && !allowed.includes(p));
  const rules = [];
  if (others.length > 0)
    rules.push({
      name: `package-direction:${from}`,
      comment: `${from} may import only ${allowed.length > 0 ? allowed.join(', ') : 'npm packages'} (see PACKAGES)`,
      severity: 'error',
      from: { path: under(from), pathNot: TEST },
      to: { path: others.map(under) },
    });
  const testOthers = others.filter((p) => !TEST_SUPPORT.includes(p));
  if (testOthers.length > 0)
    rules.push({
      name: `package-direction-tests:${from}`,
      comment: `tests in ${from} may import their package's allowance and the test-support packages`,
      severity: 'error',
      from: { path: [`${under(from)}.*${TEST}`] },
      to: { path: testOthers.map(under) },
    });
  return rules;
});

const entryRules = WITH_ENTRY.map((pkg) => ({
  name: `public-entry:${pkg}`,
  comment: `from outside ${pkg}, import only ${pkg}/index.ts`,
  severity: 'error',
  from: { pathNot: under(pkg) },
  to: { path: under(pkg), pathNot: `^${escape(pkg)}/index\\.ts$` },
}));

const layerRules = EMULATOR_LAYERS.map((layer, index) => {
  const higher = EMULATOR_LAYERS.slice(index + 1).flat();
  return higher.length === 0
    ? null
    : {
        name: `emulator-layer:${layer.join('+')}`,
        comment: `${layer.join(', ')} may not import a higher layer: ${higher.join(', ')}`,
        severity: 'error',
        from: { path: layer.map(emulatorPath), pathNot: TEST },
        to: { path: higher.map(emulatorPath) },
      };
}).filter(Boolean);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import circles, type-only imports included, make layers meaningless.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'emulator-layer-known',
      comment: 'Every emulator file belongs to a layer (add a new folder to EMULATOR_LAYERS).',
      severity: 'error',
      from: {},
      to: {
        path: '^src/engine/pgEmulator/',
        pathNot: EMULATOR_LAYERS.flat().map(emulatorPath),
      },
    },
    ...packageRules,
    ...entryRules,
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^dist', '^\\.tmp'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
