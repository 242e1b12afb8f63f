// Tensors, seeded random numbers and a matrix product: `node examples/basics.mjs`
import { backend, manualSeed, matmul, randn, tensor, zeros } from 'axonal';

console.log('backend:', backend.info());

manualSeed(42); // the same numbers on every run, at any thread count
const x = randn(4, 3);
const w = tensor([[0.5, -1, 2], [1, 0, 0]]); // [out, in], as PyTorch's nn.Linear stores it
const y = matmul(x, w, { transB: true }); // x @ w.T
console.log('x =', x);
console.log('x @ w.T =', y);
console.log('reshape shares memory:', y.reshape(-1).data === y.data ? 'no copy' : 'copied');

// The same functions are Tensor methods, as in PyTorch, and record gradients.
w.requiresGrad_();
const loss = x.matmul(w.t()).relu().square().mean();
loss.backward();
console.log('loss =', loss.item().toFixed(4), ' dloss/dw =', w.grad);

try {
  matmul(x, zeros(5, 2));
} catch (err) {
  console.log(`${err.name} (${err.code}): ${err.message}`);
}
