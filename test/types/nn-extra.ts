// Compiled (not run): Bilinear and the K-dimensional / probability-target class losses type-check as a PyTorch user writes them.
import { Tensor, nn, rand, randn } from './public.js';

const bil = new nn.Bilinear(4, 3, 2, { bias: false });
const y: Tensor = bil.forward(randn([5, 4]), randn([5, 3]));
const yf: Tensor = nn.functional.bilinear(randn([4]), randn([3]), bil.weight, bil.bias);
const options: nn.BilinearOptions = { bias: true };
const features: number = bil.in1Features + bil.in2Features + bil.outFeatures + y.size + yf.size + (options.bias ? 1 : 0);

const ce = new nn.CrossEntropyLoss({ labelSmoothing: 0.1, weight: rand([3]) });
const kdim: Tensor = ce.forward(randn([2, 3, 4, 4]), Int32Array.from({ length: 32 }, (_, i) => i % 3));
const soft: Tensor = nn.functional.crossEntropy(randn([2, 3, 4]), rand([2, 3, 4]), { reduction: 'none' });
const nll: Tensor = new nn.NLLLoss({ ignoreIndex: 1 }).forward(randn([2, 3, 5]), randn([2, 5]));

// @ts-expect-error Bilinear takes two inputs
bil.forward(randn([5, 4]));
// @ts-expect-error bias is a boolean
new nn.Bilinear(4, 3, 2, { bias: 'yes' });
// @ts-expect-error reduction 'avg' does not exist
nn.functional.crossEntropy(randn([2, 3]), rand([2, 3]), { reduction: 'avg' });

export { features, kdim, nll, soft };
