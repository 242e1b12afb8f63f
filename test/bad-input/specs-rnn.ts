// Bad-input specs for the rnn bindings (native/binding/rnn_binding.cpp).
import { type ArgKind, type BindingSpec, f32 } from './specs.js';

const R = 3;
const H = 5;
const rowsOf = (per: number) => f32(R * per * H);
const biasOf = (per: number) => f32(per * H);
const arr = (n: number): ArgKind[] => new Array<ArgKind>(n).fill('f32');

export const rnnSpecs: Record<string, BindingSpec> = {
  lstmCellFwd: {
    op: 'lstmCellFwd',
    valid: () => [R, H, rowsOf(4), rowsOf(4), biasOf(4), biasOf(4), rowsOf(1), rowsOf(1), rowsOf(1), rowsOf(5)],
    kinds: ['dim', 'dim', ...arr(8)],
  },
  lstmCellBwd: {
    op: 'lstmCellBwd',
    valid: () => [R, H, rowsOf(1), rowsOf(1), rowsOf(1), rowsOf(5), rowsOf(4), rowsOf(1)],
    kinds: ['dim', 'dim', ...arr(6)],
  },
  gruCellFwd: {
    op: 'gruCellFwd',
    valid: () => [R, H, rowsOf(3), rowsOf(3), biasOf(3), biasOf(3), rowsOf(1), rowsOf(1), rowsOf(4)],
    kinds: ['dim', 'dim', ...arr(7)],
  },
  gruCellBwd: {
    op: 'gruCellBwd',
    valid: () => [R, H, rowsOf(1), rowsOf(1), rowsOf(4), rowsOf(3), rowsOf(3), rowsOf(1)],
    kinds: ['dim', 'dim', ...arr(6)],
  },
  rnnCellFwd: {
    op: 'rnnCellFwd',
    valid: () => [false, R, H, rowsOf(1), rowsOf(1), biasOf(1), biasOf(1), rowsOf(1)],
    kinds: ['bool', 'dim', 'dim', ...arr(5)],
  },
  rnnCellBwd: {
    op: 'rnnCellBwd',
    valid: () => [true, R, H, rowsOf(1), rowsOf(1), rowsOf(1)],
    kinds: ['bool', 'dim', 'dim', ...arr(3)],
  },
};
