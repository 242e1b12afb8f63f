/** datasets: ready-made datasets read from local files. */
export { mnist } from './mnist.js';
export type { Mnist, MnistOptions } from './mnist.js';
