/**
 * A node of the autograd graph: one per differentiable op call (a whole layer op
 * is one node with a fused native backward, not a chain of tiny ops). The
 * backward closure holds what forward saved; freeing the node drops it.
 */
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

  constructor(name: string, inputs: readonly Tensor[], outputCount: number, backward: BackwardFn) {
    this.name = name;
    this.inputs = inputs;
    this.outputCount = outputCount;
    this.sequence = nextSequence++;
    this.#backward = backward;
  }

  /** False once the graph has been freed by a backward without retainGraph. */
  get alive(): boolean {
    return this.#backward !== null;
  }

  apply(gradOutputs: (Tensor | null)[]): (Tensor | null)[] {
    const fn = this.#backward;
    if (fn === null) throw new Error('Node.apply on a freed node');
    return fn(gradOutputs);
  }

  /** Drops the saved tensors (the closure). */
  free(): void {
    this.#backward = null;
  }
}
