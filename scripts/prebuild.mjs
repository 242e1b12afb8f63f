#!/usr/bin/env node
// `npm run prebuild`: a stripped, N-API prebuilt binary for this platform into
// prebuilds/<platform>-<arch>/, tagged with the libc, via prebuildify. The Node
// headers come from this machine (see native-env.cjs): nothing is downloaded.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { nativeBuildEnv } = require('./native-env.cjs');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = require.resolve('prebuildify/bin.js');
const r = spawnSync(process.execPath, [bin, '--napi', '--strip', '--tag-libc', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: nativeBuildEnv(),
});
process.exit(r.status ?? 1);
