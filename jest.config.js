// Tests are ESM TypeScript, transpiled by swc; type checking is `tsc --noEmit` (npm run typecheck).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
  // A worker's heap grows over the suites it runs (613–700 MB used, ~0.9 GB RSS at the end of a full run); that
  // big, its teardown after the last suite took over the 500 ms jest allows, and jest killed it ("failed to exit
  // gracefully"). Teardown takes ~0.7 ms per MB of RSS here: recycled past 300 MB, a worker ends well under it.
  workerIdleMemoryLimit: '300MB',
}
