import { appendFile, stat, writeFile } from 'node:fs/promises';

import { expectBoolean, expectNonEmptyString, readOptions } from '../../validate.js';
import type { Callback, Logs } from './callback.js';

export interface CSVLoggerOptions {
  /** Add to an existing file instead of replacing it (default false); a new or empty file still gets the header. */
  append?: boolean;
  /** Default ",". */
  separator?: string;
}

/** Writes one line per epoch: epoch, then every logged value, under a header line. */
export class CSVLogger implements Callback {
  readonly path: string;
  readonly append: boolean;
  readonly separator: string;
  #keys: string[] | null = null;
  #writeHeader = true;

  constructor(path: string, options?: CSVLoggerOptions) {
    const op = 'CSVLogger';
    expectNonEmptyString(op, 'path', path);
    const o = readOptions(op, options, ['append', 'separator'] as const);
    this.path = path;
    this.append = o.append === undefined ? false : expectBoolean(op, 'options.append', o.append);
    this.separator = o.separator === undefined ? ',' : expectNonEmptyString(op, 'options.separator', o.separator);
  }

  async onTrainBegin(): Promise<void> {
    this.#keys = null;
    if (this.append) {
      // As Keras: appending to a file with lines in it continues under its header.
      this.#writeHeader = await isMissingOrEmpty(this.path);
    } else {
      await writeFile(this.path, '');
      this.#writeHeader = true;
    }
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    let text = '';
    if (this.#keys === null) {
      this.#keys = Object.keys(logs);
      if (this.#writeHeader) text += ['epoch', ...this.#keys].join(this.separator) + '\n';
    }
    text += [epoch + 1, ...this.#keys.map((k) => logs[k] ?? '')].join(this.separator) + '\n';
    await appendFile(this.path, text);
  }
}

async function isMissingOrEmpty(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}
