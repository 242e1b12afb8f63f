/**
 * torch.matmul beyond two dimensions: a stack of matrix products over leading
 * (batch) dimensions that broadcast, on one batched native sgemm. The backward sums
 * each operand's gradient over the batch dimensions it was broadcast along.
 */
import { record } from '../autograd/engine.js';
import { shapeError } from '../errors.js';
import { floatsForOverwrite } from '../memory.js';
import { native } from '../native.js';
import { formatShape, shapeSize, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { expandData, reduceToShape } from './arith.js';
import { productDims } from './matmul.js';

/** An operand as a stack of stored matrices [rows, cols] over the broadcast batch. */
interface Operand {
  /** The stored matrices, one per batch item (or one shared by all, stride 0). */
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** Floats between consecutive batch items' matrices: rows * cols, or 0 when shared. */
  readonly stride: number;
  /** The operand's shape as [...batch dims padded with 1, rows, cols] (what its gradient reduces to). */
  readonly padded: readonly number[];
}

function operand(t: Tensor, vector: 'row' | 'column' | null, batch: readonly number[]): Operand {
  const [rows, cols] = vector === 'row' ? [1, t.shape[0]!] : vector === 'column' ? [t.shape[0]!, 1] : [t.shape[t.ndim - 2]!, t.shape[t.ndim - 1]!];
  const own = vector ? [] : t.shape.slice(0, -2);
  const padded = [...new Array<number>(batch.length - own.length).fill(1), ...own, rows, cols];
  const items = shapeSize(own);
  if (items === 1) return { data: t.data, rows, cols, stride: 0, padded };
  const full = [...batch, rows, cols];
  const data = shapesEqual(padded, full) ? t.data : expandData(new Tensor(t.data, padded), full);
  return { data, rows, cols, stride: rows * cols, padded };
}

/**
 * op(a) @ op(b) with at least one operand of 3 or more dimensions, as torch.matmul:
 * a 1-D a is a row vector and a 1-D b a column vector (their dimension is dropped from
 * the result), the last two dimensions of the others are the matrices (transposed by
 * transA / transB), and the leading dimensions broadcast.
 */
export function batchedMatmul(op: string, a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const batchA = a.ndim > 2 ? a.shape.slice(0, -2) : [];
  const batchB = b.ndim > 2 ? b.shape.slice(0, -2) : [];
  const nd = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let i = 0; i < nd; i++) {
    const da = batchA[batchA.length - nd + i] ?? 1;
    const db = batchB[batchB.length - nd + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw shapeError(op, `a has shape ${formatShape(a.shape)} and b has shape ${formatShape(b.shape)}: batch dimensions ${formatShape(batchA)} and ${formatShape(batchB)} do not broadcast (${da} vs ${db})`);
    }
    batch.push(da === 1 ? db : da);
  }
  const A = operand(a, a.ndim === 1 ? 'row' : null, batch);
  const B = operand(b, b.ndim === 1 ? 'column' : null, batch);
  const { m, n, k } = productDims(op, A.rows, A.cols, transA, b.shape, B.rows, B.cols, transB);
  const count = shapeSize(batch);
  const lda = Math.max(1, A.cols), ldb = Math.max(1, B.cols), ldc = Math.max(1, n);
  const out = floatsForOverwrite(count * m * n);
  const gemms = (ta: boolean, tb: boolean, mm: number, nn: number, kk: number, x: Float32Array, ldx: number, sx: number, y: Float32Array, ldy: number, sy: number, z: Float32Array, ldz: number, sz: number) => {
    if (count > 0 && mm * nn > 0) native.sgemmBatched(ta, tb, mm, nn, kk, 1, x, ldx, y, ldy, 0, z, ldz, count, 1, sx, 0, sy, 0, sz, 0);
  };
  gemms(transA, transB, m, n, k, A.data, lda, A.stride, B.data, ldb, B.stride, out, ldc, m * n);
  const shape = [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])];
  const result = new Tensor(out, shape);
  record('MatmulBackward', [a, b], [result], ([g]) => {
    const dc = g!.data;
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (a.requiresGrad) {
      // Per item, matmul's d op(A) = dC op(B)^T in A's layout; then summed over broadcast dimensions.
      const d = floatsForOverwrite(count * A.rows * A.cols);
      if (!transA) gemms(false, !transB, m, k, n, dc, ldc, m * n, B.data, ldb, B.stride, d, lda, A.rows * A.cols);
      else gemms(transB, true, k, m, n, B.data, ldb, B.stride, dc, ldc, m * n, d, lda, A.rows * A.cols);
      da = new Tensor(reduceToShape(new Tensor(d, [...batch, A.rows, A.cols]), A.padded).data, a.shape);
    }
    if (b.requiresGrad) {
      // Per item, d op(B) = op(A)^T dC in B's layout; then summed over broadcast dimensions.
      const d = floatsForOverwrite(count * B.rows * B.cols);
      if (!transB) gemms(!transA, false, k, n, m, A.data, lda, A.stride, dc, ldc, m * n, d, ldb, B.rows * B.cols);
      else gemms(true, transA, n, k, m, dc, ldc, m * n, A.data, lda, A.stride, d, ldb, B.rows * B.cols);
      db = new Tensor(reduceToShape(new Tensor(d, [...batch, B.rows, B.cols]), B.padded).data, b.shape);
    }
    return [da, db];
  }, [a, b]);
  return result;
}
