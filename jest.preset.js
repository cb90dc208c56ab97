// Shared jest configuration: ESM + @swc/jest, three groups per project.
//   unit: *.spec.ts (no I/O) · int: *.int.spec.ts (real PostgreSQL or PGlite) · e2e: *.e2e.spec.ts (HTTP)
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(fileURLToPath(import.meta.url));

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      // Without legacyDecorator + decoratorMetadata Nest's injected dependencies are silently undefined.
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
    // The root .swcrc excludes spec and testing files from builds; tests must not read it.
    swcrc: false,
  },
];

const moduleNameMapper = {
  '^@sped/event-store/testing$': `${root}/libs/event-store/src/testing/index.ts`,
  '^@sped/(domain|regulations|event-store|read-models|platform)$': `${root}/libs/$1/src/index.ts`,
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

function group(name, dir, testMatch, testPathIgnorePatterns, extra = {}) {
  return {
    displayName: name,
    rootDir: dir,
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    transform: { '^.+\\.ts$': swc },
    moduleNameMapper,
    testMatch,
    testPathIgnorePatterns: ['/node_modules/', '/dist/', ...testPathIgnorePatterns],
    ...extra,
  };
}

export function projectJestConfig(dir) {
  const dbSetup = { globalSetup: `${root}/tools/jest/test-db.global-setup.js` };
  return {
    reporters: ['default', `${root}/tools/jest/summary-reporter.js`],
    // Jest reads testTimeout only from the global config: int and e2e tests start servers and databases.
    testTimeout: 120000,
    projects: [
      group('unit', dir, ['<rootDir>/src/**/*.spec.ts'], ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$']),
      group('int', dir, ['<rootDir>/src/**/*.int.spec.ts'], [], dbSetup),
      group('e2e', dir, ['<rootDir>/src/**/*.e2e.spec.ts'], [], dbSetup),
    ],
  };
}
