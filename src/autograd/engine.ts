/**
 * Reverse-mode differentiation over the recorded graph: walk the nodes reachable
 * from the roots in dependency order (a node runs once every consumer of its
 * outputs has run), sum the gradients flowing into each output, and accumulate
 * into the `.grad` of leaf tensors that require it.
 */
import { shapeError, stateError, typeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { describe, expectBoolean, readOptions } from '../validate.js';
import { isGradEnabled, setGradEnabled } from './grad-mode.js';
import { type BackwardFn, Node } from './node.js';

export interface BackwardOptions {
  /** Keep the graph (and what it saved) so backward can run through it again. Default false. */
  retainGraph?: boolean;
}

/** True when an op on these inputs must record a node. */
export function needsGrad(...inputs: readonly (Tensor | null | undefined)[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t && t.requiresGrad) return true;
  return false;
}

/**
 * Records one node for an op call when grad mode is on and an input requires
 * grad; the outputs then carry it as their gradFn. Returns the node or null.
 * `saved` lists the tensors whose values backward reads: if a library in-place op
 * changes one before backward runs, backward throws instead of using the new values.
 */
export function record(
  name: string,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  backward: BackwardFn,
  saved: readonly Tensor[] = [],
): Node | null {
  if (!needsGrad(...inputs)) return null;
  const node = new Node(name, inputs, outputs.length, backward, saved);
  outputs.forEach((t, i) => t._attachGradFn(node, i));
  return node;
}

/**
 * For a backward that can accumulate straight into a leaf's gradient (a GEMM
 * with beta = 1 does it for free): the leaf's .grad buffer, created zeroed if
 * absent, or null when `t` is not a leaf that requires grad. A backward that
 * writes there returns null for that input, so the engine adds nothing more.
 */
export function leafGradSink(t: Tensor): Float32Array | null {
  if (!t.isLeaf || !t.requiresGrad) return null;
  if (t.grad === null) t.grad = new Tensor(new Float32Array(t.size), t.shape);
  return t.grad.data;
}

/** target += source, natively (vectorised, on the pool) unless tiny. */
function addInto(target: Float32Array, source: Float32Array): void {
  if (target.length >= 256) {
    native.axpy(1, source, target);
    return;
  }
  for (let i = 0; i < target.length; i++) target[i]! += source[i]!;
}

const FREED_MESSAGE =
  'trying to backward through the graph a second time (or to use what it saved after it was freed); ' +
  'pass { retainGraph: true } to the first backward if you need to';

/**
 * Computes gradients of `tensors` with respect to every leaf that requires grad,
 * seeded with `grads` (ones for a one-element tensor when omitted), as
 * torch.autograd.backward does. Gradients accumulate into `.grad`.
 */
export function backward(
  tensors: Tensor | readonly Tensor[],
  grads?: Tensor | null | readonly (Tensor | null | undefined)[],
  options: BackwardOptions = {},
): void {
  const op = 'backward';
  const roots = Array.isArray(tensors) ? (tensors as readonly Tensor[]) : [tensors as Tensor];
  const seeds = grads === undefined || grads === null ? [] : Array.isArray(grads) ? grads : [grads as Tensor];
  // Unknown keys are refused: { retain_graph: true } or { createGraph: true } must not be ignored.
  const o = readOptions(op, options, ['retainGraph'] as const);
  const retainGraph = o.retainGraph === undefined ? false : expectBoolean(op, 'options.retainGraph', o.retainGraph);
  if (seeds.length > roots.length) {
    throw shapeError(op, `got ${seeds.length} gradients for ${roots.length} tensors`);
  }

  // Gradients waiting for each node's outputs. Only sums the engine made itself are
  // `owned` (safe to add into): a backward may return a view of its gradOutput,
  // which may be the caller's own seed tensor.
  const pending = new Map<Node, (Tensor | null)[]>();
  const owned = new WeakSet<Tensor>();

  const deliver = (target: Tensor, g: Tensor): void => {
    if (target.retainsGrad && !target.isLeaf) accumulateLeaf(target, g);
    const node = target.gradFn;
    if (node === null) {
      if (target.requiresGrad) accumulateLeaf(target, g);
      return;
    }
    let slots = pending.get(node);
    if (slots === undefined) {
      slots = new Array<Tensor | null>(node.outputCount).fill(null);
      pending.set(node, slots);
    }
    const prev = slots[target.outputIndex]!;
    if (prev === null) {
      slots[target.outputIndex] = g;
    } else if (owned.has(prev)) {
      addInto(prev.data, g.data);
    } else {
      const sum = new Tensor(prev.data.slice(), prev.shape);
      addInto(sum.data, g.data);
      owned.add(sum);
      slots[target.outputIndex] = sum;
    }
  };

  // Check every root and seed, and that the graph is still there, before any gradient
  // lands in a .grad: a failed call leaves the gradients as they were.
  const rootGrads = roots.map((t, i) => {
    if (!(t instanceof Tensor)) throw typeError(op, `tensors[${i}] must be a Tensor, but received ${describe(t)}`);
    if (!t.requiresGrad) {
      throw stateError(op, `element ${i} of tensors does not require grad and has no gradFn`);
    }
    const g = seeds[i] ?? null;
    if (g === null) {
      if (t.size !== 1) {
        throw stateError(
          op,
          `grad can be created implicitly only for one-element outputs, but tensors[${i}] has shape ${formatShape(t.shape)}; pass a gradient of that shape`,
        );
      }
      return new Tensor(new Float32Array(1).fill(1), t.shape);
    }
    if (!(g instanceof Tensor)) throw typeError(op, `grads[${i}] must be a Tensor or null, but received ${describe(g)}`);
    if (!shapesEqual(g.shape, t.shape)) {
      throw shapeError(op, `grads[${i}] has shape ${formatShape(g.shape)} but tensors[${i}] has shape ${formatShape(t.shape)}`);
    }
    return g;
  });

  // Dependencies: how many reachable consumer edges point at each node.
  const deps = new Map<Node, number>();
  const stack: Node[] = [];
  for (const t of roots) {
    const node = t.gradFn;
    if (node !== null && !deps.has(node)) {
      deps.set(node, 0);
      stack.push(node);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!node.alive) throw stateError(op, FREED_MESSAGE);
    for (const input of node.inputs) {
      const prev = input.gradFn;
      if (prev === null) continue;
      const seen = deps.has(prev);
      deps.set(prev, (deps.get(prev) ?? 0) + 1);
      if (!seen) stack.push(prev);
    }
  }

  // Backward functions run with grad mode off, as in PyTorch without create_graph:
  // ops they call record nothing.
  const modeBefore = isGradEnabled();
  setGradEnabled(false);
  try {
    roots.forEach((t, i) => deliver(t, rootGrads[i]!));
    run(deps, pending, deliver, retainGraph);
  } finally {
    setGradEnabled(modeBefore);
  }
}

/** Runs the nodes in dependency order, delivering each one's input gradients. */
function run(
  deps: Map<Node, number>,
  pending: Map<Node, (Tensor | null)[]>,
  deliver: (target: Tensor, g: Tensor) => void,
  retainGraph: boolean,
): void {
  // Ready nodes run newest first, which keeps the order deterministic.
  const ready: Node[] = [];
  for (const [node, count] of deps) if (count === 0) ready.push(node);
  while (ready.length > 0) {
    ready.sort((a, b) => a.sequence - b.sequence);
    const node = ready.pop()!;
    const gradOutputs = pending.get(node) ?? new Array<Tensor | null>(node.outputCount).fill(null);
    pending.delete(node);
    let gradInputs: (Tensor | null)[] = [];
    if (gradOutputs.some((g) => g !== null)) {
      gradInputs = node.apply(gradOutputs);
      if (gradInputs.length !== node.inputs.length) {
        throw new Error(`${node.name}: backward returned ${gradInputs.length} gradients for ${node.inputs.length} inputs`);
      }
    }
    if (!retainGraph) node.free();
    const delivered = new Set<Tensor>();
    node.inputs.forEach((input, i) => {
      let g = gradInputs[i] ?? null;
      if (g !== null && input.requiresGrad) {
        if (!shapesEqual(g.shape, input.shape)) {
          throw new Error(`${node.name}: gradient ${i} has shape ${formatShape(g.shape)} but the input has shape ${formatShape(input.shape)}`);
        }
        // The same tensor returned for two inputs must not be shared by both.
        if (delivered.has(g)) g = new Tensor(g.data.slice(), g.shape);
        delivered.add(g);
        deliver(input, g);
      }
      const prev = input.gradFn;
      if (prev !== null) {
        const left = deps.get(prev)! - 1;
        deps.set(prev, left);
        if (left === 0) ready.push(prev);
      }
    });
  }
}

function accumulateLeaf(t: Tensor, g: Tensor): void {
  if (t.grad === null) {
    t.grad = new Tensor(g.data.slice(), t.shape);
  } else {
    addInto(t.grad.data, g.data);
  }
}
