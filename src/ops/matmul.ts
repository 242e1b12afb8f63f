/** Matrix products over Tensors, on the native sgemm. */
import { record } from '../autograd/engine.js';
import { shapeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { expectBoolean, readOptions } from '../validate.js';

export interface MatmulOptions {
  /** Use a's transpose: a is stored [K, M]. Default false. */
  transA?: boolean;
  /** Use b's transpose: b is stored [N, K] (PyTorch's Linear weight layout). Default false. */
  transB?: boolean;
}

const MATMUL_OPTIONS = ['transA', 'transB'] as const;

/**
 * The matrix product of a and b. 2-D operands give op(a) [M, K] x op(b) [K, N] = [M, N];
 * a 1-D operand is treated as a row (a) or column (b) vector and that dimension is
 * dropped from the result, as in torch.matmul.
 */
export function matmul(a: Tensor, b: Tensor, options?: MatmulOptions): Tensor {
  const op = 'matmul';
  expectTensor(op, 'a', a);
  expectTensor(op, 'b', b);
  const opts = readOptions(op, options, MATMUL_OPTIONS);
  const transA = opts.transA === undefined ? false : expectBoolean(op, 'options.transA', opts.transA);
  const transB = opts.transB === undefined ? false : expectBoolean(op, 'options.transB', opts.transB);
  for (const [name, t, trans] of [['a', a, transA], ['b', b, transB]] as const) {
    if (t.ndim < 1 || t.ndim > 2) {
      throw shapeError(op, `${name} must be 1-D or 2-D, but has shape ${formatShape(t.shape)}`);
    }
    if (trans && t.ndim !== 2) {
      throw shapeError(op, `trans${name.toUpperCase()} needs a 2-D ${name}, but ${name} has shape ${formatShape(t.shape)}`);
    }
  }
  // Stored shapes, then the logical op(a) [m, k] and op(b) [k2, n].
  const aRows = a.ndim === 1 ? 1 : a.shape[0]!;
  const aCols = a.ndim === 1 ? a.shape[0]! : a.shape[1]!;
  const bRows = b.ndim === 1 ? b.shape[0]! : b.shape[0]!;
  const bCols = b.ndim === 1 ? 1 : b.shape[1]!;
  const [m, k] = transA ? [aCols, aRows] : [aRows, aCols];
  const [k2, n] = transB ? [bCols, bRows] : [bRows, bCols];
  if (k !== k2) {
    const aDesc = transA ? `${transA ? 'transposed ' : ''}a has ${k} columns` : `a has ${k} columns`;
    const bDesc = transB ? `b has shape ${formatShape(b.shape)} (transposed: [${k2}, ${n}])` : `b has shape ${formatShape(b.shape)}`;
    throw shapeError(op, `${bDesc} but ${aDesc}`);
  }
  const lda = Math.max(1, aCols);
  const ldb = Math.max(1, bCols);
  const out = new Float32Array(m * n);
  native.sgemm(transA, transB, m, n, k, 1, a.data, lda, b.data, ldb, 0, out, Math.max(1, n));
  const shape: number[] = [];
  if (a.ndim === 2) shape.push(m);
  if (b.ndim === 2) shape.push(n);
  const result = new Tensor(out, shape);
  record('MmBackward', [a, b], [result], ([g]) => {
    const dc = g!.data;
    const ldc = Math.max(1, n);
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (a.requiresGrad) {
      // d op(A) = dC op(B)^T, stored back in A's layout.
      const d = new Float32Array(a.size);
      if (!transA) native.sgemm(false, !transB, m, k, n, 1, dc, ldc, b.data, ldb, 0, d, lda);
      else native.sgemm(transB, true, k, m, n, 1, b.data, ldb, dc, ldc, 0, d, lda);
      da = new Tensor(d, a.shape);
    }
    if (b.requiresGrad) {
      // d op(B) = op(A)^T dC, stored back in B's layout.
      const d = new Float32Array(b.size);
      if (!transB) native.sgemm(!transA, false, k, n, m, 1, a.data, lda, dc, ldc, 0, d, ldb);
      else native.sgemm(true, transA, n, k, m, 1, dc, ldc, a.data, lda, 0, d, ldb);
      db = new Tensor(d, b.shape);
    }
    return [da, db];
  });
  return result;
}
