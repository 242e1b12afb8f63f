// eq/ne/lt/le/gt/ge, where, maximum/minimum and maskedFill match PyTorch 1.13 (fixture:
// scripts/fixtures/compare_ops.py) on every ISA level: outputs, their shapes and the
// gradient of every input under a fixed upstream gradient, with broadcasting shapes,
// ties, NaN, +-0, +-Inf and numbers as operands; special values compared exactly.
// Comparisons are float 0/1 here where PyTorch returns bool (the fixture records floats).
import type { Tensor } from '../../src/index.js';
import { eq, ge, gt, le, lt, ne } from '../../src/ops/compare.js';
import { maximum, minimum } from '../../src/ops/maximum.js';
import { maskedFill, where } from '../../src/ops/where.js';
import { type Num, type OpCase, arr, describeOpParity, readOpCases } from '../helpers/op-parity.js';

const cases = readOpCases('compare_ops.json');
const num = (v: Num): number => arr([v])[0]!;

const binary = { eq, ne, lt, le, gt, ge, maximum, minimum } as const;

/** The op's output: tensor operands are the inputs in order, number operands come from args. */
function run(c: OpCase, xs: Tensor[]): Tensor[] {
  const a = c.args as { operands: string[]; numbers: Record<string, Num>; value?: Num };
  let next = 0;
  const ops = a.operands.map((name) => (name in a.numbers ? num(a.numbers[name]!) : xs[next++]!));
  if (next !== xs.length) throw new Error(`case uses ${next} of ${xs.length} inputs`);
  switch (c.op) {
    case 'where':
      return [where(ops[0] as Tensor, ops[1]!, ops[2]!)];
    case 'maskedFill':
      return [maskedFill(ops[0] as Tensor, ops[1] as Tensor, num(a.value!))];
    default: {
      const f = binary[c.op as keyof typeof binary];
      if (!f) throw new Error(`unknown op ${c.op}`);
      return [f(ops[0]!, ops[1]!)];
    }
  }
}

describeOpParity('comparison and selection ops match PyTorch', cases, run);
