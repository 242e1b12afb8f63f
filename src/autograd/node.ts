/**
 * A node of the autograd graph: one per differentiable op call (a whole layer op
 * is one node with a fused native backward, not a chain of tiny ops). The
 * backward closure holds what forward saved; freeing the node drops it.
 */
import { formatShape } from '../shape.js';
import { stateError } from '../errors.js';
import type { Tensor } from '../tensor.js';

/**
 * Gradients of the op's inputs given the gradients of its outputs. `gradOutputs[i]`
 * is null when no gradient reached output i. Return one entry per input, null
 * where the input needs no gradient. Returned tensors are owned by the engine
 * (it may add into them in place), so return fresh buffers.
 */
export type BackwardFn = (gradOutputs: (Tensor | null)[]) => (Tensor | null)[];

let nextSequence = 0;

export class Node {
  /** PyTorch-style name shown by inspect: "MmBackward", "LinearBackward", ... */
  readonly name: string;
  /** The op's tensor inputs, in the order backward returns their gradients. */
  readonly inputs: readonly Tensor[];
  /** How many tensors the op returned. */
  readonly outputCount: number;
  /** Creation order: later nodes run first when two are otherwise unordered. */
  readonly sequence: number;
  #backward: BackwardFn | null;
  /** The tensors backward reads, with their version when forward saved them. */
  #saved: readonly (readonly [Tensor, number])[];

  constructor(name: string, inputs: readonly Tensor[], outputCount: number, backward: BackwardFn, saved: readonly Tensor[] = []) {
    this.name = name;
    this.inputs = inputs;
    this.outputCount = outputCount;
    this.sequence = nextSequence++;
    this.#backward = backward;
    this.#saved = saved.map((t) => [t, t._version] as const);
  }

  /** False once the graph has been freed by a backward without retainGraph. */
  get alive(): boolean {
    return this.#backward !== null;
  }

  apply(gradOutputs: (Tensor | null)[]): (Tensor | null)[] {
    const fn = this.#backward;
    if (fn === null) throw new Error('Node.apply on a freed node');
    for (const [t, version] of this.#saved) {
      if (t._version !== version) {
        // PyTorch: "one of the variables needed for gradient computation has been modified by an inplace operation".
        throw stateError(
          'backward',
          `a tensor of shape ${formatShape(t.shape)} that ${this.name} saved for the gradient was modified in place afterwards ` +
            `(it is at version ${t._version}, it was saved at version ${version}); the gradient would be wrong. ` +
            'Run the forward pass again after changing it, or change a copy (clone()) instead',
        );
      }
    }
    return fn(gradOutputs);
  }

  /** Drops the saved tensors (the closure). */
  free(): void {
    this.#backward = null;
    this.#saved = [];
  }
}
