import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Bundler and browser tests start real servers and processes; two cores here.
    maxWorkers: 2,
  },
})
