#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs bench/<name>.mjs. Without a name, lists them.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.replace(/\.mjs$/, ''));
const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.log(`usage: npm run bench -- <${available.join('|') || 'none yet'}> [options]`);
  process.exit(name ? 1 : 0);
}
process.argv = [process.argv[0], join(here, `${name}.mjs`), ...rest];
await import(pathToFileURL(join(here, `${name}.mjs`)).href);
