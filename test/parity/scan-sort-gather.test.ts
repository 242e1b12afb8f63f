// cumsum and cumprod match PyTorch 1.13 (fixture: scripts/fixtures/scan_sort_gather.py)
// on every ISA level: values, shapes and input gradients under a fixed upstream gradient,
// on 0-d, size-1, prime, empty and negative-dim cases, with NaN, +-Inf, -0, double
// accumulation (2^24 + 1 + ...) and cumprod's exact zero gradient (one and several
// zeros in a row, 0 * Inf = NaN past the second zero); special values compared exactly.
import type { Tensor } from '../../src/index.js';
import { cumprod, cumsum } from '../../src/ops/cumulative.js';
import { type OpCase, describeOpParity, readOpCases } from '../helpers/op-parity.js';

const cases = readOpCases('scan_sort_gather.json');

function run(c: OpCase, xs: Tensor[]): (Tensor | Int32Array)[] {
  const a = c.args as { dim: number };
  switch (c.op) {
    case 'cumsum':
      return [cumsum(xs[0]!, a.dim)];
    case 'cumprod':
      return [cumprod(xs[0]!, a.dim)];
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

describeOpParity('cumsum, cumprod match PyTorch', cases, run);
