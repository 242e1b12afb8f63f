#!/usr/bin/env node
// Builds the addon with node-gyp on every core.
//   node scripts/build-native.mjs             configure + build
//   node scripts/build-native.mjs --if-stale  only when native sources are newer than the addon
//   node scripts/build-native.mjs --debug     debug build
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { nativeBuildEnv } = require('./native-env.cjs');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const addon = join(root, 'build', args.has('--debug') ? 'Debug' : 'Release', 'axonal.node');

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a directory's mtime changes when files are added or removed
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function stale() {
  if (!existsSync(addon)) return true;
  const sources = Math.max(
    newestMtime(join(root, 'native')),
    newestMtime(join(root, 'binding.gyp')),
    newestMtime(join(root, 'package.json')),
  );
  return sources > statSync(addon).mtimeMs;
}

if (args.has('--if-stale') && !stale()) process.exit(0);

const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
const mode = args.has('--debug') ? ['--debug'] : [];
for (const step of [['configure', ...mode], ['build', ...mode]]) {
  const r = spawnSync(process.execPath, [nodeGyp, ...step], { cwd: root, stdio: 'inherit', env: nativeBuildEnv() });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
