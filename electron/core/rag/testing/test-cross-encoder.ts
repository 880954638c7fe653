import { SPECIAL_TOKENS, writeModelFolder } from './model-folder';
import { encodeOnnxModel, ONNX_FLOAT, ONNX_INT64 } from './onnx-writer';

/**
 * Builds a cross-encoder in transformers.js's folder format whose one logit is the number of
 * times the "relevant" words occur in the question–passage pair (a Gather of per-token weights,
 * summed). It runs through the real tokenizer and ONNX runtime, and its opinion is known.
 */
export async function buildTestCrossEncoder(
  dir: string,
  options: { words: string[]; relevant: string[] },
): Promise<string> {
  const vocab: Record<string, number> = {};
  for (const token of SPECIAL_TOKENS) vocab[token] = Object.keys(vocab).length;
  for (const word of [...options.words, ...options.relevant].map((w) => w.toLowerCase())) {
    if (!(word in vocab)) vocab[word] = Object.keys(vocab).length;
  }
  const size = Object.keys(vocab).length;
  const weights = new Float32Array(size);
  for (const word of options.relevant) weights[vocab[word.toLowerCase()] ?? 0] = 1;
  const model = encodeOnnxModel({
    name: 'counting_cross_encoder',
    nodes: [
      { op: 'Gather', inputs: ['weights', 'input_ids'], outputs: ['per_token'] },
      {
        op: 'ReduceSum',
        inputs: ['per_token', 'axes'],
        outputs: ['logits'],
        attributes: [{ name: 'keepdims', int: 0 }],
      },
    ],
    initializers: [
      { name: 'weights', dims: [size, 1], data: weights },
      { name: 'axes', dims: [1], data: BigInt64Array.from([1n]) },
    ],
    inputs: [
      { name: 'input_ids', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
      { name: 'attention_mask', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
      { name: 'token_type_ids', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
    ],
    outputs: [{ name: 'logits', elemType: ONNX_FLOAT, shape: ['batch', 1] }],
  });
  await writeModelFolder(dir, {
    vocab,
    hiddenSize: 1,
    model,
    config: {
      architectures: ['BertForSequenceClassification'],
      num_labels: 1,
      id2label: { 0: 'LABEL_0' },
      label2id: { LABEL_0: 0 },
    },
  });
  return dir;
}
