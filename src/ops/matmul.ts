/** Matrix products over Tensors, on the native sgemm: matmul (torch.matmul's shapes) and batched bmm. */
import { record } from '../autograd/engine.js';
import { rangeError, shapeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape, MAX_ELEMENTS, shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { expectBoolean, readOptions } from '../validate.js';
import { floats, floatsForOverwrite } from '../memory.js';
import { batchedMatmul } from './matmul-batched.js';

export interface MatmulOptions {
  /** Use a's transpose: a is stored [K, M]. Default false. */
  transA?: boolean;
  /** Use b's transpose: b is stored [N, K] (PyTorch's Linear weight layout). Default false. */
  transB?: boolean;
}

const MATMUL_OPTIONS = ['transA', 'transB'] as const;

/** Reads { transA, transB } for `op`. */
export function readTransposes(op: string, options: unknown): { transA: boolean; transB: boolean } {
  const opts = readOptions(op, options as MatmulOptions | undefined, MATMUL_OPTIONS);
  const transA = opts.transA === undefined ? false : expectBoolean(op, 'options.transA', opts.transA);
  const transB = opts.transB === undefined ? false : expectBoolean(op, 'options.transB', opts.transB);
  return { transA, transB };
}

/**
 * op(a) [m, k] and op(b) [k, n] from stored 2-D shapes [aRows, aCols] and [bRows, bCols];
 * throws "<op>: b has shape [3, 4] but a has 5 columns" when the inner sizes differ.
 */
export function productDims(
  op: string,
  aRows: number,
  aCols: number,
  transA: boolean,
  bShape: readonly number[],
  bRows: number,
  bCols: number,
  transB: boolean,
): { m: number; n: number; k: number } {
  const [m, k] = transA ? [aCols, aRows] : [aRows, aCols];
  const [k2, n] = transB ? [bCols, bRows] : [bRows, bCols];
  if (k !== k2) {
    const aDesc = transA ? `transposed a has ${k} columns` : `a has ${k} columns`;
    const bDesc = transB ? `b has shape ${formatShape(bShape)} (transposed: ${formatShape([...bShape.slice(0, -2), k2, n])})` : `b has shape ${formatShape(bShape)}`;
    throw shapeError(op, `${bDesc} but ${aDesc}`);
  }
  return { m, n, k };
}

/** What a product's backward reads, as PyTorch saves it: a for b's gradient, b for a's. */
function savedForProduct(a: Tensor, b: Tensor): Tensor[] {
  const saved: Tensor[] = [];
  if (b.requiresGrad) saved.push(a);
  if (a.requiresGrad) saved.push(b);
  return saved;
}

/**
 * A clear RangeError when the product would hold more elements than a tensor can
 * (empty inner dimensions let tiny operands ask for a huge result). Batch dimensions
 * that do not broadcast are left to the shape checks that follow.
 */
function checkResultSize(op: string, a: Tensor, b: Tensor, transA: boolean, transB: boolean): void {
  const m = a.ndim === 1 ? 1 : a.shape[transA ? a.ndim - 1 : a.ndim - 2]!;
  const n = b.ndim === 1 ? 1 : b.shape[transB ? b.ndim - 2 : b.ndim - 1]!;
  const ba = a.shape.slice(0, -2);
  const bb = b.shape.slice(0, -2);
  let size = m * n;
  for (let i = 0; i < Math.max(ba.length, bb.length); i++) {
    const da = ba[ba.length - 1 - i] ?? 1;
    const db = bb[bb.length - 1 - i] ?? 1;
    size *= da === 1 ? db : da;
  }
  if (size > MAX_ELEMENTS) {
    throw rangeError(op, `the product of a ${formatShape(a.shape)} and b ${formatShape(b.shape)} has ${size} elements, more than the ${MAX_ELEMENTS} a tensor can hold`);
  }
}

/**
 * The matrix product of a and b, as torch.matmul. 2-D operands give op(a) [M, K] x
 * op(b) [K, N] = [M, N]; a 1-D operand is treated as a row (a) or column (b) vector
 * and that dimension is dropped from the result. With 3 or more dimensions the last
 * two are the matrices and the leading (batch) dimensions broadcast: [B, M, K] x
 * [K, N] = [B, M, N], [J, 1, M, K] x [L, K, N] = [J, L, M, N]. transA / transB
 * transpose the last two dimensions of a 2-D or higher operand. Gradients sum over
 * the dimensions an operand was broadcast along.
 */
export function matmul(a: Tensor, b: Tensor, options?: MatmulOptions): Tensor {
  const op = 'matmul';
  expectTensor(op, 'a', a);
  expectTensor(op, 'b', b);
  const { transA, transB } = readTransposes(op, options);
  for (const [name, t, trans] of [['a', a, transA], ['b', b, transB]] as const) {
    if (t.ndim < 1) throw shapeError(op, `${name} must have at least 1 dimension, but has shape ${formatShape(t.shape)}`);
    if (trans && t.ndim < 2) {
      throw shapeError(op, `trans${name.toUpperCase()} needs ${name} with 2 or more dimensions, but ${name} has shape ${formatShape(t.shape)}`);
    }
  }
  checkResultSize(op, a, b, transA, transB);
  if (a.ndim > 2 && b.ndim <= 2 && !transA) {
    // [..., M, K] x [K, N]: one GEMM over all the rows of a (as torch.matmul folds it).
    const k = a.shape[a.ndim - 1]!;
    const flat = matmul(a.reshape(shapeSize(a.shape.slice(0, -1)), k), b, { transB });
    return flat.reshape([...a.shape.slice(0, -1), ...(b.ndim === 2 ? [flat.shape[1]!] : [])]);
  }
  if (a.ndim > 2 || b.ndim > 2) return batchedMatmul(op, a, b, transA, transB);
  // Stored shapes, then the logical op(a) [m, k] and op(b) [k, n].
  const aRows = a.ndim === 1 ? 1 : a.shape[0]!;
  const aCols = a.ndim === 1 ? a.shape[0]! : a.shape[1]!;
  const bRows = b.shape[0]!;
  const bCols = b.ndim === 1 ? 1 : b.shape[1]!;
  const { m, n, k } = productDims(op, aRows, aCols, transA, b.shape, bRows, bCols, transB);
  const lda = Math.max(1, aCols);
  const ldb = Math.max(1, bCols);
  const out = floatsForOverwrite(m * n);
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
      const d = floatsForOverwrite(a.size);
      if (!transA) native.sgemm(false, !transB, m, k, n, 1, dc, ldc, b.data, ldb, 0, d, lda);
      else native.sgemm(transB, true, k, m, n, 1, b.data, ldb, dc, ldc, 0, d, lda);
      da = new Tensor(d, a.shape);
    }
    if (b.requiresGrad) {
      // d op(B) = op(A)^T dC, stored back in B's layout.
      const d = floatsForOverwrite(b.size);
      if (!transB) native.sgemm(!transA, false, k, n, m, 1, a.data, lda, dc, ldc, 0, d, ldb);
      else native.sgemm(true, transA, n, k, m, 1, dc, ldc, a.data, lda, 0, d, ldb);
      db = new Tensor(d, b.shape);
    }
    return [da, db];
  }, savedForProduct(a, b));
  return result;
}

