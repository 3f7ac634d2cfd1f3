/**
 * Test kinds are told apart by file name (STYLE.md habit 6):
 *   *.unit.test.ts  pure code, no server
 *   *.int.test.ts   real Kafka, schema registry and PostgreSQL (the stack launcher, or testcontainers)
 *   *.e2e.test.ts   whole services as processes
 * `npm test` runs all three projects; `npm run test:unit|test:int|test:e2e` runs one.
 */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
const moduleNameMapper = { '^@tributary/(.*)$': '<rootDir>/libs/$1/src/index.ts' };
const roots = ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/tools'];
const base = { transform, moduleNameMapper, roots, testEnvironment: 'node' };

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['**/*.unit.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/libs/testkit/src/jest-unit-env.ts'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['**/*.int.test.ts'],
      globalSetup: '<rootDir>/libs/testkit/src/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testkit/src/jest-timeout-int.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/libs/testkit/src/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testkit/src/jest-timeout-e2e.ts'],
    },
  ],
};
