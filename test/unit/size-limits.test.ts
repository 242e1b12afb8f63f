// Sizes no tensor can hold are a clear RangeError naming the op (code ERR_AXONAL_INVALID_VALUE),
// never V8's "Invalid typed array length": empty tensors with huge other dimensions, and
// results (broadcasts, products over an empty inner dimension) bigger than a Float32Array.
import { describe, expect, it } from 'vitest';

import { ErrorCode, add, matmul, zeros } from '../../src/index.js';
import { bmm } from '../../src/ops/matmul.js';
import { codeOf } from '../helpers/error-code.js';

describe('sizes no tensor can hold are a clear RangeError', () => {
  const cases: [string, () => unknown, string][] = [
    ['zeros with a huge dimension beside a zero', () => zeros(0, 1e300), 'zeros: shape [0, 1e+300] has dimensions that multiply to 1e+300'],
    ['a reshape of an empty tensor', () => zeros(0).reshape(0, 2 ** 40), 'reshape: shape [0, 1099511627776] has dimensions that multiply to'],
    ['a broadcast', () => add(zeros(70000, 1), zeros(1, 70000)), 'add: shapes [70000, 1] and [1, 70000] broadcast to [70000, 70000]: 4900000000 elements'],
    ['a matrix product over an empty inner dimension', () => matmul(zeros(70000, 0), zeros(0, 70000)), 'matmul: the product of a [70000, 0] and b [0, 70000] has 4900000000 elements'],
    ['a batched product', () => matmul(zeros(70000, 1, 0), zeros(1, 0, 70000)), 'matmul: the product of a [70000, 1, 0] and b [1, 0, 70000] has 4900000000 elements'],
    ['bmm', () => bmm(zeros(1, 70000, 0), zeros(1, 0, 70000)), 'bmm: the product of a [1, 70000, 0] and b [1, 0, 70000] has 4900000000 elements'],
  ];
  for (const [label, f, message] of cases) {
    it(label, () => {
      expect(f).toThrow(RangeError);
      expect(f).toThrow(message);
      expect(codeOf(f)).toBe(ErrorCode.InvalidValue);
    });
  }
});
