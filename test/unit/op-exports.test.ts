// Tensor functions added after the first release are top-level exports of 'axonal'
// (src/index.ts), the same functions as their op modules'.
import { describe, expect, it } from 'vitest';

import * as axonal from '../../src/index.js';
import * as expand from '../../src/ops/expand.js';
import * as logsumexp from '../../src/ops/logsumexp.js';
import * as norm from '../../src/ops/norm.js';

const root = axonal as Record<string, unknown>;

describe('tensor function exports', () => {
  it('logsumexp, norm, expand and broadcastTo come from the package root', () => {
    expect(root.logsumexp).toBe(logsumexp.logsumexp);
    expect(root.norm).toBe(norm.norm);
    expect(root.expand).toBe(expand.expand);
    expect(root.broadcastTo).toBe(expand.broadcastTo);
  });
});
