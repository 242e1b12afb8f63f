/**
 * Numeric CSV: every used cell must be a finite decimal number within float32's
 * range: an optional sign, digits with an optional fraction, an optional exponent
 * (12, -3.5, .5, 1e-3). Hexadecimal, binary and octal literals, NaN, Infinity and
 * empty or blank cells are errors naming the file, line and column. Cells are
 * trimmed; quoted cells are unquoted; blank lines are skipped. A column selected by
 * name must be named once in the header.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

import { AxonalError, ErrorCode, rangeError, typeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { describe, expectBoolean, readOptions } from '../validate.js';

export interface ReadCsvOptions {
  /** The first line names the columns (default true). */
  header?: boolean;
  /** The target column, by name (with a header) or index; returned as `y`. */
  labelColumn?: string | number;
  /** Feature columns to keep, by name or index (default: every column but the label). */
  columns?: (string | number)[];
  /** Cell separator (default ","). */
  delimiter?: string;
}

export interface CsvData {
  /** Features, [rows, features]. */
  x: Tensor;
  /** The label column, [rows], or null without labelColumn. */
  y: Tensor | null;
  /** Names (or indices as strings, without a header) of the feature columns. */
  columns: string[];
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The value of a decimal cell, or null when it is not one or float32 cannot hold it. */
function decimal(cell: string): number | null {
  if (!DECIMAL.test(cell)) return null;
  const v = Number(cell);
  return Number.isFinite(Math.fround(v)) ? v : null;
}

function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (line.startsWith(delimiter, i)) {
      cells.push(cur);
      cur = '';
      i += delimiter.length - 1;
    } else cur += ch;
  }
  cells.push(cur);
  return cells.map((c) => c.trim());
}

/** Parses CSV text; `path` only names the source in errors. */
export function parseCsv(text: string, options?: ReadCsvOptions, path = '<text>'): CsvData {
  const op = 'readCsv';
  const o = readOptions(op, options, ['header', 'labelColumn', 'columns', 'delimiter'] as const);
  const header = o.header === undefined ? true : expectBoolean(op, 'options.header', o.header);
  const delimiter = o.delimiter === undefined ? ',' : (o.delimiter as string);
  if (typeof delimiter !== 'string' || delimiter.length === 0) throw typeError(op, `options.delimiter must be a non-empty string, but received ${describe(o.delimiter)}`);
  const lines = text.split(/\r?\n/);
  const fail = (line: number, message: string) => new AxonalError(`readCsv: ${path} line ${line}: ${message}`, ErrorCode.File);
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === '') first++;
  if (first === lines.length) throw new AxonalError(`readCsv: ${path}: the file has no rows`, ErrorCode.File);
  const width = splitLine(lines[first]!, delimiter).length;
  const names = header ? splitLine(lines[first]!, delimiter) : Array.from({ length: width }, (_, i) => String(i));
  const resolve = (c: string | number, what: string): number => {
    if (typeof c === 'number') {
      if (!Number.isInteger(c) || c < 0 || c >= width) throw rangeError(op, `${what} index ${c} is out of range for ${width} columns`);
      return c;
    }
    if (typeof c !== 'string') throw typeError(op, `${what} must be a column name or index, but received ${describe(c)}`);
    const matches = names.flatMap((name, i) => (name === c ? [i] : []));
    if (matches.length === 0) throw rangeError(op, `${what} "${c}" is not a column of ${path} (columns: ${names.join(', ')})`);
    if (matches.length > 1) {
      throw rangeError(op, `${what} "${c}" names ${matches.length} columns of ${path} (indices ${matches.join(', ')}); select it by index or rename the columns`);
    }
    return matches[0]!;
  };
  const label = o.labelColumn === undefined ? -1 : resolve(o.labelColumn as string | number, 'options.labelColumn');
  let featureCols: number[];
  if (o.columns !== undefined) {
    if (!Array.isArray(o.columns)) throw typeError(op, `options.columns must be an array, but received ${describe(o.columns)}`);
    featureCols = o.columns.map((c, i) => resolve(c as string | number, `options.columns[${i}]`));
  } else {
    featureCols = Array.from({ length: width }, (_, i) => i).filter((i) => i !== label);
  }
  const xs: number[] = [];
  const ys: number[] = [];
  let rows = 0;
  for (let li = header ? first + 1 : first; li < lines.length; li++) {
    const raw = lines[li]!;
    if (raw.trim() === '') continue;
    const cells = splitLine(raw, delimiter);
    if (cells.length !== width) throw fail(li + 1, `has ${cells.length} cells but the ${header ? 'header' : 'first row'} has ${width}`);
    const num = (c: number): number => {
      const s = cells[c]!;
      const v = decimal(s);
      if (v === null) throw fail(li + 1, `column "${names[c]}": "${s}" is not a finite number (decimal notation within float32's range, e.g. 12, -3.5, 1e-3)`);
      return v;
    };
    for (const c of featureCols) xs.push(num(c));
    if (label >= 0) ys.push(num(label));
    rows++;
  }
  return {
    x: new Tensor(Float32Array.from(xs), [rows, featureCols.length]),
    y: label >= 0 ? new Tensor(Float32Array.from(ys), [rows]) : null,
    columns: featureCols.map((c) => names[c]!),
  };
}

function readError(path: string, err: unknown): AxonalError {
  return new AxonalError(`readCsv: cannot read ${path}: ${(err as Error).message}`, ErrorCode.File, { cause: err });
}

export async function readCsv(path: string, options?: ReadCsvOptions): Promise<CsvData> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw readError(path, err);
  }
  return parseCsv(text, options, path);
}

export function readCsvSync(path: string, options?: ReadCsvOptions): CsvData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw readError(path, err);
  }
  return parseCsv(text, options, path);
}
