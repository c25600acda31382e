// One runner, three tiers with fixed homes: unit specs beside the code, integration and e2e under test/.
const moduleNameMapper = {
  '^@crossdock/connectors/(.*)$': '<rootDir>/connectors/$1/src',
  '^@crossdock/apps-common$': '<rootDir>/apps/common/src',
  '^@crossdock/app-api$': '<rootDir>/apps/api/src',
  '^@crossdock/app-worker$': '<rootDir>/apps/worker/src',
  '^@crossdock/mappings$': '<rootDir>/mappings',
  '^@crossdock/mappings/(.*)$': '<rootDir>/mappings/$1',
  '^@crossdock/test-support$': '<rootDir>/test/support',
  '^@crossdock/test-support/(.*)$': '<rootDir>/test/support/$1',
  '^@crossdock/([^/]+)$': '<rootDir>/libs/$1/src',
  '^@crossdock/([^/]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
const common = { rootDir: __dirname, moduleFileExtensions: ['ts', 'js', 'json'], transform, moduleNameMapper, testEnvironment: 'node' };

module.exports = {
  // Per-project testTimeout is ignored by Jest; unit specs finish in milliseconds, the real-peer tiers need room.
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,connectors,mappings}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
