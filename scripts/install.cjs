#!/usr/bin/env node
// `npm install` entry: a local build wins, then a bundled prebuild (prebuilds/),
// then a source build, exactly as node-gyp-build decides. Nothing is downloaded.
'use strict';
const { nativeBuildEnv } = require('./native-env.cjs');

Object.assign(process.env, nativeBuildEnv());
require('node-gyp-build/bin.js');
