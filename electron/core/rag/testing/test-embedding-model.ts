import { gaussian, mulberry32, SPECIAL_TOKENS as SPECIAL, writeModelFolder } from './model-folder';
import { encodeOnnxModel, ONNX_FLOAT, ONNX_INT64 } from './onnx-writer';

/**
 * Builds a small embedding model in transformers.js's folder format whose graph looks up one
 * vector per token (a Gather), so mean pooling gives a bag-of-words vector. Words in the same
 * synonym group share a vector, which lets a test tell cosine ranking apart from keyword ranking.
 */
export interface TestEmbeddingModelOptions {
  /** Words of the vocabulary (lower case); anything else becomes [UNK], a zero vector. */
  words: string[];
  /** Groups of words that mean the same thing: they get one shared vector. */
  synonyms?: string[][];
  /** Width of the vectors (default 64). */
  dim?: number;
  seed?: number;
}

/** Writes the model folder (config, tokenizer, onnx/model.onnx and onnx/model_quantized.onnx). */
export async function buildTestEmbeddingModel(
  dir: string,
  options: TestEmbeddingModelOptions,
): Promise<string> {
  const dim = options.dim ?? 64;
  const random = mulberry32(options.seed ?? 1234);
  const vocab: Record<string, number> = {};
  for (const token of SPECIAL) vocab[token] = Object.keys(vocab).length;
  const allWords = [...options.words, ...(options.synonyms ?? []).flat()];
  for (const word of allWords.map((w) => w.toLowerCase())) {
    if (!(word in vocab)) vocab[word] = Object.keys(vocab).length;
  }
  const size = Object.keys(vocab).length;

  const groupOf = new Map<string, number>();
  (options.synonyms ?? []).forEach((group, g) => {
    for (const word of group) groupOf.set(word.toLowerCase(), g);
  });
  const groupVectors = new Map<number, Float32Array>();
  const randomVector = () => Float32Array.from({ length: dim }, () => gaussian(random));

  // Special tokens stay zero so [CLS], [SEP], padding and unknown words do not move the mean's direction.
  const table = new Float32Array(size * dim);
  for (const [word, id] of Object.entries(vocab)) {
    if ((SPECIAL as readonly string[]).includes(word)) continue;
    const group = groupOf.get(word);
    let vector: Float32Array;
    if (group === undefined) vector = randomVector();
    else {
      vector = groupVectors.get(group) ?? randomVector();
      groupVectors.set(group, vector);
    }
    table.set(vector, id * dim);
  }

  const model = encodeOnnxModel({
    name: 'bag_of_words',
    nodes: [{ op: 'Gather', inputs: ['embeddings', 'input_ids'], outputs: ['last_hidden_state'] }],
    initializers: [{ name: 'embeddings', dims: [size, dim], data: table }],
    inputs: [
      { name: 'input_ids', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
      { name: 'attention_mask', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
      { name: 'token_type_ids', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
    ],
    outputs: [
      { name: 'last_hidden_state', elemType: ONNX_FLOAT, shape: ['batch', 'sequence', dim] },
    ],
  });

  await writeModelFolder(dir, { vocab, hiddenSize: dim, model });
  return dir;
}

/** Lower-case words of a text, as the test tokenizer splits them. */
export function wordsOf(...texts: string[]): string[] {
  return [
    ...new Set(
      texts
        .join(' ')
        .toLowerCase()
        .match(/[a-z0-9]+/g) ?? [],
    ),
  ];
}
