// LeNet-5 on MNIST: two convolutions with max pooling, three linear layers, Adam.
// `node examples/lenet-mnist.mjs [epochs]` (default 3).
import { datasets, evaluate, fit, manualSeed, nn, optim } from 'axonal';

const epochs = Number(process.argv[2] ?? 3);
manualSeed(0);
const { train, test } = await datasets.mnist();
// The datasets hold flat [N, 784] images; the first layer wants [N, 1, 28, 28].
const toImages = new nn.Unflatten(1, [1, 28, 28]);

const model = new nn.Sequential(
  toImages,
  new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2), // 6 x 14 x 14
  new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2), //               16 x 5 x 5
  new nn.Flatten(),
  new nn.Linear(400, 120), new nn.ReLU(),
  new nn.Linear(120, 84), new nn.ReLU(),
  new nn.Linear(84, 10),
);
console.log(String(model));
const loss = new nn.CrossEntropyLoss();
const t0 = performance.now();
await fit(model, train, { optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }), loss, epochs, batchSize: 64, metrics: ['accuracy'], seed: 0 });
const seconds = (performance.now() - t0) / 1000;
const result = await evaluate(model, test, { loss, metrics: ['accuracy'] });
console.log(`test accuracy ${(100 * result.accuracy).toFixed(2)}% after ${epochs} epochs (${seconds.toFixed(1)} s)`);
