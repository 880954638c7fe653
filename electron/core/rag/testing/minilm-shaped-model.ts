import { mulberry32, SPECIAL_TOKENS, writeModelFolder } from './model-folder';
import {
  encodeOnnxModel,
  ONNX_FLOAT,
  ONNX_INT64,
  type OnnxAttribute,
  type OnnxInitializer,
  type OnnxNode,
} from './onnx-writer';

/**
 * A BERT encoder with the exact shape of all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads,
 * feed-forward 1536, vocabulary 30522) and random weights. Speed does not depend on weight values,
 * so it times ranking without downloading the real model. The 8-bit file uses the operators
 * dynamic quantization produces (DynamicQuantizeLinear, MatMulInteger).
 */
export interface MiniLmShapeOptions {
  /** Words that become whole tokens; the rest of the vocabulary is filler. */
  words: string[];
  layers?: number;
  hidden?: number;
  heads?: number;
  intermediate?: number;
  vocabSize?: number;
  seed?: number;
}

class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private count = 0;

  constructor(private readonly random: () => number) {}

  private name(prefix: string): string {
    return `${prefix}_${this.count++}`;
  }

  /** A weight of the given shape: normal-ish with std 0.02 (BERT's init), or all ones / zeros. */
  weight(dims: number[], fill: 'random' | 'ones' | 'zeros' = 'random'): string {
    const size = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (fill === 'ones') data.fill(1);
    else if (fill === 'random')
      for (let i = 0; i < size; i++) data[i] = (this.random() - 0.5) * 0.0693;
    const name = this.name('w');
    this.initializers.push({ name, dims, data });
    return name;
  }

  constant(values: number[] | number, kind: 'int64' | 'float' | 'uint8'): string {
    const list = Array.isArray(values) ? values : [values];
    const dims = Array.isArray(values) ? [values.length] : [];
    const data =
      kind === 'int64'
        ? BigInt64Array.from(list.map(BigInt))
        : kind === 'uint8'
          ? Uint8Array.from(list)
          : Float32Array.from(list);
    const name = this.name('c');
    this.initializers.push({ name, dims, data });
    return name;
  }

  op(op: string, inputs: string[], attributes?: OnnxAttribute[], outputs = 1): string[] {
    const names = Array.from({ length: outputs }, () => this.name(op.toLowerCase()));
    this.nodes.push({ op, inputs, outputs: names, ...(attributes ? { attributes } : {}) });
    return names;
  }

  one(op: string, inputs: string[], attributes?: OnnxAttribute[]): string {
    return this.op(op, inputs, attributes)[0] ?? '';
  }
}

function quantizedWeight(g: GraphBuilder, rows: number, cols: number, random: () => number) {
  const data = new Uint8Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256);
  const name = `q_${g.initializers.length}`;
  g.initializers.push({ name, dims: [rows, cols], data });
  return { weight: name, zeroPoint: g.constant(128, 'uint8'), scale: 0.02 / 74 };
}

function linear(
  g: GraphBuilder,
  x: string,
  rows: number,
  cols: number,
  quantized: boolean,
  random: () => number,
): string {
  const bias = g.weight([cols], 'zeros');
  if (!quantized) return g.one('Add', [g.one('MatMul', [x, g.weight([rows, cols])]), bias]);
  const [xq = '', xScale = '', xZero = ''] = g.op('DynamicQuantizeLinear', [x], undefined, 3);
  const w = quantizedWeight(g, rows, cols, random);
  const product = g.one('MatMulInteger', [xq, w.weight, xZero, w.zeroPoint]);
  const scale = g.one('Mul', [xScale, g.constant(w.scale, 'float')]);
  return g.one('Add', [
    g.one('Mul', [g.one('Cast', [product], [{ name: 'to', int: ONNX_FLOAT }]), scale]),
    bias,
  ]);
}

function layerNorm(g: GraphBuilder, x: string, hidden: number): string {
  return g.one(
    'LayerNormalization',
    [x, g.weight([hidden], 'ones'), g.weight([hidden], 'zeros')],
    [
      { name: 'axis', int: -1 },
      { name: 'epsilon', float: 1e-12 },
    ],
  );
}

