// Environment for node-gyp, shared by the install script and scripts/build-native.mjs:
// compile with every core, and use the Node headers installed beside this node
// binary when no nodedir is configured (node-gyp would otherwise try to download
// them, which fails on machines without internet access).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function nativeBuildEnv(env = process.env) {
  const out = { ...env };
  if (!out.JOBS) out.JOBS = 'max';
  if (!out.npm_config_nodedir) {
    const prefix = path.resolve(path.dirname(process.execPath), '..');
    if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) out.npm_config_nodedir = prefix;
  }
  return out;
}

module.exports = { nativeBuildEnv };
