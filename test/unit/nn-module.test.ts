import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, noGrad, randn, tensor, zeros } from '../../src/index.js';
import { weightedSum } from '../helpers/test-ops.js';

class TwoLayer extends nn.Module {
  readonly fc1: nn.Linear;
  readonly fc2: nn.Linear;
  constructor() {
    super();
    this.fc1 = this.registerModule('fc1', new nn.Linear(4, 3));
    this.fc2 = this.registerModule('fc2', new nn.Linear(3, 2, { bias: false }));
    this.registerBuffer('steps', zeros(1));
    this.registerBuffer('scratch', zeros(2), false);
  }
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.fc1.forward(x));
  }
}

describe('Module', () => {
  it('names parameters and state like PyTorch', () => {
    const m = new TwoLayer();
    expect(Array.from(m.namedParameters(), ([n]) => n)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight']);
    expect(Object.keys(m.stateDict())).toEqual(['steps', 'fc1.weight', 'fc1.bias', 'fc2.weight']);
    expect(m.parameters()).toHaveLength(3);
    expect(Array.from(m.namedModules(), ([n]) => n)).toEqual(['', 'fc1', 'fc2']);
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.Identity(), new nn.Linear(2, 1));
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(m.getSubmodule('fc1')).toBe(m.fc1);
    expect(() => m.getSubmodule('fc3')).toThrow(/TwoLayer has no submodule "fc3"/);
  });

  it('lists a shared parameter once', () => {
    const shared = new nn.Linear(2, 2);
    const seq = new nn.Sequential(shared, shared);
    expect(seq.parameters()).toHaveLength(2);
  });

  it('loadStateDict copies, checks keys and shapes, and changes nothing on failure', () => {
    manualSeed(1);
    const a = new TwoLayer();
    const b = new TwoLayer();
    b.loadStateDict(a.stateDict());
    expect(Array.from(b.fc1.weight.data)).toEqual(Array.from(a.fc1.weight.data));
    expect(b.fc1.weight.data).not.toBe(a.fc1.weight.data);
    const before = Array.from(b.fc1.weight.data);
    const bad = { ...a.stateDict(), 'fc2.weight': zeros(3, 3) };
    expect(() => b.loadStateDict(bad)).toThrow('loadStateDict: "fc2.weight" has shape [3, 3] in the state dict but [2, 3] in the model');
    const { steps: _steps, ...missing } = a.stateDict();
    expect(() => b.loadStateDict({ ...missing, extra: zeros(1) })).toThrow(/missing keys: "steps"; unexpected keys: "extra"/);
    expect(Array.from(b.fc1.weight.data)).toEqual(before);
    const r = b.loadStateDict({ 'fc1.bias': zeros(3) }, { strict: false });
    expect(r.missingKeys).toEqual(['steps', 'fc1.weight', 'fc2.weight']);
    expect(Array.from(b.fc1.bias!.data)).toEqual([0, 0, 0]);
  });

  it('train/eval propagate; zeroGrad zeroes or drops; apply visits children first', () => {
    const m = new TwoLayer();
    m.eval();
    expect([m.training, m.fc1.training, m.fc2.training]).toEqual([false, false, false]);
    m.train();
    expect(m.fc2.training).toBe(true);
    weightedSum(m.forward(randn(5, 4))).backward();
    expect(m.fc1.weight.grad).not.toBeNull();
    const gradBuffer = m.fc1.weight.grad!.data;
    m.zeroGrad();
    expect(m.fc1.weight.grad!.data).toBe(gradBuffer);
    expect(Array.from(gradBuffer).every((v) => v === 0)).toBe(true);
    m.zeroGrad({ setToNone: true });
    expect(m.fc1.weight.grad).toBeNull();
    const order: string[] = [];
    m.apply((mod) => order.push(mod.constructor.name));
    expect(order).toEqual(['Linear', 'Linear', 'TwoLayer']);
  });

  it('prints the architecture', () => {
    const seq = new nn.Sequential(new nn.Linear(784, 500), new nn.Flatten(), new nn.Linear(500, 10, { bias: false }));
    expect(String(seq)).toBe(
      'Sequential(\n' +
        '  (0): Linear(inFeatures=784, outFeatures=500, bias=true)\n' +
        '  (1): Flatten(startDim=1, endDim=-1)\n' +
        '  (2): Linear(inFeatures=500, outFeatures=10, bias=false)\n' +
        ')',
    );
    expect(String(new TwoLayer())).toContain('  (fc1): Linear(inFeatures=4, outFeatures=3, bias=true)');
  });

  it('rejects bad registrations and options', () => {
    const m = new TwoLayer();
    expect(() => m.registerParameter('fc1', null)).toThrow(/"fc1" is already registered as a module/);
    expect(() => m.registerModule('a.b', null)).toThrow(/without dots/);
    expect(() => m.registerParameter('w', zeros(2) as never)).toThrow(/must be an nn.Parameter/);
    expect(() => new nn.Linear(2, 3, { bais: false } as never)).toThrow(/unknown option "bais"/);
    expect(() => new nn.Linear(-1, 3)).toThrow(RangeError);
    expect(() => new nn.Sequential(5 as never)).toThrow(/modules\[0\] must be an nn.Module/);
  });

  it('containers', () => {
    const list = new nn.ModuleList([new nn.Linear(1, 1)]).append(new nn.Identity());
    expect(list.length).toBe(2);
    expect(list.at(-1)).toBeInstanceOf(nn.Identity);
    expect(Object.keys(list.stateDict())).toEqual(['0.weight', '0.bias']);
    const dict = new nn.ModuleDict({ enc: new nn.Linear(1, 2) });
    expect(dict.keys()).toEqual(['enc']);
    expect(Object.keys(dict.stateDict())).toEqual(['enc.weight', 'enc.bias']);
    const seq = new nn.Sequential({ first: new nn.Linear(2, 3), second: new nn.Linear(3, 1) });
    expect((seq.forward(zeros(4, 2)) as Tensor).shape).toEqual([4, 1]);
    expect(Object.keys(seq.stateDict())[0]).toBe('first.weight');
  });
});