function encoderGraph(
  options: Required<Omit<MiniLmShapeOptions, 'words'>>,
  quantized: boolean,
): Uint8Array {
  const { layers, hidden, heads, intermediate, vocabSize, seed } = options;
  const random = mulberry32(seed);
  const g = new GraphBuilder(random);
  const headSize = hidden / heads;

  const words = g.one('Gather', [g.weight([vocabSize, hidden]), 'input_ids']);
  const length = g.one('Gather', [g.one('Shape', ['input_ids']), g.constant(1, 'int64')]);
  const positions = g.one('Range', [g.constant(0, 'int64'), length, g.constant(1, 'int64')]);
  const positionVectors = g.one('Gather', [g.weight([512, hidden]), positions]);
  const types = g.one('Gather', [g.weight([2, hidden]), 'token_type_ids']);
  let x = layerNorm(g, g.one('Add', [g.one('Add', [words, positionVectors]), types]), hidden);

  const maskFloat = g.one('Cast', ['attention_mask'], [{ name: 'to', int: ONNX_FLOAT }]);
  const blocked = g.one('Mul', [
    g.one('Sub', [g.constant(1, 'float'), maskFloat]),
    g.constant(-10000, 'float'),
  ]);
  const mask = g.one('Unsqueeze', [blocked, g.constant([1, 2], 'int64')]);
  const splitHeads = g.constant([0, 0, heads, headSize], 'int64');
  const mergeHeads = g.constant([0, 0, hidden], 'int64');
  const scale = g.constant(1 / Math.sqrt(headSize), 'float');

  for (let layer = 0; layer < layers; layer++) {
    const project = (perm: number[]) =>
      g.one(
        'Transpose',
        [g.one('Reshape', [linear(g, x, hidden, hidden, quantized, random), splitHeads])],
        [{ name: 'perm', ints: perm }],
      );
    const q = project([0, 2, 1, 3]);
    const k = project([0, 2, 3, 1]);
    const v = project([0, 2, 1, 3]);
    const scores = g.one('Add', [g.one('Mul', [g.one('MatMul', [q, k]), scale]), mask]);
    const probabilities = g.one('Softmax', [scores], [{ name: 'axis', int: -1 }]);
    const context = g.one(
      'Transpose',
      [g.one('MatMul', [probabilities, v])],
      [{ name: 'perm', ints: [0, 2, 1, 3] }],
    );
    const attended = linear(
      g,
      g.one('Reshape', [context, mergeHeads]),
      hidden,
      hidden,
      quantized,
      random,
    );
    x = layerNorm(g, g.one('Add', [attended, x]), hidden);
    const up = linear(g, x, hidden, intermediate, quantized, random);
    // GELU as BERT defines it: x * 0.5 * (1 + erf(x / sqrt 2)).
    const erf = g.one('Erf', [g.one('Mul', [up, g.constant(Math.SQRT1_2, 'float')])]);
    const gelu = g.one('Mul', [
      g.one('Mul', [up, g.constant(0.5, 'float')]),
      g.one('Add', [erf, g.constant(1, 'float')]),
    ]);
    const down = linear(g, gelu, intermediate, hidden, quantized, random);
    x = layerNorm(g, g.one('Add', [down, x]), hidden);
  }
  g.nodes.push({ op: 'Identity', inputs: [x], outputs: ['last_hidden_state'] });

  return encodeOnnxModel({
    name: 'minilm_shaped',
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({
      name,
      elemType: ONNX_INT64,
      shape: ['batch', 'sequence'],
    })),
    outputs: [
      { name: 'last_hidden_state', elemType: ONNX_FLOAT, shape: ['batch', 'sequence', hidden] },
    ],
  });
}

/** Writes a MiniLM-shaped model folder (fp32 and 8-bit graphs) and returns its path. */
export async function buildMiniLmShapedModel(
  dir: string,
  options: MiniLmShapeOptions,
): Promise<string> {
  const full = {
    layers: options.layers ?? 6,
    hidden: options.hidden ?? 384,
    heads: options.heads ?? 12,
    intermediate: options.intermediate ?? 1536,
    vocabSize: options.vocabSize ?? 30522,
    seed: options.seed ?? 42,
  };
  const vocab: Record<string, number> = {};
  let size = 0;
  for (const token of [...SPECIAL_TOKENS, ...options.words.map((w) => w.toLowerCase())]) {
    if (!(token in vocab)) vocab[token] = size++;
  }
  for (let i = 0; size < full.vocabSize; i++) vocab[`[unused${i}]`] = size++;
  return writeModelFolder(dir, {
    vocab,
    hiddenSize: full.hidden,
    model: encoderGraph(full, false),
    quantizedModel: encoderGraph(full, true),
    config: {
      num_hidden_layers: full.layers,
      num_attention_heads: full.heads,
      intermediate_size: full.intermediate,
    },
  });
}
