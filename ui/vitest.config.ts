import { defineConfig } from 'vitest/config'

// Unit tests of the UI's plain TypeScript modules: `src/**/*.test.ts`, beside the module
// each one tests, run in Node (no browser, no network). `npm test` runs them once. The
// exhaustive tests (every cent to $1,000, every day of two centuries) take a second or
// two alone and several while a build shares the machine: a minute each, not 5 s.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
  },
})
