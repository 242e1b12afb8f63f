// Bad-input specs for the conv bindings (native/binding/conv_binding.cpp). Bias and
// the optional gradient outputs may be empty (meaning none / skip), so their kind is
// 'f32any'; their wrong lengths are tested in test/unit/conv.test.ts.
import { type BindingSpec, f32 } from './specs.js';

// conv: n=2, c=4, 6x5 input, o=6, 3x2 kernel, stride (2, 1), padding (1, 0), dilation (1, 2), groups 2
// -> output 3x3; weight [6, 2, 3, 2]
const convSizes = [2, 4, 6, 5, 6, 3, 2, 2, 1, 1, 0, 1, 2, 2];
const convKinds = Array(14).fill('dim') as 'dim'[];
// transpose: n=2, cIn=4, 3x3 input, cOut=6, 3x2 kernel, stride 2, padding 1, output padding 1
// -> output (3-1)*2-2+2+1+1 = 6 by (3-1)*2-2+1+1+1 = 5; weight [4, 3, 3, 2]
const tSizes = [2, 4, 3, 3, 6, 3, 2, 2, 2, 1, 1, 1, 1, 2, 1, 1];
const tKinds = Array(16).fill('dim') as 'dim'[];
// pooling: 3 planes of 7x6, kernel 3x2, stride 2, padding (1, 1) -> 4x4 (ceil off)
const maxSizes = [3, 7, 6, 3, 2, 2, 2, 1, 1, 1, 1];
const avgSizes = [3, 7, 6, 3, 2, 2, 2, 1, 1];
// Window steps of a pooling call: output (or output-gradient) elements x kernel area.
const windowWork = (out: number, kh: number, kw: number) => (args: readonly unknown[]) =>
  (args[out] as Float32Array).length * (args[kh] as number) * (args[kw] as number);

export const convSpecs: Record<string, BindingSpec> = {
  conv2dForward: {
    op: 'conv2dForward',
    valid: () => [f32(2 * 4 * 30), f32(6 * 2 * 6), f32(6), f32(2 * 6 * 9), ...convSizes],
    kinds: ['f32', 'f32', 'f32any', 'f32', ...convKinds],
  },
  conv2dBackward: {
    op: 'conv2dBackward',
    valid: () => [f32(2 * 4 * 30), f32(6 * 2 * 6), f32(2 * 6 * 9), f32(2 * 4 * 30), f32(6 * 2 * 6), f32(6), ...convSizes],
    kinds: ['f32', 'f32', 'f32', 'f32any', 'f32any', 'f32any', ...convKinds],
  },
  convTranspose2dForward: {
    op: 'convTranspose2dForward',
    valid: () => [f32(2 * 4 * 9), f32(4 * 3 * 6), f32(6), f32(2 * 6 * 30), ...tSizes],
    kinds: ['f32', 'f32', 'f32any', 'f32', ...tKinds],
  },
  convTranspose2dBackward: {
    op: 'convTranspose2dBackward',
    valid: () => [f32(2 * 4 * 9), f32(4 * 3 * 6), f32(2 * 6 * 30), f32(2 * 4 * 9), f32(4 * 3 * 6), f32(6), ...tSizes],
    kinds: ['f32', 'f32', 'f32', 'f32any', 'f32any', 'f32any', ...tKinds],
  },
  maxPool2dForward: {
    op: 'maxPool2dForward',
    valid: () => [f32(3 * 42), f32(3 * 16), new Int32Array(3 * 16), ...maxSizes, false],
    kinds: ['f32', 'f32', 'i32', ...(Array(11).fill('dim') as 'dim'[]), 'bool'],
    work: windowWork(1, 6, 7),
  },
  maxPool2dBackward: {
    op: 'maxPool2dBackward',
    valid: () => [f32(3 * 16), new Int32Array(3 * 16), f32(3 * 42), ...maxSizes, false],
    kinds: ['f32', 'i32', 'f32', ...(Array(11).fill('dim') as 'dim'[]), 'bool'],
  },
  avgPool2dForward: {
    op: 'avgPool2dForward',
    valid: () => [f32(3 * 42), f32(3 * 16), ...avgSizes, false, true, 0],
    kinds: ['f32', 'f32', ...(Array(9).fill('dim') as 'dim'[]), 'bool', 'bool', 'dim'],
    work: windowWork(1, 5, 6),
  },
  avgPool2dBackward: {
    op: 'avgPool2dBackward',
    valid: () => [f32(3 * 16), f32(3 * 42), ...avgSizes, false, true, 0],
    kinds: ['f32', 'f32', ...(Array(9).fill('dim') as 'dim'[]), 'bool', 'bool', 'dim'],
    work: windowWork(0, 5, 6),
  },
  adaptiveAvgPool2dForward: {
    op: 'adaptiveAvgPool2dForward',
    valid: () => [f32(3 * 42), f32(3 * 12), 3, 7, 6, 3, 4],
    kinds: ['f32', 'f32', 'dim', 'dim', 'dim', 'dim', 'dim'],
  },
  adaptiveAvgPool2dBackward: {
    op: 'adaptiveAvgPool2dBackward',
    valid: () => [f32(3 * 12), f32(3 * 42), 3, 7, 6, 3, 4],
    kinds: ['f32', 'f32', 'dim', 'dim', 'dim', 'dim', 'dim'],
  },
};
