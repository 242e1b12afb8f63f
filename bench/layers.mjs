#!/usr/bin/env node
// `npm run bench -- layers [options]`: forward + backward of the layers of the nn issue
// beside PyTorch 1.13 in the same run: conv and pooling (bench/conv.mjs), normalization
// (bench/norm.mjs), recurrent layers and attention (bench/rnn.mjs). Options pass through.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let failed = false;
for (const name of ['conv', 'norm', 'rnn']) {
  console.log(`\n## ${name}\n`);
  const r = spawnSync(process.execPath, [join(here, `${name}.mjs`), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
