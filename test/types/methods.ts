// Compiled (not run) against dist/: the PyTorch-style Tensor methods type-check as a user chains them.
import { Tensor, randn, type TensorMethods } from './public.js';

const x: Tensor = randn([4, 3]);
const w: Tensor = randn([3, 2]);
const loss: Tensor = x.matmul(w).add(1).relu().square().mean();
const probs: Tensor = x.softmax(1).log().neg().sum(1, { keepdim: true });
const { values, indices }: { values: Tensor; indices: Int32Array } = x.max(1);
const parts: Tensor[] = x.split([1, 2], 1).concat(x.chunk(2));
const moved: Tensor = x.unsqueeze(0).permute(2, 0, 1).permute([1, 2, 0]).flatten().t();
const spread: Tensor = x.var(0).add(x.std(null, { correction: 0 })).clamp({ min: 0 });
const methods: keyof TensorMethods = 'matmul';
loss.backward();

// @ts-expect-error pow takes a number exponent
x.pow(x);
// @ts-expect-error clamp takes an options object
x.clamp(0, 1);
// @ts-expect-error max needs a dim
x.max();

export { indices, methods, moved, parts, probs, spread, values };
