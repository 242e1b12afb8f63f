// LeNet-5 on MNIST: two convolutions with max pooling, three linear layers, Adam with a
// one-cycle learning-rate schedule (stepped per batch).
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
const batchSize = 64;
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
// Warm up to 3e-3, then anneal: 99.1% after 3 epochs (seeds 0-2) where a constant 1e-3
// reaches 98.4%.
const scheduler = new optim.lrScheduler.OneCycleLR(optimizer, 3e-3, { totalSteps: epochs * Math.ceil(train.length / batchSize) });
await fit(model, train, { optimizer, loss, epochs, batchSize, metrics: ['accuracy'], seed: 0, scheduler, schedulerStep: 'batch' });
const seconds = (performance.now() - t0) / 1000;
const result = await evaluate(model, test, { loss, metrics: ['accuracy'] });
console.log(`test accuracy ${(100 * result.accuracy).toFixed(2)}% after ${epochs} epochs (${seconds.toFixed(1)} s)`);
