// logsumexp, norm (torch.linalg.vector_norm) and expand / broadcastTo match PyTorch 1.13
// (fixture: scripts/fixtures/tensor_reduce_extra.py) on every ISA level: outputs, their
// shapes and the gradient of the input under a fixed upstream gradient; special values
// (NaN, +-Infinity, the sign of zero) exactly.
import type { Tensor } from '../../src/index.js';
import { broadcastTo, expand } from '../../src/ops/expand.js';
import { logsumexp } from '../../src/ops/logsumexp.js';
import { norm, type NormOptions } from '../../src/ops/norm.js';
import { type OpCase, describeOpParity, readOpCases } from '../helpers/op-parity.js';

const cases = readOpCases('tensor_reduce_extra.json');

/** JSON has no Infinity: the fixture writes p = +-Infinity as "inf" / "-inf". */
const order = (p: unknown): number | undefined => (p === 'inf' ? Infinity : p === '-inf' ? -Infinity : (p as number | undefined));

function run(c: OpCase, xs: Tensor[]): Tensor[] {
  const a = c.args as Record<string, never>;
  const x = xs[0]!;
  switch (c.op) {
    case 'logsumexp': return [logsumexp(x, a.dim, a.keepdim === undefined ? undefined : { keepdim: a.keepdim })];
    case 'norm': {
      const opts: NormOptions = {};
      if (a.p !== undefined) opts.p = order(a.p);
      if (a.dim !== undefined) opts.dim = a.dim;
      if (a.keepdim !== undefined) opts.keepdim = a.keepdim;
      return [norm(x, opts)];
    }
    case 'expand': return [expand(x, a.shape)];
    case 'broadcastTo': return [broadcastTo(x, a.shape)];
    default: throw new Error(`unknown op ${c.op}`);
  }
}

describeOpParity('logsumexp/norm/expand match PyTorch', cases, run);
