// The built package keeps every exported class's and function's own name: names show in
// module printouts and error messages and are stored in checkpoints (scheduler types), and
// the bundler renames same-named declarations from different files (ReduceLROnPlateau$1)
// unless told to keep them (tsdown.config.ts).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every function reachable from the export object, with its export path. */
function exportedFunctions(value: unknown, path: string, seen = new Set<unknown>()): [string, { name: string }][] {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return [];
  seen.add(value);
  const out: [string, { name: string }][] = typeof value === 'function' ? [[path, value as { name: string }]] : [];
  if (typeof value === 'object') {
    for (const key of Object.keys(value)) out.push(...exportedFunctions((value as Record<string, unknown>)[key], `${path}.${key}`, seen));
  }
  return out;
}

describe('built package', () => {
  it.each([
    ['CommonJS', () => Promise.resolve(createRequire(import.meta.url)(root))],
    ['ES module', () => import(`${root}dist/index.mjs`)],
  ])('%s exports keep their names', async (_kind, load) => {
    const fns = exportedFunctions(await load(), 'axonal');
    expect(fns.length).toBeGreaterThan(100);
    const renamed = fns.filter(([, f]) => f.name.includes('$')).map(([path, f]) => `${path} is named ${f.name}`);
    expect(renamed).toEqual([]);
  });
});
