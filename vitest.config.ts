import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Native code runs in forked processes: a crash fails one file, not the runner.
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
