/** data: datasets, loaders and readers (torch.utils.data, plus IDX and CSV readers). */
export { Subset, TensorDataset, gatherRows, stackSamples } from './dataset.js';
export type { Dataset } from './dataset.js';
export type { NumericArray } from '../factories.js';
export type { Sample, SampleField } from './collate.js';
export { DataLoader } from './dataloader.js';
export type { DataLoaderOptions } from './dataloader.js';
export { randomSplit } from './random-split.js';
export { parseIdx, readIdx, readIdxSync } from './idx.js';
export type { IdxData, IdxFile } from './idx.js';
export { parseCsv, readCsv, readCsvSync } from './csv.js';
export type { CsvData, ReadCsvOptions } from './csv.js';
