// Compiled (not run): the recurrent layers and attention type-check as a PyTorch user writes them.
import { Tensor, nn, randn } from './public.js';

const lstm = new nn.LSTM(8, 32, { numLayers: 2, batchFirst: true, dropout: 0.1, bidirectional: true });
const [out, [h, c]] = lstm.forward(randn([4, 10, 8]));
const [out2] = lstm.forward(randn([4, 10, 8]), [h, c]);
const gru = new nn.GRU(8, 16, { bias: false });
const projected = new nn.LSTM(8, 32, { projSize: 16, numLayers: 2 });
const [po, [ph, pc]] = projected.forward(randn([10, 4, 8]), [randn([2, 4, 16]), randn([2, 4, 32])]);
const stateWidth: number = projected.projSize + projected.stateSize + po.size + ph.size + pc.size;
const [g, gh]: [Tensor, Tensor] = gru.forward(randn([10, 4, 8]), null);
const rnn = new nn.RNN(8, 16, { nonlinearity: 'relu' });
const [r] = rnn.forward(randn([10, 4, 8]), gh);
const mha = new nn.MultiheadAttention(16, 4, { batchFirst: true, kdim: 8, vdim: 8, dropout: 0.1, bias: true });
const [a, w]: [Tensor, Tensor | null] = mha.forward(randn([2, 5, 16]), randn([2, 7, 8]), randn([2, 7, 8]), {
  keyPaddingMask: [false, true, false, false, false, false, false, false, false, false, false, false, false, false],
  attnMask: randn([5, 7]),
  needWeights: true,
  averageAttnWeights: false,
});
const mhaKv = new nn.MultiheadAttention(16, 4, { addBiasKv: true, addZeroAttn: true });
const zeroAttn: boolean = mhaKv.addZeroAttn && mhaKv.biasK !== null;
const [hc, cc]: [Tensor, Tensor] = new nn.LSTMCell(8, 16).forward(randn([4, 8]), null);
const hg: Tensor = new nn.GRUCell(8, 16, { bias: false }).forward(randn([4, 8]), hc);
const hr: Tensor = new nn.RNNCell(8, 16, { nonlinearity: 'tanh' }).forward(randn([8]));
const size: number = hc.size + cc.size + hg.size + hr.size + out.size + out2.size + g.size + r.size + a.size + (w ? w.size : 0);

// @ts-expect-error nonlinearity is an RNN option only
new nn.LSTM(8, 32, { nonlinearity: 'tanh' });
// @ts-expect-error projSize is an LSTM option only
new nn.GRU(8, 16, { projSize: 4 });
// @ts-expect-error 'sigmoid' is not a nonlinearity
new nn.RNN(8, 16, { nonlinearity: 'sigmoid' });
// @ts-expect-error the LSTM state is a pair
lstm.forward(randn([4, 10, 8]), h);
// @ts-expect-error addBiasKv is a boolean
new nn.MultiheadAttention(16, 4, { addBiasKv: 1 });
// @ts-expect-error needWeight is misspelt
mha.forward(a, a, a, { needWeight: false });

export { size, stateWidth, zeroAttn };
