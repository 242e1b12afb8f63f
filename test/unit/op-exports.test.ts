// Tensor functions added after the first release are top-level exports of 'axonal'
// (src/index.ts), the same functions as their op modules'.
import { describe, expect, it } from 'vitest';

import * as axonal from '../../src/index.js';
import * as compare from '../../src/ops/compare.js';
import * as cumulative from '../../src/ops/cumulative.js';
import * as expand from '../../src/ops/expand.js';
import * as gather from '../../src/ops/gather.js';
import * as logsumexp from '../../src/ops/logsumexp.js';
import * as maximum from '../../src/ops/maximum.js';
import * as norm from '../../src/ops/norm.js';
import * as sort from '../../src/ops/sort.js';
import * as where from '../../src/ops/where.js';

const root = axonal as Record<string, unknown>;

describe('tensor function exports', () => {
  it('logsumexp, norm, expand and broadcastTo come from the package root', () => {
    expect(root.logsumexp).toBe(logsumexp.logsumexp);
    expect(root.norm).toBe(norm.norm);
    expect(root.expand).toBe(expand.expand);
    expect(root.broadcastTo).toBe(expand.broadcastTo);
  });

  it('the comparisons, where, maskedFill, maximum and minimum come from the package root', () => {
    for (const name of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) expect(root[name], name).toBe(compare[name]);
    expect(root.where).toBe(where.where);
    expect(root.maskedFill).toBe(where.maskedFill);
    expect(root.maximum).toBe(maximum.maximum);
    expect(root.minimum).toBe(maximum.minimum);
  });

  it('cumsum, cumprod, gather, scatterAdd, sort, argsort and topk come from the package root', () => {
    expect(root.cumsum).toBe(cumulative.cumsum);
    expect(root.cumprod).toBe(cumulative.cumprod);
    expect(root.gather).toBe(gather.gather);
    expect(root.scatterAdd).toBe(gather.scatterAdd);
    for (const name of ['sort', 'argsort', 'topk'] as const) expect(root[name], name).toBe(sort[name]);
  });
});
