import { describe, expect, it } from 'vitest';

import { Tensor, bmm } from '../../src/index.js';

describe('bmm', () => {
  it("names b's whole shape when the inner sizes differ", () => {
    const t = (...s: number[]) => new Tensor(new Float32Array(s.reduce((x, y) => x * y, 1)), s);
    expect(() => bmm(t(2, 3, 4), t(2, 5, 6))).toThrow(/^bmm: b has shape \[2, 5, 6\] but a has 4 columns$/);
    expect(() => bmm(t(2, 3, 4), t(2, 6, 5), { transB: true })).toThrow(/^bmm: b has shape \[2, 6, 5\] \(transposed: \[2, 5, 6\]\) but a has 4 columns$/);
    expect(() => bmm(t(2, 3, 4), t(1, 4, 5))).toThrow(/batch sizes 2 and 1 differ \(bmm does not broadcast; matmul does\)/);
  });
});
