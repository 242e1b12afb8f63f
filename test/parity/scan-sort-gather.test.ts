// cumsum and cumprod match PyTorch 1.13 (fixture: scripts/fixtures/scan_sort_gather.py)
// on every ISA level: values, shapes and input gradients under a fixed upstream gradient,
// on 0-d, size-1, prime, empty and negative-dim cases, with NaN, +-Inf, -0, double
// accumulation (2^24 + 1 + ...) and cumprod's exact zero gradient (one and several
// zeros in a row, 0 * Inf = NaN past the second zero); gather and scatterAdd with
// duplicate indices, indices smaller than the data, 0-d and empty, the index passed as a
// float Tensor and as an IndexTensor in turn; sort, argsort and topk with ties (stable
// order), NaN as the largest, +-0, +-Inf, 0-d, empty, k = 0 and k = size, indices exact;
// special values compared exactly.
import type { Tensor } from '../../src/index.js';
import { Tensor as TensorClass } from '../../src/index.js';
import { cumprod, cumsum } from '../../src/ops/cumulative.js';
import { type IndexTensor, gather, scatterAdd } from '../../src/ops/gather.js';
import { argsort, sort, topk } from '../../src/ops/sort.js';
import { type OpCase, describeOpParity, readOpCases } from '../helpers/op-parity.js';

const cases = readOpCases('scan_sort_gather.json');

interface Args {
  dim: number;
  k?: number;
  descending?: boolean;
  stable?: boolean;
  largest?: boolean;
  sorted?: boolean;
  index?: { shape: number[]; data: number[] };
  indexAs?: 'int32' | 'tensor';
}

/** The case's index as the test passes it: a float Tensor or an IndexTensor. */
function indexOf(a: Args): Tensor | IndexTensor {
  const { shape, data } = a.index!;
  return a.indexAs === 'tensor' ? new TensorClass(Float32Array.from(data), shape) : { data: Int32Array.from(data), shape };
}

function run(c: OpCase, xs: Tensor[]): (Tensor | Int32Array)[] {
  const a = c.args as Args;
  switch (c.op) {
    case 'cumsum':
      return [cumsum(xs[0]!, a.dim)];
    case 'cumprod':
      return [cumprod(xs[0]!, a.dim)];
    case 'gather':
      return [gather(xs[0]!, a.dim, indexOf(a))];
    case 'scatterAdd':
      return [scatterAdd(xs[0]!, a.dim, indexOf(a), xs[1]!)];
    case 'sort': {
      const r = sort(xs[0]!, { dim: a.dim, descending: a.descending!, stable: a.stable! });
      return [r.values, r.indices];
    }
    case 'argsort':
      return [argsort(xs[0]!, { dim: a.dim, descending: a.descending! })];
    case 'topk': {
      const r = topk(xs[0]!, a.k!, { dim: a.dim, largest: a.largest!, sorted: a.sorted! });
      return [r.values, r.indices];
    }
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

describeOpParity('cumsum, cumprod, gather, scatterAdd, sort, argsort, topk match PyTorch', cases, run);
