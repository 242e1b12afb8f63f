/** nn.functional: the stateless forms of the layers. */
export { linear } from '../ops/linear.js';
