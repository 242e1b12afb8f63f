import { describe, expect, it } from 'vitest';

import { data } from '../../src/index.js';

const cell = (s: string) => data.parseCsv(`a\n${s}\n`, {}, 'f.csv').x.data[0];

describe('readCsv cells', () => {
  it('accepts decimal notation only', () => {
    for (const [s, v] of [['12', 12], ['-3.5', -3.5], ['+4', 4], ['.5', 0.5], ['5.', 5], ['1e-3', Math.fround(1e-3)], ['2E+2', 200], [' 7 ', 7], ['"8"', 8], ['007', 7]] as const) {
      expect(cell(s)).toBe(v);
    }
  });

  it('rejects hex, binary and octal literals, NaN, Infinity, blank cells and values beyond float32, naming the line and column', () => {
    for (const s of ['0x10', '0b11', '0o7', 'NaN', 'nan', 'Infinity', '-inf', '1_000', '1e', 'e3', '.', '-', '1.2.3', '3.5e39', '-1e40']) {
      expect(() => cell(s), s).toThrow(`readCsv: f.csv line 2: column "a": "${s}" is not a finite number (decimal notation within float32's range, e.g. 12, -3.5, 1e-3)`);
    }
    expect(() => data.parseCsv('a,b\n1, \n', {}, 'f.csv')).toThrow(/line 2: column "b": "" is not a finite number/);
    expect(() => data.parseCsv('a,b\n0x10,0b11\n')).toThrow(/column "a": "0x10" is not a finite number/);
  });

  it('a duplicated header name is an error when a column is selected by that name', () => {
    expect(() => data.parseCsv('a,a,b\n1,2,3\n', { labelColumn: 'a' }, 'f.csv')).toThrow(
      /^readCsv: options\.labelColumn "a" names 2 columns of f\.csv \(indices 0, 1\); select it by index or rename the columns$/,
    );
    expect(() => data.parseCsv('a,b,a\n1,2,3\n', { columns: ['b', 'a'] }, 'f.csv')).toThrow(/options\.columns\[1\] "a" names 2 columns of f\.csv \(indices 0, 2\)/);
    // By index, or without selecting the duplicated name, it reads.
    expect(data.parseCsv('a,a,b\n1,2,3\n', { labelColumn: 1 }).x.toArray()).toEqual([[1, 3]]);
    const r = data.parseCsv('a,a,b\n1,2,3\n', { labelColumn: 'b' });
    expect(r.columns).toEqual(['a', 'a']);
    expect(r.y!.toArray()).toEqual([3]);
  });
});