describe('shape modules', () => {
  it('Flatten and Unflatten are views with gradients', () => {
    const x = randn(2, 3, 4).requiresGrad_();
    const f = new nn.Flatten().forward(x);
    expect(f.shape).toEqual([2, 12]);
    expect(new nn.Flatten({ startDim: 0 }).forward(x).shape).toEqual([24]);
    expect(new nn.Unflatten(1, [3, -1]).forward(f).shape).toEqual([2, 3, 4]);
    expect(() => new nn.Unflatten(1, [5, 5]).forward(f)).toThrow(/cannot unflatten dimension 1 of size 12/);
    weightedSum(f).backward();
    expect(x.grad!.shape).toEqual([2, 3, 4]);
  });
  it('Flatten of a 0-d tensor: [1] for startDim 0 or -1, out of range for the default startDim 1 (as PyTorch)', () => {
    const scalar = tensor(2);
    expect(new nn.Flatten({ startDim: 0 }).forward(scalar).shape).toEqual([1]);
    expect(new nn.Flatten({ startDim: -1 }).forward(scalar).shape).toEqual([1]);
    expect(() => new nn.Flatten().forward(scalar)).toThrow('Flatten: dim must be an integer in [-1, 0], but received 1');
  });
  it('Unflatten names what it received for a bad unflattenedSize', () => {
    expect(() => new nn.Unflatten(1, 'ab' as never)).toThrow(TypeError);
    expect(() => new nn.Unflatten(1, 'ab' as never)).toThrow('Unflatten: unflattenedSize must be a non-empty array of integers, but received a string ("ab")');
    expect(() => new nn.Unflatten(1, [])).toThrow('Unflatten: unflattenedSize must be a non-empty array of integers, but received an empty array');
    expect(() => new nn.Unflatten(1, [-1, 2, -1])).toThrow('Unflatten: unflattenedSize may contain -1 at most once, but received [-1, 2, -1]');
  });
});

describe('end to end', () => {
  it('a linear model learns y = 2x - 1 with plain gradient steps', () => {
    manualSeed(0);
    const model = new nn.Linear(1, 1);
    const x = tensor([[-1], [0], [1], [2]]);
    const y = [-3, -1, 1, 3];
    for (let step = 0; step < 200; step++) {
      model.zeroGrad();
      const pred = model.forward(x);
      const diff = Float32Array.from(pred.data, (v, i) => (2 * (v - y[i]!)) / y.length);
      weightedSum(pred, diff).backward(); // gradient of the mean squared error
      for (const p of model.parameters()) for (let i = 0; i < p.size; i++) p.data[i]! -= 0.1 * p.grad!.data[i]!;
    }
    expect(model.weight.item()).toBeCloseTo(2, 3);
    expect(model.bias!.item()).toBeCloseTo(-1, 3);
  });
});

describe('Sequential inference fusion', () => {
  it('Linear then ReLU without gradients gives the same bits as the two modules', () => {
    manualSeed(9);
    const seq = new nn.Sequential(new nn.Linear(20, 30), new nn.ReLU(), new nn.Linear(30, 5));
    const x = randn(7, 20);
    const fused = noGrad(() => seq.forward(x) as Tensor);
    const step = (seq.at(2).forward(seq.at(1).forward(seq.at(0).forward(x) as Tensor) as Tensor)) as Tensor;
    expect(Array.from(fused.data)).toEqual(Array.from(step.data));
    // With gradients the modules run one by one and record their nodes.
    const y = seq.forward(randn(3, 20).requiresGrad_()) as Tensor;
    expect(y.gradFn?.name).toBe('LinearBackward');
  });
  it('Linear then GELU (both forms) without gradients gives the same bits as the two modules', () => {
    for (const approximate of ['none', 'tanh'] as const) {
      manualSeed(10);
      const seq = new nn.Sequential(new nn.Linear(33, 47), new nn.GELU({ approximate }), new nn.Linear(47, 3));
      const x = randn(13, 33);
      const fused = noGrad(() => seq.forward(x) as Tensor);
      const step = noGrad(() => seq.at(2).forward(seq.at(1).forward(seq.at(0).forward(x) as Tensor) as Tensor) as Tensor);
      expect(Array.from(fused.data), approximate).toEqual(Array.from(step.data));
      expect((seq.at(1) as nn.GELU).approximate).toBe(approximate);
    }
  });
  it('a subclass that overrides forward is not bypassed', () => {
    class Doubling extends nn.Linear {
      override forward(x: Tensor): Tensor {
        return super.forward(x).reshape(-1).reshape(x.shape[0]!, -1);
      }
    }
    let called = 0;
    class Counting extends Doubling {
      override forward(x: Tensor): Tensor {
        called++;
        return super.forward(x);
      }
    }
    const seq = new nn.Sequential(new Counting(4, 3), new nn.ReLU());
    noGrad(() => seq.forward(randn(2, 4)));
    expect(called).toBe(1);
  });
});
