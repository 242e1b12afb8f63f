// Tensor printing matches PyTorch 1.13 (fixture: scripts/fixtures/format.py), except
// that sizes print as JS arrays: size=[2, 0] where PyTorch prints size=(2, 0).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { Tensor } from '../../src/index.js';

interface Case {
  name: string;
  shape: number[];
  data?: (number | null | 'inf' | '-inf')[];
  negative?: boolean[];
  ramp?: [number, number, number];
  str: string;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/format.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('String(tensor) matches PyTorch', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      // Ramps are computed as PyTorch does: float32 arange, then * scale + shift in float32.
      const data = c.ramp
        ? Float32Array.from({ length: c.ramp[0] }, (_, i) => Math.fround(Math.fround(i * Math.fround(c.ramp![1])) + c.ramp![2]))
        : Float32Array.from(c.data!, (v, i) => {
            if (v === null) return NaN;
            if (v === 'inf') return Infinity;
            if (v === '-inf') return -Infinity;
            return v === 0 && c.negative![i] ? -0 : v;
          });
      const expected = c.str.replace(/size=\(([^)]*)\)/, (_, dims: string) => `size=[${dims}]`);
      expect(String(new Tensor(data, c.shape))).toBe(expected);
    });
  }
});
