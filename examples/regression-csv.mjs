// Regression on a CSV: predict the day's maximum temperature in Seattle from the day of
// the year, precipitation, minimum temperature and wind. `node examples/regression-csv.mjs`
import { fileURLToPath } from 'node:url';

import { Tensor, data, div, evaluate, fit, manualSeed, mean, mul, nn, optim, sub } from 'axonal';

manualSeed(0);
const file = fileURLToPath(new URL('./data/seattle-weather.csv', import.meta.url));
const { x, y, columns } = await data.readCsv(file, { labelColumn: 'temp_max' });
console.log(`${x.shape[0]} days, features: ${columns.join(', ')}`);

// The day of the year is periodic: encode it as a point on the unit circle.
const n = x.shape[0];
const features = new Float32Array(n * 5);
for (let i = 0; i < n; i++) {
  const [day, precipitation, tmin, wind] = x.data.subarray(i * 4, i * 4 + 4);
  const angle = (2 * Math.PI * day) / 365.25;
  features.set([Math.sin(angle), Math.cos(angle), precipitation, tmin, wind], i * 5);
}
// Standardise each feature column: (x - mean) / std.
const centered = sub(new Tensor(features, [n, 5]), mean(new Tensor(features, [n, 5]), 0));
const std = mean(mul(centered, centered), 0).data.map(Math.sqrt);
const inputs = div(centered, new Tensor(std, [5]));
const targets = y.reshape(n, 1);

const [trainSet, testSet] = data.randomSplit(new data.TensorDataset(inputs, targets), [0.8, 0.2]);
const model = new nn.Sequential(new nn.Linear(5, 32), new nn.ReLU(), new nn.Linear(32, 1));
const history = await fit(model, trainSet, {
  optimizer: new optim.Adam(model.parameters(), { lr: 1e-2 }),
  loss: new nn.MSELoss(),
  epochs: 60,
  batchSize: 32,
  metrics: ['mae', 'r2'],
  validationData: testSet,
  verbose: 0,
});
const last = (k) => history.history[k].at(-1).toFixed(3);
console.log(`after 60 epochs: train MAE ${last('mae')} °C, validation MAE ${last('valMae')} °C, validation R² ${last('valR2')}`);
const result = await evaluate(model, testSet, { loss: new nn.MSELoss(), metrics: ['mae', 'r2'] });
console.log(`held-out 20%: MSE ${result.loss.toFixed(2)}, MAE ${result.mae.toFixed(2)} °C, R² ${result.r2.toFixed(3)}`);
