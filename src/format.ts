/**
 * PyTorch-style rendering of tensors (torch/_tensor_str.py of 1.13): four decimals,
 * scientific notation when magnitudes span more than 1000x, integers as "1.",
 * and elision with "..." beyond 1000 elements (3 edge items per dimension).
 */

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 80;

interface View {
  data: ArrayLike<number>;
  shape: readonly number[];
  offset: number;
  strides: readonly number[];
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

function sub(v: View, i: number): View {
  return { data: v.data, shape: v.shape.slice(1), offset: v.offset + i * v.strides[0]!, strides: v.strides.slice(1) };
}

/** Python's "{:.4e}": two-digit exponent with sign. */
function sci(value: number): string {
  const [mant, exp] = value.toExponential(PRECISION).split('e');
  const e = Number(exp);
  return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function special(value: number): string | null {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return null;
}

class Formatter {
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(values: number[]) {
    const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) return;
    let min = Infinity;
    let max = 0;
    for (const v of finite) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
    }
    this.intMode = finite.every((v) => v === Math.ceil(v));
    if (this.intMode) {
      if (max / min > 1000 || max > 1e8) {
        this.sciMode = true;
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, sci(v).length);
      } else {
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, v.toFixed(0).length + 1);
      }
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      this.sciMode = true;
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, sci(v).length);
    } else {
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, v.toFixed(PRECISION).length);
    }
  }

  format(value: number): string {
    let s = special(value);
    if (s === null) {
      if (this.sciMode) s = sci(value);
      else if (this.intMode) s = `${value.toFixed(0)}.`;
      else s = value.toFixed(PRECISION);
    }
    if (Object.is(value, -0)) s = `-${s}`;
    return s.padStart(this.maxWidth);
  }
}

/** The values the formatter sizes itself on: the edges only, when summarizing. */
function summarizedValues(v: View, summarize: boolean, out: number[]): void {
  if (v.shape.length === 0) {
    out.push(v.data[v.offset]!);
    return;
  }
  const n = v.shape[0]!;
  const idx =
    summarize && n > 2 * EDGE_ITEMS
      ? [...Array(EDGE_ITEMS).keys(), ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i)]
      : [...Array(n).keys()];
  for (const i of idx) summarizedValues(sub(v, i), summarize, out);
}

function vectorStr(v: View, indent: number, summarize: boolean, f: Formatter): string {
  const n = v.shape[0]!;
  const elementLength = f.maxWidth + 2;
  const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / elementLength));
  const at = (i: number) => f.format(v.data[v.offset + i * v.strides[0]!]!);
  let items: string[];
  if (summarize && n > 2 * EDGE_ITEMS) {
    items = [];
    for (let i = 0; i < EDGE_ITEMS; i++) items.push(at(i));
    items.push(' ...');
    for (let i = n - EDGE_ITEMS; i < n; i++) items.push(at(i));
  } else {
    items = Array.from({ length: n }, (_, i) => at(i));
  }
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function tensorStr(v: View, indent: number, summarize: boolean, f: Formatter): string {
  const dim = v.shape.length;
  if (dim === 0) return f.format(v.data[v.offset]!);
  if (dim === 1) return vectorStr(v, indent, summarize, f);
  const n = v.shape[0]!;
  let slices: string[];
  if (summarize && n > 2 * EDGE_ITEMS) {
    slices = [];
    for (let i = 0; i < EDGE_ITEMS; i++) slices.push(tensorStr(sub(v, i), indent + 1, summarize, f));
    slices.push('...');
    for (let i = n - EDGE_ITEMS; i < n; i++) slices.push(tensorStr(sub(v, i), indent + 1, summarize, f));
  } else {
    slices = Array.from({ length: n }, (_, i) => tensorStr(sub(v, i), indent + 1, summarize, f));
  }
  return `[${slices.join(`,${'\n'.repeat(dim - 1)}${' '.repeat(indent + 1)}`)}]`;
}

function addSuffixes(body: string, suffixes: string[], indent: number): string {
  const parts = [body];
  let lastLineLength = body.length - body.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > LINE_WIDTH) {
      parts.push(`,\n${' '.repeat(indent)}${suffix}`);
      lastLineLength = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLineLength += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

/** `tensor([[1.0000, 2.5000], ...])`, the way PyTorch prints it. */
export function formatTensor(data: ArrayLike<number>, shape: readonly number[], suffixes: string[] = []): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const size = shape.reduce((a, b) => a * b, 1);
  let body: string;
  const extra = suffixes.slice();
  if (size === 0) {
    body = '[]';
    if (!(shape.length === 1 && shape[0] === 0)) extra.unshift(`size=[${shape.join(', ')}]`);
  } else {
    const view: View = { data, shape, offset: 0, strides: stridesOf(shape) };
    const summarize = size > THRESHOLD;
    const values: number[] = [];
    summarizedValues(view, summarize, values);
    body = tensorStr(view, indent, summarize, new Formatter(values));
  }
  return prefix + addSuffixes(body, extra, indent);
}
