import { readFileSync, writeFileSync } from 'node:fs';

import { defineConfig, type UserConfig } from 'tsdown';

// Dual package: ESM (dist/index.mjs) and CommonJS (dist/index.cjs), each with types.
// `npm run build:ts` empties dist first (the two builds below run side by side).
const base: UserConfig = {
  entry: ['src/index.ts'],
  sourcemap: true,
  target: 'node18',
  platform: 'node',
  shims: true,
  outDir: 'dist',
  clean: false,
};

export default defineConfig([
  {
    ...base,
    format: ['esm', 'cjs'],
    dts: false,
    // Class and function names are user-visible (module printouts, error messages) and
    // stored in checkpoints (scheduler types): without this the bundler renames
    // declarations that share a name across files (ReduceLROnPlateau$1, ops.dropout$1).
    outputOptions: { keepNames: true },
  },
  {
    // The declarations build apart (in the JS build, keepNames would import its runtime
    // helper into them). Both module kinds get the same declarations.
    ...base,
    format: ['esm'],
    dts: { emitDtsOnly: true },
    onSuccess: () => {
      const dts = readFileSync('dist/index.d.mts', 'utf8');
      writeFileSync('dist/index.d.cts', dts.replace('//# sourceMappingURL=index.d.mts.map', '//# sourceMappingURL=index.d.cts.map'));
    },
  },
]);
