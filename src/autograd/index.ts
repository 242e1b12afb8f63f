/** The autograd namespace: torch.autograd's entry points. */
export { backward, needsGrad, record } from './engine.js';
export type { BackwardOptions } from './engine.js';
export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from './grad-mode.js';
export { Node } from './node.js';
export type { BackwardFn } from './node.js';