/**
 * Batched matrix product: a [B, M, K] x b [B, K, N] = [B, M, N] (torch.bmm), with
 * transA (a stored [B, K, M]) and transB (b stored [B, N, K]). Both batches must be
 * the same size, as in torch.bmm; matmul broadcasts them.
 */
export function bmm(a: Tensor, b: Tensor, options?: MatmulOptions): Tensor {
  const op = 'bmm';
  expectTensor(op, 'a', a);
  expectTensor(op, 'b', b);
  const { transA, transB } = readTransposes(op, options);
  for (const [name, t] of [['a', a], ['b', b]] as const) {
    if (t.ndim !== 3) throw shapeError(op, `${name} must be 3-D [batch, rows, cols], but has shape ${formatShape(t.shape)}`);
  }
  const batch = a.shape[0]!;
  if (b.shape[0] !== batch) {
    throw shapeError(op, `a has shape ${formatShape(a.shape)} and b has shape ${formatShape(b.shape)}: batch sizes ${batch} and ${b.shape[0]} differ (bmm does not broadcast; matmul does)`);
  }
  checkResultSize(op, a, b, transA, transB);
  const aRows = a.shape[1]!, aCols = a.shape[2]!, bRows = b.shape[1]!, bCols = b.shape[2]!;
  const { m, n, k } = productDims(op, aRows, aCols, transA, b.shape, bRows, bCols, transB);
  const out = floatsForOverwrite(batch * m * n);
  const aStride = aRows * aCols, bStride = bRows * bCols, cStride = m * n;
  const lda = Math.max(1, aCols), ldb = Math.max(1, bCols), ldc = Math.max(1, n);
  // One native call for the whole batch (small products run one per thread). Item i of
  // x with per-item stride s: x + i * s.
  const batched = (ta: boolean, tb: boolean, mm: number, nn: number, kk: number, x: Float32Array, ldx: number, sx: number, y: Float32Array, ldy: number, sy: number, z: Float32Array, ldz: number, sz: number) =>
    native.sgemmBatched(ta, tb, mm, nn, kk, 1, x, ldx, y, ldy, 0, z, ldz, batch, 1, sx, 0, sy, 0, sz, 0);
  batched(transA, transB, m, n, k, a.data, lda, aStride, b.data, ldb, bStride, out, ldc, cStride);
  const result = new Tensor(out, [batch, m, n]);
  record('BmmBackward', [a, b], [result], ([g]) => {
    // Per batch element, the same formulas as matmul's backward.
    const da = a.requiresGrad ? floats(a.size) : null;
    const db = b.requiresGrad ? floats(b.size) : null;
    const dc = g!.data;
    if (da) {
      if (!transA) batched(false, !transB, m, k, n, dc, ldc, cStride, b.data, ldb, bStride, da, lda, aStride);
      else batched(transB, true, k, m, n, b.data, ldb, bStride, dc, ldc, cStride, da, lda, aStride);
    }
    if (db) {
      if (!transB) batched(!transA, false, k, n, m, a.data, lda, aStride, dc, ldc, cStride, db, ldb, bStride);
      else batched(true, transA, n, k, m, dc, ldc, cStride, a.data, lda, aStride, db, ldb, bStride);
    }
    return [da ? new Tensor(da, a.shape) : null, db ? new Tensor(db, b.shape) : null];
  }, savedForProduct(a, b));
  return result;
}
