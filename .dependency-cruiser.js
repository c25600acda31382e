/**
 * Architecture rules, checked by `npm run check`.
 * Layers: apps -> connectors -> libs; mappings are pure; framework adapters stay at the edges.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const pureLibs = '^libs/(domain|engine|normalize|edi|mapping|synthetic)/';
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      from: { pathNot: '\\.spec\\.ts$' },
      to: { circular: true, pathNot: '\\.entity\\.ts$' },
    },
    {
      name: 'libs-stay-inward',
      comment: 'libs never import apps, connectors or mappings',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|connectors|mappings)/' },
    },
    {
      name: 'connectors-never-import-apps',
      severity: 'error',
      from: { path: '^connectors/' },
      to: { path: '^apps/' },
    },
    {
      name: 'connectors-are-independent',
      comment: 'a connector talks to another one only through events and the queue',
      severity: 'error',
      from: { path: '^connectors/([^/]+)/' },
      to: { path: '^connectors/', pathNot: '^connectors/$1/' },
    },
    {
      name: 'mappings-are-pure',
      comment: 'mappings import only the canonical model',
      severity: 'error',
      from: { path: '^mappings/' },
      to: { pathNot: ['^mappings/', '^libs/domain/', '^node_modules/(@types/)?node', '^(fs|path)$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-has-no-dependencies',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { pathNot: ['^libs/domain/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'pure-libs-import-no-framework',
      comment: 'domain code (model, engine, normalization, EDI, mapping) imports no framework adapter',
      severity: 'error',
      from: { path: pureLibs },
      to: { path: '^node_modules/(@nestjs|typeorm|mysql2|better-sqlite3|bull|ioredis|axios|ssh2|ssh2-sftp-client|express)/' },
    },
    {
      name: 'pure-libs-import-only-pure-libs',
      comment: 'the domain side never reaches the store, the queue or the connector runtime',
      severity: 'error',
      from: { path: pureLibs },
      to: { path: '^libs/(config|persistence|queue|connector-sdk|sync)/' },
    },
    {
      name: 'orm-only-in-persistence',
      severity: 'error',
      from: { pathNot: ['^libs/persistence/', '^test/', '^bench/'] },
      to: { path: '^node_modules/(typeorm|mysql2|better-sqlite3|@nestjs/typeorm)/' },
    },
    {
      name: 'bull-only-in-queue-and-worker',
      severity: 'error',
      from: { pathNot: ['^libs/queue/', '^apps/worker/', '^test/', '^bench/'] },
      to: { path: '^node_modules/(bull|@nestjs/bull|@nestjs/bull-shared|ioredis)/' },
    },
    {
      name: 'not-to-test-code',
      severity: 'error',
      from: { path: '^(apps|libs|connectors|mappings)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '(^test/|\\.spec\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.d\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
