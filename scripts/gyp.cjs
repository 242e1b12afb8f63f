#!/usr/bin/env node
// Helpers binding.gyp calls at configure time, so that adding a source file to a
// native/ folder needs no edit of binding.gyp (CMake globs the same folders).
//   node scripts/gyp.cjs sources native/core native/dispatch   -> one path per line
//   node scripts/gyp.cjs version                               -> package.json version
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const [command, ...dirs] = process.argv.slice(2);

if (command === 'version') {
  process.stdout.write(require(path.join(root, 'package.json')).version);
} else if (command === 'sources') {
  const files = [];
  for (const dir of dirs) {
    for (const name of fs.readdirSync(path.join(root, dir)).sort()) {
      if (name.endsWith('.cpp')) files.push(`${dir}/${name}`);
    }
  }
  process.stdout.write(files.join('\n'));
} else {
  process.stderr.write(`gyp.cjs: unknown command ${command}\n`);
  process.exit(1);
}
