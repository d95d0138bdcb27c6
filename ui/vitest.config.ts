import { defineConfig } from 'vitest/config'

// Unit tests of the UI's plain TypeScript modules: `src/**/*.test.ts`, beside the module
// each one tests, run in Node (no browser, no network). `npm test` runs them once.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
})
