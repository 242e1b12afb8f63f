// Compiled (not run) against the published type declarations in dist/: the public
// API must type-check for a strict-mode user, and misuse must not.
import { AxonalError, Generator, Tensor, backend, bmm, linalg, matmul, randn, tensor, train, zeros, type BackendInfoLike, type GemmOptions } from './public.js';

const info = backend.info();
const isa: 'scalar' | 'neon' | 'avx2' | 'avx512' = info.isa;
const width: number = info.simdWidthFloats;
const t: Tensor = tensor([[1, 2], [3, 4]]);
const shape: readonly number[] = t.shape;
const y: Tensor = matmul(t, randn([2, 3], { generator: new Generator(1) }), { transB: false });
const z: Tensor = zeros([2, 3]).reshape(-1);
const n: number = z.size + t.item.length + width + shape.length + y.ndim;
const err: AxonalError = new AxonalError('x', 'ERR_AXONAL_NATIVE');
const code: string = err.code;
const _info: BackendInfoLike = info;
const gemmOptions: GemmOptions = { transB: true, bias: zeros([2]), activation: 'relu', alpha: 1 };
const h: Tensor = linalg.gemm(t, t, gemmOptions);
const hg: Tensor = linalg.gemm(t, t, { activation: 'gelu' });
const hgt: Tensor = linalg.gemm(t, t, { activation: 'gelu_tanh', bias: zeros([2]) });
const bb: Tensor = bmm(zeros([3, 2, 4]), zeros([3, 4, 5]), { transA: false });
// A value, not a type alone: a stray `export type { Tensor }` in a train module once made the bundled declarations say so.
const built: boolean = new Tensor(new Float32Array(2), [2]) instanceof Tensor;

// @ts-expect-error shape is readonly
t.shape = [4];
// @ts-expect-error transposeA is not an option
matmul(t, t, { transposeA: true });
// @ts-expect-error the tanh form of GELU is 'gelu_tanh'; tanh is not an epilogue activation
linalg.gemm(t, t, { activation: 'tanh' });
// @ts-expect-error strings are not tensor data
tensor('abc');

export { bb, built, code, h, hg, hgt, isa, n };

// Every callback's options type is public.
const lrOptions: train.LRSchedulerCallbackOptions = { stepPer: 'batch' };
export { lrOptions };
