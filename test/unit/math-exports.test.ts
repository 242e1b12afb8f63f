// The elementwise math functions are top-level exports of 'axonal' (src/index.ts).
import { describe, expect, it } from 'vitest';

import * as axonal from '../../src/index.js';
import * as math from '../../src/ops/math.js';

describe('elementwise math exports', () => {
  it('exp, log, sqrt, abs, log1p, expm1, reciprocal, square, pow and clamp come from the package root', () => {
    for (const name of ['exp', 'log', 'sqrt', 'abs', 'log1p', 'expm1', 'reciprocal', 'square', 'pow', 'clamp'] as const) {
      expect((axonal as Record<string, unknown>)[name], name).toBe(math[name]);
    }
  });
});
