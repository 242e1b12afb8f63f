import { defineConfig } from 'tsdown';

// Dual package: ESM (dist/index.js) and CommonJS (dist/index.cjs), each with types.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node18',
  platform: 'node',
  shims: true,
  outDir: 'dist',
});
