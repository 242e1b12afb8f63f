// squeeze/unsqueeze/flatten, min/argmin and var/std match PyTorch 1.13 (fixture:
// scripts/fixtures/tensor_extra.py) on every ISA level: outputs, their shapes, indices,
// and the gradient of every input under a fixed upstream gradient; special values
// (NaN, +-Infinity, the sign of zero) exactly.
import type { Tensor } from '../../src/index.js';
import { argmin, min } from '../../src/ops/min.js';
import { flatten, squeeze, unsqueeze } from '../../src/ops/squeeze.js';
import { std, variance } from '../../src/ops/variance.js';
import { type OpCase, describeOpParity, readOpCases } from '../helpers/op-parity.js';

const cases = readOpCases('tensor_extra.json');

/** The op's outputs in PyTorch's order: tensors, or Int32Array indices. */
function run(c: OpCase, xs: Tensor[]): (Tensor | Int32Array)[] {
  const a = c.args as Record<string, never>;
  const x = xs[0]!;
  switch (c.op) {
    case 'squeeze': return [a.dim === undefined ? squeeze(x) : squeeze(x, a.dim)];
    case 'unsqueeze': return [unsqueeze(x, a.dim)];
    case 'flatten': return [flatten(x, a.startDim, a.endDim)];
    case 'min': {
      const r = min(x, a.dim, a.keepdim === undefined ? undefined : { keepdim: a.keepdim });
      return [r.values, r.indices];
    }
    case 'argmin': return [argmin(x, a.dim)];
    case 'var': case 'std': {
      const opts: Record<string, unknown> = {};
      for (const k of ['correction', 'unbiased', 'keepdim'] as const) if (a[k] !== undefined) opts[k] = a[k];
      return [(c.op === 'var' ? variance : std)(x, a.dim, opts)];
    }
    default: throw new Error(`unknown op ${c.op}`);
  }
}

describeOpParity('squeeze/flatten/min/var/std match PyTorch', cases, run);
