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
  // Class names are user-visible (module printouts, error messages) and stored in
  // checkpoints (scheduler types): without this the bundler renames classes that share a
  // name across files (ReduceLROnPlateau$1, ReLU$1).
  outputOptions: { keepNames: true },
});
