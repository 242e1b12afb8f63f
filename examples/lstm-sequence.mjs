// An LSTM that learns to continue sine waves: given 30 samples of a wave with a random
// frequency and phase, predict the next one. Shows a custom Module around nn.LSTM.
// `node examples/lstm-sequence.mjs`
import { Tensor, fit, evaluate, manualSeed, narrow, nn, optim, Generator } from 'axonal';

const STEPS = 30;

class Forecaster extends nn.Module {
  constructor(hidden) {
    super();
    this.lstm = this.registerModule('lstm', new nn.LSTM(1, hidden, { batchFirst: true }));
    this.head = this.registerModule('head', new nn.Linear(hidden, 1));
  }
  forward(x) {
    const [out] = this.lstm.forward(x); // [N, T, hidden]
    const last = narrow(out, 1, STEPS - 1, 1).reshape(-1, out.shape[2]); // the final step's output
    return this.head.forward(last); // [N, 1]
  }
}

function waves(n, generator) {
  const params = generator.fillUniform(new Float32Array(2 * n));
  const x = new Float32Array(n * STEPS);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const freq = 0.1 + 0.3 * params[2 * i];
    const phase = 2 * Math.PI * params[2 * i + 1];
    for (let t = 0; t < STEPS; t++) x[i * STEPS + t] = Math.sin(freq * t + phase);
    y[i] = Math.sin(freq * STEPS + phase);
  }
  return { x: new Tensor(x, [n, STEPS, 1]), y: new Tensor(y, [n, 1]) };
}

manualSeed(0);
const gen = new Generator(1);
const train = waves(2048, gen);
const test = waves(512, gen);
const model = new Forecaster(32);
console.log(String(model));
await fit(model, train, { optimizer: new optim.Adam(model.parameters(), { lr: 1e-2 }), loss: new nn.MSELoss(), epochs: 15, batchSize: 64, verbose: 2 });
const result = await evaluate(model, test, { loss: new nn.MSELoss(), metrics: ['mae'] });
console.log(`test MSE ${result.loss.toExponential(2)}, mean absolute error ${result.mae.toFixed(4)} (the waves have amplitude 1)`);
