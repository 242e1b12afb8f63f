// Broadcasting arithmetic, reductions, shape ops and matmul match PyTorch 1.13
// (fixture: scripts/fixtures/tensor_ops.py) on every ISA level: outputs, their shapes,
// and the gradient of every input under a fixed upstream gradient; special values
// (NaN, +-Infinity, the sign of zero) exactly.
import {
  Tensor, add, argmax, cat, chunk, div, matmul, max, mean, mul, narrow, permute, split, stack, sub, sum, transpose,
} from '../../src/index.js';
import { type OpCase, describeOpParity, readOpCases } from '../helpers/op-parity.js';

const cases = readOpCases('tensor_ops.json');

/** The op's outputs in PyTorch's order: tensors, or Int32Array indices. */
function run(c: OpCase, xs: Tensor[]): (Tensor | Int32Array)[] {
  const a = c.args as Record<string, never>;
  const dimOpts = a.keepdim === undefined ? undefined : { keepdim: a.keepdim };
  switch (c.op) {
    case 'add': case 'sub': case 'mul': case 'div': {
      const f = { add, sub, mul, div }[c.op];
      if (a.scalarA !== undefined) return [f(a.scalarA, xs[0]!)];
      if (a.scalarB !== undefined) return [f(xs[0]!, a.scalarB)];
      return [f(xs[0]!, xs[1]!)];
    }
    case 'sum': return [sum(xs[0]!, a.dim, dimOpts)];
    case 'mean': return [mean(xs[0]!, a.dim, dimOpts)];
    case 'max': {
      const r = max(xs[0]!, a.dim, dimOpts);
      return [r.values, r.indices];
    }
    case 'argmax': return [argmax(xs[0]!, a.dim)];
    case 'reshape': return [xs[0]!.reshape(a.shape)];
    case 'permute': return [permute(xs[0]!, a.dims)];
    case 'transpose': return [transpose(xs[0]!, a.dim0, a.dim1)];
    case 'cat': return [cat(xs, a.dim)];
    case 'stack': return [stack(xs, a.dim)];
    case 'split': return split(xs[0]!, a.sizes, a.dim);
    case 'chunk': return chunk(xs[0]!, a.chunks, a.dim);
    case 'narrow': return [narrow(xs[0]!, a.dim, a.start, a.length)];
    case 'matmul': return [matmul(xs[0]!, xs[1]!)];
    default: throw new Error(`unknown op ${c.op}`);
  }
}

describeOpParity('tensor ops match PyTorch', cases, run);
